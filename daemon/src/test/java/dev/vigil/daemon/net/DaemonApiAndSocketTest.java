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
