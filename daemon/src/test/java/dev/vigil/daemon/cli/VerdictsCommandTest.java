package dev.vigil.daemon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.crypto.Certificate;
import dev.vigil.crypto.ClusterCa;
import dev.vigil.crypto.KeyFiles;
import dev.vigil.crypto.NodeIds;
import dev.vigil.crypto.PrivateKey;
import dev.vigil.crypto.verdict.Verdict;
import dev.vigil.crypto.verdict.VerdictCertificate;
import dev.vigil.crypto.verdict.VerdictSignature;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code vigil verdicts verify} through the real command tree: exit status and the one line it prints. */
class VerdictsCommandTest {
    private static final Instant NOT_BEFORE = Instant.ofEpochSecond(1_750_000_000L);
    /** 2025-06-16T15:06:40.250Z, a day into the node certificates' validity. */
    private static final long ISSUED_AT_MICROS = (NOT_BEFORE.getEpochSecond() + 86_400) * 1_000_000L + 250_000L;
    private static final String NL = System.lineSeparator();

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private PrivateKey caKey;
    private Path caPub;
    private final List<PrivateKey> nodes = new ArrayList<>();
    private final List<Certificate> certificates = new ArrayList<>();

    /** A CA made by {@code vigil ca init}, and four nodes it certified (f = 1). */
    @BeforeEach
    void fleet() throws IOException {
        assertThat(run("ca", "init", "--out", dir.resolve("ca").toString())).isZero();
        caPub = dir.resolve("ca/ca.pub");
        caKey = KeyFiles.readPrivateKey(dir.resolve("ca/ca.key"));
        for (int i = 0; i < 4; i++) {
            final byte[] secret = new byte[PrivateKey.LENGTH];
            Arrays.fill(secret, (byte)(i + 1));
            final PrivateKey node = PrivateKey.of(secret);
            nodes.add(node);
            certificates.add(new ClusterCa(caKey).issue(node.publicKey(), NOT_BEFORE, Duration.ofDays(365)));
        }
        out.getBuffer().setLength(0);
    }

    @Test
    void aValidBinaryCertificateIsExitZeroAndOneLineNamingTheVerdict() throws IOException {
        final Verdict v = convict(1);
        final Path file = write("v.cert", certify(v, 3).encoded());

        final int code = run("verdicts", "verify", file.toString(), "--ca", caPub.toString());

        assertThat(code).as(err.toString()).isZero();
        assertThat(err.toString()).isEmpty();
        assertThat(out.toString()).isEqualTo("valid: " + v.id() + " CONVICT agent agent-7 shard 3 epoch 2 view 0 seq 17"
            + " posterior 0.99931 log-odds 7.277 observers 3 issued 2025-06-16T15:06:40.250Z signed by 3 of committee of 4 (f = 1)" + NL);
    }

