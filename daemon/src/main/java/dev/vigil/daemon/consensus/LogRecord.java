package dev.vigil.daemon.consensus;

/**
 * What a replica persists through {@link ReplicaEffects#persist}, and reads back after a restart.
 * Each record says what the replica did or promised; a restarted replica never contradicts it
 * (never proposes or prepares a second batch for one (view, seq), never returns to a view it left).
 * {@link LogRecords} gives each a canonical encoding for a durable store.
 */
public sealed interface LogRecord {
    /** The sequence number the record is about (0 for records kept regardless: view, base). */
    long seq();

    /** The epoch's starting point: sequence number and state digest every member starts from. Written once. */
    record Base(long seq, byte[] stateDigest) implements LogRecord {
    }

    /** This replica operates in {@code view}, or left every view below it ({@code changing}: waiting for its new-view). */
    record View(long view, boolean changing) implements LogRecord {
        @Override
        public long seq() {
            return 0;
        }
    }

    /** This replica proposed (as primary) or accepted and prepared (as backup) this pre-prepare and batch. */
    record Accepted(Vote prePrepare, Batch batch) implements LogRecord {
        @Override
        public long seq() {
            return prePrepare.seq();
        }
    }

    /** This batch prepared here (the certificate proves it); this replica sent its commit. */
    record Prepared(PreparedCertificate certificate) implements LogRecord {
        @Override
        public long seq() {
            return certificate.seq();
        }
    }

    /** 2f + 1 commits for this digest: the batch at {@code seq} is final; executed next. */
    record Committed(long seq, byte[] digest, Batch batch) implements LogRecord {
    }

    /** This replica's own checkpoint at {@code seq} (sent): the snapshot and its digest. */
    record OwnCheckpoint(long seq, byte[] stateDigest, byte[] snapshot) implements LogRecord {
    }

    /**
     * A stable checkpoint: the low watermark moved to {@code certificate.seq()}. {@code snapshot} is the
     * state there, or empty when this replica knows the certificate but has not fetched that state yet.
     */
    record Stable(StableCertificate certificate, byte[] snapshot) implements LogRecord {
        @Override
        public long seq() {
            return certificate.seq();
        }
    }
}
