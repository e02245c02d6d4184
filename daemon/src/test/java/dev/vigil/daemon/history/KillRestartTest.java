package dev.vigil.daemon.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.crypto.ClusterCa;
import dev.vigil.crypto.KeyFiles;
import dev.vigil.crypto.NodeIds;
import dev.vigil.crypto.PrivateKey;
import dev.vigil.daemon.detect.FeatureSchema;
import dev.vigil.daemon.net.Daemon;
import dev.vigil.daemon.net.LocalDaemons;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The durability promise with a real process: a daemon under ingest load is killed with SIGKILL,
 * restarted on the same data directory, and must hold every observation it acknowledged (an
 * observation stored but not yet acknowledged when it died may be there too), keep its agents'
 * CUSUM, status and pins, and find its place in the fleet again.
 */
class KillRestartTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> AGENTS = List.of("agent-a", "agent-b", "agent-c", "rogue");
    private static final int ROWS_PER_AGENT = 8;

    @TempDir
    Path dir;

    private Daemon founder;
    private Process child;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void stop() {
        if (child != null) {
            child.destroyForcibly();
        }
        if (founder != null) {
            founder.close();
        }
    }

    @Test
    void aDaemonKilledUnderLoadRestartsWithEverythingItAcknowledged() throws Exception {
        final ClusterCa ca = LocalDaemons.newCa(dir);
        founder = LocalDaemons.start(dir, ca, "founder", null, false, "tree:", "  b: 4");
        final Path home = Files.createDirectories(dir.resolve("node"));
        final PrivateKey key = PrivateKey.generate(new SecureRandom());
        KeyFiles.writePrivateKey(home.resolve("node.key"), key, false);
        KeyFiles.writeCertificate(home.resolve("node.crt"), ca.issue(key.publicKey(), Instant.now().minusSeconds(60), Duration.ofDays(1)), false);
        final int api = LocalDaemons.freePort();
        final String founderAddress = "127.0.0.1:" + founder.peerAddress().getPort();
        Files.writeString(home.resolve("node.yaml"), String.join("\n",
            "data_dir: data",
            "listen:",
            "  peer: 127.0.0.1:" + LocalDaemons.freePort(),
            "  api: 127.0.0.1:" + api,
            "bootstrap: [\"" + founderAddress + "\"]",
            "identity: {key: node.key, certificate: node.crt, ca_public_key: ../ca.pub}",
            "tree: {b: 4}",
            "detection: {cold_observations: 20}",
            "storage: {expected_agents: 16, observations_per_minute_max: 6000}",
            ""));
        final String base = "http://127.0.0.1:" + api;

        child = spawn(home);
        awaitHealthy(base);
        final String nodeId = NodeIds.toHex(key.nodeId());
        await().atMost(Duration.ofSeconds(30)).until(() -> inClusterWith(base, founder));

        // load: one batch in flight at a time, so at most one batch is stored but unacknowledged
        final Map<String, Long> acked = new TreeMap<>();
        AGENTS.forEach(a -> acked.put(a, 0L));
        final long loadUntil = System.nanoTime() + 4_000_000_000L;
        long tsMicros = Instant.now().minusSeconds(120).toEpochMilli() * 1000;
        int batches = 0;
        while (System.nanoTime() < loadUntil) {
            final StringBuilder body = new StringBuilder("[");
            for (int i = 0; i < ROWS_PER_AGENT; i++) {
                for (final String a : AGENTS) {
                    tsMicros += 100;
                    body.append(body.length() == 1 ? "" : ",").append(row(a, tsMicros, a.equals("rogue") && batches > 10 ? 500 : 10 + (i % 3)));
                }
            }
            final HttpResponse<String> r = post(base + "/v1/observations", body.append(']').toString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(JSON.readTree(r.body()).path("accepted").asInt()).isEqualTo(ROWS_PER_AGENT * AGENTS.size());
            AGENTS.forEach(a -> acked.merge(a, (long)ROWS_PER_AGENT, Long::sum));
            batches++;
        }
        // keep posting from another thread and kill in the middle of it (not for the rogue agent,
        // whose CUSUM stands still from here so that it can be compared exactly after the restart)
        final JsonNode rogueBefore = get(base + "/v1/agents/rogue").path("summary");
        final List<String> loaded = AGENTS.subList(0, 3);
        final long tsAtKill = tsMicros;
        final Thread loader = new Thread(() -> {
            long ts = tsAtKill;
            while (true) {
                final StringBuilder body = new StringBuilder("[");
                for (final String a : loaded) {
                    ts += 100;
                    body.append(body.length() == 1 ? "" : ",").append(row(a, ts, 10));
                }
                try {
                    final HttpResponse<String> r = post(base + "/v1/observations", body.append(']').toString());
                    if (r.statusCode() == 200) {
                        synchronized (acked) {
                            loaded.forEach(a -> acked.merge(a, 1L, Long::sum));
                        }
                    }
                } catch (final IOException | InterruptedException e) {
                    return; // the daemon is gone
                }
            }
        });
        loader.start();
        Thread.sleep(500);
        child.destroyForcibly().waitFor(); // SIGKILL
        loader.join(10_000);
        assertThat(rogueBefore.path("status").asText()).isNotEqualTo("normal");

        child = spawn(home);
        awaitHealthy(base);
        synchronized (acked) {
            for (final String a : AGENTS) {
                final JsonNode s = get(base + "/v1/agents/" + a).path("summary");
                final long restored = s.path("observations").asLong();
                System.out.printf("kill-restart: %s acknowledged %d, restored %d%n", a, acked.get(a), restored);
                assertThat(restored).as("agent %s: acknowledged %d, restored %d", a, acked.get(a), restored)
                    .isBetween(acked.get(a), acked.get(a) + 1);
                // every restored observation is in the stored history too
                final JsonNode series = get(base + "/v1/agents/" + a + "/series?from=-1h&step=1h");
                long inSeries = 0;
                for (final JsonNode p : series.path("points")) {
                    inSeries += p.path("count").asLong();
                }
                assertThat(series.path("tier").asText()).isEqualTo("raw");
                assertThat(inSeries).isEqualTo(restored);
            }
        }
        final JsonNode rogue = get(base + "/v1/agents/rogue").path("summary");
        assertThat(rogue.path("status").asText()).isIn("suspect", "alarmed");
        assertThat(rogue.path("status").asText()).isEqualTo(rogueBefore.path("status").asText());
        assertThat(rogue.path("cusum").asDouble()).isEqualTo(rogueBefore.path("cusum").asDouble());
        assertThat(get(base + "/v1/agents/rogue/series?from=-1h").path("pinned").asBoolean()).isTrue();
        final JsonNode status = get(base + "/v1/status");
        assertThat(status.path("storage").path("recovered_at_start").asBoolean()).isTrue();
        assertThat(status.path("node_id").asText()).isEqualTo(nodeId);
        await().atMost(Duration.ofSeconds(30)).until(() -> inClusterWith(base, founder));
    }

    private boolean inClusterWith(final String base, final Daemon other) throws Exception {
        final JsonNode tree = get(base + "/v1/tree");
        if (!tree.path("placed").asBoolean()) {
            return false;
        }
        final String otherId = NodeIds.toHex(other.nodeId());
        for (final JsonNode m : tree.path("levels").path(0).path("members")) {
            if (m.path("node_id").asText().equals(otherId)) {
                return true;
            }
        }
        return false;
    }

    private static String row(final String agent, final long tsMicros, final double level) {
        return Rows.row(agent, tsMicros, level);
    }

    private Process spawn(final Path home) throws IOException {
        final List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-") || arg.startsWith("-Dchronicle") || arg.startsWith("--sun-misc")) {
                cmd.add(arg);
            }
        }
        cmd.addAll(List.of("-Xmx256m", "-cp", System.getProperty("java.class.path"), "dev.vigil.daemon.cli.Main", "run",
            "--config", home.resolve("node.yaml").toString()));
        return new ProcessBuilder(cmd).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("daemon.log").toFile())).start();
    }

    private void awaitHealthy(final String base) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
            .until(() -> http.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
    }

    private HttpResponse<String> post(final String url, final String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(final String url) throws Exception {
        final HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
