package dev.vigil.daemon.detect;

import dev.vigil.daemon.stats.Gaussian;
import dev.vigil.daemon.stats.Moments;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * Scores every agent's observations against its own baseline and keeps its evidence and state.
 *
 * <p>For each observation x (transformed feature vector) of agent A:
 * <ol>
 *   <li>Baseline: A's own Gaussian, fitted on A's non-anomalous observations in the sliding
 *       window except the most recent {@code lagBuckets}; while that holds fewer than
 *       {@code coldObservations}, the cohort's (same role, else every agent).</li>
 *   <li>D² = squared Mahalanobis distance of x from that baseline.</li>
 *   <li>LLR = log N(x; μ, k²Σ) − log N(x; μ, Σ) = −d·ln k + D²·(1 − 1/k²)/2, clipped to
 *       [llrMin, llrMax] so that no single observation decides.</li>
 *   <li>CUSUM S ← max(0, S + LLR); suspect at S ≥ suspectAt, alarmed at S ≥ alarmAt
 *       (sticky). Back to normal from suspect when S returns to 0.</li>
 *   <li>x enters A's buckets and its cohort's unless D² is above the χ²_d quantile
 *       {@code excludeQuantile} or A is alarmed: anomalous behaviour never becomes the norm.</li>
 * </ol>
 * Single-threaded; time comes from the observations' timestamps only.
 */
public final class Detector {
    private static final int EVIDENCE_MAX = 8;
    private static final int SCORES_MAX = 32;
    private static final int TOP_FEATURES = 3;
    /** A warm agent's lagged baseline is refitted every this many bucket moves. */
    private static final int REFIT_BUCKETS = 5;
    private static final String ALL = "";

    /** What became of one observation. */
    public enum Outcome {
        SCORED, WARMING_UP, EXCLUDED_TOO_OLD, REFUSED_AGENTS_FULL;

        public boolean accepted() {
            return this == SCORED || this == WARMING_UP;
        }
    }

    private final FeatureSchema schema;
    private final DetectionConfig config;
    private final int d;
    private final long bucketMicros;
    private final double excludeD2;
    private final double llrOffset;
    private final double llrSlope;
    private final TreeMap<String, Agent> agents = new TreeMap<>();
    private final TreeMap<String, Cohort> cohorts = new TreeMap<>();
    private long observations;
    private long scored;
    private long excluded;
    private long refusedTooOld;
    private long refusedAgentsFull;
    private long evicted;
    private long alarms;

    public Detector(final FeatureSchema schema, final DetectionConfig config) {
        this.schema = schema;
        this.config = config;
        this.d = schema.size();
        this.bucketMicros = config.bucketSeconds() * 1_000_000L;
        this.excludeD2 = ChiSquare.quantile(d, config.excludeQuantile());
        this.llrOffset = -d * Math.log(config.inflation());
        this.llrSlope = 0.5 * (1 - 1 / (config.inflation() * config.inflation()));
        cohorts.put(ALL, new Cohort());
    }

    public FeatureSchema schema() {
        return schema;
    }

    public DetectionConfig config() {
        return config;
    }

    /** The log-likelihood ratio of one observation at distance D², before clipping. */
    public double llr(final double d2) {
        return llrOffset + llrSlope * d2;
    }

