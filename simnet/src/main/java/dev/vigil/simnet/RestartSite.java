package dev.vigil.simnet;

import dev.vigil.daemon.detect.Detector;
import dev.vigil.daemon.history.AgentHistory;
import dev.vigil.daemon.history.HistoryConfig;
import dev.vigil.daemon.history.HistoryStores;
import dev.vigil.daemon.history.Tier;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * One host of the {@code restart} scenario: its stores, which outlive its process; the detection
 * process while it runs (null while it is dead); and what it acknowledged, which the stores must
 * always hold.
 */
final class RestartSite {
    static final int AGENTS = 4;

    final SimHost host;
    final CrashPoints crashPoints;
    /** The host's own draws at run time (how long it stays down after dying in a write). */
    final SplittableRandom random;
    final Map<String, SimStore> simStores = new LinkedHashMap<>();
    final HistoryStores stores;
    final List<String> agents = new ArrayList<>();
    final long[] agentKeys = new long[AGENTS];
    final double[][] level = new double[AGENTS][];
    /** Observations the detector took, and so acknowledged, per agent. */
    final long[] acked = new long[AGENTS];
    /**
     * Per agent, minute → timestamps of the observations the stores must hold: those acknowledged,
     * and those in flight at a crash that the restart found wholly stored.
     */
    final List<TreeMap<Long, List<Long>>> durable = new ArrayList<>();
    /** Per agent, the highest observation count its stored record has shown (it never goes back). */
    final long[] storedSeen = new long[AGENTS];

    Detector detector;
    AgentHistory history;
    /** Incremented at every death: timers of a dead process find another number. */
    int process;
    int restarts;
    /** The observation being stored when the process died, until the restart has looked for it. */
    InFlight inFlight;
    /** When the running process last finished its storage tick's rollup flush (Long.MIN_VALUE: not yet). */
    long lastFlushMicros = Long.MIN_VALUE;
    /** {@link #corruptReadsForHistory} when the running process booted. */
    long corruptReadsAtBoot;
    /** Damaged copies of the peer snapshot met at starts (read by the scenario, not by the history). */
    long snapshotCorruptReads;
    /** Damaged entries counted, and writes made again from a write-ahead record, by the processes that died. */
    long damagedCountedBefore;
    long writesRedoneBefore;

    /** An observation whose write path the process died in. */
    record InFlight(int agent, long tsMicros, CrashPoints.Kind kind) {
    }

    RestartSite(final SimHost host, final HistoryConfig config, final int dimension, final CrashPoints crashPoints,
                final SplittableRandom random) {
        this.host = host;
        this.crashPoints = crashPoints;
        this.random = random;
        this.stores = HistoryStores.of(config, dimension, s -> {
            final SimStore st = new SimStore(s.name(), s.entriesMax(), crashPoints);
            simStores.put(s.name(), st);
            return st;
        });
        for (int a = 0; a < AGENTS; a++) {
            final String id = "h" + host.index() + "-agent-" + a;
            agents.add(id);
            agentKeys[a] = AgentHistory.agentKey(id);
            durable.add(new TreeMap<>());
        }
    }

    /** Whether the detection process runs (booted, and its host is up). */
    boolean running() {
        return detector != null && host.isUp();
    }

    long durableCount(final int agent) {
        long n = 0;
        for (final List<Long> ts : durable.get(agent).values()) {
            n += ts.size();
        }
        return n;
    }

    void addDurable(final int agent, final long tsMicros) {
        durable.get(agent).computeIfAbsent(Tier.RAW.bucketOf(tsMicros), m -> new ArrayList<>()).add(tsMicros);
    }

    SimStore store(final String name) {
        return simStores.get(name);
    }

    /** Damaged entries met by the agent history's reads (its stores, and its write-ahead record in the meta store). */
    long corruptReadsForHistory() {
        long n = -snapshotCorruptReads;
        for (final String s : List.of(HistoryStores.AGENTS, HistoryStores.RAW, Tier.MINUTE.label(), Tier.HOUR.label(),
            Tier.DAY.label(), HistoryStores.META)) {
            n += simStores.get(s).corruptReads();
        }
        return n;
    }
}
