package dev.vigil.daemon.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.crypto.ClusterCa;
import dev.vigil.daemon.detect.FeatureSchema;
import dev.vigil.daemon.net.Daemon;
import dev.vigil.daemon.net.LocalDaemons;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Replicated baselines on real daemons: an agent's host replicates its state and baseline to
 * two cluster members; the host dies; the agent reports to one of them, which adopts it with
 * its counts and its own baseline instead of starting it cold.
 */
class ReplicationOnLoopbackTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] YAML = {"tree:", "  b: 4", "detection:", "  cold_observations: 20",
        "storage:", "  expected_agents: 64", "  replication_interval_s: 1"};

    @TempDir
    Path dir;

    private final List<Daemon> daemons = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        daemons.forEach(Daemon::close);
    }

    @Test
    void anAgentWhoseHostDiedIsAdoptedWithItsBaselineByAReplicaHolder() throws Exception {
        final ClusterCa ca = LocalDaemons.newCa(dir);
        final Daemon host = LocalDaemons.start(dir, ca, "host", null, false, YAML);
        daemons.add(host);
        final String bootstrap = "127.0.0.1:" + host.peerAddress().getPort();
        daemons.add(LocalDaemons.start(dir, ca, "m1", bootstrap, false, YAML));
        daemons.add(LocalDaemons.start(dir, ca, "m2", bootstrap, false, YAML));
        await().atMost(Duration.ofSeconds(30)).until(() -> daemons.stream().allMatch(d -> clusterSize(d) == 3));

        // two hours of history, two to four hours ago: older than the lag, so it is the agent's own baseline
        final long now = Instant.now().toEpochMilli() * 1000;
        final StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 60; i++) {
            body.append(i == 0 ? "" : ",").append(row("mover", now - 4 * 3_600_000_000L + i * 120_000_000L, 10 + i % 3));
        }
        final HttpResponse<String> r = post(host, body.append(']').toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        final JsonNode before = get(host, "/v1/agents/mover");
        assertThat(before.path("baseline_observations").asLong()).isGreaterThanOrEqualTo(20);

        await().atMost(Duration.ofSeconds(30)).until(() ->
            daemons.subList(1, 3).stream().allMatch(d -> get(d, "/v1/status").path("storage").path("replication").path("held").asLong() == 1));
        final JsonNode sent = get(host, "/v1/status").path("storage").path("replication");
        assertThat(sent.path("frames_sent").asLong()).isEqualTo(2);
        // overhead: every byte sent for the k = 2 replicas against the primary's one copy of the payload
        final double overhead = sent.path("bytes_sent").asDouble() / (sent.path("payload_bytes_sent").asDouble() / 2);
        System.out.printf("replication: %d frames, %d bytes on the wire, payload %d bytes per copy: %.2fx the primary's bytes%n",
            sent.path("frames_sent").asLong(), sent.path("bytes_sent").asLong(), sent.path("payload_bytes_sent").asLong() / 2, overhead);
        assertThat(overhead).isLessThanOrEqualTo(3.0);

        host.kill();
        daemons.remove(host);
        final Daemon heir = daemons.get(0);
        final HttpResponse<String> moved = post(heir, "[" + row("mover", now - 60_000_000L, 11) + "]");
        assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
        final JsonNode after = get(heir, "/v1/agents/mover");
        assertThat(after.path("summary").path("observations").asLong()).isEqualTo(61);
        assertThat(after.path("summary").path("last_baseline").asText()).isEqualTo("own");
        assertThat(after.path("baseline_observations").asLong()).isEqualTo(before.path("baseline_observations").asLong());
        assertThat(get(heir, "/v1/status").path("detection").path("adopted").asLong()).isEqualTo(1);
    }

    private int clusterSize(final Daemon d) {
        final JsonNode t = get(d, "/v1/tree");
        return t.path("placed").asBoolean() ? t.path("levels").path(0).path("members").size() : 0;
    }

    private static String row(final String agent, final long tsMicros, final double level) {
        return Rows.row(agent, tsMicros, level);
    }

    private HttpResponse<String> post(final Daemon d, final String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.apiAddress().getPort() + "/v1/observations"))
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(final Daemon d, final String path) {
        try {
            final HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + d.apiAddress().getPort() + path))
                .build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body());
        } catch (final Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
