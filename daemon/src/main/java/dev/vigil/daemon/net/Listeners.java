package dev.vigil.daemon.net;

import dev.vigil.daemon.config.ConfigException;
import dev.vigil.daemon.config.NodeConfig;
import dev.vigil.daemon.core.NodeCore;
import dev.vigil.daemon.core.WallClock;
import dev.vigil.daemon.ingest.ObservationSink;
import dev.vigil.daemon.ingest.otlp.OtlpHttpServer;
import dev.vigil.daemon.ingest.otlp.OtlpIngestStats;
import dev.vigil.daemon.ingest.otlp.SpanWindows;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The daemon's three listening sockets: peers ({@code listen.peer}, on the core's loop, frames
 * straight to the core), the HTTP API ({@code listen.api}, on the API's loop) and, when
 * configured, OTLP/HTTP ({@code listen.otlp}, on the API's loop, its span windows on the core's).
 * An address that cannot be bound is a {@link ConfigException} naming its field. What was bound
 * before a failure stays open until the daemon's stop closes it.
 */
final class Listeners {
    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

    private final NodeConfig config;
    private final IoKind io;
    private Channel peerServer;
    private Channel apiServer;
    private OtlpHttpServer otlpServer;

    Listeners(final NodeConfig config, final IoKind io) {
        this.config = config;
        this.io = io;
    }

    /** Binds the peer socket on the core's group: each connection's frames go to the core. */
    void bindPeer(final EventLoopGroup coreGroup, final NodeCore core) throws IOException {
        peerServer = await(new ServerBootstrap()
            .group(coreGroup)
            .channel(io.serverChannel())
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ChannelInitializer<>() {
                @Override
                protected void initChannel(final Channel ch) {
                    ch.pipeline().addLast(InboundFrames.delimiter(), new InboundFrames(core));
                }
            })
            .bind(config.peerListen().socketAddress()), "listen.peer", config.peerListen().toString());
    }

    /** Binds the HTTP API on the API's group. */
    void bindApi(final EventLoopGroup apiGroup, final NodeApi api) throws IOException {
        apiServer = await(new ServerBootstrap()
            .group(apiGroup)
            .channel(io.serverChannel())
            .option(ChannelOption.SO_REUSEADDR, true)
            .childHandler(new ApiServer(api))
            .bind(config.apiListen().socketAddress()), "listen.api", config.apiListen().toString());
    }

    /**
     * Binds OTLP/HTTP when {@code listen.otlp} is set. The span windows live on the core's loop,
     * so finished windows go straight to {@code sink} on that thread.
     */
    void bindOtlp(final EventLoopGroup apiGroup, final EventLoop coreLoop, final ObservationSink sink) throws IOException {
        if (config.otlpListen() == null) {
            return;
        }
        final SpanWindows windows = new SpanWindows(config.schema(), sink,
            SpanWindows.Config.defaults()
                .withAgentsMax(config.detection().agentsMax())
                .withFutureSkewSecondsMax((int)config.detection().futureSkewSecondsMax()));
        try {
            otlpServer = OtlpHttpServer.bind(apiGroup, io.serverChannel(), config.otlpListen().socketAddress(), windows,
                OtlpHttpServer.Limits.defaults(), coreLoop, WallClock::micros);
        } catch (final IOException e) {
            throw new ConfigException(config.file(), "listen.otlp", "cannot listen on " + config.otlpListen() + ": " + e.getMessage());
        }
    }

    private Channel await(final ChannelFuture f, final String field, final String address) throws IOException {
        f.awaitUninterruptibly();
        if (!f.isSuccess()) {
            final Throwable c = f.cause();
            throw new ConfigException(config.file(), field, "cannot listen on " + address + ": "
                + (c instanceof BindException ? "address in use or not local" : String.valueOf(c)));
        }
        return f.channel();
    }

    InetSocketAddress peerAddress() {
        return (InetSocketAddress)peerServer.localAddress();
    }

    InetSocketAddress apiAddress() {
        return (InetSocketAddress)apiServer.localAddress();
    }

    /** Null when OTLP ingest is off. */
    InetSocketAddress otlpAddress() {
        return otlpServer == null ? null : otlpServer.localAddress();
    }

    /** OTLP ingest counters, or null when OTLP ingest is off. Any thread. */
    OtlpIngestStats otlpStats() {
        return otlpServer == null ? null : otlpServer.stats();
    }

    /** Emits every OTLP window that has closed by {@code nowMicros}; 0 when OTLP ingest is off. */
    CompletableFuture<Integer> flushOtlp(final long nowMicros) {
        return otlpServer == null ? CompletableFuture.completedFuture(0) : otlpServer.flush(nowMicros);
    }

    /** Core thread: stops taking peer connections. */
    void closePeer() {
        if (peerServer != null) {
            peerServer.close();
        }
    }

    /**
     * Stops OTLP ingest. Spans answered 200 sit in open windows: all of them go to the sink first,
     * so call this while the core's loop still runs.
     */
    void closeOtlp() {
        if (otlpServer == null) {
            return;
        }
        try {
            otlpServer.flush(Long.MAX_VALUE / 2).get(5, TimeUnit.SECONDS);
        } catch (final Exception e) {
            LOG.warn("open OTLP windows could not be flushed at shutdown: {}", e.toString());
        }
        otlpServer.close();
    }

    /** Stops the HTTP API, waiting up to 2 s. */
    void closeApi() {
        if (apiServer != null) {
            apiServer.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }
}
