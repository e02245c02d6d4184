package dev.vigil.daemon.consensus;

import java.util.Map;

/**
 * What a checkpoint covers: the sequence number, the client table, the epoch's closing (when
 * its reconfiguration executed) and the state machine's own snapshot. Its digest is
 * SHA-256("vigil-consensus-checkpoint-v1" || u16 shard || u64 epoch || encoding), so a checkpoint
 * of one committee never certifies another's state.
 *
 * <p>Layout: 'S', version, seq u64, count u32, (client u64, requestSeq u64, atSeq u64) in
 * increasing client order, closing flag u8 [nextEpoch u64, reconfigSeq u64, closingSeq u64,
 * directory blob], state machine snapshot blob.
 */
final class SystemSnapshot {
    private static final int MARKER = 'S';

    /** Set when the reconfiguration request executed at {@code reconfigSeq}: the epoch ends at {@code closingSeq}. */
    record Closing(long nextEpoch, long reconfigSeq, long closingSeq, byte[] directory) {
    }

    /** A decoded snapshot. */
    record Parts(long seq, ClientTable clients, Closing closing, byte[] app) {
    }

    private SystemSnapshot() {
    }

    static byte[] encode(final long seq, final ClientTable clients, final Closing closing, final byte[] app) {
        final CanonicalWriter w = new CanonicalWriter(64 + 24 * clients.size() + app.length);
        w.u8(MARKER).u8(MessageKind.VERSION).u64(seq).u32(clients.size());
        for (final Map.Entry<Long, long[]> e : clients.entries()) {
            w.u64(e.getKey()).u64(e.getValue()[0]).u64(e.getValue()[1]);
        }
        if (closing == null) {
            w.u8(0);
        } else {
            w.u8(1).u64(closing.nextEpoch()).u64(closing.reconfigSeq()).u64(closing.closingSeq()).blob(closing.directory());
        }
        return w.blob(app).toBytes();
    }

    static byte[] digest(final Committee committee, final byte[] snapshot) {
        return Digests.sha256(Digests.CHECKPOINT, new CanonicalWriter(10).u16(committee.shard()).u64(committee.epoch()).toBytes(),
            snapshot);
    }

    /** A certified snapshot still goes through a strict decoder: a bug elsewhere must not become a crash here. */
    static Parts decode(final byte[] bytes, final int clientsMax, final int snapshotBytesMax) throws DecodeException {
        final CanonicalReader r = new CanonicalReader(bytes);
        if (r.u8() != MARKER || r.u8() != MessageKind.VERSION) {
            throw new DecodeException(Refusal.MALFORMED, "not a snapshot");
        }
        final long seq = r.u63();
        final int n = r.u32();
        if (n > clientsMax) {
            throw new DecodeException(Refusal.OVERSIZED, "more clients than the table holds");
        }
        final ClientTable clients = new ClientTable(clientsMax);
        long previous = 0;
        for (int i = 0; i < n; i++) {
            final long client = r.u64();
            if (i > 0 && Long.compareUnsigned(previous, client) >= 0) {
                throw new DecodeException(Refusal.MALFORMED, "clients out of order");
            }
            previous = client;
            clients.put(client, r.u63(), r.u63());
        }
        final int flag = r.u8();
        Closing closing = null;
        if (flag == 1) {
            closing = new Closing(r.u63(), r.u63(), r.u63(), r.blob(CommitteeDirectory.ENCODED_BYTES_MAX));
        } else if (flag != 0) {
            throw new DecodeException(Refusal.MALFORMED, "closing flag");
        }
        final byte[] app = r.blob(snapshotBytesMax);
        r.end();
        return new Parts(seq, clients, closing, app);
    }
}