    /**
     * Takes one observation. {@code raw} is in schema order and untransformed; it is not kept.
     * The caller has validated it (finite values, plausible timestamp).
     */
    public Outcome observe(final String agentId, final String role, final long tsMicros, final double[] raw) {
        Agent a = agents.get(agentId);
        if (a == null) {
            if (agents.size() >= config.agentsMax() && !evictSilentAgent(tsMicros)) {
                refusedAgentsFull++;
                return Outcome.REFUSED_AGENTS_FULL;
            }
            a = new Agent(agentId);
            agents.put(agentId, a);
        }
        if (role != null && !role.equals(a.role)) {
            a.role = role;
        }
        if (!a.window.accepts(tsMicros)) {
            refusedTooOld++;
            return Outcome.EXCLUDED_TOO_OLD;
        }
        observations++;
        final double[] x = raw.clone();
        schema.transform(x);
        if (a.window.advanceTo(tsMicros) && a.refitDue()) {
            a.refit();
        }
        final Cohort roleCohort = a.role == null ? null : cohorts.computeIfAbsent(a.role, r -> new Cohort());
        final Cohort all = cohorts.get(ALL);
        if (roleCohort != null) {
            roleCohort.advanceTo(tsMicros);
        }
        all.advanceTo(tsMicros);

        // Which baseline: own when warm, else the role's cohort, else everyone's.
        Gaussian g = null;
        Moments reference = null;
        String baseline = null;
        if (a.model != null && a.referenceCount >= config.coldObservations()) {
            g = a.model;
            reference = a.reference;
            baseline = "own";
        } else if (roleCohort != null && roleCohort.model() != null) {
            g = roleCohort.model;
            reference = roleCohort.fitted;
            baseline = "cohort:" + a.role;
        } else if (all.model() != null) {
            g = all.model;
            reference = all.fitted;
            baseline = "fleet";
        }
        a.observations++;
        a.lastTsMicros = tsMicros;
        boolean exclude = a.status == AgentStatus.ALARMED;
        final Outcome outcome;
        if (g == null) {
            outcome = Outcome.WARMING_UP;
        } else {
            scored++;
            final double d2 = g.mahalanobis2(x);
            final double llr = Math.max(config.llrMin(), Math.min(config.llrMax(), llr(d2)));
            a.cusum = Math.max(0, a.cusum + llr);
            a.recordScore(tsMicros, d2, llr, baseline);
            exclude |= d2 > excludeD2;
            if (llr > 0 && a.cusum >= config.suspectAt() / 2) {
                a.addEvidence(new Evidence(tsMicros, "observation", baseline, d2, llr, a.cusum, top(x, reference)));
            }
            updateStatus(a, tsMicros);
            outcome = Outcome.SCORED;
        }
        if (exclude) {
            excluded++;
            a.excluded++;
        } else {
            a.window.add(tsMicros, x);
            if (roleCohort != null) {
                roleCohort.add(tsMicros, x);
            }
            all.add(tsMicros, x);
        }
        return outcome;
    }

    /**
     * At the agent bound, makes room by forgetting the agent silent the longest, if it has been
     * silent for longer than the baseline window (its baseline is empty by now anyway). Alarmed
     * agents are never forgotten. O(agents), and only at the bound.
     */
    private boolean evictSilentAgent(final long tsMicros) {
        Agent stalest = null;
        for (final Agent a : agents.values()) {
            if (a.status != AgentStatus.ALARMED && (stalest == null || a.lastTsMicros < stalest.lastTsMicros)) {
                stalest = a;
            }
        }
        if (stalest == null || tsMicros - stalest.lastTsMicros <= config.baselineBuckets() * bucketMicros) {
            return false;
        }
        agents.remove(stalest.id);
        evicted++;
        return true;
    }

    private void updateStatus(final Agent a, final long tsMicros) {
        final AgentStatus before = a.status;
        if (a.status != AgentStatus.ALARMED && a.cusum >= config.alarmAt()) {
            a.status = AgentStatus.ALARMED;
            alarms++;
        } else if (a.status == AgentStatus.NORMAL && a.cusum >= config.suspectAt()) {
            a.status = AgentStatus.SUSPECT;
        } else if (a.status == AgentStatus.SUSPECT && a.cusum == 0) {
            a.status = AgentStatus.NORMAL;
        }
        if (a.status != before) {
            a.statusSinceMicros = tsMicros;
            if (a.status == AgentStatus.ALARMED) {
                a.alarmedMicros = tsMicros;
                a.alarmEvidence = List.copyOf(a.evidence);
            }
            a.addTransition(new Transition(tsMicros, before, a.status, a.cusum));
        }
    }

    /**
     * Operator command: an alarmed or suspect agent goes back to normal with a fresh CUSUM. (No
     * API reaches it yet; until one does, an alarm stays until the daemon restarts.)
     */
    public boolean release(final String agentId, final long tsMicros) {
        final Agent a = agents.get(agentId);
        if (a == null) {
            return false;
        }
        a.cusum = 0;
        if (a.status != AgentStatus.NORMAL) {
            a.addTransition(new Transition(tsMicros, a.status, AgentStatus.NORMAL, 0));
            a.status = AgentStatus.NORMAL;
            a.statusSinceMicros = tsMicros;
        }
        return true;
    }

