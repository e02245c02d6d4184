package dev.vigil.daemon.consensus;

import dev.vigil.storage.StoreSpec;

/**
 * The bounds of the consensus-log store and of each replica's log in it, derived from a
 * {@link ConsensusConfig} (window and checkpoint interval), the committee size and the node's
 * sizing keys ({@code storage.consensus_replicas}, {@code storage.consensus_log_kib_per_replica}).
 *
 * <p>Records one log holds at most ({@link #recordsPerLogMax}): after {@code truncate(h)} the
 * replica's log holds sequence numbers in (h, h + L] only, each with at most two accepted
 * pre-prepares (the newest view's, and the one of the newest prepared certificate's view), one
 * prepared certificate and one committed record, however many views the window saw (a log drops
 * what a newer record of the same sequence number supersedes); plus its own checkpoints in the
 * window (L / K + 1), the stables (latest, latest with state, one appended before its truncate),
 * the base and the view record (two for the moment between appending a view and dropping the
 * old). With the defaults (K = 64, L = 128) that is 128 × 4 + 3 + 3 + 1 + 2 = 521 records.
 *
 * <p>The store's ceiling is {@code replicasMax} logs each at both bounds, 4x over (entries = 4 ×
 * replicas × records, average value = bytes per log / records), which covers records split into
 * more chunks than average; its file starts small and grows with what the logs hold. What a log may
 * hold in bytes is configured, not derived, because the worst case ({@link #worstCaseBytesPerLog}:
 * every slot a full batch in every view, every checkpoint a largest snapshot: 60 MiB per replica at
 * the defaults) is far beyond the load evidence committees see.
 *
 * @param recordsPerLogMax    records one (shard, epoch) log holds at most; an append beyond is refused
 * @param bytesPerLogMax      record bytes one log holds at most; an append beyond is refused
 * @param replicasMax         (shard, epoch) logs the store holds at most; opening one more is refused
 * @param chunkBytesMax       most bytes of one store entry; a record is split into chunks of this size
 * @param worstCaseBytesPerLog what one log would hold if every slot and snapshot were largest (for the docs and the start-up line)
 */
public record LogSizing(int recordsPerLogMax, long bytesPerLogMax, int replicasMax, int chunkBytesMax, long worstCaseBytesPerLog) {
    public static final String STORE = "consensus-log";
    /** Records per sequence number in the window: two accepted pre-prepares, one prepared certificate, one committed. */
    static final int RECORDS_PER_SEQ = 4;
    public static final int REPLICAS_DEFAULT = 128;
    public static final long BYTES_PER_LOG_DEFAULT = 1024 * 1024;
    /**
     * Largest store entry. Chronicle Map stores an entry up to a segment tier's size; 16 KiB is far
     * below that at every sizing these keys allow, and big enough that most records take one chunk.
     */
    public static final int CHUNK_BYTES_MAX = 16 * 1024;

    public LogSizing {
        if (recordsPerLogMax < 8 || bytesPerLogMax < 4096 || replicasMax < 1 || replicasMax > Committees.SHARDS_MAX * 2
            || chunkBytesMax <= LogChunks.HEADER) {
            throw new IllegalArgumentException("consensus log sizing out of range: " + recordsPerLogMax + " records, " + bytesPerLogMax
                + " bytes per log, " + replicasMax + " logs, " + chunkBytesMax + "-byte chunks");
        }
    }

    /**
     * @param members         committee size n the records are bounded for (prepared certificates grow with it)
     * @param replicasMax     logs the node's store is laid out for
     * @param bytesPerLogMax  bytes one log may hold
     */
    public static LogSizing of(final ConsensusConfig config, final int members, final int replicasMax, final long bytesPerLogMax) {
        final int window = config.windowSeqs();
        final int k = config.checkpointSeqs();
        final long fixed = (window / k + 1) + 3 + 1 + 2;
        final long records = (long)window * RECORDS_PER_SEQ + fixed;
        final long batch = Vote.LENGTH + (long)config.batchBytesMax();
        final long prepared = Vote.LENGTH * (long)members + 8;
        final long committed = 8 + Digests.LENGTH + (long)config.batchBytesMax();
        final long snapshot = 16 + (long)config.snapshotBytesMax() + (long)members * Checkpoint.LENGTH;
        final long worst = window * (2 * batch + prepared + committed) + ((window / k + 1) + 3) * snapshot;
        return new LogSizing((int)Math.min(Integer.MAX_VALUE, records), bytesPerLogMax, replicasMax, CHUNK_BYTES_MAX, worst);
    }

    /**
     * The store for {@link #replicasMax} logs at both bounds (see the class comment): its file starts
     * small (about 1 MiB) and grows with the logs; its ceiling is 4x the entries that many logs hold
     * at the average record size, which covers records split into more chunks than average (the
     * logs' own bounds refuse first).
     */
    public StoreSpec spec() {
        final long entries = 4L * replicasMax * recordsPerLogMax;
        final long avg = Math.max(64, Math.min(chunkBytesMax, (bytesPerLogMax + recordsPerLogMax - 1) / recordsPerLogMax + LogChunks.HEADER));
        return StoreSpec.fixedKey(STORE, entries, LogKeys.LENGTH, (int)avg, "storage.consensus_replicas");
    }
}
