package dev.vigil.daemon.net;

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
            bytes = ByteBufUtil.getBytes(frame);
        } finally {
            frame.release();
        }
        core.onFrame(bytes, 0, bytes.length);
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
        final Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (c instanceof TooLongFrameException) {
            // A length prefix above the hard bound: skipping it could mean reading gigabytes of a
            // stream we no longer trust, so the connection goes. An honest peer reconnects.
            core.counters().reject(FrameStatus.OVERSIZED);
            LOG.warn("closing connection from {}: length prefix above the {}-byte frame bound",
                ctx.channel().remoteAddress(), FrameHeader.FRAME_LENGTH_MAX);
            ctx.close();
        } else if (c instanceof CorruptedFrameException) {
            // A prefix the decoder cannot interpret: the stream cannot be re-synchronised.
            core.counters().reject(FrameStatus.BAD_LENGTH);
            LOG.warn("closing connection from {}: corrupt length prefix", ctx.channel().remoteAddress());
            ctx.close();
        } else if (c instanceof IOException) {
            LOG.debug("connection from {} failed: {}", ctx.channel().remoteAddress(), c.getMessage());
            ctx.close();
        } else {
            LOG.error("unexpected failure on connection from {}; closing it", ctx.channel().remoteAddress(), c);
            ctx.close();
        }
    }
}
