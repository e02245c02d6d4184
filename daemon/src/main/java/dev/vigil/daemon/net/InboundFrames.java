package dev.vigil.daemon.net;

import dev.vigil.crypto.NodeIds;
import dev.vigil.daemon.core.LogIds;
import dev.vigil.daemon.core.NodeCore;
import dev.vigil.wire.FrameHeader;
import dev.vigil.wire.FrameStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import java.io.IOException;
import java.nio.ByteOrder;

/**
 * The inbound half of a peer connection: a 4-byte little-endian length prefix delimits each
 * frame; the frame's bytes are copied out and handed to the core on this (the core's) thread.
 */
final class InboundFrames extends ChannelInboundHandlerAdapter {
    /** Length prefix size on the TCP stream. */
    static final int PREFIX_LENGTH = 4;
    private static final Logger LOG = LoggerFactory.getLogger(InboundFrames.class);

    private final NodeCore core;
    /** The sender the last frame long enough to hold a header named (unverified), 0 before one: log lines only. */
    private long lastClaimedSender;

    InboundFrames(final NodeCore core) {
        this.core = core;
    }

    static LengthFieldBasedFrameDecoder delimiter() {
        return new LengthFieldBasedFrameDecoder(
            ByteOrder.LITTLE_ENDIAN, PREFIX_LENGTH + FrameHeader.FRAME_LENGTH_MAX, 0, PREFIX_LENGTH, 0, PREFIX_LENGTH, true);
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
        final ByteBuf frame = (ByteBuf)msg;
        final byte[] bytes;
        try {
            if (frame.readableBytes() >= FrameHeader.HEADER_LENGTH) {
                lastClaimedSender = frame.getLongLE(frame.readerIndex() + FrameHeader.SENDER_OFFSET);
            }
            bytes = ByteBufUtil.getBytes(frame);
        } finally {
            frame.release();
        }
        core.onFrame(bytes, 0, bytes.length);
    }

    /**
     * The connection as log lines name it: its remote address (an ephemeral port, not the peer's
     * advertised address) and the peer its last frame claimed to come from, where one did.
     */
    private String who(final ChannelHandlerContext ctx) {
        final String from = LogIds.address(ctx.channel().remoteAddress());
        return "connection from " + from + (lastClaimedSender == 0 ? " (no frame named its sender yet)"
            : " (last frame from " + LogIds.peer(lastClaimedSender, null) + ", unverified)");
    }

    private LoggingEventBuilder about(final LoggingEventBuilder line, final ChannelHandlerContext ctx) {
        line.addKeyValue(LogIds.KEY_PEER_ADDRESS, LogIds.address(ctx.channel().remoteAddress()));
        return lastClaimedSender == 0 ? line : line.addKeyValue(LogIds.KEY_PEER, NodeIds.toHex(lastClaimedSender));
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
        final Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (c instanceof TooLongFrameException) {
            // A length prefix above the hard bound: skipping it could mean reading gigabytes of a
            // stream we no longer trust, so the connection goes. An honest peer reconnects.
            core.counters().reject(FrameStatus.OVERSIZED);
            about(LOG.atWarn(), ctx).log("closing {}: length prefix above the {}-byte frame bound", who(ctx), FrameHeader.FRAME_LENGTH_MAX);
            ctx.close();
        } else if (c instanceof CorruptedFrameException) {
            // A prefix the decoder cannot interpret: the stream cannot be re-synchronised.
            core.counters().reject(FrameStatus.BAD_LENGTH);
            about(LOG.atWarn(), ctx).log("closing {}: corrupt length prefix", who(ctx));
            ctx.close();
        } else if (c instanceof IOException) {
            // a reset or a peer gone: expected, so no stack trace
            about(LOG.atDebug(), ctx).log("{} failed: {}", who(ctx), c.toString());
            ctx.close();
        } else {
            // the core never throws for any input, so this is a bug in the pipeline: its stack trace says where
            about(LOG.atError(), ctx).setCause(c).log("unexpected failure on {}; closing it", who(ctx));
            ctx.close();
        }
    }
}
