/**
 * The data plane of the fleet tree: versioned statistical summaries ({@link dev.vigil.daemon.aggregate.Summary},
 * carried in stat-update frames) and the state-based aggregate a head keeps of its contributors'
 * latest versions ({@link dev.vigil.daemon.aggregate.Aggregate}), merged in a fixed order so that
 * any node holding the same versions computes the same bits, and a head's claim can be checked.
 */
package dev.vigil.daemon.aggregate;
