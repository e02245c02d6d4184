package dev.vigil.simnet.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vigil bench}: measurements that belong in benchmarks, not in the test suite. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks: 'frames' (JMH: encode+sign and verify+decode of a 600-byte frame), "
        + "'scoring' (JMH: update + score per observation at d = 10 and 16), "
        + "'combine' (JMH: exact summation per term against a naive double loop, and one evidence combination), "
        + "'kernels' (the accel kernels on java or an OpenCL device: exact sums, batch scoring, merges per second, 10^3..10^7), "
        + "'loopback' (signed frames per second between two daemons over TCP loopback), "
        + "'ingest' (observations/s through POST /v1/observations; spans/s through OTLP protobuf, decode + buffer and to stored), "
        + "'detection' (a synthetic fleet through the detector in process: precision, recall, false alarms), "
        + "'observers' (the same with the gateway tier: recall, delay and false alarms per mode and observer kind), "
        + "'storage' (tiered history on Chronicle Map files: bytes per tier, series query latency), "
        + "'agent-state' (put/get of the agent-state store), 'restart' (time to serving with N agents after kill -9 of the writing JVM), "
        + "'consensus-log' (appends/s and append latency of a replica's durable consensus log), "
        + "'consensus' (evidence records committed per second by committees of real daemons on loopback, commit latency, wire bytes per record).",
    subcommands = {BenchCommand.Frames.class, BenchCommand.Scoring.class, BenchCommand.Combine.class, BenchCommand.Kernels.class, BenchCommand.Loopback.class,
        BenchCommand.Ingest.class, BenchCommand.Detection.class, BenchCommand.ObserverBench.class, BenchCommand.Storage.class,
        BenchCommand.AgentState.class,
        BenchCommand.Restart.class, BenchCommand.ConsensusLogCommand.class, BenchCommand.Consensus.class})
public final class BenchCommand implements Runnable {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /**
     * {@code --json} on every bench: JSON on stdout is the only form they print, so it changes
     * nothing; every read command of vigil takes it, and scripts can pass it everywhere.
     */
    static final class JsonOutput {
        @Option(names = "--json", description = "JSON output (the only form; accepted as on every read command).")
        boolean json;
    }

    @Command(name = "frames", mixinStandardHelpOptions = true, description = "JMH benchmark of the frame path (one fork).")
    static final class Frames implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        JsonOutput output;

        @Option(names = "--iterations", defaultValue = "5", description = "Measurement iterations of 2 s (default: ${DEFAULT-VALUE}).")
        int iterations;

