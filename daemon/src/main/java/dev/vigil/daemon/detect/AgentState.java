package dev.vigil.daemon.detect;

import dev.vigil.accel.MomentsBatch;
import dev.vigil.daemon.stats.Gaussian;
import dev.vigil.daemon.stats.Moments;

import java.util.ArrayDeque;
import java.util.List;

/**
 * One agent as the {@link Detector} tracks it: its own baseline (a lagged window of bucket
 * statistics and the Gaussian fitted to it), CUSUM and status, counts, and bounded lists of its
 * last scores, evidence and status changes. The detector reads and changes the fields directly;
 * what is here keeps the bounds and the refit rule in one place. Single-threaded, like the detector.
 */
final class AgentState {
    /** Evidence and transitions kept per agent (the newest). */
    static final int EVIDENCE_MAX = 8;
    /** Scores kept per agent (the newest). */
    static final int SCORES_MAX = 32;
    /** A warm agent's lagged baseline is refitted every this many bucket moves. */
    static final int REFIT_BUCKETS = 5;

    private final DetectionConfig config;
    final String id;
    String role;
    final BucketWindow window;
    final Moments reference;
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
    final ArrayDeque<Detector.Score> scores = new ArrayDeque<>();
    final ArrayDeque<Evidence> evidence = new ArrayDeque<>();
    final ArrayDeque<Detector.Transition> transitions = new ArrayDeque<>();
    List<Evidence> alarmEvidence = List.of();
    double fleetDriftD2 = Double.NaN;
    long fleetDriftMicros = -1;
    boolean fleetDrifting;
    /** Read back from the stores, its baseline window not rebuilt yet (see {@link Restoration}). */
    boolean pendingRestore;

    AgentState(final String id, final DetectionConfig config, final int dimension) {
        this.id = id;
        this.config = config;
        this.window = Baselines.newWindow(config, dimension, config.lagBuckets());
        this.reference = new Moments(dimension);
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
        fitReference();
    }

    /**
     * {@link #refit} with the window's merge made elsewhere, by a batch merge of several agents'
     * windows (see {@link Restoration}): entry {@code entry} of {@code merged}.
     */
    void refitFrom(final MomentsBatch merged, final int entry) {
        refitBucket = window.newest();
        reference.copyFrom(merged, entry);
        fitReference();
    }

    private void fitReference() {
        referenceCount = reference.count();
        if (referenceCount < 2) {
            model = null;
            return;
        }
        model = Baselines.fitFloored(reference, config.varianceFloor());
    }

    void recordScore(final long tsMicros, final double d2, final double llr, final String baseline) {
        scores.addLast(new Detector.Score(tsMicros, d2, llr, baseline));
        if (scores.size() > SCORES_MAX) {
            scores.removeFirst();
        }
    }

    void addTransition(final Detector.Transition t) {
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

    /** The storable state (see {@link AgentRecord}). */
    AgentRecord record() {
        return new AgentRecord(id, role, status, cusum, observations, excluded, lastTsMicros, statusSinceMicros, alarmedMicros);
    }

    Detector.AgentSummary summary() {
        final Detector.Score last = scores.peekLast();
        return new Detector.AgentSummary(id, role, status, cusum, observations, excluded, lastTsMicros,
            last == null ? null : last.baseline(), last == null ? Double.NaN : last.d2(), statusSinceMicros, alarmedMicros,
            Double.isNaN(fleetDriftD2) ? null : fleetDriftD2, fleetDriftMicros);
    }
}
