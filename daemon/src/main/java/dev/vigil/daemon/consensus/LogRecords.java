package dev.vigil.daemon.consensus;

/**
 * Canonical encoding of {@link LogRecord}s for a durable {@link ConsensusLog}: a tag byte, then
 * the fields in the message encodings. Decoding is strict like {@link Messages#decode}; a record
 * that does not decode means a damaged log (the caller refuses to start from it).
 */
public final class LogRecords {
    private static final int BASE = 1;
    private static final int VIEW = 2;
    private static final int ACCEPTED = 3;
    private static final int PREPARED = 4;
    private static final int COMMITTED = 5;
    private static final int OWN_CHECKPOINT = 6;
    private static final int STABLE = 7;

    private LogRecords() {
    }

    public static byte[] encode(final LogRecord record) {
        final CanonicalWriter w = new CanonicalWriter(256);
        if (record instanceof LogRecord.Base b) {
            w.u8(BASE).u64(b.seq()).fixed(b.stateDigest(), Digests.LENGTH);
        } else if (record instanceof LogRecord.View v) {
            w.u8(VIEW).u64(v.view()).u8(v.changing() ? 1 : 0);
        } else if (record instanceof LogRecord.Accepted a) {
            w.u8(ACCEPTED);
            a.prePrepare().writeTo(w);
            a.batch().writeTo(w);
        } else if (record instanceof LogRecord.Prepared p) {
            w.u8(PREPARED);
            p.certificate().writeTo(w);
        } else if (record instanceof LogRecord.Committed c) {
            w.u8(COMMITTED).u64(c.seq()).fixed(c.digest(), Digests.LENGTH);
            c.batch().writeTo(w);
        } else if (record instanceof LogRecord.OwnCheckpoint o) {
            w.u8(OWN_CHECKPOINT).u64(o.seq()).fixed(o.stateDigest(), Digests.LENGTH).blob(o.snapshot());
        } else if (record instanceof LogRecord.Stable s) {
            w.u8(STABLE);
            s.certificate().writeTo(w);
            w.blob(s.snapshot());
        } else {
            throw new IllegalArgumentException("unknown record " + record);
        }
        return w.toBytes();
    }

    /** @return the record, or {@code null} when the bytes are not one */
    public static LogRecord decode(final byte[] bytes, final Limits limits) {
        try {
            final CanonicalReader r = new CanonicalReader(bytes);
            final LogRecord record = switch (r.u8()) {
                case BASE -> new LogRecord.Base(r.u63(), r.fixed(Digests.LENGTH));
                case VIEW -> {
                    final long view = r.u63();
                    final int changing = r.u8();
                    if (changing > 1) {
                        throw new DecodeException(Refusal.MALFORMED, "flag");
                    }
                    yield new LogRecord.View(view, changing == 1);
                }
                case ACCEPTED -> new LogRecord.Accepted(Vote.read(r, MessageKind.PRE_PREPARE), Batch.read(r, limits));
                case PREPARED -> new LogRecord.Prepared(PreparedCertificate.read(r, limits));
                case COMMITTED -> new LogRecord.Committed(r.u63(), r.fixed(Digests.LENGTH), Batch.read(r, limits));
                case OWN_CHECKPOINT -> new LogRecord.OwnCheckpoint(r.u63(), r.fixed(Digests.LENGTH), r.blob(limits.snapshotBytesMax()));
                case STABLE -> new LogRecord.Stable(StableCertificate.read(r, limits), r.blob(limits.snapshotBytesMax()));
                default -> throw new DecodeException(Refusal.MALFORMED, "unknown record tag");
            };
            r.end();
            return record;
        } catch (final DecodeException e) {
            return null;
        }
    }
}