        @Override
        public Integer call() throws Exception {
            final FrameBenchmark probe = new FrameBenchmark();
            probe.setUp();
            final Map<String, Object> out = new LinkedHashMap<>();
            out.put("frame_bytes", probe.frameLength());
            out.putAll(jmh(FrameBenchmark.class, iterations, "ns_per_frame"));
            System.out.println(JSON.writeValueAsString(out));
            return 0;
        }
    }

    @Command(name = "scoring", mixinStandardHelpOptions = true,
        description = "JMH: ns per observation for update + score (kernel) and the detector's whole path (observe), d = 10 and 16.")
    static final class Scoring implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        JsonOutput output;

        @Option(names = "--iterations", defaultValue = "5", description = "Measurement iterations of 2 s (default: ${DEFAULT-VALUE}).")
        int iterations;

        @Override
        public Integer call() throws Exception {
            System.out.println(JSON.writeValueAsString(jmh(ScoringBenchmark.class, iterations, "ns_per_observation")));
            return 0;
        }
    }

    @Command(name = "combine", mixinStandardHelpOptions = true,
        description = {"JMH: ns per term of ExactSum (reset, bulk add, rounded readout; and one term at a time) against a",
            "naive double loop, at 10^3..10^7 terms of log-likelihood-ratio size (llr) and of any finite size (wide);",
            "ns per call of one combination of 7 observers."})
    static final class Combine implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        JsonOutput output;

        @Option(names = "--iterations", defaultValue = "5", description = "Measurement iterations of 2 s (default: ${DEFAULT-VALUE}).")
        int iterations;

        @Option(names = "--terms", split = ",", description = "Only these term counts (default: 1000,10000,100000,1000000,10000000).")
        List<String> terms;

        @Option(names = "--spread", split = ",", description = "Only these spreads: llr, wide (default: both).")
        List<String> spread;

        @Override
        public Integer call() throws Exception {
            final Map<String, String[]> params = new LinkedHashMap<>();
            if (terms != null) {
                params.put("terms", terms.toArray(String[]::new));
            }
            if (spread != null) {
                params.put("spread", spread.toArray(String[]::new));
            }
            final Map<String, Object> out = new LinkedHashMap<>();
            final Map<String, Double> naive = new LinkedHashMap<>();
            final Map<String, Map<String, Object>> exact = new LinkedHashMap<>();
            for (final RunResult r : runJmh(CombineBenchmark.class, iterations, params)) {
                final String method = r.getParams().getBenchmark().replaceAll(".*\\.", "");
                final Map<String, Object> m = new LinkedHashMap<>();
                if (method.equals("combine")) {
                    m.put("ns_per_call", Math.round(r.getPrimaryResult().getScore()));
                    m.put("error_ns_99_9", Math.round(r.getPrimaryResult().getScoreError()));
                    out.put(method, m);
                    continue;
                }
                final int n = Integer.parseInt(r.getParams().getParam("terms"));
                final String key = "terms=" + n + " spread=" + r.getParams().getParam("spread");
                final double perTerm = r.getPrimaryResult().getScore() / n;
                m.put("ns_per_term", Math.round(perTerm * 1000) / 1000.0);
                m.put("error_ns_per_term_99_9", Math.round(r.getPrimaryResult().getScoreError() / n * 1000) / 1000.0);
                out.put(method + " " + key, m);
                if (method.equals("naiveSum")) {
                    naive.put(key, perTerm);
                } else if (method.equals("exactSum")) {
                    exact.put(key, m);
                }
            }
            exact.forEach((key, m) -> {
                if (naive.containsKey(key)) {
                    final double ratio = ((Number) m.get("ns_per_term")).doubleValue() / naive.get(key);
                    m.put("over_naive", Math.round(ratio * 100) / 100.0);
                }
            });
            System.out.println(JSON.writeValueAsString(out));
            return 0;
        }
    }

    @Command(name = "kernels", mixinStandardHelpOptions = true,
        description = {"The accel kernels on one backend: increments accumulated exactly, observations scored (squared",
            "Mahalanobis) and statistics merged per second at each batch size, the share of device time spent in",
            "transfers, and (opencl) Java at the same sizes, the batch from which the device wins, and whether its",
            "exact sums are Java's bits. Inputs at 10^7 take about 2 GB of heap at the default dimension."})
    static final class Kernels implements Callable<Integer> {
        @Option(names = "--backend", defaultValue = "java", description = "java or opencl (default: ${DEFAULT-VALUE}).")
        String backend;

        @Option(names = "--device", defaultValue = "", description = "OpenCL device: index or name substring (default: the first with fp64).")
        String device;

        @Option(names = "--sizes", split = ",", defaultValue = "1000,10000,100000,1000000,10000000",
            description = "Batch sizes (default: ${DEFAULT-VALUE}).")
        List<Integer> sizes;

        @Option(names = "--runs", defaultValue = "5", description = "Timed runs per figure after one warm-up; the best counts (default: ${DEFAULT-VALUE}).")
        int runs;

        @Option(names = "--dimension", defaultValue = "4", description = "Features per observation for scoring and merges (default: ${DEFAULT-VALUE}).")
        int dimension;

        @Option(names = "--parts-per-group", defaultValue = "8", description = "Statistics merged into each result (default: ${DEFAULT-VALUE}).")
        int partsPerGroup;

        @picocli.CommandLine.Mixin
        JsonOutput output;

        @Override
        public Integer call() throws Exception {
            System.out.println(JSON.writeValueAsString(KernelsBench.run(
                new KernelsBench.Params(backend, device, sizes, Math.max(1, runs), dimension, Math.max(1, partsPerGroup)))));
            return 0;
        }
    }

    /** Runs one JMH class in one fork with this JVM's flags (the launcher's --add-opens and friends). */
    static Map<String, Object> jmh(final Class<?> benchmark, final int iterations, final String unit) throws Exception {
        final Map<String, Object> out = new LinkedHashMap<>();
        for (final RunResult r : runJmh(benchmark, iterations, Map.of())) {
            String name = r.getParams().getBenchmark().replaceAll(".*\\.", "");
            for (final String key : r.getParams().getParamsKeys()) {
                name += " " + key + "=" + r.getParams().getParam(key);
            }
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put(unit, Math.round(r.getPrimaryResult().getScore()));
            m.put("error_ns_99_9", Math.round(r.getPrimaryResult().getScoreError()));
            out.put(name, m);
        }
        return out;
    }

    /** One fork, 3 warm-up iterations of 1 s, then {@code iterations} of 2 s; params override the @Param lists. */
    static java.util.Collection<RunResult> runJmh(final Class<?> benchmark, final int iterations,
                                                  final Map<String, String[]> params) throws Exception {
        final List<String> jvmArgs = ManagementFactory.getRuntimeMXBean().getInputArguments();
        final org.openjdk.jmh.runner.options.ChainedOptionsBuilder builder = new OptionsBuilder()
            .include(benchmark.getName())
            .forks(1)
            .warmupIterations(3).warmupTime(TimeValue.seconds(1))
            .measurementIterations(iterations).measurementTime(TimeValue.seconds(2))
            .jvmArgs(jvmArgs.toArray(String[]::new));
        params.forEach(builder::param);
        return new Runner(builder.build()).run();
    }

    @Command(name = "loopback", mixinStandardHelpOptions = true,
        description = "Two daemons on 127.0.0.1; one probes the other as fast as it keeps up. Signatures on.")
    static final class Loopback implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        JsonOutput output;

        @Option(names = "--seconds", defaultValue = "10", description = "Measurement time (default: ${DEFAULT-VALUE}).")
        double seconds;

        @Override
        public Integer call() throws Exception {
            System.out.println(JSON.writeValueAsString(LoopbackBench.run(seconds)));
            return 0;
        }
    }

    @Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "One daemon on loopback: JSON observation batches of 1,000 rows, then OTLP protobuf requests of 1,000 spans.")
    static final class Ingest implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        JsonOutput output;

        @Option(names = "--requests", defaultValue = "200", description = "Requests per path, a tenth of them warm-up (default: ${DEFAULT-VALUE}).")
        int requests;

        @Override
        public Integer call() throws Exception {
            System.out.println(JSON.writeValueAsString(IngestBench.run(Math.max(10, requests))));
            return 0;
        }
    }

    @Command(name = "detection", mixinStandardHelpOptions = true,
        description = {"A synthetic fleet straight into the detector (no HTTP): precision, recall, delays, false alarms",
            "and observations per second. With --compromised 0 --hours 168 it measures the false-alarm rate",
            "of clean agents over a simulated week at the default thresholds."})
    static final class Detection implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        JsonOutput output;

        @Option(names = "--agents", defaultValue = "200", description = "Agents (default: ${DEFAULT-VALUE}).")
        int agents;

        @Option(names = "--compromised", defaultValue = "0.05", description = "Share of agents compromised (default: ${DEFAULT-VALUE}).")
        double compromised;

        @Option(names = "--hours", defaultValue = "4", description = "Simulated hours (default: ${DEFAULT-VALUE}).")
        double hours;

        @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public Integer call() throws Exception {
            final dev.vigil.simnet.fleet.FleetParams d = dev.vigil.simnet.fleet.FleetParams.defaults(seed);
            final dev.vigil.simnet.fleet.FleetParams params = new dev.vigil.simnet.fleet.FleetParams(seed, agents, compromised,
                d.windowSeconds(), d.startEpochMicros(), Math.round(hours * 3600), d.compromiseEarliestSeconds());
            final long t0 = System.nanoTime();
            final dev.vigil.simnet.demo.InProcessDetection.Result r =
                dev.vigil.simnet.demo.InProcessDetection.run(params, dev.vigil.daemon.detect.DetectionConfig.defaults());
            final double wallS = (System.nanoTime() - t0) / 1e9;
            final Map<String, Object> out = new LinkedHashMap<>(r.score());
            out.put("hours", hours);
            out.put("observations", r.observations());
            final int clean = agents - (int)out.get("compromised");
            final long cleanFalseAlarms = ((java.util.List<?>)out.get("false_alarm_agents")).stream()
                .filter(x -> !String.valueOf(x).contains("before its compromise")).count();
            out.put("false_alarms_per_clean_agent_day", clean == 0 ? null
                : Math.round(1e6 * cleanFalseAlarms / (clean * hours / 24.0)) / 1e6);
            out.put("observations_per_wall_s", Math.round(r.observations() / wallS));
            out.put("wall_s", Math.round(wallS * 1000) / 1000.0);
            System.out.println(JSON.writeValueAsString(out));
            return 0;
        }
    }

    @Command(name = "observers", mixinStandardHelpOptions = true,
        description = {"A synthetic fleet and its gateway tier straight into detectors, one per home node and one per",
            "gateway host (LLM gateway, tool server, egress proxy): recall and delay of each observer's local alarms",
            "per compromise mode and observer kind, and false alarms per clean agent-day, pooled over the seeds."})
    static final class ObserverBench implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        JsonOutput output;

        @Option(names = "--agents", defaultValue = "200", description = "Agents (default: ${DEFAULT-VALUE}).")
        int agents;

        @Option(names = "--compromised", defaultValue = "0.2", description = "Share of agents compromised (default: ${DEFAULT-VALUE}).")
        double compromised;

        @Option(names = "--hours", defaultValue = "24", description = "Simulated hours from 00:00 UTC (default: ${DEFAULT-VALUE}).")
        double hours;

        @Option(names = "--earliest-hours", defaultValue = "2",
            description = "No compromise before this many hours, so baselines are warm (default: ${DEFAULT-VALUE}).")
        double earliestHours;

        @Option(names = "--seeds", defaultValue = "1,2,3", split = ",", description = "Seeds (default: ${DEFAULT-VALUE}).")
        long[] seeds;

        @Option(names = "--nodes", defaultValue = "5", description = "Home nodes the agents are spread over (default: ${DEFAULT-VALUE}).")
        int nodes;

        @Option(names = "--observers", defaultValue = "2", description = "Gateway hosts per agent (default: ${DEFAULT-VALUE}).")
        int observers;

        @Option(names = "--gateways-per-kind", defaultValue = "4", description = "Gateway hosts of each kind (default: ${DEFAULT-VALUE}).")
        int gatewaysPerKind;

        @Override
        public Integer call() throws Exception {
            final dev.vigil.simnet.demo.ObserverScore score = new dev.vigil.simnet.demo.ObserverScore();
            final java.util.List<Map<String, Object>> runs = new java.util.ArrayList<>();
            for (final long seed : seeds) {
                final dev.vigil.simnet.fleet.FleetParams params = new dev.vigil.simnet.fleet.FleetParams(seed, agents, compromised,
                    10, dev.vigil.simnet.fleet.FleetParams.defaults(seed).startEpochMicros(), Math.round(hours * 3600),
                    Math.round(earliestHours * 3600), observers, gatewaysPerKind);
                final long t0 = System.nanoTime();
                final dev.vigil.simnet.demo.ObserverDetection.Result r =
                    dev.vigil.simnet.demo.ObserverDetection.run(params, dev.vigil.daemon.detect.DetectionConfig.defaults(), nodes);
                final double wallS = (System.nanoTime() - t0) / 1e9;
                score.add(r);
                final Map<String, Object> run = new LinkedHashMap<>();
                run.put("seed", seed);
                run.put("observations", r.observations());
                run.put("wall_s", Math.round(wallS * 1000) / 1000.0);
                runs.add(run);
            }
            final Map<String, Object> out = new LinkedHashMap<>();
            out.put("agents", agents);
            out.put("compromised", compromised);
            out.put("hours", hours);
            out.put("compromise_earliest_hours", earliestHours);
            out.put("nodes", nodes);
            out.put("observers_per_agent", observers);
            out.put("gateways_per_kind", gatewaysPerKind);
            out.put("detection_by_mode", score.detection());
            out.put("false_alarms", score.falseAlarms());
            out.put("runs", runs);
            System.out.println(JSON.writeValueAsString(out));
            return 0;
        }
    }

    @Command(name = "storage", mixinStandardHelpOptions = true,
        description = {"Agents reporting every 10 s for N simulated days through the history write path, with retention",
            "and rollup flushes every simulated minute; then bytes on disk per tier vs keeping all raw observations,",
            "and p50/p99 of 30-day series queries and 24-hour raw queries for one agent."})
    static final class Storage implements Callable<Integer> {
        @Option(names = "--agents", defaultValue = "1000", description = "Agents (default: ${DEFAULT-VALUE}).")
        int agents;

        @Option(names = "--days", defaultValue = "30", description = "Simulated days (default: ${DEFAULT-VALUE}).")
        int days;

        @Option(names = "--queries", defaultValue = "200", description = "Queries of each kind (default: ${DEFAULT-VALUE}).")
        int queries;

        @Option(names = "--dir", description = "Keep the stores here (default: a temporary directory, deleted).")
        java.nio.file.Path dir;

        @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--values", defaultValue = "telemetry", converter = WorkloadConverter.class,
            description = "What the agents report: telemetry (each feature as the OTLP ingest computes it from a window of "
                + "spans: counts, ratios of counts, mean latency) or random (every value with 52 random mantissa bits, the worst "
                + "case for the raw tier) (default: ${DEFAULT-VALUE}).")
        StorageWorkload values;

        @picocli.CommandLine.Mixin
        JsonOutput output;

        @Override
        public Integer call() throws Exception {
            System.out.println(JSON.writeValueAsString(StorageBench.tiers(agents, days, queries, dir, seed, values)));
            return 0;
        }
    }

    /** {@code --values telemetry|random}, in lower case. */
    static final class WorkloadConverter implements picocli.CommandLine.ITypeConverter<StorageWorkload> {
        @Override
        public StorageWorkload convert(final String value) {
            for (final StorageWorkload w : StorageWorkload.values()) {
                if (w.name().equalsIgnoreCase(value)) {
                    return w;
                }
            }
            throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not telemetry or random");
        }
    }

    @Command(name = "agent-state", mixinStandardHelpOptions = true,
        description = "Put and get throughput of the agent-state store (304-byte entries) sized for N agents, and its file size.")
    static final class AgentState implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        JsonOutput output;

        @Option(names = "--agents", defaultValue = "100000", description = "Agents (default: ${DEFAULT-VALUE}).")
        int agents;

        @Option(names = "--dir", description = "Keep the stores here (default: a temporary directory, deleted).")
        java.nio.file.Path dir;

        @Override
        public Integer call() throws Exception {
            System.out.println(JSON.writeValueAsString(StorageBench.agentState(agents, dir)));
            return 0;
        }
    }

    @Command(name = "consensus-log", mixinStandardHelpOptions = true,
        description = {"One replica's durable consensus log in a Chronicle Map file sized as the daemon sizes it: per sequence number",
            "the accepted pre-prepare, prepared certificate and committed batch, every 64 a checkpoint, a stable one and the",
            "truncation. Appends per second and the latency of each append (the replica sends only after it returns)."})
    static final class ConsensusLogCommand implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        JsonOutput output;

        @Option(names = "--seqs", defaultValue = "50000", description = "Sequence numbers, a tenth of them warm-up (default: ${DEFAULT-VALUE}).")
        int seqs;

        @Option(names = "--requests", defaultValue = "8", description = "Requests per batch (default: ${DEFAULT-VALUE}).")
        int requests;

        @Option(names = "--payload-bytes", defaultValue = "200", description = "Bytes of each request's payload (default: ${DEFAULT-VALUE}).")
        int payloadBytes;

        @Option(names = "--snapshot-bytes", defaultValue = "4096", description = "Bytes of each checkpoint's snapshot (default: ${DEFAULT-VALUE}).")
        int snapshotBytes;

        @Option(names = "--dir", description = "Keep the store here (default: a temporary directory, deleted).")
        java.nio.file.Path dir;

        @Override
        public Integer call() throws Exception {
            System.out.println(JSON.writeValueAsString(ConsensusLogBench.run(seqs, requests, payloadBytes, snapshotBytes, dir)));
            return 0;
        }
    }

    @Command(name = "restart", mixinStandardHelpOptions = true,
        description = {"A node's stores with N agents, written by a child JVM killed with SIGKILL while writing, opened again",
            "in this one: time to open (Chronicle Map recovery), to serving, to every baseline rebuilt; then after a clean stop."})
    static final class Restart implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        JsonOutput output;

        @Option(names = "--agents", defaultValue = "100000", description = "Agents (default: ${DEFAULT-VALUE}).")
        int agents;

        @Option(names = "--hours", defaultValue = "2", description = "Hours of history per agent, one observation a minute (default: ${DEFAULT-VALUE}).")
        int hours;

        @Option(names = "--dir", description = "Keep the stores here (default: a temporary directory, deleted).")
        java.nio.file.Path dir;

        @Override
        public Integer call() throws Exception {
            System.out.println(JSON.writeValueAsString(StorageBench.restart(agents, hours, dir)));
            return 0;
        }
    }

    @Command(name = "consensus", mixinStandardHelpOptions = true,
        description = {"N daemons on 127.0.0.1 (real Ed25519, Netty) whose committee directory is exactly them, so every shard's",
            "committee is all of them; each also observes, its shard outboxes kept full of synthetic evidence records.",
            "After a warm-up: records committed per second, commit latency p50/p99 (first send to f + 1 acknowledgements),",
            "bytes of consensus frames sent per record, the machine's load average."})
    static final class Consensus implements Callable<Integer> {
        @Option(names = "--replicas", defaultValue = "4", description = "Daemons and committee members: 4 (f = 1), 7 (f = 2) (default: ${DEFAULT-VALUE}).")
        int replicas;

        @Option(names = "--seconds", defaultValue = "20", description = "Measurement time (default: ${DEFAULT-VALUE}).")
        double seconds;

        @Option(names = "--warmup", defaultValue = "5", description = "Seconds of load before measuring (default: ${DEFAULT-VALUE}).")
        double warmup;

        @Option(names = "--shards", defaultValue = "64", description = "Shards, each with its committee (default: ${DEFAULT-VALUE}).")
        int shards;

        @Option(names = "--agents-per-shard", defaultValue = "4", description = "Synthetic agents per shard (default: ${DEFAULT-VALUE}).")
        int agentsPerShard;

        @Option(names = "--rate", defaultValue = "0",
            description = "Records per second offered over all observers; 0: as fast as the outboxes take them (default: ${DEFAULT-VALUE}).")
        double rate;

        @Option(names = "--observers", description = "How many of the replicas also observe, i.e. send evidence (default: all).")
        Integer observers;

        @picocli.CommandLine.Mixin
        JsonOutput output;

        @Override
        public Integer call() throws Exception {
            System.out.println(JSON.writeValueAsString(ConsensusBench.run(
                new ConsensusBench.Params(replicas, seconds, warmup, shards, agentsPerShard, rate,
                    observers == null ? replicas : observers))));
            return 0;
        }
    }
}
