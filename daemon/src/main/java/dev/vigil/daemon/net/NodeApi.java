package dev.vigil.daemon.net;

import dev.vigil.daemon.api.OperatorCommand;
import dev.vigil.daemon.detect.DetectionConfig;
import dev.vigil.daemon.detect.Detector;
import dev.vigil.daemon.detect.FeatureSchema;
import dev.vigil.daemon.history.Series;
import dev.vigil.daemon.ingest.IngestRefusals;
import dev.vigil.daemon.ingest.ObservationBatch;
import dev.vigil.daemon.metrics.MetricsView;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the HTTP API may ask of the node: the few operations its routes need, each answered on the
 * core's thread through a future (which fails once the node is stopping). {@link Daemon} is the
 * implementation; {@link ApiServer} sees nothing else of it.
 */
interface NodeApi {
    /** The schema observations are validated against (any thread). */
    FeatureSchema schema();

    /** The detection settings ingest checks against: future skew, agent bound (any thread). */
    DetectionConfig detection();

    /** Status and transport counters together, taken in one go. */
    CompletableFuture<StatusJson.View> statusView();

    /** Every counter {@code GET /metrics} shows, taken in one go. */
    CompletableFuture<MetricsView> metricsView();

    /** A view in the Prometheus text format (any thread; scrapes are serialised). */
    byte[] metricsText(MetricsView view);

    /** Where the JSON ingest counts what it refused before the detector (any thread). */
    IngestRefusals ingestRefusals();

    /** The tree snapshot and the node status (for measured RTTs) together. */
    CompletableFuture<TreeJson.View> treeView();

    /**
     * Scores a validated batch and stores what was accepted; completes once every accepted row is
     * in the stores, so a reply sent after it acknowledges only stored observations.
     */
    CompletableFuture<Observed> observe(List<ObservationBatch.Row> rows);

    /** Every agent the detector tracks, ordered by id. */
    CompletableFuture<List<Detector.AgentSummary>> agents();

    /** One agent in full; null when unknown. */
    CompletableFuture<Detector.AgentDetail> agent(String agentId);

    /**
     * An agent's series (see {@link dev.vigil.daemon.history.AgentHistory#series}); null when
     * unknown, failed with {@link IllegalArgumentException} for a range it cannot answer.
     */
    CompletableFuture<Series> series(String agentId, long fromMicros, long toMicros, long stepMicros, long nowMicros);

    /** The verdict certificates this node holds, newest first. */
    CompletableFuture<List<dev.vigil.daemon.verdict.VerdictBook.Entry>> verdicts();

    /** One held verdict with its certificate and the check of it; null when not held. */
    CompletableFuture<ApiJson.VerdictView> verdict(String id);

    /** The fleet's standing verdict on an agent (its latest conviction not retracted), or null. */
    CompletableFuture<dev.vigil.daemon.verdict.VerdictBook.Entry> standing(String agentId);

    /** Carries out a signed release (see {@link OperatorCommands#release}). */
    CompletableFuture<Release> release(OperatorCommand command);

    /** Takes the operator's release certificate of the held conviction {@code verdictId} (see {@link VerdictHost#release}). */
    CompletableFuture<VerdictRelease> releaseVerdict(String verdictId, dev.vigil.crypto.verdict.VerdictCertificate release);

    /** What became of a batch: outcomes in row order, and why the stores refused rows, if they did. */
    record Observed(List<Detector.Outcome> outcomes, String storeRefusal) {
    }

    /**
     * What became of an operator release of a verdict.
     *
     * @param problem   null when taken
     * @param releaseId the release's verdict id when taken
     */
    record VerdictRelease(Status status, String problem, String releaseId) {
        enum Status {
            /** Verified, kept, flooded and queued for the committee. */
            TAKEN,
            /** Not a valid operator release of that conviction. */
            INVALID,
            /** The conviction it names is not held here. */
            UNKNOWN,
            /** The committee's queue of releases is full: try again. */
            BUSY
        }

        static VerdictRelease invalid(final String problem) {
            return new VerdictRelease(Status.INVALID, problem, null);
        }
    }

    /** What became of a release: null problem when done. */
    record Release(String problem, boolean wasPinned, boolean unknownAgent) {
    }
}
