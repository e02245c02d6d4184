/**
 * The fleet's latency-clustered tree: {@link dev.vigil.daemon.tree.TreeNode} and the sub-protocols it
 * dispatches to (descent, cluster views, head duties, head election, SWIM with Lifeguard suspicion,
 * introductions, contributions up and the baseline down, head verification), sharing one state, plus
 * the building blocks (Vivaldi coordinates, the shaping rules, a centralised reference model).
 * Everything here is sans-I/O and deterministic: no threads, no clocks, randomness injected.
 */
package dev.vigil.daemon.tree;
