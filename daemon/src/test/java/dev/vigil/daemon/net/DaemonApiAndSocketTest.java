package dev.vigil.daemon.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.wire.FrameStatus;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** One real daemon: its HTTP API, and what it does with hostile bytes on its peer socket. */
class DaemonApiAndSocketTest {
    @TempDir
    Path dir;
    private Daemon daemon;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        daemon = LocalDaemons.startAlone(dir, false);
    }

    @AfterEach
    void stop() {
        daemon.close();
    }

    private HttpResponse<String> get(final String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.apiAddress().getPort() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthzAndStatusAnswerWithTheDocumentedShape() throws Exception {
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        final HttpResponse<String> r = get("/v1/status");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        final JsonNode s = new ObjectMapper().readTree(r.body());
        assertThat(s.path("node_id").asText()).hasSize(16).isEqualTo(dev.vigil.crypto.NodeIds.toHex(daemon.nodeId()));
        assertThat(s.path("version").asText()).isNotEmpty();
        assertThat(s.path("listen").path("peer").asText()).contains(String.valueOf(daemon.peerAddress().getPort()));
        assertThat(s.path("accepted").asBoolean()).as("a node without bootstrap founds the fleet").isTrue();
        assertThat(s.path("uptime_s").isNumber()).isTrue();
        assertThat(s.path("peers").isArray()).isTrue();
        assertThat(s.path("frames").path("sent").has("join")).isTrue();
        assertThat(s.path("frames").path("rejected").has(FrameStatus.BAD_SIGNATURE.label)).isTrue();
        assertThat(s.path("frames").path("internal_errors").isObject()).as("bugs by code location: none here").isTrue();
        assertThat(s.path("frames").path("internal_errors").size()).isZero();
        assertThat(s.path("frames").path("consensus").path("fragments").has("delivered")).isTrue();
        assertThat(s.path("frames").path("consensus").path("messages_dropped").has("expired")).isTrue();
        assertThat(s.path("transport").path("io").asText()).isIn("epoll", "nio");
        assertAccelSection(s.path("accel"));
    }

    /**
     * The accel section: what was asked (the config has no accel section: auto), what runs (Java
     * while the background selection decides, and wherever OpenCL cannot serve), why, and the
     * device's counters, which cannot be negative nor the transfer share leave [0, 1].
     */
    private static void assertAccelSection(final JsonNode a) {
        assertThat(a.isObject()).as("accel section in %s", a).isTrue();
        assertThat(a.path("requested").asText()).isEqualTo("auto");
        assertThat(a.path("backend").asText()).isIn("java", "opencl");
        assertThat(a.path("reason").asText()).isNotBlank();
        assertThat(a.path("device").isTextual()).isTrue();
        assertThat(a.path("thresholds").isTextual()).isTrue();
        if (a.path("backend").asText().equals("opencl")) {
            assertThat(a.path("device").asText()).as("an OpenCL backend names its device").isNotEmpty();
            assertThat(a.path("thresholds").asText()).contains("accumulate", "score", "merge");
        }
        assertThat(a.path("batches").isIntegralNumber()).isTrue();
        assertThat(a.path("batches").asLong()).isNotNegative();
        assertThat(a.path("bytes_moved").isIntegralNumber()).isTrue();
        assertThat(a.path("bytes_moved").asLong()).isNotNegative();
        assertThat(a.path("transfer_share").isNumber()).isTrue();
        assertThat(a.path("transfer_share").asDouble()).isBetween(0.0, 1.0);
    }

    @Test
    void vigilStatusSaysWhereNumericBatchesRunAndWhy() throws Exception {
        final JsonNode accel = new ObjectMapper().readTree(get("/v1/status").body()).path("accel");
        final java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        final java.io.PrintStream stdout = System.out;
        final int code;
        try {
            System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
            code = dev.vigil.daemon.cli.Main.commandLine().execute("status", "--api", "127.0.0.1:" + daemon.apiAddress().getPort());
        } finally {
            System.setOut(stdout);
        }
        assertThat(code).isZero();
        final String text = printed.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(text).containsPattern("(?m)^accel: (java|opencl).* \\(accel\\.backend auto\\): .+$");
        if (accel.path("backend").asText().equals("java") && accel.path("reason").asText().contains("using java")) {
            // settled on Java (no usable OpenCL device here): the reason is printed as the status gives it
            assertThat(text).contains(accel.path("reason").asText());
        }
    }

    @Test
    void theListCommandsPrintTheApisJsonWithJson() throws Exception {
        for (final String[] command : new String[][] {{"agents", "list"}, {"verdicts", "list"}}) {
            final java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
            final java.io.PrintStream stdout = System.out;
            final int code;
            try {
                System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
                code = dev.vigil.daemon.cli.Main.commandLine().execute(command[0], command[1], "--json", "--api",
                    "127.0.0.1:" + daemon.apiAddress().getPort());
            } finally {
                System.setOut(stdout);
            }
            assertThat(code).isZero();
            final JsonNode json = new ObjectMapper().readTree(printed.toString(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(json.path(command[0]).isArray()).as(command[0] + " list --json").isTrue();
        }
    }

    @Test
    void unknownPathsAndMethodsGetClearErrors() throws Exception {
        final HttpResponse<String> missing = get("/v1/nothing");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("/v1/nothing");
        final HttpResponse<String> post = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + daemon.apiAddress().getPort() + "/v1/status"))
            .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("allow")).contains("GET, HEAD");
        final HttpResponse<String> get = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + daemon.apiAddress().getPort() + "/v1/observations")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("allow")).contains("POST");
    }

    /** HEAD, as health checks and curl -I send it, gets GET's status and headers without the body. */
    @Test
    void headIsAnsweredAsGetWithoutTheBody() throws Exception {
        for (final String path : new String[]{"/healthz", "/", "/v1/status"}) {
            final HttpResponse<String> head = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + daemon.apiAddress().getPort() + path))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(head.statusCode()).as(path).isEqualTo(200);
            assertThat(head.body()).as(path).isEmpty();
            assertThat(head.headers().firstValueAsLong("content-length").orElse(0)).as(path).isPositive();
            assertThat(get(path).statusCode()).as("the connection is still good after " + path).isEqualTo(200);
        }
        final HttpResponse<String> missing = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + daemon.apiAddress().getPort() + "/v1/nothing"))
            .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
    }

    @Test
    void hostileBytesOnThePeerSocketAreCountedAndAnOversizedPrefixClosesTheConnection() throws Exception {
        final Random random = new Random(7);
        try (Socket s = new Socket("127.0.0.1", daemon.peerAddress().getPort())) {
            s.setSoTimeout(5_000);
            final OutputStream out = s.getOutputStream();
            for (int i = 0; i < 50; i++) { // 50 garbage frames of plausible size
                final byte[] body = new byte[100 + random.nextInt(400)];
                random.nextBytes(body);
                out.write(prefix(body.length));
                out.write(body);
            }
            out.write(prefix(3)); // a frame too short to hold a header
            out.write(new byte[3]);
            out.write(prefix(-5)); // read as unsigned: about 4 GiB, far above the bound
            out.flush();
            assertThat(s.getInputStream().read()).as("the daemon closes the connection").isEqualTo(-1);
        }
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> rejectedTotal() == 52);
        assertThat(daemon.statusNow().frames().rejected(FrameStatus.OVERSIZED)).isEqualTo(1);
        assertThat(daemon.statusNow().frames().rejected(FrameStatus.TRUNCATED)).isGreaterThanOrEqualTo(1);
        assertThat(daemon.statusNow().frames().receivedTotal()).as("nothing accepted").isZero();
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
    }

    private long rejectedTotal() {
        return daemon.statusNow().frames().rejectedTotal();
    }

    private static byte[] prefix(final int length) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(length).array();
    }

}
