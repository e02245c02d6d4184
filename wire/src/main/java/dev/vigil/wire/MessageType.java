package dev.vigil.wire;

/**
 * Message type codes of wire v1. Codes are grouped by family in blocks of 16 so later families
 * (tree, aggregation, evidence, consensus, sync, ops) get their own ranges without renumbering.
 */
public enum MessageType {
    // membership: 1..15
    JOIN(1),
    JOIN_ACCEPT(2),
    PING(3),
    ACK(4),
    LEAVE(5),
    // tree: 16..31 (one flyweight per body: TreeDescendBody .. TreeIntroduceRequestBody, TREE_PING and
    // TREE_ACK share TreeProbeBody; shared pieces TreeNodeRef, TreeMember, TreeSummary; constants in TreeWire)
    TREE_DESCEND(16),
    TREE_REFER(17),
    TREE_ADMIT(18),
    TREE_VIEW(19),
    TREE_MERGE(20),
    TREE_PING(21),
    TREE_ACK(22),
    TREE_PING_REQ(23),
    TREE_SUSPECT(24),
    TREE_ANNOUNCE(25),
    TREE_CHALLENGE(26),
    TREE_BASELINE(27),
    TREE_INTRODUCE_REQUEST(28),
    // aggregation: 32..47
    STAT_UPDATE(32),
    /** One agent's baseline, to the cluster members that keep a replica of it (body: ReplicaBody). */
    BASELINE_REPLICA(33),
    // evidence and consensus: 48..63
    /**
     * One fragment of a committee (consensus) message, which may be far larger than a frame (body:
     * ConsensusFragmentBody); the receiver reassembles the message from its fragments.
     */
    CONSENSUS(48);

    private static final MessageType[] BY_CODE = new MessageType[256];

    static {
        for (final MessageType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    public final int code;
    /** Lower-case name used in counters, JSON and logs. */
    public final String label;

    MessageType(final int code) {
        this.code = code;
        this.label = name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /**
     * Whether a frame of this type may carry an {@link Introduction}: tree, aggregation and
     * consensus messages go to cluster members, heads and committee members that may not have seen
     * the sender's certificate.
     */
    public boolean introducible() {
        return code >= 16;
    }

    /** @return the type with this code, or {@code null} when the code is not a v1 type. */
    public static MessageType of(final int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
