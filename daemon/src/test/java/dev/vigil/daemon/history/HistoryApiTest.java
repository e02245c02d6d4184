package dev.vigil.daemon.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.crypto.ClusterCa;
import dev.vigil.crypto.KeyFiles;
import dev.vigil.crypto.PrivateKey;
import dev.vigil.daemon.api.OperatorCommand;
import dev.vigil.daemon.detect.FeatureSchema;
import dev.vigil.daemon.net.Daemon;
import dev.vigil.daemon.net.LocalDaemons;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** The history API on a real daemon: series from the stores, and the signed release of a pinned agent. */
class HistoryApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long S = 1_000_000L;

    @TempDir
    Path dir;

    private Daemon daemon;
    private PrivateKey caKey;
    private final HttpClient http = HttpClient.newHttpClient();
    private final long now = Instant.now().getEpochSecond() * S;

    @BeforeEach
    void start() throws Exception {
        caKey = PrivateKey.generate(new SecureRandom());
        final ClusterCa ca = new ClusterCa(caKey);
        KeyFiles.writePublicKey(dir.resolve("ca.pub"), ca.publicKey(), true);
        daemon = LocalDaemons.start(dir, ca, "node", null, false, "detection:", "  cold_observations: 20");
    }

    @AfterEach
    void stop() {
        daemon.close();
    }

    @Test
    void aSeriesComesFromTheStoresWithCountsMeansAndStatus() throws Exception {
        // 120 observations a minute apart over the last two hours
        final StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 120; i++) {
            body.append(i == 0 ? "" : ",").append(row("steady", now - (120 - i) * 60 * S, 10 + i % 2));
        }
        assertThat(post("/v1/observations", body.append(']').toString()).statusCode()).isEqualTo(200);

        final JsonNode s = get("/v1/agents/steady/series?from=-2h&step=1h");
        assertThat(s.path("_status").asInt()).isEqualTo(200);
        assertThat(s.path("tier").asText()).isEqualTo("raw");
        assertThat(s.path("step_us").asLong()).isEqualTo(3_600 * S);
        long count = 0;
        for (final JsonNode p : s.path("points")) {
            count += p.path("count").asLong();
            if (p.path("count").asLong() > 0) {
                assertThat(p.path("mean").get(0).asDouble()).isBetween(10.0, 11.0);
                assertThat(p.path("status").asText()).isEqualTo("normal");
            }
        }
        assertThat(count).isEqualTo(120);
        assertThat(get("/v1/agents/steady/series?from=-40d").path("tier").asText()).isEqualTo("day");
        assertThat(get("/v1/agents/steady/series?from=-3d").path("tier").asText()).isEqualTo("minute");

        final JsonNode bad = get("/v1/agents/steady/series?from=yesterday");
        assertThat(bad.path("_status").asInt()).isEqualTo(400);
        assertThat(bad.path("error").asText()).contains("from").contains("yesterday");
        assertThat(get("/v1/agents/steady/series?step=0s").path("error").asText()).contains("step");
        assertThat(get("/v1/agents/nobody/series").path("_status").asInt()).isEqualTo(404);
    }

    @Test
    void onlyASignedFreshCommandReleasesAPinnedAgentAndOnlyOnce() throws Exception {
        final StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 40; i++) {
            body.append(i == 0 ? "" : ",").append(row("worker-" + (i % 4), now - (60 - i) * S, 10 + i % 3));
        }
        for (int i = 0; i < 20; i++) {
            body.append(',').append(row("rogue", now - (20 - i) * S, 900));
        }
        assertThat(post("/v1/observations", body.append(']').toString()).statusCode()).isEqualTo(200);
        assertThat(get("/v1/agents/rogue").path("summary").path("status").asText()).isNotEqualTo("normal");
        assertThat(get("/v1/agents/rogue/series?from=-1h").path("pinned").asBoolean()).isTrue();

        final PrivateKey stranger = PrivateKey.generate(new SecureRandom());
        final HttpResponse<String> forged = post("/v1/agents/rogue/release",
            JSON.writeValueAsString(OperatorCommand.sign(stranger, "release", "rogue", now / S).toJson()));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("does not verify");
        final HttpResponse<String> stale = post("/v1/agents/rogue/release",
            JSON.writeValueAsString(OperatorCommand.sign(caKey, "release", "rogue", now / S - 3_600).toJson()));
        assertThat(stale.statusCode()).isEqualTo(403);
        assertThat(get("/v1/agents/rogue/series?from=-1h").path("pinned").asBoolean()).isTrue();

        final String command = JSON.writeValueAsString(OperatorCommand.sign(caKey, "release", "rogue", now / S).toJson());
        final HttpResponse<String> ok = post("/v1/agents/rogue/release", command);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(JSON.readTree(ok.body()).path("was_pinned").asBoolean()).isTrue();
        assertThat(get("/v1/agents/rogue").path("summary").path("status").asText()).isEqualTo("normal");
        assertThat(get("/v1/agents/rogue/series?from=-1h").path("pinned").asBoolean()).isFalse();
        assertThat(post("/v1/agents/rogue/release", command).statusCode()).as("a replayed command").isEqualTo(403);
        assertThat(post("/v1/agents/nobody/release",
            JSON.writeValueAsString(OperatorCommand.sign(caKey, "release", "nobody", now / S).toJson())).statusCode()).isEqualTo(404);
    }

    private static String row(final String agent, final long tsMicros, final double level) {
        return Rows.row(agent, tsMicros, level);
    }

    private HttpResponse<String> post(final String path, final String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.apiAddress().getPort() + path))
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(final String path) throws Exception {
        final HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.apiAddress().getPort() + path))
            .build(), HttpResponse.BodyHandlers.ofString());
        return ((com.fasterxml.jackson.databind.node.ObjectNode)JSON.readTree(r.body())).put("_status", r.statusCode());
    }
}
