package dev.vigil.daemon.consensus;

/**
 * Everything a replica does outside itself, as an ordered stream of effects. The order is the
 * contract: the driver performs effects in the order they are emitted, and {@link #persist}
 * returns only once its record is durable, so every message emitted after a persist leaves only
 * after what it depends on is on disk (a pre-prepare or prepare after the accepted pre-prepare,
 * a commit after the prepared certificate, a checkpoint after its snapshot, a view-change after
 * the view it promises). Tests record the stream and check this order message by message.
 *
 * <p>Messages are encoded bytes ({@link Messages#decode} is their inverse), addressed by node id.
 */
public interface ReplicaEffects {
    /** Sentinel for {@link #setTimer}: disarm. */
    long NEVER = Long.MAX_VALUE;

    /** Appends to the replica's {@link ConsensusLog}; must not return before the record is durable. */
    void persist(LogRecord record);

    /** Records at or below {@code stableSeq} may be dropped, except the base, the latest stable, and the latest stable that holds a snapshot. */
    void truncate(long stableSeq);

    /**
     * To one node: a member of this committee, or of the previous or next one during a
     * reconfiguration. The receiving node hands a message to its replica of the shard and epoch in
     * the message's envelope, except a state reply of epoch e, which is also for its replica of
     * epoch e + 1 (a joining replica fetches from the previous committee, whose replies name that committee).
     */
    void send(long nodeId, byte[] message);

    /** To every other member of this committee. */
    void broadcast(byte[] message);

    /** A committed batch, executed, in sequence order. */
    void deliver(Delivery delivery);

    /** Arms {@code kind} to fire at {@code atMicros} ({@link #NEVER} disarms); replaces an earlier arming. */
    void setTimer(TimerKind kind, long atMicros);

    /** The epoch closed at this stable checkpoint: the next committee starts from it (the replica now only serves it). */
    default void epochClosed(final StableCertificate closing) {
    }
}