    private List<Evidence.Deviation> top(final double[] x, final Moments reference) {
        final List<Evidence.Deviation> all = new ArrayList<>(d);
        for (int i = 0; i < d; i++) {
            final double sd = Math.sqrt(reference.variance(i) + config.varianceFloor());
            final double mean = reference.mean(i);
            all.add(new Evidence.Deviation(schema.feature(i).name(), x[i], mean, sd > 0 ? (x[i] - mean) / sd : 0));
        }
        all.sort(Comparator.comparingDouble((Evidence.Deviation v) -> -Math.abs(v.z())).thenComparing(Evidence.Deviation::feature));
        return List.copyOf(all.subList(0, Math.min(TOP_FEATURES, d)));
    }

    /** The baseline model: the statistics with the variance floor on the diagonal, ridged only if singular. */
    private Gaussian fitFloored(final Moments m) {
        final Moments floored = m.copy();
        floored.inflateVariance(config.varianceFloor());
        return Gaussian.fit(floored, Gaussian.Ridge.WHEN_SINGULAR);
    }

    /**
     * A window whose newest {@code lag} + one coarse bucket are kept one by one and whose older
     * buckets are rolled up into roughly hourly ones.
     */
    private BucketWindow newWindow(final int lag) {
        final int rollup = Math.max(1, 3600 / config.bucketSeconds());
        return new BucketWindow(d, config.baselineBuckets(), bucketMicros, Math.min(config.baselineBuckets(), lag + rollup), rollup);
    }

    // ---------------------------------------------------------------- views

    /** The agent's storable state (see {@link AgentRecord}), or null when unknown. */
    public AgentRecord record(final String agentId) {
        final Agent a = agents.get(agentId);
        return a == null ? null : new AgentRecord(a.id, a.role, a.status, a.cusum, a.observations, a.excluded,
            a.lastTsMicros, a.statusSinceMicros, a.alarmedMicros);
    }

    /** One line per agent, ordered by id. */
    public List<AgentSummary> agents() {
        final List<AgentSummary> out = new ArrayList<>(agents.size());
        for (final Agent a : agents.values()) {
            out.add(a.summary());
        }
        return out;
    }

    /** @return the agent's details, or null when unknown. */
    public AgentDetail agent(final String agentId) {
        final Agent a = agents.get(agentId);
        if (a == null) {
            return null;
        }
        final List<FeatureSummary> baseline = new ArrayList<>(d);
        for (int i = 0; i < d; i++) {
            baseline.add(new FeatureSummary(schema.feature(i).name(), schema.feature(i).transform().name().toLowerCase(java.util.Locale.ROOT),
                a.reference.count() == 0 ? Double.NaN : a.reference.mean(i),
                a.reference.count() == 0 ? Double.NaN : Math.sqrt(a.reference.variance(i))));
        }
        return new AgentDetail(a.summary(), a.reference.count(), a.model != null && a.model.ridged(), baseline,
            List.copyOf(a.scores), List.copyOf(a.evidence), a.alarmEvidence, List.copyOf(a.transitions));
    }

    /**
     * This node's local statistics for the fleet tree: the merge, in time order, of every
     * observation in the current baseline window (the newest {@code baselineBuckets} buckets of
     * any agent's reports) that entered a baseline. Anomalous observations are left out here as
     * they are everywhere, so a compromised agent does not drag its cohort's or the fleet's
     * baseline along. O(buckets in the window); a new object every call.
     */
    public Moments windowStatistics() {
        return cohorts.get(ALL).window.mergeOlderThan(0, new Moments(d));
    }

    /** Agents this node tracks now. */
    public int agentCount() {
        return agents.size();
    }

    public Counters counters() {
        int suspect = 0;
        int alarmed = 0;
        for (final Agent a : agents.values()) {
            suspect += a.status == AgentStatus.SUSPECT ? 1 : 0;
            alarmed += a.status == AgentStatus.ALARMED ? 1 : 0;
        }
        return new Counters(agents.size(), suspect, alarmed, observations, scored, excluded, refusedTooOld, refusedAgentsFull,
            evicted, alarms);
    }

    /** Detector-wide counts. */
    public record Counters(int agents, int suspect, int alarmed, long observations, long scored, long excludedFromBaseline,
                           long refusedTooOld, long refusedAgentsFull, long evictedSilent, long alarmsRaised) {
    }

