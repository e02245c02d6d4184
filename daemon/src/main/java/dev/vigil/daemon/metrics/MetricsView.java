package dev.vigil.daemon.metrics;

import dev.vigil.accel.Accel;
import dev.vigil.daemon.alerting.Alerting;
import dev.vigil.daemon.core.NodeStatus;
import dev.vigil.daemon.detect.Detector;
import dev.vigil.daemon.history.AgentHistory;
import dev.vigil.daemon.history.Replication;
import dev.vigil.daemon.ingest.IngestRefusals;
import dev.vigil.daemon.ingest.otlp.OtlpIngestStats;
import dev.vigil.daemon.stats.FixedHistogram;
import dev.vigil.daemon.tree.TreeStatus;

import java.util.Map;

/**
 * What one scrape reads: copies of the node's counters, taken together on the core's thread (the
 * accel status and the API's own counters on the API's), immutable from then on.
 *
 * @param version          the daemon's version
 * @param startTimeSeconds when the daemon started, Unix seconds
 * @param scoresD2         D² of every observation the detector scored
 * @param jsonRefusals     what the JSON observation API refused before the detector
 * @param otlp             null when OTLP ingest is off
 * @param alerting         alerts into Alertmanager (read on the API's thread: it has its own lock)
 * @param storeFileBytes   the length of each store file, keyed {@code stores/raw}, {@code consensus/consensus-log}, …
 */
public record MetricsView(String version, double startTimeSeconds, NodeStatus node, TreeStatus tree,
                          Detector.Counters detection, FixedHistogram.Snapshot scoresD2, IngestRefusals.Snapshot jsonRefusals,
                          OtlpIngestStats otlp, Transport transport, AgentHistory.Counters storage, Retention retention,
                          Replication.Counters replication, Committees committees, Verdicts verdicts, Accel.Status accel,
                          Alerting.Status alerting, Map<String, Long> storeFileBytes) {

    /** The outbound peer links, summed over links (links are never forgotten, so the sums never go down). */
    public record Transport(int linksConnected, int framesQueued, long droppedQueueFull, long droppedUnreachable,
                            long connectFailures) {
    }

    /** The stores' retention passes so far, and the time they took. */
    public record Retention(long passes, long nanos) {
    }

    /**
     * This node's committee seats and what their replicas did, seats closed since included.
     *
     * @param seatsByMode          running seats by replica mode
     * @param roundsExecuted       committed batches executed
     * @param commitLatencySeconds this node's evidence requests, from first send to the acknowledgement
     *                             that completed them (ordered, committed and executed by the committee)
     */
    public record Committees(Map<String, Integer> seatsByMode, long roundsExecuted, long viewChanges,
                             Map<String, Long> refusals, FixedHistogram.Snapshot commitLatencySeconds) {
    }

    /**
     * Fleet verdicts on this node: fleet messages by outcome, its side as an observer, the
     * certificates it assembled, received and holds, and what it did about them.
     */
    public record Verdicts(boolean enabled, long messagesAccepted, long messagesIgnored, long messagesHeld,
                           Map<String, Long> messagesRefused, long evidenceRecordsSent, long evidenceRequestsSent,
                           long evidenceSentBytes, long evidenceRecordsApplied, int requestsInFlight, long requestsDone,
                           long requestResends, long recordsDropped, long certificatesAssembled, long certificatesReceived,
                           int convictionsHeld, int releasesHeld, long webhooksDelivered, long webhooksFailed,
                           long commandsRun, long commandsFailed, long responsesDropped) {
    }
}