    @Test
    void withJsonAValidCertificateIsOneJsonObjectWithTheVerdictsFields() throws IOException {
        final Verdict v = convict(1);
        final Path file = write("v.cert", certify(v, 3).encoded());

        assertThat(run("verdicts", "verify", file.toString(), "--ca", caPub.toString(), "--json")).as(err.toString()).isZero();
        assertThat(err.toString()).isEmpty();
        final JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.path("valid").asBoolean()).isTrue();
        assertThat(json.path("verdict_id").asText()).isEqualTo(v.id());
        assertThat(json.path("kind").asText()).isEqualTo("CONVICT");
        assertThat(json.path("agent").asText()).isEqualTo("agent-7");
        assertThat(json.path("posterior").asDouble()).isEqualTo(0.99931);
        assertThat(json.path("signers").asInt()).isEqualTo(3);
        assertThat(json.path("committee_size").asInt()).isEqualTo(4);
        assertThat(json.path("issued").asText()).isEqualTo("2025-06-16T15:06:40.250Z");
    }

    @Test
    void withJsonAnInvalidCertificateIsExitOneAndTheReasonOnStdout() throws IOException {
        final Path file = write("two.cert", certify(convict(1), 2).encoded());

        assertThat(run("verdicts", "verify", file.toString(), "--ca", caPub.toString(), "--json")).isEqualTo(1);
        assertThat(err.toString()).isEmpty();
        final JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.path("valid").asBoolean(true)).isFalse();
        assertThat(json.path("reason").asText()).isEqualTo("signed by 2 of a committee of 4, f = 1 needs 2f+1 = 3");
    }

    /** {@code verdicts show} prints the API's JSON as it is; {@code --json} is accepted as on every read command. */
    @Test
    void showTakesJsonAndPrintsTheVerdictAsJson() throws Exception {
        final HttpServer api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/v1/verdicts/", exchange -> {
            final byte[] body = "{\"id\":\"v1\",\"kind\":\"CONVICT\",\"certificate_base64\":\"AAAA\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        api.start();
        try {
            assertThat(run("verdicts", "show", "v1", "--json", "--api", "127.0.0.1:" + api.getAddress().getPort())).as(err.toString()).isZero();
        } finally {
            api.stop(0);
        }
        assertThat(new ObjectMapper().readTree(out.toString()).path("id").asText()).isEqualTo("v1");
    }

    @Test
    void theBase64FormWithLineBreaksIsReadToo() throws IOException {
        final VerdictCertificate cert = certify(convict(1), 4);
        final Path file = dir.resolve("v.b64");
        Files.writeString(file, cert.toBase64().replaceAll("(.{76})", "$1\n") + "\n");

        assertThat(run("verdicts", "verify", file.toString(), "--ca", caPub.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("valid: " + cert.verdict().id()).endsWith("signed by 4 of committee of 4 (f = 1)" + NL);
    }

    @Test
    void aChangedByteIsExitOneWithTheReason() throws IOException {
        final VerdictCertificate cert = certify(convict(1), 3);
        final byte[] b = cert.encoded();
        b[8 + 50] ^= 1; // in the verdict: the posterior
        final Path file = write("bad.cert", b);

        assertThat(run("verdicts", "verify", file.toString(), "--ca", caPub.toString())).isEqualTo(1);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).isEqualTo("invalid: signer " + NodeIds.toHex(cert.signatures().get(0).signerId())
            + ": signature over the verdict does not verify" + NL);
    }

    @Test
    void twoFSignaturesAreExitOne() throws IOException {
        final Path file = write("two.cert", certify(convict(1), 2).encoded());

        assertThat(run("verdicts", "verify", file.toString(), "--ca", caPub.toString())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("invalid: signed by 2 of a committee of 4, f = 1 needs 2f+1 = 3" + NL);
    }

    @Test
    void anotherFleetsCaIsExitOne() throws IOException {
        assertThat(run("ca", "init", "--out", dir.resolve("other").toString())).isZero();
        final Path file = write("v.cert", certify(convict(1), 3).encoded());

        assertThat(run("verdicts", "verify", file.toString(), "--ca", dir.resolve("other/ca.pub").toString())).isEqualTo(1);
        assertThat(err.toString()).startsWith("invalid: signer ").contains(": certificate issued by CA " + NodeIds.toHex(caKey.nodeId()) + ", not by CA ");
    }

    @Test
    void anOperatorReleaseNamesWhatItRetracts() throws IOException {
        final Verdict convict = convict(1);
        final Verdict release = Verdict.release("agent-7", convict.id()).f(1).shard(3).epoch(2).sequence(18)
            .issuedAtMicros(ISSUED_AT_MICROS).logOdds(-2.0).posterior(0.11920292202211755).versionVectorDigest(new byte[32]).build();
        final Path file = write("release.cert",
            VerdictCertificate.ofOperator(release, VerdictSignature.signAsOperator(release, caKey)).encoded());

        assertThat(run("verdicts", "verify", file.toString(), "--ca", caPub.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("valid: " + release.id() + " RELEASE of " + convict.id() + " agent agent-7 ")
            .endsWith(" signed by the operator (cluster CA " + NodeIds.toHex(caKey.nodeId()) + ")" + NL);
    }

    @Test
    void anFZeroVerdictNeedsFMinZero() throws IOException {
        final Path file = write("f0.cert", certify(convict(0), 1).encoded());

        assertThat(run("verdicts", "verify", file.toString(), "--ca", caPub.toString())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo(
            "invalid: the verdict claims f = 0, below the f >= 1 required (with f = 0 one node's signature is a quorum)" + NL);
        assertThat(run("verdicts", "verify", file.toString(), "--ca", caPub.toString(), "--f-min", "0")).isZero();
        assertThat(out.toString()).endsWith("signed by 1 of committee of 1 (f = 0)" + NL);
    }

    @Test
    void bytesThatAreNoCertificateAreExitOneWithTheDecodersReason() throws IOException {
        final byte[] good = certify(convict(1), 3).encoded();

        assertThat(run("verdicts", "verify", write("short.cert", Arrays.copyOf(good, 100)).toString(), "--ca", caPub.toString())).isEqualTo(1);
        assertThat(err.toString()).startsWith("invalid: truncated: ");
        err.getBuffer().setLength(0);
        assertThat(run("verdicts", "verify", write("text.cert", "hello, world".getBytes()).toString(), "--ca", caPub.toString())).isEqualTo(1);
        assertThat(err.toString()).startsWith("invalid: not base64: ");
        err.getBuffer().setLength(0);
        assertThat(run("verdicts", "verify", write("big.cert", new byte[70_000]).toString(), "--ca", caPub.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("70000 bytes, more than any verdict certificate");
    }

    @Test
    void aMissingFileOrCaKeyIsExitTwo() throws IOException {
        final Path file = write("v.cert", certify(convict(1), 3).encoded());

        assertThat(run("verdicts", "verify", dir.resolve("nope").toString(), "--ca", caPub.toString())).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("vigil verify: " + dir.resolve("nope") + ": no such file" + NL);
        err.getBuffer().setLength(0);
        assertThat(run("verdicts", "verify", file.toString(), "--ca", dir.resolve("ca/ca.key").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("expected a 'VIGIL ED25519 PUBLIC KEY' block");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void withoutASubcommandItSaysWhatToDo() {
        assertThat(run("verdicts")).isEqualTo(2);
        assertThat(err.toString()).contains("vigil verdicts list").contains("show ID").contains("verify FILE --ca ca.pub");
    }

    // ---- helpers ----

    private Verdict convict(final int f) {
        return Verdict.convict("agent-7").f(f).shard(3).epoch(2).sequence(17).issuedAtMicros(ISSUED_AT_MICROS)
            .logOdds(7.277).posterior(0.99931).versionVectorDigest(new byte[32])
            .observers(nodes.get(0).nodeId(), nodes.get(1).nodeId(), nodes.get(2).nodeId()).build();
    }

    private VerdictCertificate certify(final Verdict v, final int signers) {
        final List<VerdictSignature> s = new ArrayList<>();
        for (int i = 0; i < signers; i++) {
            s.add(VerdictSignature.sign(v, nodes.get(i), certificates.get(i)));
        }
        return VerdictCertificate.ofQuorum(v, s);
    }

    private Path write(final String name, final byte[] bytes) throws IOException {
        final Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private int run(final String... args) {
        final CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }
}