    /** One agent in a list. */
    public record AgentSummary(String agent, String role, AgentStatus status, double cusum, long observations,
                               long excluded, long lastTsMicros, String lastBaseline, double lastD2, long statusSinceMicros,
                               long alarmedMicros) {
    }

    /** One agent in full. */
    public record AgentDetail(AgentSummary summary, long baselineObservations, boolean baselineRidged,
                              List<FeatureSummary> baseline, List<Score> lastScores, List<Evidence> evidence,
                              List<Evidence> alarmEvidence, List<Transition> transitions) {
    }

    /** A baseline feature: mean and standard deviation in transformed units. */
    public record FeatureSummary(String feature, String transform, double mean, double sd) {
    }

    /** One scored observation. */
    public record Score(long tsMicros, double d2, double llr, String baseline) {
    }

    /** A change of status. */
    public record Transition(long tsMicros, AgentStatus from, AgentStatus to, double cusum) {
    }

    // ---------------------------------------------------------------- state

    private final class Agent {
        final String id;
        String role;
        final BucketWindow window = newWindow(config.lagBuckets());
        final Moments reference = new Moments(d);
        long referenceCount;
        long refitBucket = Long.MIN_VALUE / 2;
        Gaussian model;
        double cusum;
        AgentStatus status = AgentStatus.NORMAL;
        long statusSinceMicros = -1;
        long alarmedMicros = -1;
        long observations;
        long excluded;
        long lastTsMicros;
        final ArrayDeque<Score> scores = new ArrayDeque<>();
        final ArrayDeque<Evidence> evidence = new ArrayDeque<>();
        final ArrayDeque<Transition> transitions = new ArrayDeque<>();
        List<Evidence> alarmEvidence = List.of();

        Agent(final String id) {
            this.id = id;
        }

        /**
         * The lagged baseline changes only when the newest bucket moves. A cold agent refits at
         * every move; a warm one every {@link #REFIT_BUCKETS} moves, since an hour-old baseline
         * gains little from being a minute fresher and a refit merges up to a day of buckets.
         */
        boolean refitDue() {
            return referenceCount < config.coldObservations() || window.newest() - refitBucket >= REFIT_BUCKETS;
        }

        void refit() {
            refitBucket = window.newest();
            window.mergeOlderThan(config.lagBuckets(), reference);
            referenceCount = reference.count();
            if (referenceCount < 2) {
                model = null;
                return;
            }
            model = fitFloored(reference);
        }

        void recordScore(final long tsMicros, final double d2, final double llr, final String baseline) {
            scores.addLast(new Score(tsMicros, d2, llr, baseline));
            if (scores.size() > SCORES_MAX) {
                scores.removeFirst();
            }
        }

        void addTransition(final Transition t) {
            transitions.addLast(t);
            if (transitions.size() > EVIDENCE_MAX) {
                transitions.removeFirst();
            }
        }

        void addEvidence(final Evidence e) {
            evidence.addLast(e);
            if (evidence.size() > EVIDENCE_MAX) {
                evidence.removeFirst();
            }
        }

        AgentSummary summary() {
            final Score last = scores.peekLast();
            return new AgentSummary(id, role, status, cusum, observations, excluded, lastTsMicros,
                last == null ? null : last.baseline(), last == null ? Double.NaN : last.d2(), statusSinceMicros, alarmedMicros);
        }
    }

    /** Everyone with one role (or everyone): a baseline for agents too young to have their own. */
    private final class Cohort {
        final BucketWindow window = newWindow(0);
        final Moments fitted = new Moments(d);
        long added;
        long addedAtFit;
        boolean bucketMoved;
        Gaussian model;


        void advanceTo(final long tsMicros) {
            if (window.accepts(tsMicros)) {
                bucketMoved |= window.advanceTo(tsMicros);
            }
        }

        void add(final long tsMicros, final double[] x) {
            if (window.accepts(tsMicros)) {
                window.add(tsMicros, x);
                added++;
            }
        }

        /** Refitted when a bucket moved or the cohort has grown by a quarter since the last fit. */
        Gaussian model() {
            if (model == null || bucketMoved || added >= addedAtFit + Math.max(1, addedAtFit / 4)) {
                window.mergeOlderThan(0, fitted);
                addedAtFit = added;
                bucketMoved = false;
                if (fitted.count() >= config.coldObservations()) {
                    model = fitFloored(fitted);
                } else {
                    model = null;
                }
            }
            return model;
        }
    }
}
