package dev.vigil.daemon.metrics;

import dev.vigil.daemon.detect.FeatureSchema;
import dev.vigil.daemon.net.Daemon;
import dev.vigil.daemon.net.LocalDaemons;
import dev.vigil.wire.FrameStatus;
import dev.vigil.wire.MessageType;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /metrics} on a real daemon, after observations went in through the JSON API. */
class MetricsEndpointTest {
    @TempDir
    Path dir;
    private Daemon daemon;
    private final HttpClient http = HttpClient.newHttpClient();
    private final long now = Instant.now().getEpochSecond();

    @BeforeEach
    void start() throws Exception {
        daemon = LocalDaemons.startAlone(dir, false, "detection:", "  cold_observations: 20");
    }

    @AfterEach
    void stop() {
        daemon.close();
    }

    @Test
    void theExpositionHasEveryFamilyWithTheValuesTheIngestLeft() throws Exception {
        // 40 observations of four steady workers, then 20 of one far outside their behaviour: scored against the host
        final StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 40; i++) {
            body.append(i == 0 ? "" : ",").append(row("worker-" + (i % 4), now - 60 + i, 10 + i % 3, ""));
        }
        for (int i = 0; i < 20; i++) {
            body.append(',').append(row("rogue", now - 20 + i, 900, ""));
        }
        // refused by the row checks: an unknown feature, a time in the future, a field this API does not know
        body.append(',').append(row("worker-0", now, 10, ", \"gpu_seconds\": 3"));
        body.append(',').append(row("worker-1", now + 86_400, 10, ""));
        body.append(",{\"agent\": \"worker-2\", \"ts\": ").append(now).append(", \"hostname\": \"h\", \"features\": {}}");
        assertThat(post(body.append(']').toString()).statusCode()).isEqualTo(200);
        assertThat(post("this is not JSON").statusCode()).isEqualTo(400);

        // the rogue's evidence goes to its committee: on a fleet of one, this node's own seats order it
        Awaitility.await().atMost(Duration.ofSeconds(20))
            .until(() -> Exposition.parse(get().body()).value("vigil_verdict_requests_done_total") >= 1);
        final HttpResponse<String> r = get();
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        final String text = r.body();
        final Exposition e = Exposition.parse(text);

        assertThat(e.value("vigil_ingest_observations_total")).isEqualTo(60);
        assertThat(e.value("vigil_ingest_refused_total{reason=\"invalid-features\"}")).isEqualTo(1);
        assertThat(e.value("vigil_ingest_refused_total{reason=\"invalid-ts\"}")).isEqualTo(1);
        assertThat(e.value("vigil_ingest_refused_total{reason=\"invalid-row\"}")).isEqualTo(1);
        assertThat(e.value("vigil_ingest_refused_total{reason=\"too-old\"}")).isZero();
        assertThat(e.value("vigil_ingest_bodies_refused_total")).isEqualTo(1);
        assertThat(text).as("label values come from fixed sets, never from what a client sent")
            .doesNotContain("hostname", "gpu_seconds", "worker-", "rogue");

        assertThat(e.sum("vigil_agents")).isEqualTo(5);
        assertThat(e.value("vigil_agents{state=\"suspect\"}") + e.value("vigil_agents{state=\"alarmed\"}"))
            .as("the rogue agent").isEqualTo(1);
        final double scored = e.value("vigil_detection_scored_total");
        assertThat(scored).isPositive().isLessThanOrEqualTo(60);
        assertThat(e.value("vigil_detection_score_d2_count")).isEqualTo(scored);
        assertThat(e.value("vigil_detection_score_d2_bucket{le=\"+Inf\"}")).isEqualTo(scored);
        assertThat(e.value("vigil_detection_score_d2_bucket{le=\"1000.0\"}")).as("the rogue's D² is far out").isLessThan(scored);
        assertThat(e.value("vigil_detection_score_d2_sum")).isPositive();

        // the peer protocol: every message type and every refusal reason, zeros included
        for (final MessageType t : MessageType.values()) {
            assertThat(e.samples()).containsKey("vigil_frames_sent_total{type=\"" + t.label + "\"}");
            assertThat(e.samples()).containsKey("vigil_frames_received_bytes_total{type=\"" + t.label + "\"}");
        }
        for (final FrameStatus s : FrameStatus.values()) {
            if (!s.ok()) {
                assertThat(e.value("vigil_frames_refused_total{reason=\"" + s.label + "\"}")).isZero();
            }
        }
        assertThat(e.value("vigil_peers{state=\"alive\"}")).as("a fleet of one").isZero();

