package dev.vigil.daemon.metrics;

import dev.vigil.daemon.alerting.AlertTarget;
import dev.vigil.daemon.core.FrameCounters;
import dev.vigil.daemon.core.NodeStatus;
import dev.vigil.daemon.core.PeerState;
import dev.vigil.daemon.tree.TreeStatus;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * One daemon's metrics: a registry of its own (never the process-wide default: tests and the demo
 * run several daemons in one JVM) holding callback metrics over a {@link MetricsView}, and the
 * JVM's metrics. {@link #scrape} renders one view in the Prometheus text format; scrapes are
 * serialised, each reading only the view it was given.
 *
 * <p>Names follow Prometheus conventions: {@code vigil_} first, counters end in {@code _total},
 * units are base units named last ({@code _seconds}, {@code _bytes}). Every label value comes
 * from a fixed set in the code (message types, refusal reasons, states, tiers), never from input:
 * no agent or node ids (apart from this node's own, once, in {@code vigil_node_info}).
 */
public final class DaemonMetrics {
    /** {@code text/plain; version=0.0.4; charset=utf-8}. */
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    /** The view being scraped; set only inside {@link #scrape}, which holds this object's lock. */
    private MetricsView current;

    public DaemonMetrics() {
        final Families f = new Families(registry, () -> current);
        node(f);
        ingest(f);
        otlp(f);
        peers(f);
        tree(f);
        committees(f);
        verdicts(f);
        stores(f);
        accel(f);
        alerting(f);
        JvmMetrics.builder().register(registry);
    }

    /** The view in the Prometheus text format (UTF-8). */
    public synchronized byte[] scrape(final MetricsView view) {
        current = view;
        try {
            final ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
            writer.write(out, registry.scrape());
            return out.toByteArray();
        } catch (final IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        } finally {
            current = null;
        }
    }

    private static void node(final Families f) {
        f.info("vigil_node_info", "This daemon: its node id and version", new String[] {"node_id", "version"},
            v -> new String[] {v.node().nodeId(), v.version()});
        f.gauge("vigil_start_time_seconds", "When the daemon started, Unix time", MetricsView::startTimeSeconds);
        f.gauge("vigil_fleet_accepted", "1 once some node accepted this one into the fleet (a founder from the start)",
            v -> v.node().accepted() ? 1 : 0);
    }

    private static void ingest(final Families f) {
        f.counter("vigil_ingest_observations_total", "Observations taken by the detector (JSON API and OTLP windows)",
            v -> v.detection().observations());
        f.counter("vigil_ingest_refused_total", "Observations refused, by reason: invalid-* by the JSON API's row checks; "
            + "too-old, agents-full and store by the detector (JSON and OTLP)", "reason", v -> {
                final Map<String, Long> m = new LinkedHashMap<>(v.jsonRefusals().rowsByReason());
                m.put("too-old", v.detection().refusedTooOld());
                m.put("agents-full", v.detection().refusedAgentsFull());
                m.put("store", v.detection().refusedStore());
                return m;
            });
        f.counter("vigil_ingest_bodies_refused_total", "JSON observation bodies refused whole (not JSON, not an array, over a bound)",
            v -> v.jsonRefusals().bodies());
        f.counter("vigil_detection_scored_total", "Observations scored against a baseline (the others warmed one up)",
            v -> v.detection().scored());
        f.counter("vigil_detection_excluded_from_baseline_total",
            "Observations kept out of the baselines (D² beyond the exclusion quantile, or the agent alarmed)",
            v -> v.detection().excludedFromBaseline());
        f.counter("vigil_detection_alarms_total", "Agents that turned alarmed", v -> v.detection().alarmsRaised());
        f.counter("vigil_detection_agents_evicted_total", "Silent agents forgotten to make room at detection.agents_max",
            v -> v.detection().evictedSilent());
        f.counter("vigil_detection_agents_adopted_total", "Agents adopted with the replica of their baseline another node held",
            v -> v.detection().adopted());
        f.gauge("vigil_agents", "Agents tracked, by state", "state", v -> {
            final Map<String, Integer> m = new LinkedHashMap<>();
            m.put("normal", v.detection().agents() - v.detection().suspect() - v.detection().alarmed());
            m.put("suspect", v.detection().suspect());
            m.put("alarmed", v.detection().alarmed());
            return m;
        });
        f.gauge("vigil_agents_fleet_drifting", "Agents whose own baseline has drifted from the fleet's", v -> v.detection().fleetDrifting());
        f.gauge("vigil_agents_restore_pending", "Agents read back at start whose baseline is not rebuilt yet",
            v -> v.detection().restorePending());
        f.histogram("vigil_detection_score_d2", "D² (squared Mahalanobis distance from the baseline) of every scored observation; "
            + "the LLR added to the CUSUM is linear in it", MetricsView::scoresD2);
    }

    private static void otlp(final Families f) {
        f.counter("vigil_otlp_spans_received_total", "Spans in OTLP requests decoded", v -> v.otlp() == null ? null : v.otlp().spansReceived());
        f.counter("vigil_otlp_spans_accepted_total", "Spans counted into an agent's window",
            v -> v.otlp() == null ? null : v.otlp().spansAccepted());
        f.counter("vigil_otlp_spans_refused_total", "Spans refused for good, by reason", "reason",
            v -> v.otlp() == null ? null : v.otlp().spansRefused());
        f.counter("vigil_otlp_spans_throttled_total", "Spans in requests answered 429 or 503 (the client retries them)",
            v -> v.otlp() == null ? null : v.otlp().spansThrottled());
        f.counter("vigil_otlp_windows_emitted_total", "Agent windows handed to the detector as observations",
            v -> v.otlp() == null ? null : v.otlp().windowsEmitted());
        f.gauge("vigil_otlp_windows_open", "Agent windows open now", v -> v.otlp() == null ? null : v.otlp().windowsOpen());
        f.gauge("vigil_otlp_connections_open", "OTLP connections open now", v -> v.otlp() == null ? null : v.otlp().connectionsOpen());
        f.counter("vigil_otlp_responses_total", "OTLP answers written, by HTTP status", "code", v -> {
            if (v.otlp() == null) {
                return null;
            }
            final Map<String, Long> m = new LinkedHashMap<>();
            v.otlp().responsesByStatus().forEach((code, n) -> m.put(Integer.toString(code), n));
            return m;
        });
    }

    private static void peers(final Families f) {
        f.gauge("vigil_peers", "Peers in the peer table, by state", "state", v -> {
            final Map<String, Integer> m = new LinkedHashMap<>();
            for (final PeerState s : PeerState.values()) {
                m.put(s.label, 0);
            }
            for (final NodeStatus.PeerView p : v.node().peers()) {
                m.merge(p.state().label, 1, Integer::sum);
            }
            return m;
        });
        f.counter("vigil_frames_sent_total", "Frames sent to peers, by message type", "type",
            v -> byType(v.node().frames().sent(), FrameCounters.TypeCount::frames));
        f.counter("vigil_frames_sent_bytes_total", "Bytes of the frames sent to peers, by message type", "type",
            v -> byType(v.node().frames().sent(), FrameCounters.TypeCount::bytes));
        f.counter("vigil_frames_received_total", "Frames accepted from peers (passed every check), by message type", "type",
            v -> byType(v.node().frames().received(), FrameCounters.TypeCount::frames));
        f.counter("vigil_frames_received_bytes_total", "Bytes of the frames accepted from peers, by message type", "type",
            v -> byType(v.node().frames().received(), FrameCounters.TypeCount::bytes));
        f.counter("vigil_frames_refused_total", "Frames refused, by reason (each refused frame counts under exactly one)", "reason",
            v -> v.node().frames().rejected());
        f.counter("vigil_frames_internal_errors_total", "Frames (or ticks) that made a handler throw: bugs in Vigil, please report",
            v -> v.node().internalErrors().values().stream().mapToLong(Long::longValue).sum());
        f.counter("vigil_transport_frames_dropped_total", "Outbound frames dropped, by reason", "reason", v -> {
            final Map<String, Long> m = new LinkedHashMap<>();
            m.put("queue-full", v.transport().droppedQueueFull());
            m.put("unreachable", v.transport().droppedUnreachable());
            return m;
        });
        f.counter("vigil_transport_connect_failures_total", "Outbound connections that failed", v -> v.transport().connectFailures());
        f.gauge("vigil_transport_links_connected", "Outbound peer links connected now", v -> v.transport().linksConnected());
        f.gauge("vigil_transport_frames_queued", "Frames queued on outbound links now", v -> v.transport().framesQueued());
        f.counter("vigil_consensus_messages_sent_total", "Committee messages sent (in one or more consensus frames)",
            v -> v.node().frames().consensus().messagesSent());
        f.counter("vigil_consensus_messages_sent_bytes_total", "Bytes of the committee messages sent",
            v -> v.node().frames().consensus().messageBytesSent());
        f.counter("vigil_consensus_messages_delivered_total", "Committee messages put back together and delivered",
            v -> v.node().frames().consensus().messagesDelivered());
        f.counter("vigil_consensus_messages_delivered_bytes_total", "Bytes of the committee messages delivered",
            v -> v.node().frames().consensus().messageBytesDelivered());
        f.counter("vigil_consensus_fragments_total", "Consensus fragments accepted by the gate, by what became of them", "outcome",
            v -> v.node().frames().consensus().fragments());
        f.counter("vigil_consensus_partial_messages_dropped_total", "Partial committee messages dropped, by reason", "reason",
            v -> v.node().frames().consensus().messagesDropped());
        f.gauge("vigil_consensus_partial_messages", "Partial committee messages held now",
            v -> v.node().frames().consensus().partialMessages());
        f.gauge("vigil_consensus_buffered_bytes", "Bytes charged against the reassembly buffer bound now",
            v -> v.node().frames().consensus().bytesHeld());
    }

    private static Map<String, Long> byType(final Map<String, FrameCounters.TypeCount> counts,
                                            final ToLongFunction<FrameCounters.TypeCount> field) {
        final Map<String, Long> m = new LinkedHashMap<>();
        counts.forEach((type, c) -> m.put(type, field.applyAsLong(c)));
        return m;
    }

    private static void tree(final Families f) {
        f.gauge("vigil_tree_placed", "1 once the node has a place in the fleet tree", v -> v.tree().placed() ? 1 : 0);
        f.gauge("vigil_tree_root", "1 while this node is the tree's root", v -> v.tree().root() ? 1 : 0);
        f.gauge("vigil_tree_depth", "Levels in the tree as this node knows it", v -> v.tree().depth());
        f.gauge("vigil_tree_top_level", "The highest level this node belongs to (0: a leaf's cluster only; a head climbs)",
            v -> v.tree().levels().isEmpty() ? null : v.tree().levels().get(v.tree().levels().size() - 1).level());
        f.gauge("vigil_tree_cluster_size", "Members of this node's cluster at each level it belongs to", "level", v -> {
            final Map<String, Integer> m = new LinkedHashMap<>();
            for (final TreeStatus.Level l : v.tree().levels()) {
                m.put(Integer.toString(l.level()), l.size());
            }
            return m;
        });
        f.gauge("vigil_tree_fleet_nodes", "Leaf nodes the fleet baseline that reached this node covers", v -> v.tree().fleetNodes());
        f.counter("vigil_tree_events_total", "What the tree protocol did and refused, by event", "event", v -> v.tree().counters());
    }

    private static void committees(final Families f) {
        f.gauge("vigil_committee_seats", "Committee seats this node runs, by replica mode", "mode",
            v -> v.committees().seatsByMode());
        f.counter("vigil_committee_rounds_total", "Committed batches this node's replicas executed (seats closed since included)",
            v -> v.committees().roundsExecuted());
        f.counter("vigil_committee_view_changes_total", "View changes this node's replicas started",
            v -> v.committees().viewChanges());
        f.counter("vigil_committee_messages_refused_total", "Committee messages this node's replicas refused, by reason", "reason",
            v -> v.committees().refusals());
        f.histogram("vigil_committee_commit_latency_seconds", "This node's evidence requests, from first send to the "
            + "acknowledgement that completed them (ordered, committed and executed by the committee)",
            v -> v.committees().commitLatencySeconds());
    }

    private static void verdicts(final Families f) {
        f.counter("vigil_verdict_messages_total", "Fleet verdict messages received, by outcome", "outcome", v -> {
            final Map<String, Long> m = new LinkedHashMap<>();
            m.put("accepted", v.verdicts().messagesAccepted());
            m.put("ignored", v.verdicts().messagesIgnored());
            m.put("held", v.verdicts().messagesHeld());
            m.put("refused", v.verdicts().messagesRefused().values().stream().mapToLong(Long::longValue).sum());
            return m;
        });
        f.counter("vigil_verdict_messages_refused_total", "Fleet verdict messages refused, by reason", "reason",
            v -> v.verdicts().messagesRefused());
        f.counter("vigil_verdict_evidence_records_sent_total", "Evidence records this node sent as an observer",
            v -> v.verdicts().evidenceRecordsSent());
        f.counter("vigil_verdict_evidence_requests_sent_total", "Evidence requests sent (resends included)",
            v -> v.verdicts().evidenceRequestsSent());
        f.counter("vigil_verdict_evidence_sent_bytes_total", "Bytes of evidence sent, every committee member counted",
            v -> v.verdicts().evidenceSentBytes());
        f.counter("vigil_verdict_evidence_records_applied_total", "Evidence records this node's seats applied",
            v -> v.verdicts().evidenceRecordsApplied());
        f.gauge("vigil_verdict_requests_in_flight", "Evidence requests waiting for their committee", v -> v.verdicts().requestsInFlight());
        f.counter("vigil_verdict_requests_done_total", "Evidence requests acknowledged by their committee",
            v -> v.verdicts().requestsDone());
        f.counter("vigil_verdict_request_resends_total", "Evidence requests sent again", v -> v.verdicts().requestResends());
        f.counter("vigil_verdict_records_dropped_total", "Evidence records dropped at the outbox bound", v -> v.verdicts().recordsDropped());
        f.counter("vigil_verdict_certificates_assembled_total", "Verdict certificates this node assembled from members' shares",
            v -> v.verdicts().certificatesAssembled());
        f.counter("vigil_verdict_certificates_received_total", "Verdict certificates received from other nodes",
            v -> v.verdicts().certificatesReceived());
        f.gauge("vigil_verdicts_held", "Verdict certificates held, by kind", "kind", v -> {
            final Map<String, Integer> m = new LinkedHashMap<>();
            m.put("convict", v.verdicts().convictionsHeld());
            m.put("release", v.verdicts().releasesHeld());
            return m;
        });
        f.counter("vigil_verdict_webhooks_total", "Conviction webhooks posted, by result (ok: delivered)", "result", v -> {
            final Map<String, Long> m = new LinkedHashMap<>();
            m.put("ok", v.verdicts().webhooksDelivered());
            m.put("failed", v.verdicts().webhooksFailed());
            return m;
        });
        f.counter("vigil_verdict_commands_total", "Conviction commands run, by result (ok: exit status 0)", "result", v -> {
            final Map<String, Long> m = new LinkedHashMap<>();
            m.put("ok", v.verdicts().commandsRun());
            m.put("failed", v.verdicts().commandsFailed());
            return m;
        });
        f.counter("vigil_verdict_responses_dropped_total", "Webhooks and commands dropped at the response queue bound",
            v -> v.verdicts().responsesDropped());
    }

    private static void stores(final Families f) {
        f.gauge("vigil_store_entries", "Entries in the history stores, by tier", "tier", v -> {
            final Map<String, Long> m = new LinkedHashMap<>();
            m.put("raw", v.storage().rawBlocks());
            m.put("minute", v.storage().minuteBuckets());
            m.put("hour", v.storage().hourBuckets());
            m.put("day", v.storage().dayBuckets());
            return m;
        });
        f.gauge("vigil_store_file_size_bytes", "Length of each store file (data_dir/stores and data_dir/consensus); "
            + "Chronicle Map files are sparse, so the disk blocks they take can be fewer", "store", MetricsView::storeFileBytes);
        f.gauge("vigil_store_agents", "Agents the history stores hold", v -> v.storage().agents());
        f.gauge("vigil_store_pinned_agents", "Agents whose raw data is kept until an operator releases them", v -> v.storage().pinned());
        f.counter("vigil_store_pruned_entries_total", "Entries retention deleted", v -> v.storage().prunedEntries());
        f.counter("vigil_store_retention_passes_total", "Retention passes run (one a second, each bounded)", v -> v.retention().passes());
        f.counter("vigil_store_retention_seconds_total", "Time the retention passes took", v -> v.retention().nanos() / 1e9);
        f.counter("vigil_store_corrupt_entries_total", "Damaged entries skipped (their CRC did not match)", v -> v.storage().corruptEntries());
        f.counter("vigil_store_refused_total", "Observations the stores refused, by reason", "reason", v -> {
            final Map<String, Long> m = new LinkedHashMap<>();
            m.put("per-minute-bound", v.storage().refusedPerMinute());
            m.put("store-full", v.storage().refusedStoreFull());
            return m;
        });
        f.counter("vigil_replication_frames_sent_total", "Baseline replicas sent to cluster members", v -> v.replication().framesSent());
        f.counter("vigil_replication_sent_bytes_total", "Bytes of baseline replicas sent", v -> v.replication().bytesSent());
        f.counter("vigil_replication_received_total", "Baseline replicas received", v -> v.replication().received());
        f.counter("vigil_replication_stored_total", "Baseline replicas received and kept", v -> v.replication().stored());
        f.counter("vigil_replication_refused_total", "Baseline replicas received and refused", v -> v.replication().refused());
        f.gauge("vigil_replication_replicas_held", "Other nodes' agents whose baseline replica this node holds", v -> v.replication().held());
    }

    private static void accel(final Families f) {
        f.info("vigil_accel_info", "Where numeric batches run: the backend asked for, the one running (java or opencl), the device",
            new String[] {"requested", "backend", "device"},
            v -> new String[] {v.accel().requested(), v.accel().backend(), v.accel().device()});
        f.counter("vigil_accel_batches_total", "Batches run on the OpenCL device (shared by the daemons of one JVM)",
            v -> v.accel().batches());
        f.counter("vigil_accel_moved_bytes_total", "Bytes moved to and from the device", v -> v.accel().bytesMoved());
        f.counter("vigil_accel_device_seconds_total", "Time spent in device calls, transfers included", v -> v.accel().deviceNanos() / 1e9);
        f.counter("vigil_accel_transfer_seconds_total", "Time spent moving data to and from the device",
            v -> v.accel().transferNanos() / 1e9);
    }

    private static void alerting(final Families f) {
        f.gauge("vigil_alerts_firing", "Alerts firing now (alarms and convictions sent to Alertmanager, not resolved)",
            v -> v.alerting().firing());
        f.counter("vigil_alerts_fired_total", "Alerts that started firing", v -> v.alerting().fired());
        f.counter("vigil_alerts_resolved_total", "Alerts resolved (an alarm or a conviction released)", v -> v.alerting().resolved());
        f.counter("vigil_alerts_refused_firing_full_total", "Alerts not sent: as many were firing as alerting.queue_max",
            v -> v.alerting().refusedFiringFull());
        f.counter("vigil_alertmanager_updates_sent_total", "Alert updates Alertmanager accepted, by Alertmanager (its index in "
            + "alerting.alertmanager)", "alertmanager", v -> perAlertmanager(v, AlertTarget.Status::sent));
        f.counter("vigil_alertmanager_post_failures_total", "POSTs to Alertmanager that failed and were retried, by Alertmanager",
            "alertmanager", v -> perAlertmanager(v, AlertTarget.Status::failedAttempts));
        f.counter("vigil_alertmanager_updates_dropped_total", "Alert updates dropped, by reason (queue-full, rejected), "
            + "all Alertmanagers together", "reason", v -> {
                final Map<String, Long> m = new LinkedHashMap<>();
                m.put("queue-full", 0L);
                m.put("rejected", 0L);
                v.alerting().alertmanagers().forEach(t -> t.dropped().forEach((reason, n) -> m.merge(reason, n, Long::sum)));
                return m;
            });
        f.gauge("vigil_alertmanager_updates_waiting", "Alert updates waiting to be sent, by Alertmanager", "alertmanager",
            v -> perAlertmanager(v, t -> t.waiting()));
    }

    private static Map<String, Long> perAlertmanager(final MetricsView v, final ToLongFunction<AlertTarget.Status> value) {
        final Map<String, Long> m = new LinkedHashMap<>();
        final java.util.List<AlertTarget.Status> each = v.alerting().alertmanagers();
        for (int i = 0; i < each.size(); i++) {
            m.put(Integer.toString(i), value.applyAsLong(each.get(i)));
        }
        return m;
    }
}
