package dev.vigil.daemon.detect;

import dev.vigil.accel.JavaKernels;
import dev.vigil.accel.Kernels;
import dev.vigil.daemon.stats.FixedHistogram;
import dev.vigil.daemon.stats.Gaussian;
import dev.vigil.daemon.stats.Moments;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * Scores every agent's observations against its own baseline and keeps its evidence and state.
 *
 * <p>For each observation x (transformed feature vector) of agent A:
 * <ol>
 *   <li>Baseline: A's own Gaussian ("own"), fitted on A's non-anomalous observations in the
 *       sliding window except the most recent {@code lagBuckets}. While that holds fewer than
 *       {@code coldObservations}, the first of these that holds at least as many: this host's
 *       agents of A's role ("cohort:ROLE"); A's cluster in the fleet tree ("cluster", every agent
 *       of the cluster's hosts); this host's agents ("host"); the whole fleet ("fleet", the
 *       tree's root merge). The tree's two arrive through {@link #setTreeBaselines}.</li>
 *   <li>D² = squared Mahalanobis distance of x from that baseline.</li>
 *   <li>LLR = log N(x; μ, k²Σ) − log N(x; μ, Σ) = −d·ln k + D²·(1 − 1/k²)/2, clipped to
 *       [llrMin, llrMax] so that no single observation decides.</li>
 *   <li>CUSUM S ← max(0, S + LLR); suspect at S ≥ suspectAt, alarmed at S ≥ alarmAt
 *       (sticky). Back to normal from suspect when S returns to 0.</li>
 *   <li>x enters A's buckets and its cohort's unless D² is above the χ²_d quantile
 *       {@code excludeQuantile} or A is alarmed: anomalous behaviour never becomes the norm.</li>
 * </ol>
 * Fleet drift: whenever a warm agent's own baseline is refitted while a fleet baseline is held,
 * the squared Mahalanobis distance of that baseline's mean from the fleet's Gaussian is kept on
 * the agent ({@code fleetDriftD2}); when it first rises above the same χ²_d quantile a
 * "fleet-drift" {@link Evidence} is recorded. Drift never moves the CUSUM or the status: agents
 * legitimately differ from the fleet, so it is evidence for a committee to weigh, not an alarm.
 * Single-threaded; time comes from the observations' timestamps only.
 */
public final class Detector {
    private static final int TOP_FEATURES = 3;
    /** Bucket bounds of the score histogram (D² of scored observations): see {@link #scoreHistogram}. */
    static final double[] SCORE_D2_BOUNDS = {2, 4, 6, 8, 10, 12, 15, 20, 25, 30, 40, 60, 100, 250, 1000};

    /** What became of one observation. */
    public enum Outcome {
        SCORED, WARMING_UP, EXCLUDED_TOO_OLD, REFUSED_AGENTS_FULL,
        /** The node's stores could not take it (full, or the agent's per-minute bound). */
        REFUSED_STORE;

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
    private final TreeMap<String, AgentState> agents = new TreeMap<>();
    private final Baselines baselines;
    private final Restoration restoration;
    private long observations;
    private long scored;
    private long excluded;
    private long refusedTooOld;
    private long refusedAgentsFull;
    private long evicted;
    private long alarms;
    private long refusedStore;
    private String lastStoreRefusal;
    private Journal journal = Journal.NONE;
    /**
     * D² of every scored observation, for the metrics. Bounds around the null's χ²_d (mean d, 10 at the
     * default ten features; its 0.999 quantile 29.6 there), and out into the tail where alarms come from.
     */
    private final FixedHistogram scoreD2 = new FixedHistogram(SCORE_D2_BOUNDS);

    /** A detector whose batch work (the rebuild of baselines after a restart) runs in Java. */
    public Detector(final FeatureSchema schema, final DetectionConfig config) {
        this(schema, config, JavaKernels.INSTANCE);
    }

    /** @param kernels where the rebuild of baselines after a restart merges windows (see {@link #restorePending}) */
    public Detector(final FeatureSchema schema, final DetectionConfig config, final Kernels kernels) {
        this.schema = schema;
        this.config = config;
        this.d = schema.size();
        this.bucketMicros = config.bucketSeconds() * 1_000_000L;
        this.excludeD2 = ChiSquare.quantile(d, config.excludeQuantile());
        this.llrOffset = -d * Math.log(config.inflation());
        this.llrSlope = 0.5 * (1 - 1 / (config.inflation() * config.inflation()));
        this.baselines = new Baselines(config, d);
        this.restoration = new Restoration(schema, config, agents, baselines, kernels);
    }

    public FeatureSchema schema() {
        return schema;
    }

    public DetectionConfig config() {
        return config;
    }

    /** Told of every scored observation: the evidence an observer sends its agents' committees comes from here. */
    @FunctionalInterface
    public interface ScoreListener {
        void scored(String agent, double llr, double cusumAfter);
    }

    private ScoreListener scoreListener = (agent, llr, cusum) -> { };

    public void setScoreListener(final ScoreListener listener) {
        this.scoreListener = listener;
    }

    /**
     * Told of every change of an agent's status as it happens: a scored observation, an operator
     * release, or an agent adopted with the status its previous node replicated ({@code from} normal).
     * Not told of the statuses read back at a restart: ask {@link #agents()} for those.
     */
    @FunctionalInterface
    public interface StatusListener {
        /** @param alarmEvidence the evidence that raised the alarm when {@code change.to()} is alarmed, else empty */
        void changed(String agent, String role, Transition change, List<Evidence> alarmEvidence);
    }

    private StatusListener statusListener = (agent, role, change, evidence) -> { };

    public void setStatusListener(final StatusListener listener) {
        this.statusListener = listener;
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
        AgentState a = agents.get(agentId);
        if (a != null && a.pendingRestore) {
            restoration.rebuild(a, journal);
        }
        final String storeRefusal = journal.refusal(agentId, tsMicros);
        if (storeRefusal != null) {
            refusedStore++;
            lastStoreRefusal = storeRefusal;
            return Outcome.REFUSED_STORE;
        }
        if (a == null) {
            if (agents.size() >= config.agentsMax() && !evictSilentAgent(tsMicros)) {
                refusedAgentsFull++;
                return Outcome.REFUSED_AGENTS_FULL;
            }
            a = new AgentState(agentId, config, d);
            agents.put(agentId, a);
            restoration.adopt(a, journal.adopted(agentId), tsMicros);
            if (a.status != AgentStatus.NORMAL) {
                statusListener.changed(a.id, a.role, new Transition(tsMicros, AgentStatus.NORMAL, a.status, a.cusum), List.of());
            }
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
            updateFleetDrift(a, tsMicros);
        }
        final Baselines.Cohort roleCohort = baselines.role(a.role);
        final Baselines.Cohort all = baselines.host();
        if (roleCohort != null) {
            roleCohort.advanceTo(tsMicros);
        }
        all.advanceTo(tsMicros);
        final Baselines.Choice baseline = baselines.choose(a, roleCohort, all);
        a.observations++;
        a.lastTsMicros = tsMicros;
        boolean exclude = a.status == AgentStatus.ALARMED;
        final Outcome outcome;
        if (baseline == null) {
            outcome = Outcome.WARMING_UP;
        } else {
            scored++;
            final double d2 = baseline.model().mahalanobis2(x);
            scoreD2.record(d2);
            final double llr = Math.max(config.llrMin(), Math.min(config.llrMax(), llr(d2)));
            a.cusum = Math.max(0, a.cusum + llr);
            a.recordScore(tsMicros, d2, llr, baseline.label());
            scoreListener.scored(a.id, llr, a.cusum);
            exclude |= d2 > excludeD2;
            if (llr > 0 && a.cusum >= config.suspectAt() / 2) {
                a.addEvidence(new Evidence(tsMicros, "observation", baseline.label(), d2, llr, a.cusum,
                    top(x, baseline.reference())));
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
        try {
            final Score last = a.scores.peekLast();
            journal.accepted(a.record(), tsMicros, raw, !exclude,
                outcome == Outcome.SCORED && last != null ? last.d2() : Double.NaN);
        } catch (final StoreRefusal e) {
            // Rare (a store filled up between the check and the write): not acknowledged, so not
            // lost; the in-memory state already holds it until the next restart.
            refusedStore++;
            lastStoreRefusal = e.getMessage();
            return Outcome.REFUSED_STORE;
        }
        return outcome;
    }

    /**
     * The agent's own baseline statistics (transformed units, its lagged window), or null when
     * unknown or it has none yet: what is replicated to other nodes.
     */
    public Moments ownBaseline(final String agentId) {
        final AgentState a = agents.get(agentId);
        if (a == null || a.pendingRestore || a.referenceCount == 0) {
            return null;
        }
        return a.reference.copy();
    }

    /** Where accepted observations are recorded (the node's history); {@link Journal#NONE} by default. */
    public void setJournal(final Journal journal) {
        this.journal = journal;
    }

    /** Why the last observation refused by the stores was refused, or null. */
    public String lastStoreRefusal() {
        return lastStoreRefusal;
    }

    /**
     * Takes back agents from the stores after a restart: status, CUSUM and counts at once; each
     * baseline window is rebuilt from the journal's raw observations when the agent is next
     * touched, or by {@link #restorePending}, whichever comes first. Cohort windows fill as
     * agents are rebuilt.
     */
    public void restore(final List<AgentRecord> records) {
        restoration.readBack(records);
    }

    /**
     * Rebuilds up to {@code max} pending agents' baseline windows (see {@link #restore}).
     *
     * @return agents still pending
     */
    public int restorePending(final int max) {
        return restoration.rebuildPending(max, journal);
    }

    /**
     * The fleet tree's baselines, handed down: the merge of this node's level-0 cluster
     * ({@code cohort}) and the root's merge ({@code fleet}), both of transformed feature vectors
     * in this detector's schema; either may be null (not placed yet, nothing merged yet). Each
     * replaces what was held before and is copied; its Gaussian is fitted when first needed. One
     * with another dimension or fewer than {@code coldObservations} observations is not taken
     * (counted in {@link Counters#treeBaselinesRefused}) and leaves none held in its place: a
     * thinner merge than a cold agent's own would need is no baseline to score it against.
     */
    public void setTreeBaselines(final Moments cohort, final Moments fleet) {
        baselines.setTreeBaselines(cohort, fleet);
    }

    /**
     * Scores the agent's freshly refitted own baseline against the fleet: D² of its mean from the
     * fleet's Gaussian. A cold agent's baseline is too thin to say where it sits, so it has no
     * drift; without a fleet baseline the last one stays, with the time it was computed. Evidence
     * is recorded when the drift first rises above the threshold, not at every refit while it
     * stays there, so that a standing difference does not crowd the observations out of the
     * bounded evidence list.
     */
    private void updateFleetDrift(final AgentState a, final long tsMicros) {
        if (a.model == null || a.referenceCount < config.coldObservations()) {
            a.fleetDriftD2 = Double.NaN;
            a.fleetDriftMicros = -1;
            a.fleetDrifting = false;
            return;
        }
        final Gaussian fleet = baselines.fleetModel();
        if (fleet == null) {
            return;
        }
        final double[] mean = a.reference.mean();
        final double d2 = fleet.mahalanobis2(mean);
        a.fleetDriftD2 = d2;
        a.fleetDriftMicros = tsMicros;
        final boolean drifting = d2 > excludeD2;
        if (drifting && !a.fleetDrifting) {
            // llr 0: nothing is added to the CUSUM for drift
            a.addEvidence(new Evidence(tsMicros, "fleet-drift", "fleet", d2, 0, a.cusum, top(mean, baselines.fleetMoments())));
        }
        a.fleetDrifting = drifting;
    }

    /**
     * At the agent bound, makes room by forgetting the agent silent the longest, if it has been
     * silent for longer than the baseline window (its baseline is empty by now anyway). Alarmed
     * agents are never forgotten. O(agents), and only at the bound.
     */
    private boolean evictSilentAgent(final long tsMicros) {
        AgentState stalest = null;
        for (final AgentState a : agents.values()) {
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

    private void updateStatus(final AgentState a, final long tsMicros) {
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
            final Transition change = new Transition(tsMicros, before, a.status, a.cusum);
            a.addTransition(change);
            statusListener.changed(a.id, a.role, change, a.status == AgentStatus.ALARMED ? a.alarmEvidence : List.of());
        }
    }

    /**
     * Operator command ({@code POST /v1/agents/{id}/release}, signed): an alarmed or suspect
     * agent goes back to normal with a fresh CUSUM.
     */
    public boolean release(final String agentId, final long tsMicros) {
        final AgentState a = agents.get(agentId);
        if (a == null) {
            return false;
        }
        a.cusum = 0;
        if (a.status != AgentStatus.NORMAL) {
            final Transition change = new Transition(tsMicros, a.status, AgentStatus.NORMAL, 0);
            a.addTransition(change);
            a.status = AgentStatus.NORMAL;
            a.statusSinceMicros = tsMicros;
            statusListener.changed(a.id, a.role, change, List.of());
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

    // ---------------------------------------------------------------- views

    /** The agent's storable state (see {@link AgentRecord}), or null when unknown. */
    public AgentRecord record(final String agentId) {
        final AgentState a = agents.get(agentId);
        return a == null ? null : a.record();
    }

    /** Up to {@code max} agents with ids after {@code after}, in id order (bounded scans). */
    public List<AgentSummary> agentsAfter(final String after, final int max) {
        final List<AgentSummary> out = new ArrayList<>(Math.min(max, agents.size()));
        for (final AgentState a : agents.tailMap(after, false).values()) {
            if (out.size() >= max) {
                break;
            }
            out.add(a.summary());
        }
        return out;
    }

    /** One line per agent, ordered by id. */
    public List<AgentSummary> agents() {
        final List<AgentSummary> out = new ArrayList<>(agents.size());
        for (final AgentState a : agents.values()) {
            out.add(a.summary());
        }
        return out;
    }

    /** @return the agent's details, or null when unknown. */
    public AgentDetail agent(final String agentId) {
        final AgentState a = agents.get(agentId);
        if (a == null) {
            return null;
        }
        if (a.pendingRestore) {
            restoration.rebuild(a, journal);
        }
        final List<FeatureSummary> baseline = new ArrayList<>(d);
        for (int i = 0; i < d; i++) {
            baseline.add(new FeatureSummary(schema.feature(i).name(), schema.feature(i).transform().name().toLowerCase(java.util.Locale.ROOT),
                a.reference.count() == 0 ? Double.NaN : a.reference.mean(i),
                a.reference.count() == 0 ? Double.NaN : Math.sqrt(a.reference.variance(i))));
        }
        return new AgentDetail(a.summary(), a.reference.count(), a.model != null && a.model.ridged(), baseline,
            cohortBaseline(a.role), List.copyOf(a.scores), List.copyOf(a.evidence), a.alarmEvidence, List.copyOf(a.transitions));
    }

    /** The baseline of this host's agents of {@code role}, as the window holds it now; null for no role or an empty cohort. */
    private CohortBaseline cohortBaseline(final String role) {
        if (role == null) {
            return null;
        }
        final Moments m = baselines.role(role).current();
        if (m.count() == 0) {
            return null;
        }
        final List<FeatureSummary> features = new ArrayList<>(d);
        for (int i = 0; i < d; i++) {
            features.add(new FeatureSummary(schema.feature(i).name(), schema.feature(i).transform().name().toLowerCase(java.util.Locale.ROOT),
                m.mean(i), Math.sqrt(m.variance(i))));
        }
        return new CohortBaseline("cohort:" + role, m.count(), features);
    }

    /**
     * This node's local statistics for the fleet tree: the merge, in time order, of every
     * observation in the current baseline window (the newest {@code baselineBuckets} buckets of
     * any agent's reports) that entered a baseline. Anomalous observations are left out here as
     * they are everywhere, so a compromised agent does not drag its cohort's or the fleet's
     * baseline along. O(buckets in the window); a new object every call.
     */
    public Moments windowStatistics() {
        return baselines.windowStatistics();
    }

    /** Agents this node tracks now. */
    public int agentCount() {
        return agents.size();
    }

    /** The D² of every observation scored so far, in fixed buckets (see {@link #SCORE_D2_BOUNDS}). */
    public FixedHistogram.Snapshot scoreHistogram() {
        return scoreD2.snapshot();
    }

    public Counters counters() {
        int suspect = 0;
        int alarmed = 0;
        int fleetDrifting = 0;
        for (final AgentState a : agents.values()) {
            suspect += a.status == AgentStatus.SUSPECT ? 1 : 0;
            alarmed += a.status == AgentStatus.ALARMED ? 1 : 0;
            fleetDrifting += a.fleetDrifting ? 1 : 0;
        }
        return new Counters(agents.size(), suspect, alarmed, observations, scored, excluded, refusedTooOld, refusedAgentsFull,
            evicted, alarms, fleetDrifting, baselines.treeBaselinesRefused(), refusedStore, restoration.pending(), restoration.adopted());
    }

    /**
     * Detector-wide counts.
     *
     * @param fleetDrifting         agents whose last fleet drift was above the threshold
     * @param treeBaselinesRefused  tree baselines not taken (wrong dimension, too few observations)
     * @param refusedStore          observations the node's stores could not take
     * @param restorePending        agents read back after a restart whose baseline is not rebuilt yet
     * @param adopted               agents that arrived with a replica of their baseline from another node
     */
    public record Counters(int agents, int suspect, int alarmed, long observations, long scored, long excludedFromBaseline,
                           long refusedTooOld, long refusedAgentsFull, long evictedSilent, long alarmsRaised,
                           int fleetDrifting, long treeBaselinesRefused, long refusedStore, int restorePending,
                           long adopted) {
    }

    /**
     * One agent in a list.
     *
     * @param lastBaseline     what the last observation was scored against: "own", "cohort:ROLE",
     *                         "cluster", "host" or "fleet"; null before the first score
     * @param fleetDriftD2     D² of the own baseline's mean from the fleet baseline at the last
     *                         refit that could compute it, or null (cold, or no fleet baseline yet)
     * @param fleetDriftMicros when it was computed (observation time), -1 never
     */
    public record AgentSummary(String agent, String role, AgentStatus status, double cusum, long observations,
                               long excluded, long lastTsMicros, String lastBaseline, double lastD2, long statusSinceMicros,
                               long alarmedMicros, Double fleetDriftD2, long fleetDriftMicros) {
    }

    /** One agent in full. */
    public record AgentDetail(AgentSummary summary, long baselineObservations, boolean baselineRidged,
                              List<FeatureSummary> baseline, CohortBaseline cohortBaseline, List<Score> lastScores,
                              List<Evidence> evidence, List<Evidence> alarmEvidence, List<Transition> transitions) {
    }

    /**
     * The baseline of the agent's cohort (this host's agents of its role) over the current window,
     * observations that entered a baseline only: what the agent's own baseline is compared with.
     *
     * @param cohort       "cohort:ROLE"
     * @param observations observations in the window
     */
    public record CohortBaseline(String cohort, long observations, List<FeatureSummary> features) {
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
}
