/**
 * Evidence committees: which nodes form a shard's committee ({@link dev.vigil.daemon.consensus.Committees}
 * over a signed {@link dev.vigil.daemon.consensus.CommitteeDirectory}), and the PBFT replica each
 * member runs ({@link dev.vigil.daemon.consensus.Replica}). Sans-I/O like the node core: no threads,
 * no clock (every input carries {@code nowMicros}), no randomness, acting only through
 * {@link dev.vigil.daemon.consensus.ReplicaEffects}; every queue, log and map has a stated bound.
 *
 * <h2>Trust assumptions</h2>
 * <ul>
 *   <li><b>Members.</b> Safety holds while at most f of a committee's 3f + 1 members are faulty
 *   (arbitrarily: lying, equivocating, silent, colluding), whatever the network does. Liveness
 *   additionally needs the network to deliver eventually (timeouts double until it does) and
 *   2f + 1 members up. A committee with f = 0 (a directory of fewer than 4 candidates) is one node
 *   and trusts it entirely; {@link dev.vigil.daemon.consensus.Committee#describe()} says so.</li>
 *   <li><b>Signatures.</b> Every message is signed by its sender (Ed25519). This is simpler than
 *   PBFT's MAC authenticators and makes certificates transferable (anyone can check a view-change,
 *   a stable checkpoint or a verdict offline), at a cost: roughly 26 µs to sign and 60 µs to verify
 *   per message with Bouncy Castle, so about (n + 2)·n verifications per batch per replica, which
 *   batching amortises. Clients (observers) sign their requests, so a faulty primary cannot invent
 *   evidence.</li>
 *   <li><b>The directory issuer</b> (the tree's root, itself certified by the cluster CA) chooses
 *   the candidate list. A lying issuer <i>can</i>: list candidates it controls, or leave honest
 *   ones out, so that more than f members of some committee are faulty (safety of those shards is
 *   then lost); sign two different directories for one epoch, so that nodes holding different ones
 *   run different committees for a shard (verdicts name their epoch and directory digest, so the
 *   split is detectable afterwards, not prevented); withhold the next epoch. It <i>cannot</i>: pick
 *   which candidates sit on which shard (rendezvous hashing, recomputable by anyone from the
 *   directory); forge messages of members or requests of observers; make honest members accept a
 *   directory it did not sign; alter a committee's ordered history or certified state. Because a
 *   candidate's rendezvous weight is fixed by its node id, a party minting many ids could aim at a
 *   shard; node ids are hashes of keys the cluster CA certifies, so this needs the CA (see
 *   {@link dev.vigil.daemon.consensus.Committees}). Replicas trust the same issuer key, so a
 *   reconfiguration request verifies identically on every honest replica.</li>
 *   <li><b>State transfer</b> trusts only certificates: a snapshot is installed when its digest
 *   matches a stable checkpoint that 2f + 1 members of its committee signed.</li>
 * </ul>
 *
 * <h2>Seams for what comes later</h2>
 * Wiring into the node core (frames of the consensus message family carry
 * {@link dev.vigil.daemon.consensus.Message#encode()} bytes; the core's frame gate has already
 * authenticated the peer, the replica checks the signatures that certificates need), flyweight
 * codecs, the evidence state machine (a {@link dev.vigil.daemon.consensus.ReplicatedState}) and
 * simnet scenarios. The durable {@link dev.vigil.daemon.consensus.ConsensusLog} exists:
 * {@link dev.vigil.daemon.consensus.StoredLog}, one per (shard, epoch) in a store the node shares
 * among its replicas ({@link dev.vigil.daemon.consensus.StoredLogs}, sized by
 * {@link dev.vigil.daemon.consensus.LogSizing}); the daemon opens it, the driver that hands each
 * replica its log is part of the wiring.
 */
package dev.vigil.daemon.consensus;
