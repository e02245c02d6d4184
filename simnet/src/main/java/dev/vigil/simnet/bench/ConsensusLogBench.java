package dev.vigil.simnet.bench;

import dev.vigil.daemon.consensus.Batch;
import dev.vigil.daemon.consensus.Checkpoint;
import dev.vigil.daemon.consensus.ConsensusConfig;
import dev.vigil.daemon.consensus.ConsensusLogConfig;
import dev.vigil.daemon.consensus.Limits;
import dev.vigil.daemon.consensus.LogRecord;
import dev.vigil.daemon.consensus.LogSizing;
import dev.vigil.daemon.consensus.MessageKind;
import dev.vigil.daemon.consensus.PreparedCertificate;
import dev.vigil.daemon.consensus.Request;
import dev.vigil.daemon.consensus.StableCertificate;
import dev.vigil.daemon.consensus.StoredLog;
import dev.vigil.daemon.consensus.StoredLogs;
import dev.vigil.daemon.consensus.Vote;
import dev.vigil.storage.StoreDirectory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code vigil bench consensus-log}: one replica's durable log in a Chronicle Map file sized as
 * the daemon sizes it (64 replicas, 1 MiB each): per sequence number the accepted pre-prepare with
 * its batch, the prepared certificate and the committed batch, and every K = 64 an own checkpoint,
 * a stable checkpoint and the truncation, as a backup replica persists them. Each append is timed
 * alone (the replica waits for it before sending); the first tenth is warm-up.
 */
final class ConsensusLogBench {
    private static final int MEMBERS = 4;
    private static final int SIGNATURE = 64;
    private static final int DIGEST = 32;

    private ConsensusLogBench() {
    }

