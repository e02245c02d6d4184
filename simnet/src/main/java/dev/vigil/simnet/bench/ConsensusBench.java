package dev.vigil.simnet.bench;

import dev.vigil.crypto.ClusterCa;
import dev.vigil.daemon.consensus.Committees;
import dev.vigil.daemon.core.FrameCounters;
import dev.vigil.daemon.net.Daemon;
import dev.vigil.daemon.net.LocalDaemons;
import dev.vigil.daemon.verdict.FleetVerdicts;
import dev.vigil.wire.MessageType;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Evidence consensus between real daemons on loopback: {@code replicas} daemons (4: f = 1, 7: f = 2)
 * whose committee directory lists exactly them, so that every shard's committee is all of them.
 * Every daemon is also an observer: a driver keeps each of its shard outboxes topped up with
 * synthetic evidence records (through {@link FleetVerdicts#offerEvidence}) about a few agents per
 * shard, so all committees work at once. From there on everything is the daemon's own path: the
 * outbox packs up to 256 records into one request signed by the observer (one request in flight
 * per shard per observer), the request goes to every member, PBFT orders it (pre-prepare, prepare,
 * commit; checkpoints; persisted before sent), each replica applies it to its evidence state and
 * acknowledges, and the observer is done at f + 1 matching acknowledgements. Every frame is signed
 * (Ed25519) and verified.
 *
 * <p>Measured after a warm-up, over {@code seconds}: records applied by the committees (the sum over
 * all replicas' seats divided by the replicas, i.e. records committed once per committee), the
 * latency of each request from its first send to its f + 1-th acknowledgement (exact percentiles
 * over all requests of the window), and every byte of consensus frames all daemons sent per record
 * committed (requests, PBFT messages, acknowledgements, checkpoints; frame headers and the sender's
 * introduction included).
 */
public final class ConsensusBench {
    /** Records a driver keeps waiting per shard outbox: two full requests' worth, so each request leaves full. */
    static final int WAITING_TARGET = 2 * 256;
    /** Latency samples kept per daemon; a longer run keeps the first ones and counts the rest. */
    static final int SAMPLES_MAX = 1 << 20;
    /** Quiet time between the committees being active and the load. */
    static final long SETTLE_MS = 3_000;
    /** Each seat's durable log: a window of 128 sequence numbers of one full evidence request each, twice over. */
    static final int LOG_KIB_PER_REPLICA = 8192;
    /** How long the bench waits for a core to run one of its tasks (a saturated core's queue is long) before it gives up. */
    static final long CORE_ANSWER_S = 120;

    private ConsensusBench() {
    }

    /** Knobs of one run. */
    public record Params(int replicas, double seconds, double warmupSeconds, int shards, int agentsPerShard, double ratePerS, int observers) {
        public Params {
            if (replicas < 1 || replicas > 64) {
                throw new IllegalArgumentException("--replicas " + replicas + " outside [1, 64]");
            }
            if (!(seconds > 0) || !(warmupSeconds >= 0)) {
                throw new IllegalArgumentException("--seconds must be positive, --warmup not negative");
            }
            if (observers < 1 || observers > replicas) {
                throw new IllegalArgumentException("--observers " + observers + " outside [1, --replicas]");
            }
            if (shards < 1 || shards > Committees.SHARDS_MAX || agentsPerShard < 1 || agentsPerShard > 1024) {
                throw new IllegalArgumentException("--shards in [1, " + Committees.SHARDS_MAX + "], --agents-per-shard in [1, 1024]");
            }
        }

        int f() {
            return (replicas - 1) / 3;
        }
    }

    /** Per-request latencies of one observer, written on its core's thread and read through {@link Daemon#onVerdicts}. */
    private static final class Latencies implements FleetVerdicts.RequestListener {
        final long[] micros = new long[SAMPLES_MAX];
        int count;
        long records;
        long requests;
        long overflow;
        /** Set by the bench's thread, read on the core's: no task has to wait in a busy core's queue to start the window. */
        volatile boolean recording;

        @Override
        public void done(final int shard, final int recordCount, final long latencyMicros) {
            if (!recording) {
                return;
            }
            requests++;
            records += recordCount;
            if (count < micros.length) {
                micros[count++] = latencyMicros;
            } else {
                overflow++;
            }
        }
    }

    /** What the counters said at one moment, summed over the daemons. */
    private record Totals(long applied, long consensusBytesSent, long consensusFramesSent, long viewChanges, long nanos) {
    }

    public static Map<String, Object> run(final Params p) throws Exception {
        final Path dir = Files.createTempDirectory("vigil-bench-consensus-");
        final ClusterCa ca = LocalDaemons.newCa(dir);
        final String[] yaml = {
            "tree: {b: 8}",
            "verdicts: {directory_interval_ms: 1000, shards: " + p.shards() + ", f: " + p.f() + "}",
            "transport:", "  send_queue_frames_max: 65536",
            // the default (1 MiB per replica) holds a few dozen sequence numbers of full 15 KiB requests, not the
            // 128 of the window: a replica whose log is full stops, and two stopped stall a committee of four
            "storage:", "  expected_agents: " + LocalDaemons.LOCAL_EXPECTED_AGENTS, "  consensus_replicas: 128",
            "  consensus_log_kib_per_replica: " + LOG_KIB_PER_REPLICA};
        final List<Daemon> daemons = new ArrayList<>();
        try {
            final long setupNanos = System.nanoTime();
            daemons.add(LocalDaemons.start(dir, ca, "n0", null, false, yaml));
            final String bootstrap = "127.0.0.1:" + daemons.get(0).peerAddress().getPort();
            // the others start together: the root issues a directory only once the candidates held still for a
            // few intervals, so a fleet that assembles at once goes through fewer epochs
            final List<CompletableFuture<Daemon>> starting = new ArrayList<>();
            for (int i = 1; i < p.replicas(); i++) {
                final String name = "n" + i;
                starting.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return LocalDaemons.start(dir, ca, name, bootstrap, false, yaml);
                    } catch (final java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }));
            }
            for (final CompletableFuture<Daemon> d : starting) {
                daemons.add(d.get(120, TimeUnit.SECONDS));
            }
            awaitCommittees(daemons, p, 120);
            // let the tree and the failure detectors settle after the last epoch's state transfers before loading them
            Thread.sleep(SETTLE_MS);
            awaitCommittees(daemons, p, 60);
            final double setupS = (System.nanoTime() - setupNanos) / 1e9;
            final List<Latencies> latencies = new ArrayList<>();
            for (final Daemon d : daemons) {
                final Latencies l = new Latencies();
                latencies.add(l);
                d.onVerdicts(v -> {
                    v.onRequestDone(l);
                    return null;
                }).get(10, TimeUnit.SECONDS);
            }
            final Driver driver = new Driver(daemons.subList(0, p.observers()), agents(p.shards(), p.agentsPerShard()), p.ratePerS());
            driver.runFor(p.warmupSeconds());
            latencies.forEach(l -> l.recording = true);
            final Totals before = totals(daemons);
            driver.runFor(p.seconds());
            latencies.forEach(l -> l.recording = false);
            final Totals after = totals(daemons);
            final double loadAverage = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            long requests = 0;
            long recordsAcked = 0;
            long overflow = 0;
            final List<long[]> samples = new ArrayList<>();
            for (int i = 0; i < daemons.size(); i++) {
                final Latencies l = latencies.get(i);
                final long[] stats = daemons.get(i).onVerdicts(v -> {
                    samples.add(Arrays.copyOf(l.micros, l.count));
                    return new long[] {l.requests, l.records, l.overflow};
                }).get(CORE_ANSWER_S, TimeUnit.SECONDS);
                requests += stats[0];
                recordsAcked += stats[1];
                overflow += stats[2];
            }
            final long[] all = samples.stream().flatMapToLong(Arrays::stream).sorted().toArray();
            final double elapsedS = (after.nanos() - before.nanos()) / 1e9;
            final double committed = (double)(after.applied() - before.applied()) / p.replicas();
            final Map<String, Object> out = new LinkedHashMap<>();
            out.put("replicas", p.replicas());
            out.put("f", p.f());
            out.put("shards", p.shards());
            out.put("observers", p.observers());
            out.put("agents", p.shards() * p.agentsPerShard());
            out.put("duration_s", round(elapsedS, 3));
            out.put("records_committed", Math.round(committed));
            out.put("records_per_s", Math.round(committed / elapsedS));
            out.put("commit_latency_p50_ms", all.length == 0 ? null : round(percentile(all, 0.50) / 1000.0, 3));
            out.put("commit_latency_p99_ms", all.length == 0 ? null : round(percentile(all, 0.99) / 1000.0, 3));
            out.put("commit_latency_max_ms", all.length == 0 ? null : round(all[all.length - 1] / 1000.0, 3));
            out.put("wire_bytes_per_record", committed == 0 ? null : Math.round((after.consensusBytesSent() - before.consensusBytesSent()) / committed));
            out.put("consensus_frames_per_record", committed == 0 ? null
                : round((after.consensusFramesSent() - before.consensusFramesSent()) / committed, 4));
            out.put("requests", requests);
            out.put("records_per_request", requests == 0 ? null : round((double)recordsAcked / requests, 1));
            out.put("latency_samples_dropped", overflow);
            out.put("view_changes", after.viewChanges() - before.viewChanges());
            out.put("offered_rate_per_s", p.ratePerS() > 0 ? p.ratePerS() : "unlimited (outboxes kept full)");
            out.put("records_offered", driver.offered);
            out.put("records_not_offered_outboxes_full", driver.refusedFull);
            out.put("refusals", refusals(daemons));
            out.put("load_average", round(loadAverage, 2));
            out.put("cpus", Runtime.getRuntime().availableProcessors());
            out.put("setup_s", round(setupS, 1));
            out.put("warmup_s", p.warmupSeconds());
            return out;
        } finally {
            for (final Daemon d : daemons) {
                d.close();
            }
            LocalDaemons.deleteTree(dir);
        }
    }

    /**
     * Keeps every shard outbox of every daemon topped up to {@link #WAITING_TARGET} records: one
     * task per daemon on its core thread each round (all daemons at once), then a short pause.
     * Per agent and observer the records are one excursion whose increments alternate +0.5 / -0.5,
     * so that the committee's sums stay near 0 and no agent is ever convicted (no verdict signing
     * mixes into the measurement).
     */
    private static final class Driver {
        private final List<Daemon> daemons;
        private final List<List<String>> agentsByShard;
        private final double ratePerS;
        private final int[] cursor;
        long offered;
        /** Records the rate allowed that found their outbox already full (the committees did not keep up). */
        long refusedFull;

        Driver(final List<Daemon> daemons, final List<List<String>> agentsByShard, final double ratePerS) {
            this.daemons = daemons;
            this.agentsByShard = agentsByShard;
            this.ratePerS = ratePerS;
            this.cursor = new int[daemons.size()];
        }

        void runFor(final double seconds) throws Exception {
            final long start = System.nanoTime();
            final long end = start + (long)(seconds * 1e9);
            final long offeredBefore = offered;
            while (System.nanoTime() < end) {
                long budget = Long.MAX_VALUE;
                if (ratePerS > 0) {
                    // open loop: what the rate allows since the start less what went (a round offers whole pairs per
                    // agent, so it may go a little over; the next rounds make up for it), at most a tenth of a second's worth
                    final long due = (long)(ratePerS * (System.nanoTime() - start) / 1e9);
                    budget = Math.min(due - (offered - offeredBefore), (long)(ratePerS / 10) + 1);
                    if (budget <= 0) {
                        Thread.sleep(1);
                        continue;
                    }
                }
                final long perDaemon = budget == Long.MAX_VALUE ? Long.MAX_VALUE : budget / daemons.size();
                final List<CompletableFuture<long[]>> rounds = new ArrayList<>();
                for (int i = 0; i < daemons.size(); i++) {
                    final int d = i;
                    rounds.add(daemons.get(i).onVerdicts(v -> topUp(v, d, perDaemon)));
                }
                for (final CompletableFuture<long[]> r : rounds) {
                    final long[] n = r.get(CORE_ANSWER_S, TimeUnit.SECONDS);
                    offered += n[0];
                    refusedFull += n[1];
                }
                Thread.sleep(2);
            }
        }

        /**
         * On daemon {@code d}'s core thread: up to {@code budget} records into its shard outboxes, a
         * pair (+0.5, -0.5) per agent at a time, shards round robin, none above {@link #WAITING_TARGET}.
         *
         * @return records offered, and records of the budget left because every outbox was full
         */
        private long[] topUp(final FleetVerdicts v, final int d, final long budget) {
            final double[][] pair = {{0.5}, {-0.5}};
            final int shards = agentsByShard.size();
            long n = 0;
            int fullInARow = 0;
            while (n < budget && fullInARow < shards) {
                final int shard = cursor[d];
                cursor[d] = (shard + 1) % shards;
                final List<String> agents = agentsByShard.get(shard);
                if (v.offerEvidence(agents.get(0), 1, new double[0][]) >= WAITING_TARGET) {
                    fullInARow++;
                    continue;
                }
                fullInARow = 0;
                for (final String agent : agents) {
                    v.offerEvidence(agent, 1, pair);
                    n += pair.length;
                }
            }
            return new long[] {n, budget == Long.MAX_VALUE ? 0 : Math.max(0, budget - n)};
        }
    }

    /** {@code perShard} agent ids for each shard, found by hashing candidate names (the daemon's own rule). */
    static List<List<String>> agents(final int shards, final int perShard) {
        final List<List<String>> out = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            out.add(new ArrayList<>());
        }
        int filled = 0;
        for (int i = 0; filled < shards; i++) {
            final String id = "bench-agent-" + i;
            final List<String> mine = out.get(Committees.shardOf(id, shards));
            if (mine.size() < perShard) {
                mine.add(id);
                if (mine.size() == perShard) {
                    filled++;
                }
            }
        }
        return out;
    }

    /** Until every daemon holds the same directory of exactly the replicas and every seat of that epoch is active. */
    private static void awaitCommittees(final List<Daemon> daemons, final Params p, final int timeoutS) throws Exception {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
        while (!committeesReady(daemons, p)) {
            if (System.nanoTime() > deadline) {
                final StringBuilder held = new StringBuilder();
                for (final Daemon d : daemons) {
                    held.append("; ").append(d.onVerdicts(v -> v.directory() == null ? "no directory" : "epoch " + v.directory().epoch()
                        + " of " + v.directory().candidates().size() + " candidates, seats by epoch and mode "
                        + v.seats().stream().collect(java.util.stream.Collectors.groupingBy(st -> st.epoch() + "/" + st.mode(),
                            java.util.TreeMap::new, java.util.stream.Collectors.counting()))).get(10, TimeUnit.SECONDS));
                }
                throw new IllegalStateException("the committees of " + p.replicas() + " daemons were not active within " + timeoutS + " s"
                    + held);
            }
            Thread.sleep(100);
        }
    }

    private static boolean committeesReady(final List<Daemon> daemons, final Params p) throws Exception {
        long epoch = -1;
        for (final Daemon d : daemons) {
            final long e = d.onVerdicts(v -> {
                if (v.directory() == null || v.directory().candidates().size() != p.replicas()) {
                    return -1L;
                }
                final long current = v.directory().epoch();
                final long active = v.seats().stream().filter(s -> s.epoch() == current && s.mode().equals("active")).count();
                return active == p.shards() ? current : -1L;
            }).get(10, TimeUnit.SECONDS);
            if (e < 0 || epoch >= 0 && e != epoch) {
                return false;
            }
            epoch = e;
        }
        return true;
    }

    private static Totals totals(final List<Daemon> daemons) throws Exception {
        long applied = 0;
        long bytes = 0;
        long frames = 0;
        long viewChanges = 0;
        for (final Daemon d : daemons) {
            final long[] v = d.onVerdicts(fv -> new long[] {fv.counters().evidenceRecordsApplied(), fv.viewChanges()})
                .get(CORE_ANSWER_S, TimeUnit.SECONDS);
            applied += v[0];
            viewChanges += v[1];
            final FrameCounters.TypeCount sent = d.status().get(CORE_ANSWER_S, TimeUnit.SECONDS).frames().sent().get(MessageType.CONSENSUS.label);
            if (sent != null) {
                bytes += sent.bytes();
                frames += sent.frames();
            }
        }
        return new Totals(applied, bytes, frames, viewChanges, System.nanoTime());
    }

    /** Why anything was refused, summed over daemons: the replicas' refusals, fleet verdicts' own, and the observers' resends and drops. */
    private static Map<String, Long> refusals(final List<Daemon> daemons) throws Exception {
        final Map<String, Long> out = new java.util.TreeMap<>();
        for (final Daemon d : daemons) {
            d.onVerdicts(v -> {
                v.replicaRefusals().forEach((k, n) -> out.merge("replica-" + k, n, Long::sum));
                v.counters().refusedByReason().forEach((k, n) -> out.merge("verdicts-" + k, n, Long::sum));
                out.merge("observer-resends", v.observing().resends(), Long::sum);
                out.merge("observer-records-dropped", v.observing().recordsDropped(), Long::sum);
                out.merge("internal-errors", v.internalErrors(), Long::sum);
                out.merge("observer-requests-in-flight-at-end", (long)v.observing().requestsInFlight(), Long::sum);
                return null;
            }).get(10, TimeUnit.SECONDS);
        }
        return out;
    }

    private static double percentile(final long[] sorted, final double q) {
        final int i = (int)Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static double round(final double x, final int digits) {
        final double scale = Math.pow(10, digits);
        return Math.round(x * scale) / scale;
    }
}
