package dev.vigil.daemon.net;

import dev.vigil.crypto.NodeIds;
import dev.vigil.daemon.config.HostPort;
import dev.vigil.daemon.core.LogIds;
import dev.vigil.daemon.core.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Outbound connections, one per peer address, used only from the core's event loop. Each link
 * connects on first use, queues frames while connecting (at most {@code queueFramesMax}), and
 * reconnects with jittered exponential backoff. At the bound, and when the socket's outbound
 * buffer is above its high-water mark, frames are dropped: counted per link, logged once when
 * dropping starts and once when it stops. Peers' liveness timeouts absorb the loss.
 */
final class PeerLinks implements Transport {
    private static final Logger LOG = LoggerFactory.getLogger(PeerLinks.class);
    private static final int CONNECT_TIMEOUT_MS = 3_000;

    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final int queueFramesMax;
    private final long backoffMinMs;
    private final long backoffMaxMs;
    private final SplittableRandom jitter = new SplittableRandom();
    private final Map<String, Link> links = new TreeMap<>();
    private boolean closed;
    /** The node id at an address, or 0 when not known: the core's membership, read for log lines only. */
    private ToLongFunction<String> peerIds = address -> 0;

    PeerLinks(final EventLoop loop, final IoKind io, final int queueFramesMax, final long backoffMinMs, final long backoffMaxMs) {
        this.loop = loop;
        this.queueFramesMax = queueFramesMax;
        this.backoffMinMs = backoffMinMs;
        this.backoffMaxMs = backoffMaxMs;
        this.bootstrap = new Bootstrap()
            .group(loop)
            .channel(io.channel())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
            .handler(new ChannelInitializer<>() {
                @Override
                protected void initChannel(final Channel ch) {
                    ch.pipeline().addLast(new FlushConsolidationHandler(64, true), new OutboundOnly());
                }
            });
    }

    /** Where log lines about a link find its peer's id (called on the core's loop, as every link method is). */
    void setPeerIds(final ToLongFunction<String> peerIds) {
        this.peerIds = peerIds;
    }

    @Override
    public void send(final String address, final byte[] frame, final int offset, final int length) {
        if (closed) {
            return;
        }
        links.computeIfAbsent(address, Link::new).send(frame, offset, length);
    }

    /** Link counters for the status API. */
    List<LinkStats> stats() {
        final List<LinkStats> out = new ArrayList<>(links.size());
        for (final Link l : links.values()) {
            out.add(new LinkStats(l.address, l.channel != null && l.channel.isActive(), l.queue.size(),
                l.framesSent, l.droppedQueueFull, l.droppedUnreachable, l.connectFailures));
        }
        return out;
    }

    /** Closes every connection, after flushing what is already written. */
    void close() {
        closed = true;
        for (final Link l : links.values()) {
            l.close();
        }
    }

    /** Counters of one link. */
    record LinkStats(String address, boolean connected, int queued, long framesSent, long droppedQueueFull,
                     long droppedUnreachable, long connectFailures) {
    }

    private final class Link {
        final String address;
        final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
        Channel channel;
        boolean connecting;
        boolean reconnectScheduled;
        long backoffMs;
        boolean dropping;
        long droppedInEpisode;
        long framesSent;
        long droppedQueueFull;
        long droppedUnreachable;
        long connectFailures;

        Link(final String address) {
            this.address = address;
        }

        void send(final byte[] frame, final int offset, final int length) {
            final Channel ch = channel;
            if (ch != null && ch.isActive()) {
                if (!ch.isWritable()) {
                    dropQueueFull();
                    return;
                }
                ch.writeAndFlush(encode(frame, offset, length), ch.voidPromise());
                framesSent++;
                stoppedDropping();
                return;
            }
            if (queue.size() >= queueFramesMax) {
                dropQueueFull();
                return;
            }
            queue.add(encode(frame, offset, length));
            if (!connecting && !reconnectScheduled) {
                connect();
            }
        }

