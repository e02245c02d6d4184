package dev.vigil.daemon.ingest.otlp;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.HttpContentDecompressor;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;

/**
 * Inflates {@code Content-Encoding: gzip} bodies as they stream in (OTLP/HTTP's one compression);
 * any other coding is passed through untouched and answered 415 by {@link OtlpHttpHandler}. The
 * size bound is applied after this handler, to the inflated bytes. A body that is not valid gzip
 * becomes a 400 {@link RefusedBody}; the rest of the connection's input is then dropped, because
 * the connection is closed after the answer.
 */
final class GzipDecompressor extends HttpContentDecompressor {
    private OtlpEncoding replyEncoding = OtlpEncoding.PROTOBUF;
    private boolean failed;

    GzipDecompressor() {
        // 0: no cap on one output buffer; the inflater emits bounded pieces and BodyAggregator bounds the sum.
        super(0);
    }

    @Override
    protected EmbeddedChannel newContentDecoder(final String contentEncoding) throws Exception {
        final String coding = contentEncoding.trim();
        return coding.equalsIgnoreCase("gzip") || coding.equalsIgnoreCase("x-gzip") ? super.newContentDecoder(coding) : null;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg) throws Exception {
        if (failed) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest request) {
            replyEncoding = OtlpEncoding.forReply(request.headers().get(HttpHeaderNames.CONTENT_TYPE));
        }
        try {
            // The decoder releases msg whether or not it throws.
            super.channelRead(ctx, msg);
        } catch (final DecoderException e) {
            failed = true;
            ctx.fireChannelRead(new RefusedBody(Responses.failed(HttpResponseStatus.BAD_REQUEST, replyEncoding,
                RpcStatus.INVALID_ARGUMENT, "body is not valid gzip: " + rootMessage(e)), true));
        }
    }

    private static String rootMessage(final Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }
}
