package dev.vigil.daemon.detect;

import dev.vigil.accel.Kernels;
import dev.vigil.accel.MomentsBatch;
import dev.vigil.daemon.stats.Moments;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Agents that come back to a {@link Detector} rather than start afresh: read back from the stores
 * after a restart (state at once, each baseline window rebuilt later from the journal's raw
 * observations), or adopted from another node with the replica of their own baseline. Shares the
 * detector's agent map and baselines; single-threaded, like the detector.
 *
 * <p>The agents rebuilt a few at a time ({@link #rebuildPending}) have their own baselines merged
 * together, each window's buckets one group of one batch merge ({@link Kernels#merge}); an agent
 * rebuilt alone, when it is touched first, merges its window itself ({@link AgentState#refit}).
 * Both merge in the same order, so on Java they give the same bits.
 */
final class Restoration {
    /**
     * Agents whose windows one batch merge takes: bounds the copies it holds (about 145 buckets an
     * agent with the default window, 1.4 KB a bucket at 16 features: 12 MB at most).
     */
    static final int MERGE_AGENTS_MAX = 64;

    private final FeatureSchema schema;
    private final DetectionConfig config;
    private final long bucketMicros;
    private final Map<String, AgentState> agents;
    private final Baselines baselines;
    private final Kernels kernels;
    /** Agents read back whose baseline window is not rebuilt yet, oldest first. */
    private final ArrayDeque<String> pending = new ArrayDeque<>();
    private long adopted;

    Restoration(final FeatureSchema schema, final DetectionConfig config, final Map<String, AgentState> agents,
                final Baselines baselines, final Kernels kernels) {
        this.kernels = kernels;
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
     * Rebuilds up to {@code max} pending agents' baseline windows, then refits their own baselines
     * from batch merges of the windows, {@link #MERGE_AGENTS_MAX} agents a merge.
     *
     * @return agents still pending
     */
    int rebuildPending(final int max, final Journal journal) {
        final List<AgentState> replayed = new ArrayList<>(Math.min(MERGE_AGENTS_MAX, Math.min(max, pending.size())));
        try {
            for (int i = 0; i < max && !pending.isEmpty(); i++) {
                final AgentState a = agents.get(pending.pollFirst());
                // an agent's refit reads its own window only: the others' replays cannot change it
                if (a != null && a.pendingRestore && replay(a, journal)) {
                    replayed.add(a);
                }
                if (replayed.size() == MERGE_AGENTS_MAX) {
                    refitAll(replayed);
                    replayed.clear();
                }
            }
        } finally {
            // a replay that failed (the journal threw) leaves the agents replayed before it refitted, as one by one would
            refitAll(replayed);
        }
        return pending.size();
    }

    /** Rebuilds one agent's baseline window and refits its own baseline (an agent touched before its turn). */
    void rebuild(final AgentState a, final Journal journal) {
        if (replay(a, journal)) {
            a.refit();
        }
    }

    /**
     * The own baselines of agents whose windows were just replayed, fitted from one batch merge:
     * group g is agent g's window buckets in the order {@link AgentState#refit} merges them.
     */
    private void refitAll(final List<AgentState> replayed) {
        if (replayed.isEmpty()) {
            return;
        }
        final List<Moments> buckets = new ArrayList<>();
        final int[] ends = new int[replayed.size()];
        for (int g = 0; g < replayed.size(); g++) {
            replayed.get(g).window.forEachOlderThan(config.lagBuckets(), buckets::add);
            ends[g] = buckets.size();
        }
        final MomentsBatch parts = new MomentsBatch(schema.size(), buckets.size());
        for (int p = 0; p < buckets.size(); p++) {
            buckets.get(p).copyTo(parts, p);
        }
        final MomentsBatch merged = new MomentsBatch(schema.size(), replayed.size());
        kernels.merge(parts, ends, replayed.size(), merged);
        for (int g = 0; g < replayed.size(); g++) {
            replayed.get(g).refitFrom(merged, g);
        }
    }

    /**
     * Replays an agent's stored observations of its baseline window: each moves the window as it
     * did when it arrived, and those that entered the baseline enter it again (and the cohorts'),
     * in their order.
     *
     * @return whether the window holds anything (its own baseline is then due a refit)
     */
    private boolean replay(final AgentState a, final Journal journal) {
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
        return a.window.newest() != Long.MIN_VALUE;
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
