package dev.vigil.daemon.ingest.otlp;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;

/**
 * Buffers a request body up to {@code bodyBytesMax} (counted after decompression, as OTLP/HTTP
 * requires). A larger body is answered 413 with a {@code google.rpc.Status}: as a
 * {@link RefusedBody} handed to {@link OtlpHttpHandler}, so it is ordered and counted with the
 * other answers, or, for {@code Expect: 100-continue} with a too-large {@code Content-Length},
 * directly instead of the 100. Netty's rule for the connection is kept: it stays open (the rest
 * of the body is skipped) when the size was known up front and the client keeps alive; it closes
 * when the body was already arriving.
 */
final class BodyAggregator extends HttpObjectAggregator {
    private final int bodyBytesMax;
    private final IngestCounters counters;

    BodyAggregator(final int bodyBytesMax, final IngestCounters counters) {
        super(bodyBytesMax);
        this.bodyBytesMax = bodyBytesMax;
        this.counters = counters;
    }

    @Override
    protected void handleOversizedMessage(final ChannelHandlerContext ctx, final HttpMessage oversized) {
        final boolean close = oversized instanceof FullHttpMessage
            || !HttpUtil.is100ContinueExpected(oversized) && !HttpUtil.isKeepAlive(oversized);
        // The aggregator releases oversized after this returns; nothing of it is kept.
        ctx.fireChannelRead(new RefusedBody(tooLarge(oversized), close));
    }

    @Override
    protected Object newContinueResponse(final HttpMessage start, final int maxContentLength, final ChannelPipeline pipeline) {
        final Object answer = super.newContinueResponse(start, maxContentLength, pipeline);
        if (answer instanceof FullHttpResponse r && r.status().code() == HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.code()) {
            ReferenceCountUtil.release(r);
            counters.answered(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.code());
            return tooLarge(start);
        }
        return answer;
    }

    private FullHttpResponse tooLarge(final HttpMessage request) {
        return Responses.failed(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
            OtlpEncoding.forReply(request.headers().get(HttpHeaderNames.CONTENT_TYPE)), RpcStatus.RESOURCE_EXHAUSTED,
            "request body is larger than " + bodyBytesMax + " bytes (after decompression); send smaller batches");
    }
}