    static Map<String, Object> run(final int seqs, final int requestsPerBatch, final int payloadBytes, final int snapshotBytes,
                                   final Path dirArg) throws IOException {
        final Path dir = dirArg != null ? dirArg : Files.createTempDirectory("vigil-bench-clog");
        final ConsensusConfig consensus = ConsensusConfig.defaults();
        final LogSizing sizing = ConsensusLogConfig.defaults().sizing(consensus, MEMBERS);
        final Map<String, Object> out = new LinkedHashMap<>();
        final SplittableRandom random = new SplittableRandom(1);
        try (StoreDirectory stores = StoreDirectory.open(dir.resolve("consensus"), "bench consensus-log", List.of(sizing.spec()))) {
            final StoredLog log = StoredLogs.open(stores.store(LogSizing.STORE), sizing, Limits.of(consensus, MEMBERS)).log(0, 0);
            final int k = consensus.checkpointSeqs();
            final long[] nanos = new long[seqs * 3 + (seqs / k + 1) * 2 + 2];
            int n = 0;
            long bytes = 0;
            final long warmSeqs = seqs / 10;
            long measuredRecords = 0;
            long measuredBytes = 0;
            long measuredNanos = 0;
            long truncateNanos = 0;
            long truncations = 0;
            append(log, new LogRecord.Base(0, new byte[DIGEST]));
            append(log, new LogRecord.View(0, false));
            for (long seq = 1; seq <= seqs; seq++) {
                final Batch batch = batch(requestsPerBatch, payloadBytes, seq, random);
                final byte[] digest = bytes(random, DIGEST);
                final Vote pp = vote(MessageKind.PRE_PREPARE, 0, seq, digest, random);
                final List<LogRecord> records = new ArrayList<>(List.of(
                    new LogRecord.Accepted(pp, batch),
                    new LogRecord.Prepared(new PreparedCertificate(pp, List.of(vote(MessageKind.PREPARE, 1, seq, digest, random),
                        vote(MessageKind.PREPARE, 2, seq, digest, random)))),
                    new LogRecord.Committed(seq, digest, batch)));
                if (seq % k == 0) {
                    final byte[] state = bytes(random, DIGEST);
                    final byte[] snapshot = bytes(random, snapshotBytes);
                    records.add(new LogRecord.OwnCheckpoint(seq, state, snapshot));
                    final List<Checkpoint> proofs = new ArrayList<>();
                    for (int m = 0; m < 3; m++) {
                        proofs.add(new Checkpoint(0, 0, m, seq, state, bytes(random, SIGNATURE)));
                    }
                    records.add(new LogRecord.Stable(new StableCertificate(seq, state, proofs), snapshot));
                }
                for (final LogRecord r : records) {
                    final int size = dev.vigil.daemon.consensus.LogRecords.encode(r).length;
                    final long t = System.nanoTime();
                    log.append(r);
                    final long dt = System.nanoTime() - t;
                    bytes += size;
                    if (seq > warmSeqs) {
                        nanos[n++] = dt;
                        measuredRecords++;
                        measuredBytes += size;
                        measuredNanos += dt;
                    }
                }
                if (seq % k == 0) {
                    final long t = System.nanoTime();
                    log.truncate(seq);
                    if (seq > warmSeqs) {
                        truncateNanos += System.nanoTime() - t;
                        truncations++;
                    }
                }
            }
            final long[] sorted = Arrays.copyOf(nanos, n);
            Arrays.sort(sorted);
            out.put("seqs", seqs);
            out.put("requests_per_batch", requestsPerBatch);
            out.put("payload_bytes", payloadBytes);
            out.put("snapshot_bytes", snapshotBytes);
            out.put("records_measured", measuredRecords);
            out.put("record_bytes_avg", measuredBytes / Math.max(1, measuredRecords));
            out.put("appends_per_s", Math.round(measuredRecords / (measuredNanos / 1e9)));
            out.put("append_mb_per_s", StorageBench.round(measuredBytes / (measuredNanos / 1e9) / 1e6, 1));
            out.put("append_us_p50", micros(sorted, 0.50));
            out.put("append_us_p99", micros(sorted, 0.99));
            out.put("append_us_p999", micros(sorted, 0.999));
            out.put("append_us_max", micros(sorted, 1.0));
            out.put("truncate_us_avg", StorageBench.round(truncateNanos / 1e3 / Math.max(1, truncations), 1));
            out.put("records_held_at_end", log.size());
            out.put("bytes_held_at_end", log.bytes());
            out.put("bytes_appended", bytes);
            out.put("sizing_replicas", sizing.replicasMax());
            out.put("sizing_records_per_replica", sizing.recordsPerLogMax());
            out.put("sizing_bytes_per_replica", sizing.bytesPerLogMax());
            out.put("store_file_bytes_on_disk", stores.bytesOnDisk().get(LogSizing.STORE));
            out.put("store_file_length", Files.size(dir.resolve("consensus").resolve(LogSizing.STORE + ".cm3")));
        } finally {
            if (dirArg == null) {
                StorageBench.deleteTree(dir);
            }
        }
        return out;
    }

    private static void append(final StoredLog log, final LogRecord r) {
        log.append(r);
    }

    private static double micros(final long[] sorted, final double q) {
        if (sorted.length == 0) {
            return 0;
        }
        final int i = (int)Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
        return StorageBench.round(sorted[Math.max(0, i)] / 1e3, 1);
    }

    private static Batch batch(final int n, final int payloadBytes, final long seq, final SplittableRandom random) {
        final List<Request> requests = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            requests.add(new Request(0, 100 + i, seq, bytes(random, payloadBytes), bytes(random, SIGNATURE)));
        }
        return new Batch(requests);
    }

    private static Vote vote(final MessageKind kind, final long sender, final long seq, final byte[] digest, final SplittableRandom random) {
        return new Vote(kind, 0, 0, sender, 0, seq, digest, bytes(random, SIGNATURE));
    }

    private static byte[] bytes(final SplittableRandom random, final int n) {
        final byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
