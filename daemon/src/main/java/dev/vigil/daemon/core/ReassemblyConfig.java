package dev.vigil.daemon.core;

/**
 * Bounds on consensus messages carried in fragments ({@link ConsensusReassembly}), with what
 * happens at each.
 *
 * @param messageBytesMax           largest message sent or reassembled. Sending a larger one is a caller
 *                                  error; a fragment of a larger one is refused (too-large)
 * @param inFlightPerSenderMax      partial messages kept per sender. A fragment of a new message beyond it
 *                                  drops the sender's oldest partial if that one has a lower id (superseded),
 *                                  else it is refused (sender-busy)
 * @param bufferedBytesMax          bytes held in partial messages, all senders together, each fragment charged
 *                                  its length plus {@link ConsensusReassembly#FRAGMENT_OVERHEAD_BYTES}. A fragment
 *                                  that would go beyond is refused and its message dropped (buffer-full)
 * @param partialAgeMicrosMax       a partial message this long after its first fragment is dropped at the next
 *                                  tick (expired)
 * @param sendersMax                senders whose reassembly state is kept; a new one beyond it makes the node
 *                                  forget the sender heard from least recently, with its partial messages
 */
public record ReassemblyConfig(
    int messageBytesMax,
    int inFlightPerSenderMax,
    long bufferedBytesMax,
    long partialAgeMicrosMax,
    int sendersMax) {

    /** Java arrays stop a little short of 2^31 bytes. */
    public static final int MESSAGE_BYTES_MAX_LIMIT = Integer.MAX_VALUE - 8;
    public static final int IN_FLIGHT_PER_SENDER_MAX_LIMIT = 64;

    public ReassemblyConfig {
        require(messageBytesMax >= 1 && messageBytesMax <= MESSAGE_BYTES_MAX_LIMIT,
            "messageBytesMax must be in [1, " + MESSAGE_BYTES_MAX_LIMIT + "]: " + messageBytesMax);
        require(inFlightPerSenderMax >= 1 && inFlightPerSenderMax <= IN_FLIGHT_PER_SENDER_MAX_LIMIT,
            "inFlightPerSenderMax must be in [1, " + IN_FLIGHT_PER_SENDER_MAX_LIMIT + "]: " + inFlightPerSenderMax);
        // the largest message must fit with its bookkeeping, whatever else is held
        require(bufferedBytesMax >= 2L * messageBytesMax, "bufferedBytesMax must be at least twice messageBytesMax: " + bufferedBytesMax);
        require(partialAgeMicrosMax > 0, "partialAgeMicrosMax must be positive");
        require(sendersMax >= 1, "sendersMax must be positive: " + sendersMax);
    }

    /**
     * 8 MiB + 64 KiB per message: the consensus layer's largest message at its defaults, a state reply
     * carrying an 8 MiB snapshot, with room to spare; two in flight per sender; 32 MiB held in all;
     * 30 s to finish a message (8 MiB at about 2.3 Mbit/s); as many senders as the trust store keeps.
     */
    public static ReassemblyConfig defaults() {
        return new ReassemblyConfig(8 * 1024 * 1024 + 64 * 1024, 2, 32L * 1024 * 1024, 30_000_000, 1024);
    }

    private static void require(final boolean condition, final String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
