package dev.vigil.daemon.ingest.otlp;

import com.google.protobuf.DynamicMessage;
import com.google.protobuf.util.JsonFormat;
import dev.vigil.daemon.detect.FeatureSchema;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import static dev.vigil.daemon.ingest.otlp.Facts.micros;
import static dev.vigil.daemon.ingest.otlp.Otlp.num;
import static dev.vigil.daemon.ingest.otlp.Otlp.request;
import static dev.vigil.daemon.ingest.otlp.Otlp.resource;
import static dev.vigil.daemon.ingest.otlp.Otlp.span;
import static dev.vigil.daemon.ingest.otlp.Otlp.str;
import static dev.vigil.daemon.ingest.otlp.OtlpTestServer.JSON;
import static dev.vigil.daemon.ingest.otlp.OtlpTestServer.PROTOBUF;
import static dev.vigil.daemon.ingest.otlp.OtlpTestServer.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The OTLP/HTTP protocol as the server answers it: codes, bodies, encodings, bounds and counters. */
class OtlpHttpServerTest {
    private static final FeatureSchema SCHEMA = FeatureSchema.agentDefault();
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (final AutoCloseable c : closing) {
            c.close();
        }
    }

    private OtlpTestServer start() throws Exception {
        final OtlpTestServer s = OtlpTestServer.start();
        closing.add(s);
        return s;
    }

    private OtlpTestServer start(final int threads, final SpanWindows.Config config, final OtlpHttpServer.Limits limits,
                                 final io.netty.util.concurrent.EventExecutor windowsExecutor) throws Exception {
        final OtlpTestServer s = OtlpTestServer.start(threads, config, limits, windowsExecutor);
        closing.add(s);
        return s;
    }

    /** Two operations of one agent in window [T0, T0 + 10 s). */
    private static ExportTraceServiceRequest twoOps(final String agent) {
        return request(resource(List.of(str("service.name", agent)),
            span(0, 1000, str("gen_ai.operation.name", "chat"), num("gen_ai.usage.input_tokens", 100)),
            span(2000, 2500, str("gen_ai.operation.name", "chat"), num("gen_ai.usage.input_tokens", 300))));
    }

    private static ExportTraceServiceResponse exported(final HttpResponse<byte[]> r) throws Exception {
        assertThat(r.statusCode()).isEqualTo(200);
        if (r.headers().firstValue("Content-Type").orElseThrow().equals(JSON)) {
            final ExportTraceServiceResponse.Builder b = ExportTraceServiceResponse.newBuilder();
            JsonFormat.parser().merge(new String(r.body(), StandardCharsets.UTF_8), b);
            return b.build();
        }
        return ExportTraceServiceResponse.parseFrom(r.body());
    }

    private static double f(final RecordingSink.Observation o, final String feature) {
        return o.raw()[SCHEMA.indexOf(feature)];
    }

    private static byte[] gzip(final byte[] data) throws IOException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(data);
        }
        return out.toByteArray();
    }

    @Test
    void aFullySuccessfulExportIs200WithNoPartialSuccess() throws Exception {
        final OtlpTestServer s = start();
        final HttpResponse<byte[]> r = s.post(twoOps("a1"));
        assertThat(r.headers().firstValue("Content-Type")).hasValue(PROTOBUF);
        assertThat(exported(r).hasPartialSuccess()).isFalse();
        assertThat(s.flush(20)).isEqualTo(1);
        final RecordingSink.Observation o = s.sink.get("a1", micros(10));
        assertThat(f(o, FeatureSchema.OPS_PER_MIN)).isEqualTo(12);
        assertThat(f(o, FeatureSchema.INPUT_TOKENS_PER_OP)).isEqualTo(200);
        assertThat(f(o, FeatureSchema.LATENCY_MS_MEAN)).isEqualTo(750);
    }

    @Test
    void anEmptyRequestIsASuccess() throws Exception {
        final OtlpTestServer s = start();
        assertThat(exported(s.post(PROTOBUF, new byte[0])).hasPartialSuccess()).isFalse();
        final HttpResponse<byte[]> json = s.post(JSON, "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(json.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
    }

    @Test
    void garbageProtobufIs400WithAStatusNamingTheProblem() throws Exception {
        final OtlpTestServer s = start();
        final HttpResponse<byte[]> r = s.post(PROTOBUF, "this is not a protobuf".getBytes(StandardCharsets.US_ASCII));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).hasValue(PROTOBUF);
        final DynamicMessage st = status(r);
        assertThat(RpcStatus.message(st)).contains("not a binary protobuf ExportTraceServiceRequest");
        assertThat(RpcStatus.code(st)).isEqualTo(RpcStatus.INVALID_ARGUMENT);
    }

    @Test
    void malformedJsonIs400WithAJsonStatus() throws Exception {
        final OtlpTestServer s = start();
        final HttpResponse<byte[]> r = s.post("application/json; charset=utf-8", "{\"resourceSpans\": [".getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).hasValue(JSON);
        assertThat(RpcStatus.message(status(r))).contains("not valid JSON");
        final HttpResponse<byte[]> badId = s.post(JSON, """
            {"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"xyz"}]}]}]}""".getBytes(StandardCharsets.UTF_8));
        assertThat(badId.statusCode()).isEqualTo(400);
        assertThat(RpcStatus.message(status(badId))).contains("traceId");
    }

    @Test
    void otherContentTypesAre415() throws Exception {
        final OtlpTestServer s = start();
        for (final String type : new String[] {"text/plain", "application/protobuf", "application/grpc"}) {
            final HttpResponse<byte[]> r = s.post(type, twoOps("a").toByteArray());
            assertThat(r.statusCode()).as(type).isEqualTo(415);
            assertThat(RpcStatus.message(status(r))).contains("application/x-protobuf or application/json");
        }
        assertThat(s.post(null, twoOps("a").toByteArray()).statusCode()).isEqualTo(415);
    }

    @Test
    void contentCodingsOtherThanGzipAre415() throws Exception {
        final OtlpTestServer s = start();
        final HttpResponse<byte[]> r = s.post(PROTOBUF, twoOps("a").toByteArray(), "Content-Encoding", "br");
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(RpcStatus.message(status(r))).contains("Content-Encoding 'br'");
        assertThat(exported(s.post(PROTOBUF, twoOps("a").toByteArray(), "Content-Encoding", "identity")).hasPartialSuccess()).isFalse();
    }

    @Test
    void otherPathsAre404AndOtherMethodsAre405WithAllow() throws Exception {
        final OtlpTestServer s = start();
        final HttpResponse<byte[]> notFound = s.http.send(s.request("/v1/metrics").POST(java.net.http.HttpRequest.BodyPublishers.noBody())
            .header("Content-Type", PROTOBUF).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(RpcStatus.message(status(notFound))).contains("/v1/metrics");
        final HttpResponse<byte[]> get = s.http.send(s.request(OtlpHttpServer.TRACES_PATH).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        assertThat(s.post(twoOps("a")).statusCode()).isEqualTo(200);
    }

    @Test
    void aBodyOverTheBoundIs413AndTheConnectionStaysUsable() throws Exception {
        final OtlpTestServer s = start(1, SpanWindows.Config.defaults(), OtlpHttpServer.Limits.defaults().withBodyBytesMax(64 * 1024), null);
        final HttpResponse<byte[]> r = s.post(PROTOBUF, new byte[64 * 1024 + 1]);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(RpcStatus.message(status(r))).contains("larger than 65536 bytes");
        assertThat(s.post(PROTOBUF, new byte[0]).statusCode()).isEqualTo(200);
        assertThat(s.server.stats().responsesByStatus()).containsEntry(413, 1L);
    }

    @Test
    void theBoundAppliesAfterDecompression() throws Exception {
        final OtlpTestServer s = start(1, SpanWindows.Config.defaults(), OtlpHttpServer.Limits.defaults().withBodyBytesMax(64 * 1024), null);
        final byte[] bomb = gzip(new byte[4 * 1024 * 1024]);
        assertThat(bomb.length).isLessThan(64 * 1024);
        final HttpResponse<byte[]> r = s.post(JSON, bomb, "Content-Encoding", "gzip");
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.headers().firstValue("Content-Type")).hasValue(JSON);
    }

    @Test
    void gzipBodiesAreInflated() throws Exception {
        final OtlpTestServer s = start();
        assertThat(exported(s.post(PROTOBUF, gzip(twoOps("zipped").toByteArray()), "Content-Encoding", "gzip")).hasPartialSuccess()).isFalse();
        assertThat(exported(s.post(JSON, gzip(OtlpJsonTest.DOCUMENT.getBytes(StandardCharsets.UTF_8)), "Content-Encoding", "gzip"))
            .hasPartialSuccess()).isFalse();
        s.flush(20);
        assertThat(f(s.sink.get("zipped", micros(10)), FeatureSchema.OPS_PER_MIN)).isEqualTo(12);
        assertThat(s.sink.find("researcher-7", micros(10))).isPresent();
    }

    @Test
    void aBodyThatIsNotGzipIs400() throws Exception {
        final OtlpTestServer s = start();
        final HttpResponse<byte[]> r = s.post(PROTOBUF, twoOps("a").toByteArray(), "Content-Encoding", "gzip");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(RpcStatus.message(status(r))).contains("not valid gzip");
        assertThat(s.post(twoOps("a")).statusCode()).isEqualTo(200);
    }

    @Test
    void spansWithoutAnAgentKeyArePartialSuccessWithTheirCount() throws Exception {
        final OtlpTestServer s = start();
        final ExportTraceServiceRequest anonymous = request(resource(List.of(str("service.name", "unknown_service:python")),
            span(0, 100, str("gen_ai.operation.name", "chat")), span(0, 200), span(0, 300)));
        final ExportTraceServiceResponse r = exported(s.post(anonymous));
        assertThat(r.getPartialSuccess().getRejectedSpans()).isEqualTo(3);
        assertThat(r.getPartialSuccess().getErrorMessage()).contains("refused 3 of 3 spans").contains("no agent key")
            .contains("gen_ai.agent.id");
        assertThat(s.server.stats().spansRefused()).containsEntry("no_agent_key", 3L);
        assertThat(s.flush(20)).isZero();
    }

    @Test
    void aMixedBatchKeepsTheGoodSpans() throws Exception {
        final OtlpTestServer s = start();
        final List<KeyValue> none = List.of();
        final ExportTraceServiceRequest mixed = request(
            resource(List.of(str("service.name", "good")),
                span(0, 1000, str("gen_ai.operation.name", "chat"), str("gen_ai.request.model", "a")),
                // ends before it starts
                span(3000, 2000, str("gen_ai.operation.name", "chat"), str("gen_ai.request.model", "b")),
                span(4000, 4500, str("gen_ai.operation.name", "chat"), str("gen_ai.request.model", "c"))),
            resource(none, span(0, 100, str("gen_ai.operation.name", "chat"))),
            resource(none, span(0, 100, str("gen_ai.agent.id", "bad\nid"))));
        final ExportTraceServiceResponse r = exported(s.post(mixed));
        assertThat(r.getPartialSuccess().getRejectedSpans()).isEqualTo(3);
        assertThat(r.getPartialSuccess().getErrorMessage()).contains("refused 3 of 5 spans")
            .contains("1 had no agent key").contains("1 had an agent key that is not").contains("1 had a missing start or end time");
        s.flush(20);
        final RecordingSink.Observation good = s.sink.get("good", micros(10));
        assertThat(f(good, FeatureSchema.OPS_PER_MIN)).isEqualTo(12);
        assertThat(f(good, FeatureSchema.MODEL_SWITCHES)).isEqualTo(1);
        assertThat(s.sink.all()).hasSize(1);
    }

    @Test
    void lateAndFutureSpansArePartialSuccess() throws Exception {
        final OtlpTestServer s = start();
        s.flush(20);
        final ExportTraceServiceResponse r = exported(s.post(request(resource(List.of(str("service.name", "a")),
            span(0, 100), span(10_000, 10_100), span(0, 400_000)))));
        assertThat(r.getPartialSuccess().getRejectedSpans()).isEqualTo(2);
        assertThat(r.getPartialSuccess().getErrorMessage()).contains("1 were late").contains("1 ended too far in the future");
    }

    @Test
    void jsonRequestsGetJsonAnswers() throws Exception {
        final OtlpTestServer s = start();
        final HttpResponse<byte[]> r = s.post(JSON, """
            {"resourceSpans":[{"scopeSpans":[{"spans":[
              {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174",
               "startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000000500000000"}]}]}]}"""
            .getBytes(StandardCharsets.UTF_8));
        assertThat(r.headers().firstValue("Content-Type")).hasValue(JSON);
        final String body = new String(r.body(), StandardCharsets.UTF_8);
        assertThat(body).startsWith("{\"partialSuccess\":{\"rejectedSpans\":\"1\",\"errorMessage\":\"refused 1 of 1 spans");
        assertThat(exported(r).getPartialSuccess().getRejectedSpans()).isEqualTo(1);
    }

    @Test
    void otlpJsonAndProtobufGiveTheSameObservations() throws Exception {
        final OtlpTestServer viaJson = start();
        final OtlpTestServer viaProtobuf = start();
        assertThat(exported(viaJson.post(JSON, OtlpJsonTest.DOCUMENT.getBytes(StandardCharsets.UTF_8))).hasPartialSuccess()).isFalse();
        assertThat(exported(viaProtobuf.post(OtlpJsonTest.equivalentProtobuf())).hasPartialSuccess()).isFalse();
        viaJson.flush(20);
        viaProtobuf.flush(20);
        final RecordingSink.Observation j = viaJson.sink.get("researcher-7", micros(10));
        final RecordingSink.Observation p = viaProtobuf.sink.get("researcher-7", micros(10));
        assertThat(viaJson.sink.all()).hasSize(1);
        assertThat(viaProtobuf.sink.all()).hasSize(1);
        assertThat(j.role()).isEqualTo("researcher").isEqualTo(p.role());
        assertThat(j.raw()).containsExactly(p.raw());
        // and the values are what the document says
        assertThat(f(j, FeatureSchema.OPS_PER_MIN)).isEqualTo(18);
        assertThat(f(j, FeatureSchema.TOOL_CALLS_PER_MIN)).isEqualTo(6);
        assertThat(f(j, FeatureSchema.DISTINCT_TOOLS)).isEqualTo(1);
        assertThat(f(j, FeatureSchema.INPUT_TOKENS_PER_OP)).isEqualTo(140);
        assertThat(f(j, FeatureSchema.OUTPUT_TOKENS_PER_OP)).isEqualTo(40);
        assertThat(f(j, FeatureSchema.ERROR_RATE)).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(f(j, FeatureSchema.LATENCY_MS_MEAN)).isCloseTo(3500.0 / 3, within(1e-9));
        assertThat(f(j, FeatureSchema.DISTINCT_HOSTS)).isEqualTo(2);
        assertThat(f(j, FeatureSchema.BYTES_OUT)).isEqualTo(2048);
        assertThat(f(j, FeatureSchema.MODEL_SWITCHES)).isEqualTo(1);
    }

    @Test
    void atTheAgentBoundNewAgentsGet503WithRetryAfter() throws Exception {
        final OtlpTestServer s = start(2, SpanWindows.Config.defaults().withAgentsMax(1), OtlpHttpServer.Limits.defaults(), null);
        assertThat(s.post(twoOps("first")).statusCode()).isEqualTo(200);
        final HttpResponse<byte[]> r = s.post(twoOps("second"));
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).hasValue("10");
        assertThat(RpcStatus.message(status(r))).contains("bound");
        assertThat(RpcStatus.code(status(r))).isEqualTo(RpcStatus.UNAVAILABLE);
        // the known agent still gets in
        assertThat(s.post(twoOps("first")).statusCode()).isEqualTo(200);
        s.flush(20);
        assertThat(s.post(request(resource(List.of(str("service.name", "second")), span(10_000, 10_500)))).statusCode()).isEqualTo(200);
        assertThat(s.server.stats().spansThrottled()).isEqualTo(2);
        assertThat(s.server.stats().responsesByStatus()).containsEntry(503, 1L).containsEntry(200, 3L);
    }

    @Test
    void whenTooManyRequestsWaitForTheWindowsTheNextIs429WithRetryAfter() throws Exception {
        final DefaultEventExecutor windowsExecutor = new DefaultEventExecutor();
        closing.add(() -> windowsExecutor.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly());
        final OtlpTestServer s = start(2, SpanWindows.Config.defaults(), OtlpHttpServer.Limits.defaults().withPendingRequestsMax(1), windowsExecutor);
        final CountDownLatch stalled = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        windowsExecutor.execute(() -> {
            stalled.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(stalled.await(5, TimeUnit.SECONDS)).isTrue();
        final CompletableFuture<HttpResponse<byte[]>> waiting = s.http.sendAsync(s.postRequest(PROTOBUF, twoOps("a").toByteArray()),
            HttpResponse.BodyHandlers.ofByteArray());
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> s.server.stats().requestsPending() == 1);
        final HttpResponse<byte[]> busy = s.post(twoOps("b"));
        assertThat(busy.statusCode()).isEqualTo(429);
        assertThat(busy.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(RpcStatus.code(status(busy))).isEqualTo(RpcStatus.RESOURCE_EXHAUSTED);
        release.countDown();
        assertThat(waiting.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(s.server.stats().requestsPending()).isZero();
        assertThat(s.server.stats().spansThrottled()).isEqualTo(2);
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        final OtlpTestServer s = start();
        final byte[] body = twoOps("piped").toByteArray();
        try (Socket socket = new Socket("127.0.0.1", s.port())) {
            socket.setSoTimeout(10_000);
            final ByteArrayOutputStream both = new ByteArrayOutputStream();
            both.write(("POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\nContent-Length: " + body.length
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            both.write(body);
            // answered at once, while the first waits for the windows: must still come second
            both.write("GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            final OutputStream out = socket.getOutputStream();
            out.write(both.toByteArray());
            out.flush();
            final InputStream in = socket.getInputStream();
            assertThat(readStatus(in)).isEqualTo(200);
            assertThat(readStatus(in)).isEqualTo(404);
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    /** Reads one HTTP/1.1 response with a Content-Length and returns its status. */
    private static int readStatus(final InputStream in) throws IOException {
        final String head = readHead(in);
        int length = 0;
        for (final String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        assertThat(in.readNBytes(length)).hasSize(length);
        return Integer.parseInt(head.substring(9, 12));
    }

    private static String readHead(final InputStream in) throws IOException {
        final StringBuilder b = new StringBuilder();
        while (!b.toString().endsWith("\r\n\r\n")) {
            final int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed in a response head: " + b);
            }
            b.append((char)c);
        }
        return b.toString();
    }

    @Test
    void connectionsBeyondTheBoundAreClosedAndIdleOnesTimeOut() throws Exception {
        final OtlpTestServer s = start(2, SpanWindows.Config.defaults(),
            OtlpHttpServer.Limits.defaults().withConnectionsMax(1).withIdleSecondsMax(1), null);
        try (Socket first = new Socket("127.0.0.1", s.port())) {
            first.setSoTimeout(10_000);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> s.server.stats().connectionsOpen() == 1);
            try (Socket second = new Socket("127.0.0.1", s.port())) {
                second.setSoTimeout(5_000);
                assertThat(second.getInputStream().read()).isEqualTo(-1);
            }
            // the first, silent, is closed after a second of idleness
            assertThat(first.getInputStream().read()).isEqualTo(-1);
        }
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> s.server.stats().connectionsOpen() == 0);
        assertThat(s.server.stats().connectionsRefused()).isEqualTo(1);
        assertThat(s.server.stats().connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void countersAddUpAcrossOutcomes() throws Exception {
        final OtlpTestServer s = start(2, SpanWindows.Config.defaults().withAgentsMax(1), OtlpHttpServer.Limits.defaults(), null);
        s.post(twoOps("a"));
        s.post(twoOps("b"));
        s.post(PROTOBUF, new byte[] {1, 2, 3});
        s.post(request(resource(List.of(), span(0, 100)), resource(List.of(str("service.name", "a")), span(0, 100))));
        s.flush(20);
        s.post(twoOps("a"));
        final OtlpIngestStats st = s.server.stats();
        assertThat(st.spansReceived()).isEqualTo(2 + 2 + 2 + 2);
        assertThat(st.spansAccepted()).isEqualTo(3);
        assertThat(st.spansRefused()).containsEntry("no_agent_key", 1L).containsEntry("late", 2L);
        assertThat(st.spansThrottled()).isEqualTo(2);
        assertThat(st.spansReceived()).isEqualTo(st.spansAccepted() + st.spansRefusedTotal() + st.spansThrottled());
        assertThat(st.responsesByStatus()).containsEntry(200, 3L).containsEntry(400, 1L).containsEntry(503, 1L);
        assertThat(st.windowsEmitted()).isEqualTo(1);
        assertThat(st.asMap()).containsKeys("responses_by_status", "connections", "spans", "windows");
    }

    @Test
    void closingStopsListening() throws Exception {
        final OtlpTestServer s = OtlpTestServer.start();
        final int port = s.port();
        s.close();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(IOException.class);
    }

}
