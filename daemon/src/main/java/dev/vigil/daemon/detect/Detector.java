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
    private static final int EVIDENCE_MAX = 8;
    private static final int SCORES_MAX = 32;
    private static final int TOP_FEATURES = 3;
    /** A warm agent's lagged baseline is refitted every this many bucket moves. */
    private static final int REFIT_BUCKETS = 5;
    private static final String ALL = "";

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
    private final TreeMap<String, Agent> agents = new TreeMap<>();
    private final TreeMap<String, Cohort> cohorts = new TreeMap<>();
    /** The fleet tree's merge of this node's level-0 cluster, or null. */
    private TreeBaseline treeCohort;
    /** The fleet tree's root merge, or null. */
    private TreeBaseline treeFleet;
    private long observations;
    private long scored;
    private long excluded;
    private long refusedTooOld;
    private long refusedAgentsFull;
    private long evicted;
    private long alarms;
    private long treeBaselinesRefused;
    private long refusedStore;
    private long adopted;
    private String lastStoreRefusal;
    private Journal journal = Journal.NONE;
    /** Agents read back from the stores whose baseline window is not rebuilt yet, oldest first. */
    private final ArrayDeque<String> pendingRestore = new ArrayDeque<>();

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
        if (a != null && a.pendingRestore) {
            restore(a);
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
            a = new Agent(agentId);
            agents.put(agentId, a);
            adopt(a, journal.adopted(agentId), tsMicros);
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
        final Cohort roleCohort = a.role == null ? null : cohorts.computeIfAbsent(a.role, r -> new Cohort());
        final Cohort all = cohorts.get(ALL);
        if (roleCohort != null) {
            roleCohort.advanceTo(tsMicros);
        }
        all.advanceTo(tsMicros);

        // Which baseline: own when warm, else from the narrowest to the broadest group of agents.
        // The local role cohort goes before the tree's cluster: the cluster's merge has no roles
        // (every agent of the cluster's hosts), so its covariance carries the spread between roles
        // and a deviation that is large for the role can look ordinary against the mix; the role
        // cohort is also fitted from this host's own current buckets, while the tree's merge is up
        // to a publish interval older and has passed through heads. The cluster goes before this host's
        // agents, the same kind of role-less mix, because it covers them and its neighbours' too,
        // so a host with few agents does not make the norm; the fleet comes last, farthest from
        // anything local, for a node whose cluster has nothing yet.
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
        } else if (treeCohort != null && treeCohort.model() != null) {
            g = treeCohort.model;
            reference = treeCohort.moments;
            baseline = "cluster";
        } else if (all.model() != null) {
            g = all.model;
            reference = all.fitted;
            baseline = "host";
        } else if (treeFleet != null && treeFleet.model() != null) {
            g = treeFleet.model;
            reference = treeFleet.moments;
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
        try {
            final Score last = a.scores.peekLast();
            journal.accepted(recordOf(a), tsMicros, raw, !exclude,
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
     * Takes over an agent that moved here from another node: its status, CUSUM and counts, and its
     * own baseline as the statistics of a bucket just older than the lag, so it is scored against
     * its own history at once and that history leaves the window when its time is up.
     */
    private void adopt(final Agent a, final Journal.Adopted from, final long tsMicros) {
        if (from == null || from.baseline() == null || from.baseline().dimension() != d) {
            return;
        }
        final AgentRecord r = from.record();
        a.takeState(r);
        final long at = Math.min(tsMicros, r.lastTsMicros()) - (config.lagBuckets() + 1L) * bucketMicros;
        a.window.advanceTo(at);
        a.window.addAll(at, from.baseline());
        adopted++;
    }

    /**
     * The agent's own baseline statistics (transformed units, its lagged window), or null when
     * unknown or it has none yet: what is replicated to other nodes.
     */
    public Moments ownBaseline(final String agentId) {
        final Agent a = agents.get(agentId);
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
        for (final AgentRecord r : records) {
            final Agent a = new Agent(r.id());
            a.takeState(r);
            a.lastTsMicros = r.lastTsMicros();
            a.pendingRestore = true;
            agents.put(a.id, a);
            pendingRestore.addLast(a.id);
        }
    }

    /**
     * Rebuilds up to {@code max} pending agents' baseline windows.
     *
     * @return agents still pending
     */
    public int restorePending(final int max) {
        for (int i = 0; i < max && !pendingRestore.isEmpty(); i++) {
            final Agent a = agents.get(pendingRestore.pollFirst());
            if (a != null && a.pendingRestore) {
                restore(a);
            }
        }
        return pendingRestore.size();
    }

    /**
     * Replays an agent's stored observations of its baseline window: each moves the window as it
     * did when it arrived, and those that entered the baseline enter it again (and the cohorts'),
     * in their order. The own baseline is then refitted.
     */
    private void restore(final Agent a) {
        a.pendingRestore = false;
        final long from = a.lastTsMicros - (long)(config.baselineBuckets() + 1) * bucketMicros;
        final Cohort roleCohort = a.role == null ? null : cohorts.computeIfAbsent(a.role, r -> new Cohort());
        final Cohort all = cohorts.get(ALL);
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
     * The fleet tree's baselines, handed down: the merge of this node's level-0 cluster
     * ({@code cohort}) and the root's merge ({@code fleet}), both of transformed feature vectors
     * in this detector's schema; either may be null (not placed yet, nothing merged yet). Each
     * replaces what was held before and is copied; its Gaussian is fitted when first needed. One
     * with another dimension or fewer than {@code coldObservations} observations is not taken
     * (counted in {@link Counters#treeBaselinesRefused}) and leaves none held in its place: a
     * thinner merge than a cold agent's own would need is no baseline to score it against.
     */
    public void setTreeBaselines(final Moments cohort, final Moments fleet) {
        treeCohort = treeBaseline(cohort);
        treeFleet = treeBaseline(fleet);
    }

    private TreeBaseline treeBaseline(final Moments m) {
        if (m == null) {
            return null;
        }
        if (m.dimension() != d || m.count() < config.coldObservations()) {
            treeBaselinesRefused++;
            return null;
        }
        return new TreeBaseline(m.copy());
    }

    /**
     * Scores the agent's freshly refitted own baseline against the fleet: D² of its mean from the
     * fleet's Gaussian. A cold agent's baseline is too thin to say where it sits, so it has no
     * drift; without a fleet baseline the last one stays, with the time it was computed. Evidence
     * is recorded when the drift first rises above the threshold, not at every refit while it
     * stays there, so that a standing difference does not crowd the observations out of the
     * bounded evidence list.
     */
    private void updateFleetDrift(final Agent a, final long tsMicros) {
        if (a.model == null || a.referenceCount < config.coldObservations()) {
            a.fleetDriftD2 = Double.NaN;
            a.fleetDriftMicros = -1;
            a.fleetDrifting = false;
            return;
        }
        final Gaussian fleet = treeFleet == null ? null : treeFleet.model();
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
            a.addEvidence(new Evidence(tsMicros, "fleet-drift", "fleet", d2, 0, a.cusum, top(mean, treeFleet.moments)));
        }
        a.fleetDrifting = drifting;
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
     * Operator command ({@code POST /v1/agents/{id}/release}, signed): an alarmed or suspect
     * agent goes back to normal with a fresh CUSUM.
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
        return a == null ? null : recordOf(a);
    }

    private static AgentRecord recordOf(final Agent a) {
        return new AgentRecord(a.id, a.role, a.status, a.cusum, a.observations, a.excluded,
            a.lastTsMicros, a.statusSinceMicros, a.alarmedMicros);
    }

    /** Up to {@code max} agents with ids after {@code after}, in id order (bounded scans). */
    public List<AgentSummary> agentsAfter(final String after, final int max) {
        final List<AgentSummary> out = new ArrayList<>(Math.min(max, agents.size()));
        for (final Agent a : agents.tailMap(after, false).values()) {
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
        if (a.pendingRestore) {
            restore(a);
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
        int fleetDrifting = 0;
        for (final Agent a : agents.values()) {
            suspect += a.status == AgentStatus.SUSPECT ? 1 : 0;
            alarmed += a.status == AgentStatus.ALARMED ? 1 : 0;
            fleetDrifting += a.fleetDrifting ? 1 : 0;
        }
        return new Counters(agents.size(), suspect, alarmed, observations, scored, excluded, refusedTooOld, refusedAgentsFull,
            evicted, alarms, fleetDrifting, treeBaselinesRefused, refusedStore, pendingRestore.size(), adopted);
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
        double fleetDriftD2 = Double.NaN;
        long fleetDriftMicros = -1;
        boolean fleetDrifting;

        boolean pendingRestore;

        Agent(final String id) {
            this.id = id;
        }

        /** Status, CUSUM and counts from a stored or replicated record (not its last timestamp). */
        void takeState(final AgentRecord r) {
            role = r.role();
            status = r.status();
            cusum = r.cusum();
            observations = r.observations();
            excluded = r.excluded();
            statusSinceMicros = r.statusSinceMicros();
            alarmedMicros = r.alarmedMicros();
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
                last == null ? null : last.baseline(), last == null ? Double.NaN : last.d2(), statusSinceMicros, alarmedMicros,
                Double.isNaN(fleetDriftD2) ? null : fleetDriftD2, fleetDriftMicros);
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

    /** A baseline handed down by the fleet tree: a private copy, fitted on first use. */
    private final class TreeBaseline {
        final Moments moments;
        boolean fitted;
        Gaussian model;

        TreeBaseline(final Moments moments) {
            this.moments = moments;
        }

        /** @return null when the statistics cannot be fitted (no spread even with the floor). */
        Gaussian model() {
            if (!fitted) {
                model = fitFloored(moments);
                fitted = true;
            }
            return model;
        }
    }
}
