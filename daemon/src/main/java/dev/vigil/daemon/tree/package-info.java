/**
 * Building blocks of the fleet's latency-clustered tree: Vivaldi network coordinates learned from
 * probe round trips and gossiped with membership, from which clusters, heads and joins are chosen.
 * Everything here is sans-I/O and deterministic: no threads, no clocks, randomness injected.
 */
package dev.vigil.daemon.tree;
