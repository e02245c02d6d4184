package dev.vigil.daemon.ingest.otlp;

import com.google.protobuf.DynamicMessage;
import com.google.protobuf.util.JsonFormat;
import dev.vigil.daemon.detect.FeatureSchema;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.EventExecutor;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** One OTLP server on a loopback port with a settable clock, a recording sink and an HTTP client. */
final class OtlpTestServer implements AutoCloseable {
    static final String PROTOBUF = "application/x-protobuf";
    static final String JSON = "application/json";

    final EventLoopGroup group;
    final AtomicLong clockMicros = new AtomicLong(Facts.T0_MICROS);
    final RecordingSink sink = new RecordingSink();
    final SpanWindows windows;
    final OtlpHttpServer server;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private OtlpTestServer(final int threads, final SpanWindows.Config config, final OtlpHttpServer.Limits limits,
                           final EventExecutor windowsExecutor) throws Exception {
        group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        windows = new SpanWindows(FeatureSchema.agentDefault(), sink, config);
        try {
            server = OtlpHttpServer.bind(group, NioServerSocketChannel.class, new InetSocketAddress("127.0.0.1", 0), windows, limits,
                windowsExecutor == null ? group.next() : windowsExecutor, clockMicros::get);
        } catch (final Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** One event-loop thread: connections and windows share it. */
    static OtlpTestServer start() throws Exception {
        return new OtlpTestServer(1, SpanWindows.Config.defaults(), OtlpHttpServer.Limits.defaults(), null);
    }

    static OtlpTestServer start(final int threads, final SpanWindows.Config config, final OtlpHttpServer.Limits limits,
                                final EventExecutor windowsExecutor) throws Exception {
        return new OtlpTestServer(threads, config, limits, windowsExecutor);
    }

    int port() {
        return server.localAddress().getPort();
    }

    String endpoint() {
        return "http://127.0.0.1:" + port() + OtlpHttpServer.TRACES_PATH;
    }

    HttpRequest.Builder request(final String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path)).timeout(Duration.ofSeconds(10));
    }

    HttpRequest postRequest(final String contentType, final byte[] body, final String... headers) {
        final HttpRequest.Builder b = request(OtlpHttpServer.TRACES_PATH).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        return b.build();
    }

    HttpResponse<byte[]> post(final String contentType, final byte[] body, final String... headers) throws Exception {
        return http.send(postRequest(contentType, body, headers), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> post(final io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest request) throws Exception {
        return post(PROTOBUF, request.toByteArray());
    }

    /** Flushes the windows on their executor as if the clock read T0 + {@code seconds}. */
    int flush(final double seconds) throws Exception {
        return server.flush(Facts.micros(seconds)).get(10, TimeUnit.SECONDS);
    }

    /** A {@code google.rpc.Status} body, in whichever encoding the response says. */
    static DynamicMessage status(final HttpResponse<byte[]> r) throws Exception {
        final String type = r.headers().firstValue("Content-Type").orElseThrow();
        if (type.equals(JSON)) {
            final DynamicMessage.Builder b = DynamicMessage.newBuilder(RpcStatus.DESCRIPTOR);
            JsonFormat.parser().merge(new String(r.body(), StandardCharsets.UTF_8), b);
            return b.build();
        }
        return DynamicMessage.parseFrom(RpcStatus.DESCRIPTOR, r.body());
    }

    @Override
    public void close() {
        server.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
