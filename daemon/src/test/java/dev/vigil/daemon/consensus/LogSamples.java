package dev.vigil.daemon.consensus;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Log records of every kind with random contents (signatures are random bytes: a log does not verify them). */
final class LogSamples {
    static final ConsensusConfig CONFIG = ConsensusConfig.defaults();
    static final Limits LIMITS = Limits.of(CONFIG, 4);
    static final int KINDS = 7;
    private static final int SHARD = 3;

    private LogSamples() {
    }

    /** A record of kind {@code kind} (0..6: base, view, accepted, prepared, committed, own checkpoint, stable) at {@code seq}. */
    static LogRecord of(final int kind, final long seq, final SplittableRandom r) {
        return switch (kind) {
            case 0 -> new LogRecord.Base(seq, bytes(r, Digests.LENGTH));
            case 1 -> new LogRecord.View(r.nextInt(5), r.nextBoolean());
            case 2 -> new LogRecord.Accepted(vote(MessageKind.PRE_PREPARE, r.nextInt(3), seq, bytes(r, Digests.LENGTH), 1, r), batch(r));
            case 3 -> {
                final Vote pp = vote(MessageKind.PRE_PREPARE, r.nextInt(3), seq, bytes(r, Digests.LENGTH), 0, r);
                final List<Vote> prepares = new ArrayList<>();
                for (int i = 1; i <= 2; i++) {
                    prepares.add(vote(MessageKind.PREPARE, pp.view(), seq, pp.digest(), i, r));
                }
                yield new LogRecord.Prepared(new PreparedCertificate(pp, prepares));
            }
            case 4 -> new LogRecord.Committed(seq, bytes(r, Digests.LENGTH), batch(r));
            case 5 -> new LogRecord.OwnCheckpoint(seq, bytes(r, Digests.LENGTH), snapshot(r));
            case 6 -> {
                final byte[] digest = bytes(r, Digests.LENGTH);
                final List<Checkpoint> proofs = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    proofs.add(new Checkpoint(SHARD, 0, i, seq, digest, bytes(r, Signer.SIGNATURE_LENGTH)));
                }
                yield new LogRecord.Stable(new StableCertificate(seq, digest, proofs), r.nextInt(3) == 0 ? new byte[0] : snapshot(r));
            }
            default -> throw new IllegalArgumentException("kind " + kind);
        };
    }

    /**
     * Records compare by their canonical encoding (records holding arrays have reference equality),
     * shown as kind@seq and a hash of the encoding so that a failure stays readable.
     */
    static List<String> encoded(final List<LogRecord> records) {
        return records.stream().map(x -> x.getClass().getSimpleName() + "@" + x.seq() + ":"
            + Integer.toHexString(java.util.Arrays.hashCode(LogRecords.encode(x))) + "/" + LogRecords.encode(x).length).toList();
    }

    private static Vote vote(final MessageKind kind, final long view, final long seq, final byte[] digest, final long sender,
                             final SplittableRandom r) {
        return new Vote(kind, SHARD, 0, sender, view, seq, digest, bytes(r, Signer.SIGNATURE_LENGTH));
    }

    private static Batch batch(final SplittableRandom r) {
        final List<Request> requests = new ArrayList<>();
        final int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            requests.add(new Request(SHARD, 500 + i, r.nextInt(1000), bytes(r, r.nextInt(200)), bytes(r, Signer.SIGNATURE_LENGTH)));
        }
        return new Batch(requests);
    }

    /** Mostly small, sometimes several chunks long. */
    private static byte[] snapshot(final SplittableRandom r) {
        return bytes(r, r.nextInt(4) == 0 ? 20_000 + r.nextInt(40_000) : 1 + r.nextInt(300));
    }

    static byte[] bytes(final SplittableRandom r, final int n) {
        final byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }
}
