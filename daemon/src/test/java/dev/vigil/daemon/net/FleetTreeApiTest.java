package dev.vigil.daemon.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.crypto.ClusterCa;
import dev.vigil.crypto.NodeIds;
import dev.vigil.daemon.detect.FeatureSchema;
import org.awaitility.Awaitility;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /v1/tree} on a three-daemon fleet over loopback: every node is placed under the same
 * root, the answer names the node's cluster, head chain and coordinates, and the detector's
 * statistics reach the tree on the daemon's own timer.
 */
class FleetTreeApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration FORMED_WITHIN = Duration.ofSeconds(30);
    @TempDir
    Path dir;
    private final List<Daemon> daemons = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        daemons.forEach(Daemon::close);
    }

    private void startFleet(final int nodes) throws Exception {
        final ClusterCa ca = LocalDaemons.newCa(dir);
        daemons.add(LocalDaemons.start(dir, ca, "node0", null, false));
        final String bootstrap = "127.0.0.1:" + daemons.get(0).peerAddress().getPort();
        for (int i = 1; i < nodes; i++) {
            daemons.add(LocalDaemons.start(dir, ca, "node" + i, bootstrap, false));
        }
    }

    private JsonNode get(final Daemon d, final String path) throws Exception {
        final HttpResponse<String> r = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + d.apiAddress().getPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        return JSON.readTree(r.body());
    }

    private List<JsonNode> trees() throws Exception {
        final List<JsonNode> out = new ArrayList<>();
        for (final Daemon d : daemons) {
            out.add(get(d, "/v1/tree"));
        }
        return out;
    }

    /** Every node placed, exactly one says it is the root, and all name that one. */
    private static boolean formed(final List<JsonNode> trees) {
        final Set<String> roots = new HashSet<>();
        int rootsClaimed = 0;
        for (final JsonNode t : trees) {
            if (!t.path("placed").asBoolean() || t.path("root_id").isNull()) {
                return false;
            }
            roots.add(t.path("root_id").asText());
            rootsClaimed += t.path("root").asBoolean() ? 1 : 0;
        }
        return roots.size() == 1 && rootsClaimed == 1;
    }

    @Test
    void aThreeNodeFleetFormsOneTreeAndEveryNodeSaysWhereItSits() throws Exception {
        startFleet(3);
        Awaitility.await().atMost(FORMED_WITHIN).pollInterval(Duration.ofMillis(200)).until(() -> formed(trees()));
        // B = 32: three nodes are one cluster, headed by the root, and every node's view of it holds all three
        Awaitility.await().atMost(FORMED_WITHIN).pollInterval(Duration.ofMillis(200))
            .until(() -> trees().stream().allMatch(t -> t.path("cluster_size").asInt() == 3));
        final List<JsonNode> trees = trees();
        final Set<String> ids = new HashSet<>();
        daemons.forEach(d -> ids.add(NodeIds.toHex(d.nodeId())));
        final String rootId = trees.get(0).path("root_id").asText();
        assertThat(ids).contains(rootId);
        for (int i = 0; i < trees.size(); i++) {
            final JsonNode t = trees.get(i);
            assertThat(t.path("node_id").asText()).isEqualTo(NodeIds.toHex(daemons.get(i).nodeId()));
            assertThat(t.path("b").asInt()).isEqualTo(32);
            assertThat(t.path("depth").asInt()).isEqualTo(1);
            assertThat(t.path("root").asBoolean()).isEqualTo(t.path("node_id").asText().equals(rootId));
            assertThat(t.path("level0_head_id").asText()).isEqualTo(rootId);
            final List<String> chain = new ArrayList<>();
            t.path("head_chain").forEach(h -> chain.add(h.asText()));
            assertThat(chain).first().isEqualTo(rootId);
            assertThat(chain).last().isEqualTo(rootId);
            assertThat(t.path("coordinate").path("error").isNumber()).isTrue();
            final JsonNode level0 = t.path("levels").get(0);
            assertThat(level0.path("level").asInt()).isZero();
            assertThat(level0.path("head_id").asText()).isEqualTo(rootId);
            assertThat(level0.path("head").asBoolean()).isEqualTo(t.path("root").asBoolean());
            final Set<String> members = new HashSet<>();
            for (final JsonNode m : level0.path("members")) {
                members.add(m.path("node_id").asText());
                assertThat(m.path("address").asText()).startsWith("127.0.0.1:");
                assertThat(m.path("coordinate").path("x_ms").isNumber()).isTrue();
                if (m.path("self").asBoolean()) {
                    assertThat(m.path("rtt_predicted_ms").isNull()).isTrue();
                } else {
                    assertThat(m.path("rtt_predicted_ms").asDouble()).isGreaterThanOrEqualTo(0);
                }
            }
            assertThat(members).isEqualTo(ids);
            assertThat(t.path("counters").has("head_changes")).as("counter names are snake_case").isTrue();
            assertThat(t.path("bounds").findValuesAsText("name")).contains("introduced", "early-contributions", "quarantined");
            for (final JsonNode bound : t.path("bounds")) {
                assertThat(bound.path("max").asInt()).isPositive();
                assertThat(bound.path("size").asInt()).isBetween(0, bound.path("max").asInt());
                assertThat(bound.has("evicted")).isTrue();
            }
        }
        // and `vigil status` on a node that is not the root says where it sits
        final int member = rootId.equals(trees.get(1).path("node_id").asText()) ? 2 : 1;
        final String status = vigilStatus(daemons.get(member));
        assertThat(status)
            .contains("tree: depth 1 (B 32), root " + rootId + "\n")
            .contains("head chain: " + rootId + " (level 0, root)")
            .contains("level 0: head " + rootId + ", 3 members")
            .contains(NodeIds.toHex(daemons.get(member).nodeId()) + " <");
    }

    private static String vigilStatus(final Daemon d) {
        final java.io.PrintStream stdout = System.out;
        final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertThat(dev.vigil.daemon.cli.Main.commandLine().execute("status", "--api", "127.0.0.1:" + d.apiAddress().getPort()))
                .isZero();
        } finally {
            System.setOut(stdout);
        }
        return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void theDetectorsWindowStatisticsReachTheRootAndComeBackAsTheFleetBaseline() throws Exception {
        startFleet(3);
        Awaitility.await().atMost(FORMED_WITHIN).pollInterval(Duration.ofMillis(200)).until(() -> formed(trees()));
        // two agents on node 1, one on node 2, none on node 0; all warming up, so every observation enters the window
        final long now = Instant.now().getEpochSecond();
        post(daemons.get(1), rows(List.of("a1", "a2"), now - 100, 10));
        post(daemons.get(2), rows(List.of("b1"), now - 100, 10));
        // the daemons' own summary timer picks this up (no explicit publish here)
        Awaitility.await().atMost(Duration.ofSeconds(3 * Daemon.SUMMARY_INTERVAL_MS / 1000 + 20)).pollInterval(Duration.ofMillis(250))
            .until(() -> trees().stream().allMatch(t -> t.path("fleet_baseline").path("observations").asLong() == 30));
        final JsonNode root = trees().stream().filter(t -> t.path("root").asBoolean()).findFirst().orElseThrow();
        final JsonNode level0 = root.path("levels").get(0);
        assertThat(level0.path("agents").asLong()).isEqualTo(3);
        assertThat(root.path("fleet_baseline").path("nodes").asLong()).isEqualTo(3);
    }

    private static String rows(final List<String> agents, final long fromS, final int perAgent) {
        final StringBuilder b = new StringBuilder("[");
        for (final String agent : agents) {
            for (int i = 0; i < perAgent; i++) {
                b.append(b.length() == 1 ? "" : ",").append("{\"agent\":\"").append(agent).append("\",\"role\":\"coder\",\"ts\":")
                    .append(fromS + 10L * i).append(",\"features\":{");
                boolean first = true;
                for (final var f : FeatureSchema.agentDefault().features()) {
                    b.append(first ? "" : ",").append('"').append(f.name()).append("\":")
                        .append(f.name().equals(FeatureSchema.ERROR_RATE) ? 0.01 * i : 2.0 + i);
                    first = false;
                }
                b.append("}}");
            }
        }
        return b.append(']').toString();
    }

    private void post(final Daemon d, final String body) throws Exception {
        final HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + d.apiAddress().getPort() + "/v1/observations"))
            .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }
}
