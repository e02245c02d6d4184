package dev.vigil.daemon.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.crypto.ClusterCa;
import dev.vigil.crypto.KeyFiles;
import dev.vigil.crypto.NodeIds;
import dev.vigil.crypto.PrivateKey;
import dev.vigil.daemon.net.Daemon;
import dev.vigil.daemon.net.LocalDaemons;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The durability promise with a real process: a daemon under ingest load is killed with SIGKILL
 * while a request is in flight, restarted on the same data directory, and must hold exactly the
 * observations it acknowledged (the one request it had not answered may be there or not, but
 * wholly), keep its agents' CUSUM, status and pins, and find its place in the fleet again.
 *
 * <p>The load is a fixed number of requests whose observations are spread in event time (an
 * agent reports every 10 s, then once a minute), never faster: storage.observations_per_minute_max
 * counts an agent's observations per minute of their timestamps, so its default (600) is never
 * reached however fast the machine answers. Every row must be accepted; an answer that says
 * otherwise, or a failed request before the kill, fails the test.
 */
class KillRestartTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> AGENTS = List.of("agent-a", "agent-b", "agent-c", "rogue");
    /** Agents the loader reports for while the daemon is killed: not the rogue, whose CUSUM is compared exactly after the restart. */
    private static final List<String> LOADED = AGENTS.subList(0, 3);
    private static final long SECOND_MICROS = 1_000_000L;
    /** First phase: batches of {@link #ROWS_PER_AGENT} rows per agent, one row per agent every 10 s of event time. */
    private static final int BATCHES = 30;
    private static final int ROWS_PER_AGENT = 8;
    private static final long REPORT_INTERVAL_MICROS = 10 * SECOND_MICROS;
    /** The rogue reports far outside its cohort from this batch on. */
    private static final int ROGUE_FROM_BATCH = 10;
    /**
     * Second phase: one row per request, each agent's a minute apart, so that every row opens a raw
     * block of its own: every acknowledgement before the kill stands for a new entry in the store.
     */
    private static final long LOADER_INTERVAL_MICROS = 60 * SECOND_MICROS;
    /** Acknowledged requests of the second phase before the kill is allowed. */
    private static final int ACKS_BEFORE_KILL = 60;
    /** Requests the loader sends at most: the kill comes long before (the loader fails the test if not). */
    private static final int LOADER_REQUESTS_MAX = 600;

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
            "storage: {expected_agents: 16}",
            ""));
        final String base = "http://127.0.0.1:" + api;

        child = dev.vigil.daemon.testing.ChildJvm.daemon(home);
        dev.vigil.daemon.testing.ChildJvm.awaitHealthy(http, base);
        final String nodeId = NodeIds.toHex(key.nodeId());
        await().atMost(Duration.ofSeconds(30)).until(() -> inClusterWith(base, founder));

        // Event time starts five hours back: the first phase covers 40 minutes of it, the loader at
        // most LOADER_REQUESTS_MAX / 3 minutes more, all of it in the past and in the raw tier.
        final long startMicros = Instant.now().minusSeconds(5 * 3600).toEpochMilli() * 1000;
        final Map<String, Long> acked = new TreeMap<>();
        AGENTS.forEach(a -> acked.put(a, 0L));
        for (int b = 0; b < BATCHES; b++) {
            final StringBuilder body = new StringBuilder("[");
            for (int i = 0; i < ROWS_PER_AGENT; i++) {
                final long tick = startMicros + (long)(b * ROWS_PER_AGENT + i) * REPORT_INTERVAL_MICROS;
                for (int k = 0; k < AGENTS.size(); k++) {
                    final String a = AGENTS.get(k);
                    final double level = a.equals("rogue") && b >= ROGUE_FROM_BATCH ? 500 : 10 + (i % 3);
                    body.append(body.length() == 1 ? "" : ",").append(row(a, tick + k, level));
                }
            }
            final HttpResponse<String> r = post(base + "/v1/observations", body.append(']').toString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            final JsonNode answer = JSON.readTree(r.body());
            assertThat(answer.path("refused_total").asInt()).as(r.body()).isZero();
            assertThat(answer.path("accepted").asInt()).as(r.body()).isEqualTo(ROWS_PER_AGENT * AGENTS.size());
            AGENTS.forEach(a -> acked.merge(a, (long)ROWS_PER_AGENT, Long::sum));
        }
        final JsonNode rogueBefore = get(base + "/v1/agents/rogue").path("summary");
        assertThat(rogueBefore.path("status").asText()).isNotEqualTo("normal");

        final long loaderStartMicros = startMicros + (long)BATCHES * ROWS_PER_AGENT * REPORT_INTERVAL_MICROS;
        final Loader loader = new Loader(base + "/v1/observations", loaderStartMicros);
        final Thread thread = new Thread(loader, "kill-restart-loader");
        thread.start();
        assertThat(loader.inFlightAfterAcks.await(120, TimeUnit.SECONDS)).as("the loader reached %d acknowledgements", ACKS_BEFORE_KILL)
            .isTrue();
        if (loader.failure != null) {
            throw new AssertionError("the loader failed before the kill", loader.failure);
        }
        loader.killed = true;
        child.destroyForcibly().waitFor(); // SIGKILL, with the loader's request outstanding
        thread.join(30_000);
        assertThat(thread.isAlive()).as("the loader saw the daemon die").isFalse();
        if (loader.failure != null) {
            throw new AssertionError("the loader failed", loader.failure);
        }
        // The loader acknowledged at least what it had when it let the kill go, every answered
        // request was acknowledged, and exactly one request was left unanswered by the dead daemon.
        assertThat(loader.requestsAcked).isGreaterThanOrEqualTo(ACKS_BEFORE_KILL);
        assertThat(loader.requestsSent).isEqualTo(loader.requestsAcked + 1);
        assertThat(loader.acked.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(loader.requestsAcked);
        loader.acked.forEach((a, n) -> acked.merge(a, n, Long::sum));
        final String inFlight = loader.inFlightAgent;
        assertThat(inFlight).isIn(LOADED);

        child = dev.vigil.daemon.testing.ChildJvm.daemon(home);
        dev.vigil.daemon.testing.ChildJvm.awaitHealthy(http, base);
        long inFlightStored = 0;
        for (final String a : AGENTS) {
            final JsonNode s = get(base + "/v1/agents/" + a).path("summary");
            final long restored = s.path("observations").asLong();
            final JsonNode series = get(base + "/v1/agents/" + a + "/series?from=-8h&step=1h");
            long inSeries = 0;
            for (final JsonNode p : series.path("points")) {
                inSeries += p.path("count").asLong();
            }
            System.out.printf("kill-restart: %s acknowledged %d, restored %d, in raw blocks %d%s%n", a, acked.get(a), restored, inSeries,
                a.equals(inFlight) ? " (its request was in flight)" : "");
            // every restored observation is in the stored history, and nothing else is
            assertThat(series.path("tier").asText()).isEqualTo("raw");
            assertThat(inSeries).as("agent %s: restored %d, in raw blocks %d", a, restored, inSeries).isEqualTo(restored);
            if (a.equals(inFlight)) {
                // the unanswered request's one row: stored wholly or not at all
                assertThat(restored).as("agent %s: acknowledged %d, restored %d", a, acked.get(a), restored)
                    .isIn(acked.get(a), acked.get(a) + 1);
                inFlightStored = restored - acked.get(a);
            } else {
                assertThat(restored).as("agent %s: acknowledged %d, restored %d", a, acked.get(a), restored).isEqualTo(acked.get(a));
            }
        }
        System.out.printf("kill-restart: %d requests acknowledged before the kill, the one in flight %s%n", loader.requestsAcked,
            inFlightStored == 1 ? "stored" : "not stored");
        final JsonNode rogue = get(base + "/v1/agents/rogue").path("summary");
        assertThat(rogue.path("status").asText()).isIn("suspect", "alarmed");
        assertThat(rogue.path("status").asText()).isEqualTo(rogueBefore.path("status").asText());
        assertThat(rogue.path("cusum").asDouble()).isEqualTo(rogueBefore.path("cusum").asDouble());
        assertThat(get(base + "/v1/agents/rogue/series?from=-8h").path("pinned").asBoolean()).isTrue();
        final JsonNode status = get(base + "/v1/status");
        assertThat(status.path("storage").path("recovered_at_start").asBoolean()).isTrue();
        assertThat(status.path("node_id").asText()).isEqualTo(nodeId);
        await().atMost(Duration.ofSeconds(30)).until(() -> inClusterWith(base, founder));
    }

    /**
     * Posts one row per request, one request at a time, for the {@link #LOADED} agents in turn.
     * Once {@link #ACKS_BEFORE_KILL} requests are acknowledged it opens {@link #inFlightAfterAcks}
     * just before sending the next, and goes on sending until a request fails: after the kill that
     * is the request the daemon died with; before it, the loader's {@link #failure}. An answer other
     * than 200 with the row accepted is a failure too. Fields other than the volatile ones are read
     * after the thread has been joined.
     */
    private final class Loader implements Runnable {
        final CountDownLatch inFlightAfterAcks = new CountDownLatch(1);
        final Map<String, Long> acked = new TreeMap<>();
        private final String url;
        private final long startMicros;
        volatile boolean killed;
        volatile Throwable failure;
        int requestsSent;
        int requestsAcked;
        /** The agent of the request sent last and not answered; null between requests. */
        String inFlightAgent;

        Loader(final String url, final long startMicros) {
            this.url = url;
            this.startMicros = startMicros;
        }

        @Override
        public void run() {
            try {
                load();
            } catch (final Throwable t) {
                failure = t;
            } finally {
                inFlightAfterAcks.countDown(); // never leave the test thread waiting
            }
        }

        private void load() throws Exception {
            for (int k = 0; k < LOADER_REQUESTS_MAX; k++) {
                final String agent = LOADED.get(k % LOADED.size());
                final long ts = startMicros + (long)(k / LOADED.size()) * LOADER_INTERVAL_MICROS + k % LOADED.size();
                inFlightAgent = agent;
                requestsSent++;
                if (requestsAcked == ACKS_BEFORE_KILL) {
                    inFlightAfterAcks.countDown();
                }
                final HttpResponse<String> r;
                try {
                    r = post(url, "[" + row(agent, ts, 10) + "]");
                } catch (final IOException e) {
                    if (killed) {
                        return; // the daemon died with this request in flight
                    }
                    throw new AssertionError("request " + k + " failed before the kill", e);
                }
                final JsonNode answer = JSON.readTree(r.body());
                if (r.statusCode() != 200 || answer.path("accepted").asInt() != 1 || answer.path("refused_total").asInt() != 0) {
                    throw new AssertionError("request " + k + " (" + agent + "): " + r.statusCode() + " " + r.body());
                }
                requestsAcked++;
                acked.merge(agent, 1L, Long::sum);
                inFlightAgent = null;
            }
            throw new AssertionError("the daemon answered all " + LOADER_REQUESTS_MAX + " requests: the kill never came");
        }
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
