package dev.vigil.simnet;

import dev.vigil.daemon.detect.AgentRecord;
import dev.vigil.daemon.history.AgentHistory;
import dev.vigil.daemon.history.HistoryStores;
import dev.vigil.daemon.history.RawBlock;
import dev.vigil.daemon.history.MinutePack;
import dev.vigil.daemon.history.Rollup;
import dev.vigil.daemon.history.StoredAgent;
import dev.vigil.daemon.history.Tier;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The invariants of the {@code restart} scenario, checked while it runs, not only at its end.
 * Reads go straight to the stores ({@link SimStore#peek}), past the history's caches and without
 * its side effects, so checking changes nothing in the run.
 *
 * <ul>
 *   <li>After every event, for each host the event touched (a report, a storage tick, a crash, a
 *       restart), if its process runs: each agent's observation count in the detector, and in
 *       the record in the agents store, equals what the host acknowledged (plus in-flight
 *       observations found wholly stored), and the stored count never goes backwards. The tree's
 *       invariants are checked by every simulated node after every input of its own.</li>
 *   <li>Once a simulated second, for every host whose process runs: every raw block of every
 *       agent, from the run's first minute to now, holds exactly the timestamps the host must
 *       hold for that minute (none damaged, none extra), every minute bucket that ended before the
 *       process's last rollup flush is in the minute store with exactly that minute's count, and
 *       every damaged entry the history's stores met was counted by the history.</li>
 *   <li>At a restart, before the process serves: the observation in flight when it died is
 *       wholly absent (detector, stored record and raw block all without it) or wholly present
 *       (all with it, and then it must stay).</li>
 * </ul>
 * The first failure stops the run, so the seed replays up to the event that broke it.
 */
final class RestartChecks {
    static final long COSTLY_EVERY_MICROS = 1_000_000L;
    private static final int FAILURES_MAX = 20;

    private final Simulator sim;
    private final List<RestartSite> sites;
    private final int dimension;
    private final long firstMinute;
    private final Set<RestartSite> touched = new LinkedHashSet<>();
    private final List<String> failures = new ArrayList<>();
    private long nextCostlyMicros;
    private long costlyChecks;
    private long inFlightKept;
    private long inFlightDropped;

    RestartChecks(final Simulator sim, final List<RestartSite> sites, final int dimension) {
        this.sim = sim;
        this.sites = sites;
        this.dimension = dimension;
        this.firstMinute = Tier.RAW.bucketOf(sim.nowMicros());
        this.nextCostlyMicros = sim.nowMicros() + COSTLY_EVERY_MICROS;
    }

    /** The event now running changed this host's process or stores. */
    void touched(final RestartSite site) {
        touched.add(site);
    }

    /** The simulator's hook after every event. @return whether to stop (an invariant broke) */
    boolean afterEvent() {
        for (final RestartSite s : touched) {
            if (s.running()) {
                checkCounts(s);
            }
        }
        touched.clear();
        if (sim.nowMicros() >= nextCostlyMicros) {
            checkAllStores();
            while (nextCostlyMicros <= sim.nowMicros()) {
                nextCostlyMicros += COSTLY_EVERY_MICROS; // a quiet stretch longer than the cadence is checked once
            }
        }
        return !failures.isEmpty();
    }

    /** The costly checks on every running host, now. */
    void checkAllStores() {
        costlyChecks++;
        for (final RestartSite s : sites) {
            if (s.running()) {
                checkStores(s);
            }
        }
    }

    /** Detector and stored counts against what the host must hold; stored counts never go backwards. */
    void checkCounts(final RestartSite s) {
        for (int a = 0; a < RestartSite.AGENTS; a++) {
            final long durable = s.durableCount(a);
            final AgentRecord r = s.detector.record(s.agents.get(a));
            final long inDetector = r == null ? 0 : r.observations();
            if (inDetector != durable) {
                fail(s, "agent " + s.agents.get(a) + ": the detector counts " + inDetector + " observations, the host acknowledged "
                    + durable);
            }
            final long stored = storedCount(s, a);
            if (stored < s.storedSeen[a]) {
                fail(s, "agent " + s.agents.get(a) + ": its stored record went back from " + s.storedSeen[a] + " to "
                    + (stored < 0 ? "damaged" : stored + " observations"));
            } else if (stored != durable) {
                fail(s, "agent " + s.agents.get(a) + ": its stored record counts " + stored + " observations, the host acknowledged "
                    + durable);
            }
            s.storedSeen[a] = Math.max(s.storedSeen[a], stored);
        }
    }

    /** Raw blocks and closed minute buckets, read from the stores, against what the host must hold. */
    void checkStores(final RestartSite s) {
        final long nowMinute = Tier.RAW.bucketOf(sim.nowMicros());
        for (int a = 0; a < RestartSite.AGENTS; a++) {
            final String id = s.agents.get(a);
            for (long m = firstMinute; m <= nowMinute; m++) {
                final List<Long> want = s.durable.get(a).getOrDefault(m, List.of());
                final List<Long> raw = rawTimestamps(s, a, m);
                if (raw == null) {
                    if (!want.isEmpty()) {
                        fail(s, "agent " + id + ": the raw block of minute " + minuteLabel(m) + ", which holds " + want.size()
                            + " acknowledged observations, is damaged");
                    }
                } else if (!raw.equals(want)) {
                    fail(s, "agent " + id + ": the raw block of minute " + minuteLabel(m) + " holds observations at " + raw
                        + ", acknowledged: " + want);
                }
                if (s.lastFlushMicros != Long.MIN_VALUE && (m + 1) * Tier.MINUTE.bucketMicros() <= s.lastFlushMicros) {
                    final long rolled = minuteCount(s, a, m);
                    if (rolled != want.size()) {
                        fail(s, "agent " + id + ": the minute rollup of minute " + minuteLabel(m) + " counts "
                            + (rolled < 0 ? "nothing (damaged)" : rolled) + ", acknowledged " + want.size());
                    }
                }
            }
        }
        final long counted = s.history.counters().corruptEntries();
        final long met = s.corruptReadsForHistory() - s.corruptReadsAtBoot;
        if (counted != met) {
            fail(s, "the history counted " + counted + " damaged entries, its stores raised " + met);
        }
    }

    /**
     * At a restart, before the process serves: the observation in flight when it died is all there
     * or not there at all. One all there stays durable from now on.
     */
    void resolveInFlight(final RestartSite s) {
        final RestartSite.InFlight f = s.inFlight;
        if (f == null) {
            return;
        }
        s.inFlight = null;
        final int a = f.agent();
        final String id = s.agents.get(a);
        final long durable = s.durableCount(a);
        final AgentRecord r = s.detector.record(id);
        final long inDetector = r == null ? 0 : r.observations();
        final long stored = storedCount(s, a);
        final List<Long> raw = rawTimestamps(s, a, Tier.RAW.bucketOf(f.tsMicros()));
        final int inRaw = raw == null ? -1 : (int)raw.stream().filter(t -> t == f.tsMicros()).count();
        final String what = "the observation of agent " + id + " at " + String.format("%.3f", (f.tsMicros() - Simulator.EPOCH_MICROS) / 1e6)
            + " s, in flight when the process died " + f.kind().label + ", is ";
        if (inDetector == durable && stored == durable && inRaw == 0) {
            inFlightDropped++;
        } else if (inDetector == durable + 1 && stored == durable + 1 && inRaw == 1) {
            inFlightKept++;
            s.addDurable(a, f.tsMicros());
            s.storedSeen[a] = Math.max(s.storedSeen[a], stored);
        } else {
            fail(s, what + "partly stored after the restart: the detector counts " + inDetector + ", the stored record "
                + (stored < 0 ? "is damaged" : "counts " + stored) + ", its raw block "
                + (inRaw < 0 ? "is damaged" : inRaw == 1 ? "holds it" : "does not hold it") + " (" + durable + " acknowledged before)");
        }
    }

    /** The count in the agent's stored record; 0 when absent, -1 when damaged or unreadable. */
    private static long storedCount(final RestartSite s, final int agent) {
        final byte[] v = s.store(HistoryStores.AGENTS).peek(AgentHistory.agentStoreKey(s.agentKeys[agent]));
        if (v == null) {
            return 0;
        }
        if (v == SimStore.DAMAGED) {
            return -1;
        }
        return StoredAgent.decode(v).record().observations();
    }

    /** The timestamps in the agent's raw block of {@code minute}, in arrival order; empty when absent, null when damaged. */
    private List<Long> rawTimestamps(final RestartSite s, final int agent, final long minute) {
        final byte[] v = s.store(HistoryStores.RAW).peek(AgentHistory.bucketKey(s.agentKeys[agent], minute));
        if (v == null) {
            return List.of();
        }
        if (v == SimStore.DAMAGED) {
            return null;
        }
        final List<Long> out = new ArrayList<>();
        RawBlock.forEach(v, dimension, minute, e -> out.add(e.tsMicros()));
        return out;
    }

    /** The count in the agent's stored minute rollup (in its hour's pack); 0 when absent, -1 when damaged. */
    private long minuteCount(final RestartSite s, final int agent, final long minute) {
        final byte[] pack = s.store(Tier.MINUTE.label()).peek(AgentHistory.bucketKey(s.agentKeys[agent], MinutePack.hourOf(minute)));
        if (pack == null) {
            return 0;
        }
        if (pack == SimStore.DAMAGED) {
            return -1;
        }
        final Rollup r = MinutePack.rollup(pack, dimension, minute);
        return r == null ? 0 : r.count();
    }

    private static String minuteLabel(final long minute) {
        return String.format("%.0f s", (minute * Tier.MINUTE.bucketMicros() - Simulator.EPOCH_MICROS) / 1e6);
    }

    void fail(final RestartSite s, final String what) {
        if (failures.size() < FAILURES_MAX) {
            failures.add(String.format("t=%.3fs host %d: %s", (sim.nowMicros() - Simulator.EPOCH_MICROS) / 1e6, s.host.index(), what));
        }
    }

    void fail(final String what) {
        if (failures.size() < FAILURES_MAX) {
            failures.add(String.format("t=%.3fs %s", (sim.nowMicros() - Simulator.EPOCH_MICROS) / 1e6, what));
        }
    }

    List<String> failures() {
        return failures;
    }

    long costlyChecks() {
        return costlyChecks;
    }

    long inFlightKept() {
        return inFlightKept;
    }

    long inFlightDropped() {
        return inFlightDropped;
    }
}
