package dev.vigil.simnet.bench;

import dev.vigil.daemon.cli.Progress;
import dev.vigil.daemon.detect.AgentRecord;
import dev.vigil.daemon.detect.AgentStatus;
import dev.vigil.daemon.detect.DetectionConfig;
import dev.vigil.daemon.detect.Detector;
import dev.vigil.daemon.detect.FeatureSchema;
import dev.vigil.daemon.history.AgentHistory;
import dev.vigil.daemon.history.HistoryConfig;
import dev.vigil.daemon.history.HistoryJournal;
import dev.vigil.daemon.history.HistoryStores;
import dev.vigil.daemon.history.RawBlock;
import dev.vigil.daemon.history.Series;
import dev.vigil.daemon.history.StoredAgent;
import dev.vigil.daemon.history.Tier;
import dev.vigil.storage.KeyValueStore;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Storage benchmarks on real Chronicle Map files:
 * <ul>
 *   <li>{@link #tiers}: agents reporting once every 10 s for N simulated days through the daemon's
 *       history write path (raw block, stored state, rollups), with the retention pass and rollup
 *       flushes run every simulated minute as the daemon's timer does; then bytes on disk per
 *       tier against keeping every raw observation, and series query latencies.</li>
 *   <li>{@link #agentState}: put/get throughput of the agent-state store and its file size.</li>
 *   <li>{@link #restart}: the stores of a node with N agents, written by a JVM killed with
 *       SIGKILL: time from opening them (recovery included) to serving (agents read back), and to
 *       every baseline rebuilt.</li>
 * </ul>
 */
final class StorageBench {
    static final long S = 1_000_000L;
    private static final long DAY = 86_400 * S;
    /** Rounds of puts and of gets in the agent-state bench; the last is measured. */
    private static final int ROUNDS = 5;
    /** A day boundary (2026-01-01), so tiers line up as they would in the daemon. */
    static final long T0 = 1_767_225_600L * S;

    private StorageBench() {
    }

    static Map<String, Object> tiers(final int agents, final int days, final int queries, final Path dirArg, final long seed,
                                     final StorageWorkload workload) throws IOException {
        final Path dir = dirArg != null ? dirArg : Files.createTempDirectory("vigil-bench-storage");
        final FeatureSchema schema = FeatureSchema.agentDefault();
        final int d = schema.size();
        final HistoryConfig config = HistoryConfig.defaults().withExpectedAgents(agents);
        final Map<String, Object> out = new LinkedHashMap<>();
        try (HistoryStores stores = HistoryStores.open(dir.resolve("stores"), "bench features=" + d, config, d)) {
            final AgentHistory h = stores.history(config, d);
            final SplittableRandom random = new SplittableRandom(seed);
            final StorageWorkload.Agent[] own = new StorageWorkload.Agent[agents];
            final AgentRecord[] records = new AgentRecord[agents];
            for (int a = 0; a < agents; a++) {
                own[a] = new StorageWorkload.Agent(d, random);
                records[a] = new AgentRecord(String.format("agent-%05d", a), "worker", AgentStatus.NORMAL, 0.5, 0, 0, T0, -1, -1);
            }
            final long stepMicros = 10 * S;
            final long steps = days * DAY / stepMicros;
            final double[] x = new double[d];
            long observations = 0;
            final long t0 = System.nanoTime();
            long nextMinute = T0 + 60 * S;
            // stdout is the JSON report: progress goes to stderr, a bar on a terminal, a line per tenth otherwise
            final Progress progress = Progress.forWork(System.err);
            for (long step = 0; step < steps; step++) {
                final long base = T0 + step * stepMicros;
                if (base >= nextMinute) {
                    h.flushClosed(base);
                    h.retentionPass(base);
                    nextMinute += 60 * S;
                }
                for (int a = 0; a < agents; a++) {
                    workload.next(own[a], x, random);
                    final long ts = base + (long)a * stepMicros / agents;
                    h.append(records[a], ts, x, true, 3 + random.nextDouble() * 10);
                    observations++;
                }
                if (step % 360 == 359) { // every simulated hour
                    progress.update((double)(step + 1) / steps, String.format("bench storage: day %.1f of %d written, %,.0f observations/s",
                        (double)(step + 1) * stepMicros / DAY, days, observations / ((System.nanoTime() - t0) / 1e9)));
                }
            }
            progress.done(String.format("bench storage: %d days written, %,d observations", days, observations));
            final long now = T0 + steps * stepMicros;
            h.flushClosed(now);
            while (h.retentionPass(now) > 0) {
                // finish what the last minute's pass left
            }
            final double writeSeconds = (System.nanoTime() - t0) / 1e9;

            final Map<String, Long> disk = stores.bytesOnDisk();
            final Map<String, Object> byTier = new LinkedHashMap<>();
            long total = 0;
            for (final String name : new String[]{HistoryStores.AGENTS, HistoryStores.RAW, Tier.MINUTE.label(), Tier.HOUR.label(), Tier.DAY.label()}) {
                byTier.put(name.equals(HistoryStores.AGENTS) ? "state" : name, disk.get(name));
            }
            for (final long b : disk.values()) {
                total += b;
            }
            final KeyValueStore raw = stores.store(HistoryStores.RAW);
            final long rawObservations = countRawObservations(raw, d);
            final double rawBytesPerObservation = (double)disk.get(HistoryStores.RAW) / Math.max(1, rawObservations);
            // Keeping every raw observation of 30 days as received: each in the uncompressed layout
            // (RawBlock.entryLength: offset, flags, d2, cusum, the values at f64), in one-minute blocks
            // each with its key, header and checksum, and nothing for a store's own overhead. A fixed
            // yardstick: it does not shrink when the raw store compresses, as a ratio to the raw
            // store's own bytes per observation would.
            final long observations30 = agents * (30 * DAY / stepMicros);
            final long blocks30 = agents * (30 * DAY / (60 * S));
            final long raw30 = observations30 * RawBlock.entryLength(d) + blocks30 * (16 + RawBlock.HEADER + 4);

            // queries: 30 days (the tier that covers it, default step) and the last 24 h from raw
            final double[] q30 = new double[queries];
            final double[] q24 = new double[queries];
            String tier30 = null;
            String tier24 = null;
            long points30 = 0;
            for (int warm = 0; warm < Math.min(queries, 50); warm++) {
                h.series(records[random.nextInt(agents)].id(), now - 30 * DAY, now, 0, now);
                h.series(records[random.nextInt(agents)].id(), now - DAY, now, 0, now);
            }
            for (int q = 0; q < queries; q++) {
                final String id = records[random.nextInt(agents)].id();
                long s0 = System.nanoTime();
                final Series month = h.series(id, now - 30 * DAY, now, 0, now);
                q30[q] = (System.nanoTime() - s0) / 1e6;
                s0 = System.nanoTime();
                final Series day = h.series(id, now - DAY, now, 0, now);
                q24[q] = (System.nanoTime() - s0) / 1e6;
                tier30 = month.tier();
                tier24 = day.tier();
                points30 = month.points().size();
            }
            out.put("agents", agents);
            out.put("days", days);
            out.put("values", workload.name().toLowerCase(java.util.Locale.ROOT));
            out.put("observations", observations);
            out.put("features", d);
            out.put("write_seconds", round(writeSeconds, 1));
            out.put("observations_per_second", Math.round(observations / writeSeconds));
            out.put("bytes_total", total);
            out.put("bytes_by_tier", byTier);
            out.put("bytes_by_store", disk);
            out.put("entries", Map.of("raw_blocks", raw.size(), "raw_observations", rawObservations,
                "minute", stores.store(Tier.MINUTE.label()).size(), "hour", stores.store(Tier.HOUR.label()).size(),
                "day", stores.store(Tier.DAY.label()).size()));
            final Map<String, Object> payload = new LinkedHashMap<>();
            for (final String name : new String[]{HistoryStores.RAW, Tier.MINUTE.label(), Tier.HOUR.label(), Tier.DAY.label()}) {
                payload.put(name, payloadBytes(stores.store(name)));
            }
            out.put("payload_bytes_by_tier", payload);
            out.put("payload_bytes_are", "keys and values as encoded, without checksums or the store's own layout: what the "
                + "encoding takes, beside what the files take");
            out.put("raw_bytes_per_observation", round(rawBytesPerObservation, 1));
            out.put("raw_30d_bytes", raw30);
            out.put("raw_30d_bytes_are", "every observation of 30 days uncompressed (" + RawBlock.entryLength(d)
                + " bytes each) in one-minute blocks with a 16-byte key, header and checksum; no store overhead");
            out.put("ratio_to_raw", round((double)total / raw30, 4));
            out.put("query_30d_tier", tier30);
            out.put("query_30d_points", points30);
            out.put("query_30d_p50_ms", round(percentile(q30, 0.50), 3));
            out.put("query_30d_p99_ms", round(percentile(q30, 0.99), 3));
            out.put("query_24h_raw_tier", tier24);
            out.put("query_24h_raw_p50_ms", round(percentile(q24, 0.50), 3));
            out.put("query_24h_raw_p99_ms", round(percentile(q24, 0.99), 3));
            out.put("queries", queries);
            out.put("dir", dir.toString());
        } finally {
            if (dirArg == null) {
                deleteTree(dir);
            }
        }
        return out;
    }

    private static long countRawObservations(final KeyValueStore raw, final int d) {
        final long[] n = new long[1];
        raw.forEach((k, v) -> n[0] += RawBlock.count(v, d), k -> { });
        return n[0];
    }

    private static long payloadBytes(final KeyValueStore store) {
        final long[] n = new long[1];
        store.forEach((k, v) -> n[0] += k.length + v.length, k -> { });
        return n[0];
    }

    /** Put then get of every agent's stored state (304 bytes), in a store sized for them. */
    static Map<String, Object> agentState(final int agents, final Path dirArg) throws IOException {
        final Path dir = dirArg != null ? dirArg : Files.createTempDirectory("vigil-bench-state");
        final Map<String, Object> out = new LinkedHashMap<>();
        final int d = FeatureSchema.agentDefault().size();
        final HistoryConfig config = HistoryConfig.defaults().withExpectedAgents(agents);
        try {
            final long open0 = System.nanoTime();
            final byte[][] keys = new byte[agents][];
            final byte[][] values = new byte[agents][];
            for (int a = 0; a < agents; a++) {
                final AgentRecord r = new AgentRecord(String.format("agent-%07d", a), "worker", AgentStatus.NORMAL, a, a, 0, T0, -1, -1);
                keys[a] = java.nio.ByteBuffer.allocate(8).putLong(AgentHistory.agentKey(r.id())).array();
                values[a] = new StoredAgent(r, new long[]{1, 2, 3, 4}, T0, -1).encode();
            }
            // only the agent-state store, sized as the daemon sizes it (the others are sized for a day
            // of raw blocks and a week of minutes per agent: not what this measures)
            final java.util.List<dev.vigil.storage.StoreSpec> specs = HistoryStores.specs(config, d).stream()
                .filter(spec -> spec.name().equals(HistoryStores.AGENTS)).toList();
            try (dev.vigil.storage.StoreDirectory stores = dev.vigil.storage.StoreDirectory.open(dir.resolve("stores"), "bench features=" + d, specs)) {
                final double openSeconds = (System.nanoTime() - open0) / 1e9;
                final KeyValueStore s = stores.store(HistoryStores.AGENTS);
                // the first round lays out the entries, later ones overwrite them as the daemon does; the
                // last of five is measured (the first ones also warm the JIT)
                double putSeconds = 0;
                for (int round = 0; round < ROUNDS; round++) {
                    final long p0 = System.nanoTime();
                    for (int a = 0; a < agents; a++) {
                        s.put(keys[a], values[a]);
                    }
                    putSeconds = (System.nanoTime() - p0) / 1e9;
                }
                long bytes = 0;
                double getSeconds = 0;
                for (int round = 0; round < ROUNDS; round++) {
                    bytes = 0;
                    final long g0 = System.nanoTime();
                    for (int a = 0; a < agents; a++) {
                        bytes += s.get(keys[(int)((a * 7_919L) % agents)]).length;
                    }
                    getSeconds = (System.nanoTime() - g0) / 1e9;
                }
                out.put("agents", agents);
                out.put("value_bytes", StoredAgent.LENGTH);
                out.put("open_seconds", round(openSeconds, 2));
                out.put("put_per_second", Math.round(agents / putSeconds));
                out.put("get_per_second", Math.round(agents / getSeconds));
                out.put("bytes_read", bytes);
                out.put("state_file_bytes_on_disk", stores.bytesOnDisk().get(HistoryStores.AGENTS));
                out.put("state_file_length", Files.size(dir.resolve("stores").resolve(HistoryStores.AGENTS + ".cm3")));
            }
        } finally {
            if (dirArg == null) {
                deleteTree(dir);
            }
        }
        return out;
    }

    /** The stores' schema tag in the restart bench (the feature count follows). */
    static final String RESTART_SCHEMA = "bench features=";

    /**
     * The restart bench's tiers: shortened to what up to 3 h of history needs (raw 3 h, minutes a
     * day, hours a week, days a month) and sized for one observation a minute, since Chronicle Map
     * reserves disk for the sized capacity and the default tiers for 100,000 agents would need
     * ~300 GB. What a restart reads back per agent is the same.
     */
    static HistoryConfig restartHistory(final int agents) {
        final long hour = HistoryConfig.HOUR_MICROS;
        return new HistoryConfig(3 * hour, 24 * hour, 7 * 24 * hour, 30 * 24 * hour, agents, 600, 1, 20_000, 0, 30_000_000L,
            HistoryConfig.MINUTE_PRECISION_BITS_DEFAULT);
    }

    /** The detector's window cut to match {@link #restartHistory} (2 h, lag 10 min). */
    static DetectionConfig restartDetection(final int agents) {
        return new DetectionConfig(60, 120, 10, 20, 1.5, 4.0, Double.NEGATIVE_INFINITY, 20.0, 60.0, 0.01, 0.999, agents, 300);
    }

    /**
     * A node with N agents that each reported {@code hours} hours (one observation a minute, so
     * the raw blocks are realistic in number), written by a child JVM ({@link RestartWriter}) that
     * is killed with SIGKILL while it goes on writing; then, in this JVM: time to open the stores
     * (with Chronicle Map's recovery), to serving (every agent's state read back, as the daemon
     * does before it binds its sockets), and to every baseline rebuilt from raw blocks; and the
     * same after a clean stop, which needs no recovery.
     */
    static Map<String, Object> restart(final int agents, final int hours, final Path dirArg) throws IOException, InterruptedException {
        if (hours < 1 || hours > 3) {
            throw new IllegalArgumentException("--hours must be 1 to 3 (the bench's raw tier keeps 3 h)");
        }
        final Path dir = dirArg != null ? dirArg : Files.createTempDirectory("vigil-bench-restart");
        final FeatureSchema schema = FeatureSchema.agentDefault();
        final int d = schema.size();
        final HistoryConfig config = restartHistory(agents);
        final DetectionConfig detection = restartDetection(agents);
        final Path storesDir = dir.resolve("stores");
        final Map<String, Object> out = new LinkedHashMap<>();
        try {
            final Killed killed = writeAndKill(storesDir, agents, hours);
            out.put("agents", agents);
            out.put("observations_per_agent", hours * 60);
            out.put("tiers", "raw 3 h, minute 1 d, hour 7 d, day 30 d; detector window 2 h");
            out.put("write_seconds", round(killed.writeSeconds(), 1));
            out.put("killed", "SIGKILL of the writing JVM (exit status " + killed.exitStatus()
                + ") in the minute after the history, half of its agents written");

            final long r0 = System.nanoTime();
            try (HistoryStores stores = HistoryStores.open(storesDir, RESTART_SCHEMA + d, config, d)) {
                final double openSeconds = (System.nanoTime() - r0) / 1e9;
                final AgentHistory h = stores.history(config, d);
                final Detector detector = new Detector(schema, detection);
                final List<StoredAgent> loaded = h.load();
                detector.restore(loaded.stream().map(StoredAgent::record).toList());
                detector.setJournal(new HistoryJournal(h));
                final double servingSeconds = (System.nanoTime() - r0) / 1e9;
                while (detector.restorePending(1_000) > 0) {
                    // the daemon does this for up to 200 ms a second on its timer, between other work
                }
                final double rebuiltSeconds = (System.nanoTime() - r0) / 1e9;
                out.put("recovered", stores.recovered());
                out.put("open_seconds", round(openSeconds, 2));
                out.put("serving_seconds", round(servingSeconds, 2));
                out.put("baselines_rebuilt_seconds", round(rebuiltSeconds, 2));
                out.put("agents_restored", detector.agentCount());
                // half the agents or more, not all, with an observation of the minute the kill fell in
                out.put("agents_with_the_minute_killed_in", loaded.stream().filter(a -> a.record().observations() > hours * 60L).count());
                out.put("window_observations", detector.windowStatistics().count());
                h.flushAll();
            }
            // and after a clean stop (the marker written): no recovery scan
            final long c0 = System.nanoTime();
            try (HistoryStores stores = HistoryStores.open(storesDir, RESTART_SCHEMA + d, config, d)) {
                final double openSeconds = (System.nanoTime() - c0) / 1e9;
                final AgentHistory h = stores.history(config, d);
                final Detector detector = new Detector(schema, detection);
                detector.restore(h.load().stream().map(StoredAgent::record).toList());
                out.put("clean_recovered", stores.recovered());
                out.put("clean_open_seconds", round(openSeconds, 2));
                out.put("clean_serving_seconds", round((System.nanoTime() - c0) / 1e9, 2));
            }
        } finally {
            if (dirArg == null) {
                deleteTree(dir);
            }
        }
        return out;
    }

    /** How the writing JVM ended: its seconds of writing before the announcement, and its exit status. */
    private record Killed(double writeSeconds, int exitStatus) {
    }

    /**
     * Starts {@link RestartWriter} in a JVM of its own, with this JVM's options (the launcher's
     * flags and {@code VIGIL_JAVA_OPTS}) and class path, waits for it to say it has written the
     * history (and half of the next minute), and kills it with SIGKILL while it goes on writing.
     */
    private static Killed writeAndKill(final Path storesDir, final int agents, final int hours) throws IOException, InterruptedException {
        final List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), RestartWriter.class.getName(),
            storesDir.toString(), Integer.toString(agents), Integer.toString(hours)));
        final Process writer = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.US_ASCII))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith(RestartWriter.WRITTEN + " ")) {
                    // SIGKILL: no shutdown hook runs, no map is closed, segment locks stay held
                    writer.destroyForcibly();
                    final int status = writer.waitFor();
                    if (status != 128 + 9) {
                        throw new IOException("the writing JVM ended with status " + status + ", not by SIGKILL");
                    }
                    return new Killed(Double.parseDouble(line.substring(RestartWriter.WRITTEN.length() + 1)), status);
                }
            }
        } finally {
            writer.destroyForcibly();
        }
        throw new IOException("the writing JVM ended (status " + writer.waitFor() + ") before it had written the history");
    }

    private static double percentile(final double[] v, final double p) {
        if (v.length == 0) {
            return Double.NaN;
        }
        final double[] s = v.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int)Math.ceil(p * s.length) - 1)];
    }

    static double round(final double v, final int places) {
        final double f = Math.pow(10, places);
        return Math.round(v * f) / f;
    }

    static void deleteTree(final Path dir) throws IOException {
        dev.vigil.daemon.net.LocalDaemons.deleteTree(dir);
    }
}