        assertThat(e.value("vigil_store_entries{tier=\"raw\"}")).as("stored before acknowledged").isPositive();
        assertThat(e.value("vigil_store_agents")).isEqualTo(5);
        assertThat(e.value("vigil_store_pinned_agents")).as("the rogue").isEqualTo(1);
        for (final String store : new String[] {"stores/raw", "stores/minute", "stores/agents", "consensus/consensus-log"}) {
            assertThat(e.value("vigil_store_file_size_bytes{store=\"" + store + "\"}")).as(store).isPositive();
        }
        assertThat(e.value("vigil_verdicts_held{kind=\"convict\"}")).isZero();
        assertThat(e.value("vigil_committee_rounds_total")).as("committed batches").isPositive();
        assertThat(e.value("vigil_committee_commit_latency_seconds_count")).as("one latency per request done")
            .isEqualTo(e.value("vigil_verdict_requests_done_total"));
        assertThat(e.value("vigil_committee_commit_latency_seconds_sum")).isPositive();
        assertThat(e.value("vigil_verdict_evidence_records_sent_total")).isPositive();
        assertThat(e.samples()).containsKeys("vigil_committee_view_changes_total", "vigil_committee_seats{mode=\"active\"}",
            "vigil_tree_depth", "vigil_tree_placed", "vigil_tree_events_total{event=\"splits\"}", "vigil_store_retention_seconds_total",
            "vigil_accel_batches_total", "vigil_accel_device_seconds_total", "vigil_verdict_messages_total{outcome=\"refused\"}",
            "vigil_replication_sent_bytes_total", "vigil_consensus_fragments_total{outcome=\"delivered\"}",
            "vigil_transport_frames_dropped_total{reason=\"queue-full\"}", "vigil_start_time_seconds");
        assertThat(e.samples().keySet()).anyMatch(k -> k.startsWith("vigil_accel_info{") && k.contains("requested=\"auto\""));
        assertThat(e.value("vigil_node_info{node_id=\"" + dev.vigil.crypto.NodeIds.toHex(daemon.nodeId()) + "\",version=\""
            + dev.vigil.daemon.cli.VersionProvider.version() + "\"}")).isEqualTo(1);
        assertThat(e.samples().keySet()).as("the JVM's metrics").anyMatch(k -> k.startsWith("jvm_memory_used_bytes{"));
        assertThat(e.types()).as("OTLP is off: its families are left out").doesNotContainKey("vigil_otlp_spans_received_total");

        // Prometheus conventions, which promtool checks too (MetricsPromtoolTest)
        for (final Map.Entry<String, String> t : e.types().entrySet()) {
            if (t.getKey().startsWith("vigil_")) {
                assertThat(t.getKey()).matches("vigil_[a-z0-9_]+");
                assertThat(t.getKey().endsWith("_total")).as(t.getKey()).isEqualTo(t.getValue().equals("counter"));
            }
        }
        for (final String family : List.of("vigil_ingest", "vigil_detection", "vigil_agents", "vigil_frames", "vigil_peers",
            "vigil_transport", "vigil_consensus", "vigil_tree", "vigil_committee", "vigil_verdict", "vigil_store",
            "vigil_replication", "vigil_accel")) {
            assertThat(e.types().keySet()).as(family).anyMatch(k -> k.startsWith(family));
        }
    }

    @Test
    void countersOnlyGoUpFromScrapeToScrape() throws Exception {
        final Exposition before = Exposition.parse(get().body());
        final StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 30; i++) {
            body.append(i == 0 ? "" : ",").append(row("worker-" + (i % 3), now - 40 + i, 10 + i % 2, ""));
        }
        assertThat(post(body.append(']').toString()).statusCode()).isEqualTo(200);
        final Exposition after = Exposition.parse(get().body());
        assertThat(after.value("vigil_ingest_observations_total") - before.value("vigil_ingest_observations_total")).isEqualTo(30);
        for (final Map.Entry<String, Double> s : before.samples().entrySet()) {
            final String name = s.getKey().replaceAll("\\{.*", "");
            if (name.startsWith("vigil_") && "counter".equals(before.types().get(name)) && after.samples().containsKey(s.getKey())) {
                assertThat(after.value(s.getKey())).as(s.getKey()).isGreaterThanOrEqualTo(s.getValue());
            }
        }
    }

    private static String row(final String agent, final long ts, final double level, final String extraFeatures) {
        final StringBuilder f = new StringBuilder("{");
        for (final var feature : FeatureSchema.agentDefault().features()) {
            f.append(f.length() == 1 ? "" : ",").append('"').append(feature.name()).append("\":")
                .append(feature.name().equals(FeatureSchema.ERROR_RATE) ? "0.1" : String.format(Locale.ROOT, "%.1f", level));
        }
        return "{\"agent\":\"" + agent + "\",\"role\":\"worker\",\"ts\":" + ts + ",\"features\":" + f.append(extraFeatures).append('}')
            + "}";
    }

    private HttpResponse<String> post(final String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.apiAddress().getPort() + "/v1/observations"))
            .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.apiAddress().getPort() + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
    }
}