        private ByteBuf encode(final byte[] frame, final int offset, final int length) {
            return ByteBufAllocator.DEFAULT.directBuffer(InboundFrames.PREFIX_LENGTH + length).writeIntLE(length).writeBytes(frame, offset, length);
        }

        private void connect() {
            final HostPort target;
            try {
                target = HostPort.parse(address);
            } catch (final IllegalArgumentException e) {
                droppedUnreachable += queue.size();
                releaseQueue();
                about(LOG.atWarn()).log("cannot send to {}: {}", who(), e.getMessage());
                return;
            }
            connecting = true;
            final ChannelFuture f = bootstrap.connect(target.host(), target.port());
            f.addListener(done -> {
                connecting = false;
                if (closed) {
                    f.channel().close();
                    return;
                }
                if (!done.isSuccess()) {
                    connectFailures++;
                    droppedUnreachable += queue.size();
                    releaseQueue();
                    if (connectFailures == 1 || backoffMs >= backoffMaxMs) {
                        about(LOG.atDebug())
                            .log("cannot connect to {}: {}", who(), done.cause() == null ? "?" : done.cause().toString());
                    }
                    scheduleReconnect();
                    return;
                }
                final Channel connected = f.channel();
                channel = connected;
                backoffMs = 0;
                connected.closeFuture().addListener(c -> {
                    if (channel == connected) {
                        channel = null;
                    }
                });
                while (!queue.isEmpty()) {
                    channel.write(queue.poll(), channel.voidPromise());
                    framesSent++;
                }
                channel.flush();
                stoppedDropping();
            });
        }

        /** The next frame after the backoff will try again; frames sent meanwhile wait in the queue. */
        private void scheduleReconnect() {
            backoffMs = backoffMs == 0 ? backoffMinMs : Math.min(2 * backoffMs, backoffMaxMs);
            final long delayMs = backoffMs / 2 + jitter.nextLong(backoffMs / 2 + 1);
            reconnectScheduled = true;
            loop.schedule(() -> {
                reconnectScheduled = false;
                if (!closed && !queue.isEmpty() && !connecting) {
                    connect();
                }
            }, delayMs, TimeUnit.MILLISECONDS);
        }

        private void dropQueueFull() {
            droppedQueueFull++;
            droppedInEpisode++;
            if (!dropping) {
                dropping = true;
                about(LOG.atWarn())
                    .log("send queue to {} is full ({} of {} frames waiting for a connection, or the socket buffer above 1 MiB);"
                        + " dropping frames until it drains", who(), queue.size(), queueFramesMax);
            }
        }

        private void stoppedDropping() {
            if (dropping) {
                dropping = false;
                about(LOG.atInfo())
                    .log("send queue to {} drained; {} frames were dropped", who(), droppedInEpisode);
                droppedInEpisode = 0;
            }
        }

        /** The peer at this address as log lines name it (its id when the core knows it; links run on the core's thread). */
        private String who() {
            return LogIds.peerAt(address, peerIds.applyAsLong(address));
        }

        /** The address, and the id where the core knows it, as key-value pairs (fields of a JSON log line). */
        private LoggingEventBuilder about(final LoggingEventBuilder line) {
            final long id = peerIds.applyAsLong(address);
            line.addKeyValue(LogIds.KEY_PEER_ADDRESS, address);
            return id == 0 ? line : line.addKeyValue(LogIds.KEY_PEER, NodeIds.toHex(id));
        }

        private void releaseQueue() {
            ByteBuf b;
            while ((b = queue.poll()) != null) {
                ReferenceCountUtil.release(b);
            }
        }

        void close() {
            releaseQueue();
            if (channel != null) {
                channel.close();
            }
        }
    }

    /** Peers never answer on our outbound connection; anything arriving there is discarded. */
    private static final class OutboundOnly extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
            LOG.debug("outbound connection to {} failed: {}", LogIds.peerAt(LogIds.address(ctx.channel().remoteAddress()), 0), cause.toString());
            ctx.close();
        }
    }
}
