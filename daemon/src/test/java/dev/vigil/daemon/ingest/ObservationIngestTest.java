package dev.vigil.daemon.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /v1/observations} on a real daemon: good rows in, bad rows named, nothing lost. */
class ObservationIngestTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    private Daemon daemon;
    private final HttpClient http = HttpClient.newHttpClient();
    private final double now = Instant.now().getEpochSecond();

    @BeforeEach
    void start() throws Exception {
        daemon = LocalDaemons.startAlone(dir, false, "detection:", "  agents_max: 5");
    }

    @AfterEach
    void stop() {
        daemon.close();
    }

    private static String features(final String extra) {
        final StringBuilder b = new StringBuilder("{");
        for (final var f : FeatureSchema.agentDefault().features()) {
            b.append(b.length() == 1 ? "" : ", ").append('"').append(f.name()).append("\": ")
                .append(f.name().equals(FeatureSchema.ERROR_RATE) ? "0.1" : "1.5");
        }
        return b.append(extra).append('}').toString();
    }

    private String row(final String agent, final double ts, final String features) {
        return "{\"agent\": \"" + agent + "\", \"ts\": " + ts + ", \"role\": \"coder\", \"features\": " + features + "}";
    }

    private HttpResponse<String> post(final String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.apiAddress().getPort() + "/v1/observations"))
            .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(final String path) throws Exception {
        final HttpResponse<String> r = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + daemon.apiAddress().getPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
        return ((com.fasterxml.jackson.databind.node.ObjectNode)JSON.readTree(r.body())).put("_status", r.statusCode());
    }

    @Test
    void aGoodBatchIsAcceptedAndTheAgentsAppear() throws Exception {
        final HttpResponse<String> r = post("[" + row("a1", now - 30, features("")) + ", " + row("a2", now - 20, features("")) + "]");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).path("accepted").asInt()).isEqualTo(2);
        final JsonNode agents = get("/v1/agents");
        assertThat(agents.path("agents")).hasSize(2);
        assertThat(agents.path("agents").get(0).path("agent").asText()).isEqualTo("a1");
        final JsonNode a1 = get("/v1/agents/a1");
        assertThat(a1.path("summary").path("status").asText()).isEqualTo("normal");
        assertThat(a1.path("summary").has("fleet_drift_d2")).as("present, null until computed").isTrue();
        assertThat(a1.path("summary").path("fleet_drift_d2").isNull()).isTrue();
        assertThat(a1.path("baseline")).hasSize(FeatureSchema.agentDefault().size());
        assertThat(get("/v1/agents/nobody").path("_status").asInt()).isEqualTo(404);
    }

    @Test
    void everyBadRowIsNamedWithItsFieldAndTheGoodRowsAreStillAccepted() throws Exception {
        final List<String> rows = new ArrayList<>();
        rows.add(row("good-1", now - 50, features("")));                                     // 0
        rows.add(row("bad", now - 50, features(", \"telepathy\": 3")));                      // 1 unknown feature
        rows.add(row("bad", now - 50, "{\"ops_per_min\": 3}"));                              // 2 missing features
        rows.add(row("bad", now - 50, features("").replace("\"bytes_out\": 1.5", "\"bytes_out\": \"NaN\""))); // 3 not a number
        rows.add(row("bad", now - 50, features("").replace("\"error_rate\": 0.1", "\"error_rate\": 3"))); // 4 a rate above 1
        rows.add(row("bad", now + 3600, features("")));                                      // 5 future
        rows.add("{\"ts\": " + now + ", \"features\": " + features("") + "}");               // 6 no agent
        rows.add("{\"agent\": \"x\", \"ts\": \"yesterday\", \"features\": " + features("") + "}"); // 7 bad ts
        rows.add("{\"agent\": \"x\", \"ts\": " + now + ", \"features\": {}, \"colour\": 1}"); // 8 unknown field
        rows.add("42");                                                                       // 9 not an object
        rows.add(row("good-2", now - 40, features("")));                                     // 10
        final HttpResponse<String> r = post("[" + String.join(", ", rows) + "]");
        assertThat(r.statusCode()).isEqualTo(200);
        final JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("accepted").asInt()).isEqualTo(2);
        assertThat(body.path("refused_total").asInt()).isEqualTo(9);
        final List<String> refusals = new ArrayList<>();
        body.path("refused").forEach(x -> refusals.add(x.path("row").asInt() + " " + x.path("field").asText() + ": " + x.path("error").asText()));
        assertThat(refusals).satisfiesExactly(
            x -> assertThat(x).startsWith("1 features.telepathy: unknown feature"),
            x -> assertThat(x).startsWith("2 features.tool_calls_per_min: missing"),
            x -> assertThat(x).startsWith("3 features.bytes_out: must be a finite number"),
            x -> assertThat(x).startsWith("4 features.error_rate: must be in [0.0, 1.0] (fraction), got 3"),
            x -> assertThat(x).startsWith("5 ts: is ").contains("s in the future; at most 300 s allowed"),
            x -> assertThat(x).startsWith("6 agent: required"),
            x -> assertThat(x).startsWith("7 ts: not an RFC 3339 time"),
            x -> assertThat(x).startsWith("8 colour: unknown field"),
            x -> assertThat(x).startsWith("9 null: row must be an object"));
        assertThat(get("/v1/agents/good-1").path("summary").path("observations").asInt()).isEqualTo(1);
        assertThat(get("/v1/agents/good-2").path("summary").path("observations").asInt()).isEqualTo(1);
        assertThat(get("/v1/agents/bad").path("_status").asInt()).isEqualTo(404);
    }

    @Test
    void aBatchWithOnlyBadRowsIs400() throws Exception {
        final HttpResponse<String> r = post("[" + row("a", now, "{}") + "]");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).path("refused").get(0).path("row").asInt()).isZero();
    }

    @Test
    void bodiesThatAreNotABatchAreRefusedWhole() throws Exception {
        assertThat(post("{not json").statusCode()).isEqualTo(400);
        assertThat(post("{not json").body()).contains("not valid JSON");
        assertThat(post("{\"agent\": \"a\"}").body()).contains("must be a JSON array");
        final StringBuilder big = new StringBuilder("[");
        for (int i = 0; i <= ObservationBatch.ROWS_MAX; i++) {
            big.append(i == 0 ? "" : ",").append("{}");
        }
        final HttpResponse<String> tooMany = post(big.append(']').toString());
        assertThat(tooMany.statusCode()).isEqualTo(413);
        assertThat(tooMany.body()).contains("at most " + ObservationBatch.ROWS_MAX);
        final HttpResponse<String> tooLarge = post("[\"" + "x".repeat(9 * 1024 * 1024) + "\"]");
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.apiAddress().getPort() + "/v1/observations")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
    }

    @Test
    void agentsBeyondTheBoundAreRefusedByNameAndKnownAgentsKeepReporting() throws Exception {
        final List<String> rows = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            rows.add(row("agent-" + i, now - 10, features("")));
        }
        final JsonNode body = JSON.readTree(post("[" + String.join(",", rows) + "]").body());
        assertThat(body.path("accepted").asInt()).isEqualTo(5);
        assertThat(body.path("refused").get(0).path("error").asText()).contains("agents_max");
        assertThat(JSON.readTree(post("[" + row("agent-0", now - 5, features("")) + "]").body()).path("accepted").asInt()).isEqualTo(1);
    }

}
