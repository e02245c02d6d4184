package dev.vigil.daemon.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.crypto.ClusterCa;
import dev.vigil.crypto.KeyFiles;
import dev.vigil.crypto.NodeIds;
import dev.vigil.crypto.PrivateKey;
import dev.vigil.daemon.cli.Main;
import dev.vigil.daemon.history.Rows;
import dev.vigil.daemon.net.Daemon;
import dev.vigil.daemon.net.LocalDaemons;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
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
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Prometheus Alertmanager (Debian package {@code prometheus-alertmanager}) on loopback and a
 * daemon that sends it alerts: a compromised agent the daemon alarms on appears in Alertmanager's
 * API as {@code VigilAgentAlarm} with its labels; the fleet (this one daemon, a committee of one)
 * convicts it, and the conviction appears as {@code VigilVerdict} naming the certificate; the
 * operator releases the verdict and then the agent, and each alert is resolved in Alertmanager long
 * before its {@code endsAt} would have ended it. Skipped where the binary is not installed, unless
 * {@code CI=true}, where that fails.
 */
class AlertmanagerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final long STEP_MICROS = 10_000_000;
    private static final String BINARY = "prometheus-alertmanager";

    @TempDir
    Path dir;
    private Process alertmanager;
    private Daemon daemon;

    @AfterEach
    void stop() throws InterruptedException {
        if (daemon != null) {
            daemon.close();
        }
        if (alertmanager != null) {
            alertmanager.destroy();
            if (!alertmanager.waitFor(10, TimeUnit.SECONDS)) {
                alertmanager.destroyForcibly();
            }
        }
    }

    private static Path binary() {
        final String path = System.getenv("PATH");
        for (final String d : (path == null ? "" : path).split(File.pathSeparator)) {
            final Path p = Path.of(d.isEmpty() ? "." : d, BINARY);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        final String missing = BINARY + " is not on the PATH: apt-get install prometheus-alertmanager (Debian's package) to run this test";
        if ("true".equals(System.getenv("CI"))) {
            Assertions.fail(missing + "; CI=true, so this fails rather than skips");
        }
        Assumptions.assumeTrue(false, missing);
        return null;
    }

    /** Alertmanager with a route to a receiver that notifies no one, on a free port, clustering off. */
    private String startAlertmanager(final Path binary) throws Exception {
        final Path home = Files.createDirectories(dir.resolve("alertmanager"));
        final Path config = Files.writeString(home.resolve("alertmanager.yml"), """
            route:
              receiver: "null"
            receivers:
              - name: "null"
            """);
        for (int attempt = 1; ; attempt++) {
            final int port = LocalDaemons.freePort();
            alertmanager = new ProcessBuilder(binary.toString(), "--config.file=" + config, "--storage.path=" + home.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address=").redirectErrorStream(true)
                .redirectOutput(home.resolve("alertmanager-" + attempt + ".log").toFile()).start();
            final String base = "http://127.0.0.1:" + port;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (alertmanager.isAlive() && System.nanoTime() < deadline) {
                try {
                    if (HTTP.send(HttpRequest.newBuilder(URI.create(base + "/-/ready")).GET().build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return base;
                    }
                } catch (final IOException e) {
                    // not listening yet
                }
                Thread.sleep(100);
            }
            alertmanager.destroyForcibly();
            if (attempt == 3) {
                throw new AssertionError("Alertmanager did not become ready; its log: "
                    + Files.readString(home.resolve("alertmanager-" + attempt + ".log")));
            }
        }
    }

    private static JsonNode get(final String url) throws Exception {
        final HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** The labels of the alerts Alertmanager holds active (not resolved) with this alert name. */
    private static List<Map<String, String>> active(final String alertmanager, final String alertname) throws Exception {
        final List<Map<String, String>> out = new ArrayList<>();
        for (final JsonNode a : get(alertmanager + "/api/v2/alerts?active=true")) {
            if (alertname.equals(a.path("labels").path("alertname").asText()) && "active".equals(a.path("status").path("state").asText())) {
                final Map<String, String> labels = new TreeMap<>();
                a.path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
                out.add(labels);
            }
        }
        return out;
    }


    private String api() {
        return "http://127.0.0.1:" + daemon.apiAddress().getPort();
    }

    private static int vigil(final StringWriter out, final String... args) {
        final CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(out, true));
        return cl.execute(args);
    }

    @Test
    void aCompromisedAgentsAlarmAndVerdictReachAlertmanagerAndAreResolvedWhenTheOperatorReleasesThem() throws Exception {
        final String am = startAlertmanager(binary());
        final PrivateKey caKey = PrivateKey.generate(new SecureRandom());
        KeyFiles.writePrivateKey(dir.resolve("ca.key"), caKey, false);
        KeyFiles.writePublicKey(dir.resolve("ca.pub"), caKey.publicKey(), false);
        // resend every 60 s: each alert stays valid for 4 minutes, so only a resolution ends it within this test
        daemon = LocalDaemons.start(dir, new ClusterCa(caKey), "n0", null, false, "detection: {cold_observations: 20}",
            "verdicts: {directory_interval_ms: 500, f: 0}", "alerting: {alertmanager: [\"" + am + "\"], resend_interval_s: 60}");
        final String node = NodeIds.toHex(daemon.nodeId());

        // the agent behaves, then turns: alarmed locally after 15 clipped observations, convicted on its evidence
        final long start = Instant.now().minusSeconds(3 * 3600).toEpochMilli() * 1000;
        for (int step = 0; step < 80; step++) {
            final long ts = start + step * STEP_MICROS;
            final String body = "[" + Rows.row("rogue", ts, step >= 50 ? 500 : 10 + step % 3) + "," + Rows.row("steady", ts + 1, 10 + (step + 1) % 3) + "]";
            final HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(api() + "/v1/observations"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
        assertThat(get(api() + "/v1/agents/rogue").path("summary").path("status").asText()).isEqualTo("alarmed");

        final Map<String, String> alarm = Map.of("alertname", "VigilAgentAlarm", "agent", "rogue", "node", node, "role", "worker",
            "mode", "local", "severity", "warning");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
            .until(() -> active(am, "VigilAgentAlarm").contains(alarm));
        assertThat(active(am, "VigilAgentAlarm")).as("only the compromised agent").containsExactly(alarm);

        // the fleet's verdict: a committee of one on this one daemon (f = 0, so its evidence alone decides)
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
            .until(() -> !get(api() + "/v1/verdicts").path("verdicts").isEmpty());
        final String id = get(api() + "/v1/verdicts").path("verdicts").get(0).path("id").asText();
        final Map<String, String> verdict = Map.of("alertname", "VigilVerdict", "agent", "rogue", "certificate", id, "role", "worker",
            "mode", "fleet", "severity", "critical");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
            .until(() -> active(am, "VigilVerdict").contains(verdict));

        final String apiAddress = "127.0.0.1:" + daemon.apiAddress().getPort();
        final StringWriter cli = new StringWriter();
        assertThat(vigil(cli, "verdicts", "release", id, "--ca-key", dir.resolve("ca.key").toString(), "--api", apiAddress))
            .as(cli.toString()).isZero();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> active(am, "VigilVerdict").isEmpty());
        assertThat(active(am, "VigilAgentAlarm")).as("the local alarm stands until the agent is released").containsExactly(alarm);

        assertThat(vigil(cli, "agents", "release", "rogue", "--ca-key", dir.resolve("ca.key").toString(), "--api", apiAddress))
            .as(cli.toString()).isZero();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> active(am, "VigilAgentAlarm").isEmpty());

        final JsonNode status = get(api() + "/v1/status").path("alerting");
        assertThat(status.path("enabled").asBoolean()).isTrue();
        assertThat(status.path("firing").asInt()).isZero();
        assertThat(status.path("fired").asLong()).isEqualTo(2);
        assertThat(status.path("resolved").asLong()).isEqualTo(2);
        final JsonNode target = status.path("alertmanagers").get(0);
        assertThat(target.path("url").asText()).isEqualTo(am);
        assertThat(target.path("sent").asLong()).isGreaterThanOrEqualTo(4);
        assertThat(target.path("failed_attempts").asLong()).isZero();
        assertThat(target.path("dropped").path("queue-full").asLong()).isZero();
        assertThat(target.path("dropped").path("rejected").asLong()).isZero();

        final java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        final java.io.PrintStream stdout = System.out;
        try {
            System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
            assertThat(Main.commandLine().execute("status", "--api", apiAddress)).isZero();
        } finally {
            System.setOut(stdout);
        }
        assertThat(printed.toString(java.nio.charset.StandardCharsets.UTF_8))
            .contains("alerts: 0 firing (2 fired, 2 resolved, 0 refused at the bound), re-sent every 60 s")
            .containsPattern("  alertmanager " + java.util.regex.Pattern.quote(am) + ": \\d+ sent, 0 failed attempts, dropped "
                + java.util.regex.Pattern.quote("{\"queue-full\":0,\"rejected\":0}") + ", 0 waiting\n");

        final HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create(api() + "/metrics")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
            .containsPattern("(?m)^vigil_alerts_firing 0(\\.0)?$")
            .containsPattern("(?m)^vigil_alerts_fired_total 2(\\.0)?$")
            .containsPattern("(?m)^vigil_alerts_resolved_total 2(\\.0)?$")
            .containsPattern("(?m)^vigil_alertmanager_updates_sent_total\\{alertmanager=\"0\"} " + target.path("sent").asLong() + "(\\.0)?$")
            .containsPattern("(?m)^vigil_alertmanager_post_failures_total\\{alertmanager=\"0\"} 0(\\.0)?$")
            .containsPattern("(?m)^vigil_alertmanager_updates_dropped_total\\{reason=\"queue-full\"} 0(\\.0)?$");
    }
}
