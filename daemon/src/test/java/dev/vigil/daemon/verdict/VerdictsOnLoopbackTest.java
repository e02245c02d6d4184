package dev.vigil.daemon.verdict;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.crypto.ClusterCa;
import dev.vigil.crypto.KeyFiles;
import dev.vigil.crypto.PrivateKey;
import dev.vigil.crypto.verdict.Verdict;
import dev.vigil.crypto.verdict.VerdictCertificate;
import dev.vigil.crypto.verdict.VerdictSignature;
import dev.vigil.daemon.cli.Main;
import dev.vigil.daemon.history.Rows;
import dev.vigil.daemon.net.Daemon;
import dev.vigil.daemon.net.LocalDaemons;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Five real daemons on loopback with real Ed25519 keys and the Netty transport: the root issues a
 * committee directory, the home host of a compromised agent lies (hides it), two other observers
 * see it misbehave, and every daemon ends up holding a verdict certificate on it that the CA key
 * alone verifies and that any changed byte breaks; no agent that behaved is convicted. Then the
 * operator releases the conviction with {@code vigil verdicts release} through one daemon: every
 * daemon shows it released and the committee's members no longer hold the agent convicted; releases
 * that are not the operator's, or name no held verdict, are refused over HTTP.
 */
class VerdictsOnLoopbackTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final long STEP_MICROS = 10_000_000;

    @TempDir
    Path dir;
    private final List<Daemon> daemons = new ArrayList<>();

    @AfterEach
    void stop() {
        daemons.forEach(Daemon::close);
    }


    private static String base(final Daemon d) {
        return "http://127.0.0.1:" + d.apiAddress().getPort();
    }

    private static JsonNode get(final String url) throws Exception {
        final HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static void post(final Daemon d, final String body) throws Exception {
        final HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base(d) + "/v1/observations"))
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    void aCompromisedAgentItsLyingHomeHidesIsConvictedAndTheCertificateVerifiesOffline() throws Exception {
        final PrivateKey caKey = PrivateKey.generate(new SecureRandom());
        KeyFiles.writePrivateKey(dir.resolve("ca.key"), caKey, false);
        KeyFiles.writePublicKey(dir.resolve("ca.pub"), caKey.publicKey(), false);
        final ClusterCa ca = new ClusterCa(caKey);
        final String[] config = {"tree: {b: 8}", "detection: {cold_observations: 20}", "verdicts: {directory_interval_ms: 500}"};
        final Daemon founder = LocalDaemons.start(dir, ca, "n0", null, false, config);
        daemons.add(founder);
        final String bootstrap = "127.0.0.1:" + founder.peerAddress().getPort();
        for (int i = 1; i < 5; i++) {
            daemons.add(LocalDaemons.start(dir, ca, "n" + i, bootstrap, false, config));
        }
        // every daemon holds the root's directory listing all five
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (final Daemon d : daemons) {
                final var directory = d.onVerdicts(FleetVerdicts::directory).get();
                if (directory == null || directory.candidates().size() < 5) {
                    return false;
                }
            }
            if (daemons.stream().map(d -> d.onVerdicts(v -> v.directory().epoch()).join()).distinct().count() != 1) {
                return false;
            }
            // and every seat of that epoch has its state (a member joins from the previous committee's)
            for (final Daemon d : daemons) {
                if (!d.onVerdicts(v -> v.seats().stream().filter(s -> s.epoch() == v.directory().epoch())
                    .allMatch(s -> s.mode().equals("active"))).get()) {
                    return false;
                }
            }
            return true;
        });
        final Daemon home = daemons.get(1);
        home.onVerdicts(v -> {
            v.lie(FleetVerdicts.Lie.HIDE);
            return null;
        }).get();
        final List<Daemon> observers = List.of(home, daemons.get(2), daemons.get(3));

        final long start = Instant.now().minusSeconds(3 * 3600).toEpochMilli() * 1000;
        for (int step = 0; step < 80; step++) {
            for (final Daemon d : observers) {
                final StringBuilder body = new StringBuilder("[");
                final long ts = start + step * STEP_MICROS;
                final double rogue = step >= 50 ? 500 : 10 + step % 3;
                body.append(Rows.row("rogue", ts, rogue)).append(',').append(Rows.row("steady", ts + 1, 10 + (step + 1) % 3)).append(']');
                post(d, body.toString());
            }
        }
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
            for (final Daemon d : daemons) {
                if (get(base(d) + "/v1/verdicts").path("verdicts").isEmpty()) {
                    return false;
                }
            }
            return true;
        });
        for (final Daemon d : daemons) {
            final JsonNode verdicts = get(base(d) + "/v1/verdicts").path("verdicts");
            assertThat(verdicts).hasSize(1);
            assertThat(verdicts.get(0).path("agent").asText()).isEqualTo("rogue");
            assertThat(verdicts.get(0).path("kind").asText()).isEqualTo("convict");
        }
        final String id = get(base(founder) + "/v1/verdicts").path("verdicts").get(0).path("id").asText();
        final JsonNode shown = get(base(daemons.get(4)) + "/v1/verdicts/" + id);
        assertThat(shown.path("verification").asText()).isEqualTo("valid");
        final VerdictCertificate certificate = VerdictCertificate.fromBase64(shown.path("certificate_base64").asText());
        assertThat(certificate.verify(ca.publicKey(), 1).isValid()).isTrue();
        final byte[] bytes = certificate.encoded();
        for (int i = 0; i < bytes.length; i += 7) {
            final byte[] changed = bytes.clone();
            changed[i] ^= 0x01;
            boolean valid;
            try {
                valid = VerdictCertificate.decode(changed).verify(ca.publicKey(), 1).isValid();
            } catch (final IllegalArgumentException e) {
                valid = false;
            }
            assertThat(valid).as("byte " + i + " changed").isFalse();
        }
        final JsonNode agent = get(base(daemons.get(2)) + "/v1/agents/rogue");
        assertThat(agent.path("fleet_verdict").path("id").asText()).isEqualTo(id);
        assertThat(get(base(daemons.get(2)) + "/v1/agents/steady").path("fleet_verdict").isNull()).isTrue();
        assertThat(agent.path("fleet_verdict").path("released_by").isNull()).isTrue();

        operatorReleases(id, certificate, caKey);
    }

    /** {@code vigil verdicts ARGS} through the real command tree; its stdout and stderr go to {@code out}. */
    private static int vigil(final StringWriter out, final String... args) {
        final CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(out, true));
        return cl.execute(args);
    }

    private static HttpResponse<String> postRelease(final Daemon d, final String id, final String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base(d) + "/v1/verdicts/" + id + "/release"))
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void operatorReleases(final String id, final VerdictCertificate convict, final PrivateKey caKey) throws Exception {
        final Daemon api = daemons.get(4);
        final String apiAddress = "127.0.0.1:" + api.apiAddress().getPort();
        final Path saved = dir.resolve("release.b64");
        final StringWriter cli = new StringWriter();
        assertThat(vigil(cli, "verdicts", "release", id, "--ca-key", dir.resolve("ca.key").toString(), "--api", apiAddress,
            "--out", saved.toString())).as(cli.toString()).isZero();
        final String line = cli.toString().strip();
        assertThat(line).startsWith("released verdict " + id + " on agent rogue: release ");
        final String releaseId = line.substring(line.lastIndexOf(' ') + 1);
        final StringWriter verified = new StringWriter();
        assertThat(vigil(verified, "verdicts", "verify", saved.toString(), "--ca", dir.resolve("ca.pub").toString()))
            .as(verified.toString()).isZero();
        assertThat(verified.toString()).startsWith("valid: " + releaseId + " RELEASE of " + id + " agent rogue")
            .contains("signed by the operator");

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
            for (final Daemon d : daemons) {
                if (get(base(d) + "/v1/verdicts").path("verdicts").size() < 2
                    || d.onVerdicts(v -> v.convictedBySeat("rogue").containsValue(true)).get()) {
                    return false;
                }
            }
            return true;
        });
        for (final Daemon d : daemons) {
            final JsonNode verdicts = get(base(d) + "/v1/verdicts").path("verdicts");
            assertThat(verdicts).hasSize(2);
            assertThat(verdicts.get(0).path("kind").asText()).isEqualTo("release");
            assertThat(verdicts.get(0).path("id").asText()).isEqualTo(releaseId);
            assertThat(verdicts.get(0).path("retracts").asText()).isEqualTo(id);
            assertThat(verdicts.get(1).path("id").asText()).isEqualTo(id);
            assertThat(verdicts.get(1).path("released_by").asText()).isEqualTo(releaseId);
            final JsonNode fleetVerdict = get(base(d) + "/v1/agents/rogue").path("fleet_verdict");
            assertThat(fleetVerdict.path("id").asText()).isEqualTo(id);
            assertThat(fleetVerdict.path("released_by").asText()).as("the conviction shows as released").isEqualTo(releaseId);
            assertThat(get(base(d) + "/v1/verdicts/" + releaseId).path("verification").asText()).isEqualTo("valid");
        }
        final long applied = daemons.stream().mapToLong(d -> d.onVerdicts(v -> v.counters().releasesApplied()).join()).sum();
        assertThat(applied).as("the committee's members applied it").isGreaterThanOrEqualTo(3);

        // refused over HTTP: a conviction is no release; not base64; signed by a node; a verdict not held; the wrong path
        final StringWriter again = new StringWriter();
        assertThat(vigil(again, "verdicts", "release", releaseId, "--ca-key", dir.resolve("ca.key").toString(), "--api", apiAddress))
            .isEqualTo(2);
        assertThat(again.toString()).contains("is a release (of verdict " + id + "), not a conviction");
        assertThat(postRelease(api, id, convict.toBase64()).statusCode()).isEqualTo(400);
        final HttpResponse<String> garbage = postRelease(api, id, "not a certificate");
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(garbage.body()).contains("not a verdict certificate");
        final PrivateKey nodeKey = PrivateKey.generate(new SecureRandom());
        final HttpResponse<String> byNode = postRelease(api, id, FleetVerdictsTest.release(convict, nodeKey, VerdictNet.T0).toBase64());
        assertThat(byNode.statusCode()).isEqualTo(400);
        assertThat(byNode.body()).contains("not by the cluster CA");
        final String unknown = "ab".repeat(32);
        final Verdict other = Verdict.release("rogue", unknown).versionVectorDigest(new byte[32]).build();
        final HttpResponse<String> notHeld = postRelease(api, unknown,
            VerdictCertificate.ofOperator(other, VerdictSignature.signAsOperator(other, caKey)).toBase64());
        assertThat(notHeld.statusCode()).as(notHeld.body()).isEqualTo(404);
        assertThat(postRelease(api, unknown, FleetVerdictsTest.release(convict, caKey, VerdictNet.T0).toBase64()).statusCode())
            .as("a release of another verdict than the path's").isEqualTo(400);
    }
}
