package dev.vigil.daemon.ingest.otlp;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * An OTLP/HTTP trace receiver: {@code POST /v1/traces} with binary protobuf or OTLP JSON,
 * optionally gzip, feeding a {@link SpanWindows}.
 *
 * <p>Pipeline per connection: {@link IdleStateHandler} (closes idle connections) →
 * {@link HttpServerCodec} → {@link GzipDecompressor} → {@link BodyAggregator} (the size bound, after
 * inflation) → {@link OtlpHttpHandler}.
 *
 * <p><b>Threads.</b> Connections run on the group's event loops; decoding and span extraction
 * (the costly part) happen there, in parallel across connections. The {@link SpanWindows} is
 * confined to one {@code windowsExecutor} (by default one loop of the same group): every
 * {@code offer}, the periodic flush (every W/2) and {@link #flush(long)} run as tasks on it, and
 * nothing else may touch the windows after {@code bind}. With a one-thread group the connection
 * loop and the windows' executor are the same thread; nothing blocks, a request's offer simply
 * runs as the next task on that thread, and the design needs no lock either way.
 *
 * <p><b>Answers</b> (OTLP/HTTP): 200 with an {@code ExportTraceServiceResponse}, carrying
 * {@code partial_success} when spans were refused for good (no/invalid agent key, bad times,
 * late, future, bounds); 400 undecodable body or invalid gzip; 404 other paths; 405 other methods
 * (with {@code Allow: POST}); 413 body over {@link Limits#bodyBytesMax()}; 415 other content
 * types or codings; 429 with {@code Retry-After} when {@link Limits#pendingRequestsMax()} requests
 * already wait for the windows; 503 with {@code Retry-After} when the windows are at their agent
 * or open-window bound, or the server is stopping; 500 only if the windows throw (a bug, logged).
 * A malformed HTTP request is 400 and closes the connection. Every non-200 body is a
 * {@code google.rpc.Status}; all bodies use the request's encoding (JSON for JSON requests,
 * binary protobuf otherwise). Connections beyond {@link Limits#connectionsMax()} are closed on
 * accept.
 */
public final class OtlpHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OtlpHttpServer.class);
    /** OTLP/HTTP's default path for traces. */
    public static final String TRACES_PATH = "/v1/traces";
    /** OTLP/HTTP's default port. */
    public static final int PORT_DEFAULT = 4318;
    static final int REQUEST_LINE_BYTES_MAX = 4096;
    static final int HEADER_BYTES_MAX = 16 * 1024;
    static final int CHUNK_BYTES_MAX = 64 * 1024;

    /**
     * @param bodyBytesMax       request body bound after decompression; larger is 413
     * @param pendingRequestsMax decoded requests waiting for the windows' executor; more is 429
     * @param connectionsMax     open connections; more are closed on accept
     * @param idleSecondsMax     a connection with no traffic this long is closed
     */
    public record Limits(int bodyBytesMax, int pendingRequestsMax, int connectionsMax, int idleSecondsMax) {
        public static final int BODY_BYTES_MAX_DEFAULT = 4 * 1024 * 1024;
        public static final int PENDING_REQUESTS_MAX_DEFAULT = 64;
        public static final int CONNECTIONS_MAX_DEFAULT = 1024;
        public static final int IDLE_SECONDS_MAX_DEFAULT = 120;

        public Limits {
            if (bodyBytesMax < 1 || pendingRequestsMax < 1 || connectionsMax < 1 || idleSecondsMax < 1) {
                throw new IllegalArgumentException("OTLP limits must all be >= 1: " + bodyBytesMax + ", " + pendingRequestsMax
                    + ", " + connectionsMax + ", " + idleSecondsMax);
            }
        }

        public static Limits defaults() {
            return new Limits(BODY_BYTES_MAX_DEFAULT, PENDING_REQUESTS_MAX_DEFAULT, CONNECTIONS_MAX_DEFAULT, IDLE_SECONDS_MAX_DEFAULT);
        }

        public Limits withBodyBytesMax(final int bytes) {
            return new Limits(bytes, pendingRequestsMax, connectionsMax, idleSecondsMax);
        }

        public Limits withPendingRequestsMax(final int requests) {
            return new Limits(bodyBytesMax, requests, connectionsMax, idleSecondsMax);
        }

        public Limits withConnectionsMax(final int connections) {
            return new Limits(bodyBytesMax, pendingRequestsMax, connections, idleSecondsMax);
        }

        public Limits withIdleSecondsMax(final int seconds) {
            return new Limits(bodyBytesMax, pendingRequestsMax, connectionsMax, seconds);
        }
    }

    private final Channel serverChannel;
    private final ChannelGroup connections;
    private final IngestPath ingest;
    private final ScheduledFuture<?> flushTask;

    private OtlpHttpServer(final Channel serverChannel, final ChannelGroup connections, final IngestPath ingest,
                           final ScheduledFuture<?> flushTask) {
        this.serverChannel = serverChannel;
        this.connections = connections;
        this.ingest = ingest;
        this.flushTask = flushTask;
    }

    /**
     * Listens on {@code listen} with the windows confined to one loop of {@code group}, flushed on
     * the wall clock. Blocks until bound.
     *
     * @throws IOException when the address cannot be bound
     */
    public static OtlpHttpServer bind(final EventLoopGroup group, final Class<? extends ServerChannel> channelClass,
                                      final InetSocketAddress listen, final SpanWindows windows, final Limits limits) throws IOException {
        return bind(group, channelClass, listen, windows, limits, group.next(), dev.vigil.daemon.core.WallClock::micros);
    }

    /**
     * As {@link #bind(EventLoopGroup, Class, InetSocketAddress, SpanWindows, Limits)}, with the
     * executor the windows are confined to (it may be one of {@code group}'s loops, or any other
     * single-threaded executor, e.g. the node core's loop) and the clock (epoch µs, thread-safe)
     * that stamps offers and drives the periodic flush. The caller keeps ownership of
     * {@code group} and {@code windowsExecutor}; {@link #close()} shuts down neither.
     */
    public static OtlpHttpServer bind(final EventLoopGroup group, final Class<? extends ServerChannel> channelClass,
                                      final InetSocketAddress listen, final SpanWindows windows, final Limits limits,
                                      final EventExecutor windowsExecutor, final LongSupplier clockMicros) throws IOException {
        final IngestCounters counters = new IngestCounters();
        final IngestPath ingest = new IngestPath(windows, windowsExecutor, clockMicros, limits, counters);
        final ChannelGroup connections = new DefaultChannelGroup("otlp-http", GlobalEventExecutor.INSTANCE);
        final ChannelFuture bound = new ServerBootstrap()
            .group(group)
            .channel(channelClass)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ChannelInitializer<>() {
                @Override
                protected void initChannel(final Channel ch) {
                    if (counters.connectionsOpen.incrementAndGet() > limits.connectionsMax()) {
                        counters.connectionsOpen.decrementAndGet();
                        counters.connectionsRefused.incrementAndGet();
                        ch.close();
                        return;
                    }
                    counters.connectionsAccepted.incrementAndGet();
                    ch.closeFuture().addListener(f -> counters.connectionsOpen.decrementAndGet());
                    connections.add(ch);
                    ch.pipeline().addLast(
                        new IdleStateHandler(0, 0, limits.idleSecondsMax(), TimeUnit.SECONDS),
                        new HttpServerCodec(REQUEST_LINE_BYTES_MAX, HEADER_BYTES_MAX, CHUNK_BYTES_MAX),
                        new GzipDecompressor(),
                        new BodyAggregator(limits.bodyBytesMax(), counters),
                        new OtlpHttpHandler(ingest));
                }
            })
            .bind(listen)
            .awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IOException("cannot listen for OTLP/HTTP on " + listen + ": " + bound.cause(), bound.cause());
        }
        final long periodMs = Math.max(1, windows.config().windowSeconds() * 1000L / 2);
        final ScheduledFuture<?> flushTask = windowsExecutor.scheduleAtFixedRate(() -> {
            try {
                windows.flush(clockMicros.getAsLong());
            } catch (final RuntimeException e) {
                // A throw would cancel the schedule and stop every later flush.
                LOG.error("periodic flush of span windows failed", e);
            }
        }, periodMs, periodMs, TimeUnit.MILLISECONDS);
        final OtlpHttpServer server = new OtlpHttpServer(bound.channel(), connections, ingest, flushTask);
        LOG.info("OTLP/HTTP trace ingest on {} (POST {}, protobuf or JSON, gzip; {} s windows; bodies up to {} bytes)",
            server.localAddress(), TRACES_PATH, windows.config().windowSeconds(), limits.bodyBytesMax());
        return server;
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress)serverChannel.localAddress();
    }

    /** The counters now, from any thread, without waiting on the windows' executor. */
    public OtlpIngestStats stats() {
        return OtlpIngestStats.of(ingest.counters(), ingest.windows().stats());
    }

    /**
     * Flushes the windows on their executor as if the clock read {@code nowMicros} (the periodic
     * flush does this with the real clock every W/2).
     *
     * @return the number of windows emitted
     */
    public CompletableFuture<Integer> flush(final long nowMicros) {
        final CompletableFuture<Integer> done = new CompletableFuture<>();
        try {
            ingest.windowsExecutor().execute(() -> {
                try {
                    done.complete(ingest.windows().flush(nowMicros));
                } catch (final RuntimeException e) {
                    done.completeExceptionally(e);
                }
            });
        } catch (final RejectedExecutionException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    /**
     * Stops the periodic flush, stops listening and closes open connections (within a few seconds).
     * Windows still open are not emitted; flush first if they should be.
     */
    @Override
    public void close() {
        flushTask.cancel(false);
        serverChannel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        connections.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }

}
