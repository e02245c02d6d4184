package dev.vigil.simnet;

import dev.vigil.crypto.SignatureScheme;
import dev.vigil.daemon.core.CoreConfig;
import dev.vigil.daemon.detect.DetectionConfig;
import dev.vigil.daemon.detect.Detector;
import dev.vigil.daemon.detect.FeatureSchema;
import dev.vigil.daemon.history.HistoryConfig;
import dev.vigil.daemon.history.HistoryJournal;
import dev.vigil.daemon.history.HistoryStores;
import dev.vigil.daemon.history.PeerSnapshot;
import dev.vigil.daemon.history.Series;
import dev.vigil.daemon.history.StoredAgent;
import dev.vigil.daemon.tree.TreeConfig;

import dev.vigil.storage.StoreException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code restart}: every host runs a detector over its agents with its history in stores that
 * outlive the process ({@link SimStore}s standing in for the data directory's files). Agents
 * report every 10 s; each report the detector takes is counted as acknowledged. Hosts die in two
 * ways and are started again 1 to 10 s later from their stores, joining through their configured
 * bootstrap and the peers they last wrote down:
 * <ul>
 *   <li>between events: from t = 30 s on, hosts are killed at random (no leave, no flush: the
 *       process's memory is gone);</li>
 *   <li>inside their own writes ({@code storageFaultRate}, on by default): from t = 5 s on, each
 *       store write of a running process is, with that probability, where it dies: before the
 *       write, inside a put that stores nothing, or inside a put that leaves the entry torn (see
 *       {@link CrashPoints}). A death in an observation's write path leaves that observation
 *       unacknowledged: the restart must find it wholly stored or not at all.</li>
 * </ul>
 * Both stop 60 s before the end. Invariants are checked throughout ({@link RestartChecks}): cheap
 * ones after every event for the hosts it touched (detector and stored counts equal what was
 * acknowledged; stored counts never go backwards), costly ones once every simulated second
 * ({@value RestartChecks#COSTLY_EVERY_MICROS} µs) on every running host (every acknowledged
 * observation in its raw block, every closed minute bucket's count, every damaged entry counted),
 * and at each restart (the in-flight observation). The first failure stops the run. At the end
 * every agent's restored observation count, its raw history and its minute rollups must equal
 * what its host must hold, and every host must have found a place in the tree again.
 */
public final class RestartScenario {
    private static final long S = 1_000_000L;
    private static final long REPORT_MICROS = 10 * S;
    private static final long STORAGE_TICK_MICROS = S;
    private static final long STORAGE_FAULTS_FROM_MICROS = 5 * S;
    /** A fault stream of its own, so that a run without storage faults draws everything else as before. */
    private static final long FAULT_STREAM = 0x6A09E667F3BCC909L;
    /**
     * Probability that a store write is where the process dies, unless a run says otherwise: about
     * as many deaths inside writes as kills between events at 100 hosts (a host writes about twice a
     * second). At 0.005 the stores held in every run tried, but so many restarts (about 250 more
     * at 100 hosts) mostly leave hosts unplaced in the tree at the end.
     */
    public static final double STORAGE_FAULT_RATE_DEFAULT = 0.001;
    /** Salt of the generator that starts the outsiders. */
    private static final long OUTSIDER_STREAM = 0x6F75747369646572L;

    /** Inputs of one run. */
    public record Params(int nodes, long seed, long timeLimitMicros, int crashes, int b, SignatureScheme signatures,
                         double storageFaultRate, int outsiders) {
        public static Params of(final int nodes, final long seed) {
            return new Params(nodes, seed, 180 * S, Math.max(3, nodes / 2), 8, SignatureScheme.SIMULATED_INSECURE,
                STORAGE_FAULT_RATE_DEFAULT, 2);
        }

        public Params withSignatures(final SignatureScheme s) {
            return new Params(nodes, seed, timeLimitMicros, crashes, b, s, storageFaultRate, outsiders);
        }

        public Params withTimeLimitMicros(final long t) {
            return new Params(nodes, seed, t, crashes, b, signatures, storageFaultRate, outsiders);
        }

        /** @param rate probability that one store write is where its process dies; 0 turns these faults off */
        public Params withStorageFaults(final double rate) {
            return new Params(nodes, seed, timeLimitMicros, crashes, b, signatures, rate, outsiders);
        }

        /** Hosts certified by a CA the fleet does not trust, joining like the others; they must stay out. */
        public Params withOutsiders(final int count) {
            return new Params(nodes, seed, timeLimitMicros, crashes, b, signatures, storageFaultRate, count);
        }
    }

    private RestartScenario() {
    }

    public static Map<String, Object> run(final Params p, final HostStats hostStats) {
        return run(p, hostStats, java.util.Set.of(), null);
    }

    /** What one run shares between its events. */
    private static final class Run {
        final SimFleet fleet;
        final FeatureSchema schema;
        final HistoryConfig historyConfig;
        final DetectionConfig detection;
        final java.io.PrintStream trace;
        final long faultsUntilMicros;
        final List<RestartSite> sites = new ArrayList<>();
        RestartChecks checks;
        int restarts;
        int crashesBetweenEvents;
        int crashesMidObservation;
        long snapshotsUnreadable;

        Run(final SimFleet fleet, final FeatureSchema schema, final HistoryConfig historyConfig, final DetectionConfig detection,
            final java.io.PrintStream trace, final long faultsUntilMicros) {
            this.fleet = fleet;
            this.schema = schema;
            this.historyConfig = historyConfig;
            this.detection = detection;
            this.trace = trace;
            this.faultsUntilMicros = faultsUntilMicros;
        }

        Simulator sim() {
            return fleet.sim();
        }

        void log(final RestartSite site, final String what) {
            if (trace != null) {
                trace.printf("%9.3f n%-6d %s%n", sim().elapsedMicros() / 1e6, site.host.index(), what);
            }
        }
    }

    /**
     * Runs the scenario; the tree log of the hosts in {@code traced} (by index; empty for none)
     * and the crashes and restarts go to {@code trace}, node ids shown as {@code n<index>}.
     */
    public static Map<String, Object> run(final Params p, final HostStats hostStats, final java.util.Set<Integer> traced,
                                          final java.io.PrintStream trace) {
        final SimFleet fleet = new SimFleet(p.seed(), WorldMap.defaultMap(), p.signatures());
        hostStats.watch(fleet);
        final FeatureSchema schema = FeatureSchema.agentDefault();
        final int d = schema.size();
        final HistoryConfig historyConfig = HistoryConfig.defaults().withExpectedAgents(RestartSite.AGENTS * 2L);
        final long lastCrash = p.timeLimitMicros() - 60 * S;
        final Run run = new Run(fleet, schema, historyConfig, DetectionConfig.defaults(), trace, lastCrash);
        final List<RestartSite> sites = run.sites;
        final String bootstrap = SimFleet.addressOf(0);
        final SplittableRandom random = fleet.random();
        final SplittableRandom faults = new SplittableRandom(p.seed() ^ FAULT_STREAM);
        for (int i = 0; i < p.nodes(); i++) {
            final boolean founder = i == 0;
            final SimHost h = fleet.addHost(address -> CoreConfig.defaults(address, founder ? List.of() : List.of(bootstrap)));
            h.setTreeConfig(TreeConfig.defaults(d).withB(p.b()));
            final RestartSite site = new RestartSite(h, historyConfig, d, new CrashPoints(faults.split(), p.storageFaultRate()),
                faults.split());
            for (int a = 0; a < RestartSite.AGENTS; a++) {
                site.level[a] = new double[d];
                for (int k = 0; k < d; k++) {
                    site.level[a][k] = 1 + random.nextDouble() * 20;
                }
            }
            sites.add(site);
        }
        final Map<String, Integer> indexByHex = new java.util.HashMap<>();
        for (final RestartSite site : sites) {
            indexByHex.put(dev.vigil.crypto.NodeIds.toHex(site.host.nodeId()), site.host.index());
        }
        if (trace != null) {
            for (final RestartSite site : sites) {
                if (traced.contains(site.host.index())) {
                    site.host.setLog(traceLog(fleet.sim(), site.host.index(), indexByHex, trace, traced.size() <= 10));
                }
            }
        }
        run.checks = new RestartChecks(fleet.sim(), sites, d);
        for (final RestartSite site : sites) {
            boot(run, site);
            final long start = site.host.index() == 0 ? 0 : random.nextLong(5 * S);
            fleet.sim().schedule(start, () -> startHost(run, site));
        }
        // reports: each agent every 10 s, a fixed phase per agent
        for (final RestartSite site : sites) {
            for (int a = 0; a < RestartSite.AGENTS; a++) {
                scheduleReport(run, site, a, 6 * S + random.nextLong(REPORT_MICROS), random.split());
            }
        }
        // crashes between events, and restarts
        int crashes = 0;
        long crashAt = 30 * S;
        while (crashes < p.crashes() && crashAt < lastCrash) {
            final RestartSite victim = sites.get(random.nextInt(sites.size()));
            final long downFor = S + random.nextLong(9 * S);
            fleet.sim().schedule(crashAt - fleet.sim().elapsedMicros(), () -> {
                if (!victim.host.isUp()) {
                    return;
                }
                run.crashesBetweenEvents++;
                run.log(victim, String.format("CRASH (down for %.1f s)", downFor / 1e6));
                die(run, victim, downFor);
            });
            crashes++;
            crashAt += random.nextLong(Math.max(1, (lastCrash - 30 * S) / p.crashes())) + S;
        }
        // crashes inside writes: armed while a process runs within [5 s, the last crash)
        fleet.sim().schedule(STORAGE_FAULTS_FROM_MICROS, () -> sites.forEach(s -> armIfDue(run, s)));
        fleet.sim().schedule(Math.max(STORAGE_FAULTS_FROM_MICROS, lastCrash), () -> sites.forEach(s -> s.crashPoints.disarm()));
        // outsiders: added last and started from their own generator, so with none the run is the same as before
        final SplittableRandom outsiderStarts = new SplittableRandom(p.seed() ^ OUTSIDER_STREAM);
        final List<SimHost> outsiders = new ArrayList<>();
        for (int i = 0; i < p.outsiders(); i++) {
            final SimHost o = fleet.addOutsider(address -> CoreConfig.defaults(address, List.of(bootstrap)));
            o.setTreeConfig(TreeConfig.defaults(d).withB(p.b()));
            outsiders.add(o);
            fleet.sim().schedule(outsiderStarts.nextLong(5 * S), o::start);
        }
        final java.util.Set<String> outsiderSeen = new java.util.HashSet<>();
        fleet.setAfterInput(h -> {
            if (fleet.isOutsider(h.nodeId())) {
                return;
            }
            for (final SimHost o : outsiders) {
                final boolean peer = h.core().isPeer(o.nodeId());
                if ((peer || h.core().tree().holds(o.nodeId())) && outsiderSeen.add(h.index() + "/" + o.index())) {
                    run.checks.fail("host " + h.index() + " holds outsider " + o.index() + (peer ? " as a peer" : " in its tree")
                        + " at " + fleet.sim().elapsedMicros() / 1e6 + " s");
                }
            }
        });
        fleet.sim().runUntil(fleet.sim().nowMicros() + p.timeLimitMicros(), run.checks::afterEvent);
        return report(run, p);
    }

    /** The checks at the end, and the report. After a failed check the run stopped where it was: that is reported as it is. */
    private static Map<String, Object> report(final Run run, final Params p) {
        final SimFleet fleet = run.fleet;
        final List<RestartSite> sites = run.sites;
        final boolean stopped = !run.checks.failures().isEmpty();
        if (!stopped) {
            run.checks.checkAllStores();
        }
        final List<String> failed = new ArrayList<>(run.checks.failures());
        long acked = 0;
        long durable = 0;
        long restored = 0;
        long inRaw = 0;
        long inMinutes = 0;
        long damagedCounted = 0;
        long writesRedone = 0;
        int unplaced = 0;
        final List<String> unplacedExamples = new ArrayList<>();
        final java.util.TreeMap<String, Integer> roots = new java.util.TreeMap<>();
        final long now = fleet.sim().nowMicros();
        for (final RestartSite site : sites) {
            for (int a = 0; a < RestartSite.AGENTS; a++) {
                acked += site.acked[a];
                durable += site.durableCount(a);
            }
            damagedCounted += site.damagedCountedBefore + (site.history == null ? 0 : site.history.counters().corruptEntries());
            writesRedone += site.writesRedoneBefore + (site.history == null ? 0 : site.history.counters().writesRedone());
            if (stopped) {
                continue;
            }
            if (!site.running()) {
                failed.add("host " + site.host.index() + " is down at the end");
                continue;
            }
            site.history.flushClosed(now + 60 * S);
            for (int a = 0; a < RestartSite.AGENTS; a++) {
                final String id = site.agents.get(a);
                final long want = site.durableCount(a);
                final long r = site.detector.record(id) == null ? 0 : site.detector.record(id).observations();
                restored += r;
                final Series raw = site.history.series(id, now - 3_600 * S, now + 60 * S, 3_600 * S, now);
                final Series minutes = site.history.series(id, now - 48 * 3_600 * S, now + 60 * S, 86_400 * S, now);
                final long rawCount = raw == null ? 0 : raw.points().stream().mapToLong(Series.Point::count).sum();
                final long minuteCount = minutes == null ? 0 : minutes.points().stream().mapToLong(Series.Point::count).sum();
                inRaw += rawCount;
                inMinutes += minuteCount;
                if (r != want || rawCount != want || minuteCount != want) {
                    failed.add("agent " + id + ": acknowledged " + site.acked[a] + ", durable " + want + ", restored " + r + ", raw "
                        + rawCount + ", minute rollups " + minuteCount);
                }
            }
            final dev.vigil.daemon.tree.TreeStatus ts = site.host.core().tree().status();
            if (!ts.placed()) {
                unplaced++;
                if (unplacedExamples.size() < 5) {
                    unplacedExamples.add("host " + site.host.index() + " (restarted " + site.restarts + "x, peers "
                        + site.host.core().status().peers().size() + ", counters " + ts.counters() + ")");
                }
            } else {
                roots.merge(String.valueOf(ts.rootId()), 1, Integer::sum);
            }
        }
        if (unplaced > 0) {
            failed.add(unplaced + " hosts have no place in the tree at the end, e.g. " + unplacedExamples);
        }
        if (roots.size() > 1) {
            failed.add("placed hosts see " + roots.size() + " roots: " + roots);
        }
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("scenario", "restart");
        out.put("nodes", p.nodes());
        out.put("seed", p.seed());
        out.put("signatures", p.signatures() == SignatureScheme.ED25519 ? "ed25519" : "simulated");
        out.put("storage_fault_rate", p.storageFaultRate());
        out.put("outsiders", p.outsiders());
        out.put("sim_s", fleet.sim().elapsedMicros() / 1e6);
        out.put("events", fleet.sim().eventsRun());
        out.put("restarts", run.restarts);
        out.put("crashes_between_events", run.crashesBetweenEvents);
        final Map<String, Long> inWrites = new LinkedHashMap<>();
        for (final CrashPoints.Kind k : CrashPoints.Kind.values()) {
            inWrites.put(k.name().toLowerCase(java.util.Locale.ROOT), sites.stream().mapToLong(s -> s.crashPoints.crashes(k)).sum());
        }
        out.put("crashes_mid_write", inWrites.values().stream().mapToLong(Long::longValue).sum());
        out.put("crashes_mid_write_by_kind", inWrites);
        out.put("crashes_mid_observation", run.crashesMidObservation);
        out.put("in_flight_wholly_stored", run.checks.inFlightKept());
        out.put("in_flight_wholly_absent", run.checks.inFlightDropped());
        out.put("entries_torn", sites.stream().mapToLong(s -> s.simStores.values().stream().mapToLong(SimStore::tornEntries).sum()).sum());
        out.put("damaged_entries_counted", damagedCounted);
        out.put("writes_redone_at_start", writesRedone);
        out.put("peer_snapshots_unreadable", run.snapshotsUnreadable);
        out.put("store_checks", run.checks.costlyChecks());
        out.put("agents", p.nodes() * RestartSite.AGENTS);
        out.put("observations_acknowledged", acked);
        out.put("observations_durable", durable);
        // null after a failed check stopped the run: the end was not reached
        out.put("observations_restored", stopped ? null : restored);
        out.put("observations_in_raw", stopped ? null : inRaw);
        out.put("observations_in_minute_rollups", stopped ? null : inMinutes);
        out.put("unplaced_at_end", stopped ? null : unplaced);
        out.put("roots_at_end", stopped ? null : roots.size());
        out.put("converged", failed.isEmpty());
        out.put("invariants_failed", failed.subList(0, Math.min(failed.size(), 20)));
        return out;
    }

    private static final java.util.regex.Pattern HEX_ID = java.util.regex.Pattern.compile("\\b[0-9a-f]{16}\\b");

    private static dev.vigil.daemon.core.NodeLog traceLog(final Simulator sim, final int index, final Map<String, Integer> indexByHex,
                                                          final java.io.PrintStream trace, final boolean debug) {
        return new dev.vigil.daemon.core.NodeLog() {
            @Override
            public boolean debugEnabled() {
                return debug;
            }

            @Override
            public void debug(final String message) {
                info("  " + message);
            }

            @Override
            public void info(final String message) {
                final String named = HEX_ID.matcher(message).replaceAll(m -> {
                    final Integer i = indexByHex.get(m.group());
                    return i == null ? m.group() : "n" + i;
                });
                trace.printf("%9.3f n%-6d %s%n", sim.elapsedMicros() / 1e6, index, named);
            }

            @Override
            public void warn(final String message) {
                info("WARN " + message);
            }
        };
    }

    /** Builds the site's detection process from its stores, as a daemon does at start. */
    private static void boot(final Run run, final RestartSite site) {
        site.history = site.stores.history(run.historyConfig, run.schema.size());
        site.corruptReadsAtBoot = site.corruptReadsForHistory();
        final Detector detector = new Detector(run.schema, run.detection);
        detector.restore(site.history.load().stream().map(StoredAgent::record).toList());
        detector.setJournal(new HistoryJournal(site.history));
        site.detector = detector;
        site.lastFlushMicros = Long.MIN_VALUE;
    }

    private static void startHost(final Run run, final RestartSite site) {
        final SimHost h = site.host;
        List<String> snapshot;
        final long damagedBefore = site.store(HistoryStores.META).corruptReads();
        try {
            snapshot = PeerSnapshot.read(site.stores.store(HistoryStores.META), h.address());
        } catch (final StoreException e) {
            run.snapshotsUnreadable++; // as the daemon does: join through the configured bootstrap only
            snapshot = List.of();
        }
        site.snapshotCorruptReads += site.store(HistoryStores.META).corruptReads() - damagedBefore;
        h.setConfig(h.config().withExtraBootstrap(snapshot));
        h.start();
        scheduleStorageTick(run, site, site.process);
    }

    /** Faults inside writes are armed while the site's process runs, until the last crash. */
    private static void armIfDue(final Run run, final RestartSite site) {
        final long t = run.sim().elapsedMicros();
        if (site.detector != null && t >= STORAGE_FAULTS_FROM_MICROS && t < run.faultsUntilMicros) {
            site.crashPoints.arm();
        }
    }

    /** The site's process is gone (its memory with it; the stores stay); it starts again after {@code downFor}. */
    private static void die(final Run run, final RestartSite site, final long downFor) {
        site.crashPoints.disarm();
        if (site.host.isUp()) {
            site.host.crash();
        }
        if (site.history != null) {
            site.damagedCountedBefore += site.history.counters().corruptEntries();
            site.writesRedoneBefore += site.history.counters().writesRedone();
        }
        site.detector = null;
        site.history = null;
        site.process++;
        run.checks.touched(site);
        run.sim().schedule(downFor, () -> restart(run, site));
    }

    /** The process died inside a write (see {@link CrashPoints}); {@code inFlight} is the observation it was storing, or null. */
    private static void diedInWrite(final Run run, final RestartSite site, final ProcessKilled k, final RestartSite.InFlight inFlight) {
        final long downFor = S + site.random.nextLong(9 * S);
        if (inFlight != null) {
            run.crashesMidObservation++;
            site.inFlight = inFlight;
        }
        run.log(site, String.format("CRASH %s (down for %.1f s)", k.getMessage(), downFor / 1e6));
        die(run, site, downFor);
    }

    private static void restart(final Run run, final RestartSite site) {
        site.restarts++;
        run.restarts++;
        run.log(site, "RESTART");
        try {
            site.crashPoints.disarm();
            boot(run, site);
            armIfDue(run, site); // a restart's own writes may die as well
            run.checks.resolveInFlight(site);
            startHost(run, site);
        } catch (final ProcessKilled k) {
            diedInWrite(run, site, k, null);
            return;
        }
        run.checks.touched(site);
    }

    /** The daemon's storage timer: rebuilds, rollup flushes, retention, the peer snapshot and the summary for the tree. */
    private static void scheduleStorageTick(final Run run, final RestartSite site, final int process) {
        run.sim().schedule(STORAGE_TICK_MICROS, () -> {
            if (!site.running() || site.process != process) {
                return;
            }
            final long now = run.sim().nowMicros();
            try {
                site.detector.restorePending(100);
                site.history.flushClosed(now);
                site.lastFlushMicros = now;
                site.history.retentionPass(now);
                PeerSnapshot.write(site.stores.store(HistoryStores.META), site.host.core(), site.host.address());
            } catch (final ProcessKilled k) {
                diedInWrite(run, site, k, null);
                return;
            }
            run.checks.touched(site);
            site.host.core().publishLocalSummary(site.detector.windowStatistics(), site.detector.agentCount());
            scheduleStorageTick(run, site, process);
        });
    }

    private static void scheduleReport(final Run run, final RestartSite site, final int agent, final long delay,
                                       final SplittableRandom random) {
        run.sim().schedule(delay, () -> {
            if (site.running()) {
                final double[] x = new double[run.schema.size()];
                for (int k = 0; k < x.length; k++) {
                    x[k] = site.level[agent][k] * (1 + 0.1 * random.nextGaussian());
                }
                final long ts = run.sim().nowMicros();
                try {
                    final Detector.Outcome o = site.detector.observe(site.agents.get(agent), "worker", ts, x);
                    if (o.accepted()) {
                        site.acked[agent]++;
                        site.addDurable(agent, ts);
                    }
                } catch (final ProcessKilled k) {
                    diedInWrite(run, site, k, new RestartSite.InFlight(agent, ts, k.kind()));
                }
                run.checks.touched(site);
            }
            scheduleReport(run, site, agent, REPORT_MICROS, random);
        });
    }
}
