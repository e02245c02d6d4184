package dev.vigil.daemon.consensus;

/**
 * The first 20 bytes of every signed committee message: kind (u8), version (u8), shard (u16),
 * epoch (u64), sender node id (u64). The shard and epoch are signed with the rest, so a message
 * can never be replayed into another committee.
 */
record Envelope(int shard, long epoch, long sender) {
    static final int LENGTH = 1 + 1 + 2 + 8 + 8;

    static void write(final CanonicalWriter w, final MessageKind kind, final int shard, final long epoch, final long sender) {
        w.u8(kind.code).u8(MessageKind.VERSION).u16(shard).u64(epoch).u64(sender);
    }

    static Envelope read(final CanonicalReader r, final MessageKind expected) throws DecodeException {
        final int kind = r.u8();
        if (kind != expected.code) {
            throw new DecodeException(Refusal.MALFORMED, "expected " + expected.label + ", found kind " + kind);
        }
        if (r.u8() != MessageKind.VERSION) {
            throw new DecodeException(Refusal.MALFORMED, "unknown version");
        }
        return new Envelope(r.u16(), r.u63(), r.u64());
    }

    /**
     * The epoch in a message's envelope, read without decoding the rest (for routing to the replica
     * of that epoch); -1 for a request (which names no epoch) or bytes too short to say.
     */
    static long epochOf(final byte[] message) {
        if (message.length < LENGTH || message[0] == MessageKind.REQUEST.code) {
            return -1;
        }
        long epoch = 0;
        for (int i = 7; i >= 0; i--) {
            epoch = (epoch << 8) | (message[4 + i] & 0xFF);
        }
        return epoch;
    }
}
