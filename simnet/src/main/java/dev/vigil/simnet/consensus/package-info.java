/**
 * A shard's consensus committee in simulation: {@link dev.vigil.simnet.consensus.ConsensusSim} runs
 * 3f + 1 of the daemon's real replicas of a {@link dev.vigil.simnet.consensus.Workload}'s state
 * machine, its clients, faulty members and a seeded faulty network in virtual time, checking
 * safety, persist-before-send and every bound after every step; a failure names its seed.
 */
package dev.vigil.simnet.consensus;
