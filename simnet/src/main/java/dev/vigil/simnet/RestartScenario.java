package dev.vigil.simnet;

import dev.vigil.crypto.SignatureScheme;
import dev.vigil.daemon.core.CoreConfig;
import dev.vigil.daemon.detect.DetectionConfig;
import dev.vigil.daemon.detect.Detector;
import dev.vigil.daemon.detect.FeatureSchema;
import dev.vigil.daemon.history.AgentHistory;
import dev.vigil.daemon.history.HistoryConfig;
import dev.vigil.daemon.history.HistoryJournal;
import dev.vigil.daemon.history.HistoryStores;
import dev.vigil.daemon.history.PeerSnapshot;
import dev.vigil.daemon.history.Series;
import dev.vigil.daemon.history.StoredAgent;
import dev.vigil.daemon.tree.TreeConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code restart}: every host runs a detector over its agents with its history in stores that
 * outlive the process (heap stores standing in for the data directory). Agents report every
 * 10 s; each report the detector takes is counted as acknowledged. From t = 30 s on, hosts are
 * killed at random (no leave, no flush: the process's memory is gone) and started again 1 to
 * 10 s later from their stores, joining through their configured bootstrap and the peers they
 * last wrote down. At the end every agent's restored observation count, its raw history and its
 * minute rollups must equal what was acknowledged, and every host must have found a place in
 * the tree again.
 */
public final class RestartScenario {
    private static final long S = 1_000_000L;
    private static final long REPORT_MICROS = 10 * S;
    private static final long STORAGE_TICK_MICROS = S;
    private static final int AGENTS_PER_HOST = 4;

    /** Inputs of one run. */
    public record Params(int nodes, long seed, long timeLimitMicros, int crashes, int b, SignatureScheme signatures) {
        public static Params of(final int nodes, final long seed) {
            return new Params(nodes, seed, 180 * S, Math.max(3, nodes / 2), 8, SignatureScheme.SIMULATED_INSECURE);
        }

        public Params withSignatures(final SignatureScheme s) {
            return new Params(nodes, seed, timeLimitMicros, crashes, b, s);
        }

        public Params withTimeLimitMicros(final long t) {
            return new Params(nodes, seed, t, crashes, b, signatures);
        }
    }

    private RestartScenario() {
    }

    /** One host's detection process: lost at a crash, rebuilt from the stores at a restart. */
    private static final class Site {
        final SimHost host;
        final HistoryStores stores;
        final List<String> agents = new ArrayList<>();
        final long[] acked = new long[AGENTS_PER_HOST];
        final double[][] level = new double[AGENTS_PER_HOST][];
        Detector detector;
        AgentHistory history;
        int restarts;

        Site(final SimHost host, final HistoryStores stores) {
            this.host = host;
            this.stores = stores;
        }
    }

    public static Map<String, Object> run(final Params p, final HostStats hostStats) {
        return run(p, hostStats, java.util.Set.of(), null);
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
        final HistoryConfig historyConfig = HistoryConfig.defaults().withExpectedAgents(AGENTS_PER_HOST * 2L);
        final DetectionConfig detection = DetectionConfig.defaults();
        final String bootstrap = SimFleet.addressOf(0);
        final List<Site> sites = new ArrayList<>();
        final SplittableRandom random = fleet.random();
        for (int i = 0; i < p.nodes(); i++) {
            final boolean founder = i == 0;
            final SimHost h = fleet.addHost(address -> CoreConfig.defaults(address, founder ? List.of() : List.of(bootstrap)));
            h.setTreeConfig(TreeConfig.defaults(d).withB(p.b()));
            final Site site = new Site(h, HistoryStores.inMemory(historyConfig, d));
            for (int a = 0; a < AGENTS_PER_HOST; a++) {
                site.agents.add("h" + i + "-agent-" + a);
                site.level[a] = new double[d];
                for (int k = 0; k < d; k++) {
                    site.level[a][k] = 1 + random.nextDouble() * 20;
                }
            }
            sites.add(site);
        }
        final Map<String, Integer> indexByHex = new java.util.HashMap<>();
        for (final Site site : sites) {
            indexByHex.put(dev.vigil.crypto.NodeIds.toHex(site.host.nodeId()), site.host.index());
        }
        if (trace != null) {
            for (final Site site : sites) {
                if (traced.contains(site.host.index())) {
                    site.host.setLog(traceLog(fleet.sim(), site.host.index(), indexByHex, trace, traced.size() <= 10));
                }
            }
        }
        final CoreConfig founderConfig = fleet.host(0).config();
        for (final Site site : sites) {
            boot(site, historyConfig, detection, schema);
            final long start = site.host.index() == 0 ? 0 : random.nextLong(5 * S);
            fleet.sim().schedule(start, () -> startHost(site, historyConfig, detection, schema, fleet));
        }
        // reports: each agent every 10 s, a fixed phase per agent
        for (final Site site : sites) {
            for (int a = 0; a < AGENTS_PER_HOST; a++) {
                final int agent = a;
                scheduleReport(fleet, site, agent, 6 * S + random.nextLong(REPORT_MICROS), schema, random.split());
            }
        }
        // crashes and restarts
        int crashes = 0;
        long crashAt = 30 * S;
        final long lastCrash = p.timeLimitMicros() - 60 * S;
        final int[] restarts = new int[1];
        while (crashes < p.crashes() && crashAt < lastCrash) {
            final Site victim = sites.get(random.nextInt(sites.size()));
            final long downFor = S + random.nextLong(9 * S);
            fleet.sim().schedule(crashAt - fleet.sim().elapsedMicros(), () -> {
                if (!victim.host.isUp()) {
                    return;
                }
                victim.host.crash();
                if (trace != null) {
                    trace.printf("%9.3f n%-6d CRASH (down for %.1f s)%n", fleet.sim().elapsedMicros() / 1e6, victim.host.index(), downFor / 1e6);
                }
                victim.detector = null; // the process's memory is gone; the stores stay
                victim.history = null;
                fleet.sim().schedule(downFor, () -> {
                    victim.restarts++;
                    restarts[0]++;
                    boot(victim, historyConfig, detection, schema);
                    startHost(victim, historyConfig, detection, schema, fleet);
                });
            });
            crashes++;
            crashAt += random.nextLong(Math.max(1, (lastCrash - 30 * S) / p.crashes())) + S;
        }
        fleet.sim().runFor(p.timeLimitMicros());

        // checks
        final List<String> failed = new ArrayList<>();
        long acked = 0;
        long restored = 0;
        long inRaw = 0;
        long inMinutes = 0;
        int unplaced = 0;
        final List<String> unplacedExamples = new ArrayList<>();
        final java.util.TreeMap<String, Integer> roots = new java.util.TreeMap<>();
        final long now = fleet.sim().nowMicros();
        for (final Site site : sites) {
            if (!site.host.isUp()) {
                failed.add("host " + site.host.index() + " is down at the end");
                continue;
            }
            site.history.flushClosed(now + 60 * S);
            for (int a = 0; a < AGENTS_PER_HOST; a++) {
                final String id = site.agents.get(a);
                acked += site.acked[a];
                final long r = site.detector.record(id) == null ? 0 : site.detector.record(id).observations();
                restored += r;
                final Series raw = site.history.series(id, now - 3_600 * S, now + 60 * S, 3_600 * S, now);
                final Series minutes = site.history.series(id, now - 48 * 3_600 * S, now + 60 * S, 86_400 * S, now);
                final long rawCount = raw == null ? 0 : raw.points().stream().mapToLong(Series.Point::count).sum();
                final long minuteCount = minutes == null ? 0 : minutes.points().stream().mapToLong(Series.Point::count).sum();
                inRaw += rawCount;
                inMinutes += minuteCount;
                if (r != site.acked[a] || rawCount != site.acked[a] || minuteCount != site.acked[a]) {
                    failed.add("agent " + id + ": acknowledged " + site.acked[a] + ", restored " + r + ", raw " + rawCount
                        + ", minute rollups " + minuteCount);
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
        out.put("sim_s", fleet.sim().elapsedMicros() / 1e6);
        out.put("events", fleet.sim().eventsRun());
        out.put("restarts", restarts[0]);
        out.put("agents", p.nodes() * AGENTS_PER_HOST);
        out.put("observations_acknowledged", acked);
        out.put("observations_restored", restored);
        out.put("observations_in_raw", inRaw);
        out.put("observations_in_minute_rollups", inMinutes);
        out.put("unplaced_at_end", unplaced);
        out.put("roots_at_end", roots.size());
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
    private static void boot(final Site site, final HistoryConfig hc, final DetectionConfig dc, final FeatureSchema schema) {
        site.history = site.stores.history(hc, schema.size());
        site.detector = new Detector(schema, dc);
        site.detector.restore(site.history.load().stream().map(StoredAgent::record).toList());
        site.detector.setJournal(new HistoryJournal(site.history));
    }

    private static void startHost(final Site site, final HistoryConfig hc, final DetectionConfig dc, final FeatureSchema schema,
                                  final SimFleet fleet) {
        final SimHost h = site.host;
        final List<String> snapshot = PeerSnapshot.read(site.stores.store(HistoryStores.META), h.address());
        h.setConfig(h.config().withExtraBootstrap(snapshot));
        h.start();
        final int generation = site.restarts;
        scheduleStorageTick(fleet, site, generation);
    }

    /** The daemon's storage timer: rebuilds, rollup flushes, retention, the peer snapshot and the summary for the tree. */
    private static void scheduleStorageTick(final SimFleet fleet, final Site site, final int generation) {
        fleet.sim().schedule(STORAGE_TICK_MICROS, () -> {
            if (!site.host.isUp() || site.restarts != generation) {
                return;
            }
            final long now = fleet.sim().nowMicros();
            site.detector.restorePending(100);
            site.history.flushClosed(now);
            site.history.retentionPass(now);
            PeerSnapshot.write(site.stores.store(HistoryStores.META), site.host.core(), site.host.address());
            site.host.core().publishLocalSummary(site.detector.windowStatistics(), site.detector.agentCount());
            scheduleStorageTick(fleet, site, generation);
        });
    }

    private static void scheduleReport(final SimFleet fleet, final Site site, final int agent, final long delay,
                                       final FeatureSchema schema, final SplittableRandom random) {
        fleet.sim().schedule(delay, () -> {
            if (site.host.isUp() && site.detector != null) {
                final double[] x = new double[schema.size()];
                for (int k = 0; k < x.length; k++) {
                    x[k] = site.level[agent][k] * (1 + 0.1 * random.nextGaussian());
                }
                final Detector.Outcome o = site.detector.observe(site.agents.get(agent), "worker", fleet.sim().nowMicros(), x);
                if (o.accepted()) {
                    site.acked[agent]++;
                }
            }
            scheduleReport(fleet, site, agent, REPORT_MICROS, schema, random);
        });
    }
}
