package dev.vigil.daemon.detect;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;

/**
 * Agents that come back to a {@link Detector} rather than start afresh: read back from the stores
 * after a restart (state at once, each baseline window rebuilt later from the journal's raw
 * observations), or adopted from another node with the replica of their own baseline. Shares the
 * detector's agent map and baselines; single-threaded, like the detector.
 */
final class Restoration {
    private final FeatureSchema schema;
    private final DetectionConfig config;
    private final long bucketMicros;
    private final Map<String, AgentState> agents;
    private final Baselines baselines;
    /** Agents read back whose baseline window is not rebuilt yet, oldest first. */
    private final ArrayDeque<String> pending = new ArrayDeque<>();
    private long adopted;

    Restoration(final FeatureSchema schema, final DetectionConfig config, final Map<String, AgentState> agents,
                final Baselines baselines) {
        this.schema = schema;
        this.config = config;
        this.bucketMicros = config.bucketSeconds() * 1_000_000L;
        this.agents = agents;
        this.baselines = baselines;
    }

    /** Takes back agents' state from their records; their windows wait in {@link #rebuildPending}. */
    void readBack(final List<AgentRecord> records) {
        for (final AgentRecord r : records) {
            final AgentState a = new AgentState(r.id(), config, schema.size());
            a.takeState(r);
            a.lastTsMicros = r.lastTsMicros();
            a.pendingRestore = true;
            agents.put(a.id, a);
            pending.addLast(a.id);
        }
    }

    /**
     * Rebuilds up to {@code max} pending agents' baseline windows.
     *
     * @return agents still pending
     */
    int rebuildPending(final int max, final Journal journal) {
        for (int i = 0; i < max && !pending.isEmpty(); i++) {
            final AgentState a = agents.get(pending.pollFirst());
            if (a != null && a.pendingRestore) {
                rebuild(a, journal);
            }
        }
        return pending.size();
    }

    /**
     * Replays an agent's stored observations of its baseline window: each moves the window as it
     * did when it arrived, and those that entered the baseline enter it again (and the cohorts'),
     * in their order. The own baseline is then refitted.
     */
    void rebuild(final AgentState a, final Journal journal) {
        a.pendingRestore = false;
        final long from = a.lastTsMicros - (long)(config.baselineBuckets() + 1) * bucketMicros;
        final Baselines.Cohort roleCohort = baselines.role(a.role);
        final Baselines.Cohort all = baselines.host();
        journal.replay(a.id, from, (ts, raw, inBaseline) -> {
            if (!a.window.accepts(ts)) {
                return;
            }
            a.window.advanceTo(ts);
            if (!inBaseline) {
                return;
            }
            final double[] x = raw.clone();
            schema.transform(x);
            a.window.add(ts, x);
            if (roleCohort != null) {
                roleCohort.advanceTo(ts);
                roleCohort.add(ts, x);
            }
            all.advanceTo(ts);
            all.add(ts, x);
        });
        if (a.window.newest() != Long.MIN_VALUE) {
            a.refit();
        }
    }

    /**
     * Takes over an agent that moved here from another node: its status, CUSUM and counts, and its
     * own baseline as the statistics of a bucket just older than the lag, so it is scored against
     * its own history at once and that history leaves the window when its time is up.
     */
    void adopt(final AgentState a, final Journal.Adopted from, final long tsMicros) {
        if (from == null || from.baseline() == null || from.baseline().dimension() != schema.size()) {
            return;
        }
        final AgentRecord r = from.record();
        a.takeState(r);
        final long at = Math.min(tsMicros, r.lastTsMicros()) - (config.lagBuckets() + 1L) * bucketMicros;
        a.window.advanceTo(at);
        a.window.addAll(at, from.baseline());
        adopted++;
    }

    /** Agents read back whose baseline is not rebuilt yet. */
    int pending() {
        return pending.size();
    }

    /** Agents that arrived with a replica of their baseline. */
    long adopted() {
        return adopted;
    }
}
