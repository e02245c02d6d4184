package dev.vigil.daemon.ingest.otlp;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;

/**
 * Answers {@code POST /v1/traces}: checks path, method and content type, decodes and extracts on
 * this connection's I/O thread, then hands the spans to the windows' executor and answers when
 * it has taken them.
 *
 * <p>Answers leave in request order even though some are decided on another thread: each request
 * takes a slot in {@link #replies} and slots are written from the head as they fill. While a
 * request is with the windows, the connection stops reading (backpressure), so at most the
 * requests already read in one go wait behind it.
 */
final class OtlpHttpHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(OtlpHttpHandler.class);
    /** A busy request queue drains in well under a second; ask the client to wait that long. */
    static final int RETRY_AFTER_SECONDS_PENDING = 1;

    private static final class Reply {
        final boolean keepAlive;
        FullHttpResponse response;
        boolean close;

        Reply(final boolean keepAlive) {
            this.keepAlive = keepAlive;
        }
    }

    private final IngestPath ingest;
    private final ArrayDeque<Reply> replies = new ArrayDeque<>();
    private boolean closing;

    OtlpHttpHandler(final IngestPath ingest) {
        this.ingest = ingest;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
        if (closing) {
            // Input pipelined after a request that closes the connection: never answered.
            ReferenceCountUtil.release(msg instanceof RefusedBody refused ? refused.response() : msg);
        } else if (msg instanceof FullHttpRequest request) {
            try {
                onRequest(ctx, request);
            } finally {
                request.release();
            }
        } else if (msg instanceof RefusedBody refused) {
            final Reply slot = new Reply(!refused.close());
            slot.close = refused.close();
            replies.add(slot);
            complete(ctx, slot, refused.response());
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onRequest(final ChannelHandlerContext ctx, final FullHttpRequest request) {
        final Reply slot = new Reply(HttpUtil.isKeepAlive(request));
        replies.add(slot);
        final String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        final OtlpEncoding replyEncoding = OtlpEncoding.forReply(contentType);
        if (!request.decoderResult().isSuccess()) {
            // The HTTP decoder cannot find the next request after a bad one.
            slot.close = true;
            complete(ctx, slot, Responses.failed(HttpResponseStatus.BAD_REQUEST, replyEncoding, RpcStatus.INVALID_ARGUMENT,
                "malformed HTTP request: " + request.decoderResult().cause()));
            return;
        }
        final String path = new QueryStringDecoder(request.uri()).path();
        if (!path.equals(OtlpHttpServer.TRACES_PATH)) {
            complete(ctx, slot, Responses.failed(HttpResponseStatus.NOT_FOUND, replyEncoding, RpcStatus.NOT_FOUND,
                "no such endpoint: " + path + "; this receiver takes traces only, at POST " + OtlpHttpServer.TRACES_PATH));
            return;
        }
        if (!request.method().equals(HttpMethod.POST)) {
            final FullHttpResponse r = Responses.failed(HttpResponseStatus.METHOD_NOT_ALLOWED, replyEncoding, RpcStatus.UNIMPLEMENTED,
                OtlpHttpServer.TRACES_PATH + " takes POST only");
            r.headers().set(HttpHeaderNames.ALLOW, HttpMethod.POST.name());
            complete(ctx, slot, r);
            return;
        }
        final OtlpEncoding encoding = OtlpEncoding.ofContentType(contentType);
        if (encoding == null) {
            complete(ctx, slot, Responses.failed(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, replyEncoding, RpcStatus.INVALID_ARGUMENT,
                "Content-Type must be " + OtlpEncoding.PROTOBUF.contentType + " or " + OtlpEncoding.JSON.contentType
                    + ", got " + (contentType == null ? "none" : "'" + contentType + "'")));
            return;
        }
        final String coding = request.headers().get(HttpHeaderNames.CONTENT_ENCODING);
        if (coding != null && !coding.trim().equalsIgnoreCase(HttpHeaderValues.IDENTITY.toString())) {
            complete(ctx, slot, Responses.failed(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, encoding, RpcStatus.INVALID_ARGUMENT,
                "Content-Encoding '" + coding + "' is not supported; send gzip or no encoding"));
            return;
        }
        final ExportTraceServiceRequest export;
        try {
            export = encoding.decode(request.content());
        } catch (final BadRequestException e) {
            LOG.debug("OTLP request from {} refused: {}", ctx.channel().remoteAddress(), e.getMessage());
            complete(ctx, slot, Responses.failed(HttpResponseStatus.BAD_REQUEST, encoding, RpcStatus.INVALID_ARGUMENT, e.getMessage()));
            return;
        }
        final SpanExtractor.Extraction extraction = SpanExtractor.extract(export);
        final IngestCounters counters = ingest.counters();
        counters.spansReceived.addAndGet(extraction.received());
        counters.refused(extraction.refused());
        counters.rolesInvalid.addAndGet(extraction.rolesInvalid());
        counters.attributesIgnored.addAndGet(extraction.attributesIgnored());
        if (extraction.spans().isEmpty()) {
            complete(ctx, slot, exported(encoding, extraction, null));
            return;
        }
        dispatch(ctx, slot, encoding, extraction);
    }

    /** Hands the spans to the windows' executor; the answer comes back to this connection's thread. */
    private void dispatch(final ChannelHandlerContext ctx, final Reply slot, final OtlpEncoding encoding,
                          final SpanExtractor.Extraction extraction) {
        final IngestCounters counters = ingest.counters();
        if (counters.requestsPending.incrementAndGet() > ingest.limits().pendingRequestsMax()) {
            counters.requestsPending.decrementAndGet();
            counters.spansThrottled.addAndGet(extraction.spans().size());
            if (counters.pendingFull.compareAndSet(false, true)) {
                LOG.warn("OTLP ingest busy: {} requests waiting for the span windows; answering 429 until they drain",
                    ingest.limits().pendingRequestsMax());
            }
            complete(ctx, slot, Responses.throttled(HttpResponseStatus.TOO_MANY_REQUESTS, encoding, RETRY_AFTER_SECONDS_PENDING,
                "receiver busy: " + ingest.limits().pendingRequestsMax() + " requests already waiting; retry later"));
            return;
        }
        if (counters.pendingFull.get() && counters.pendingFull.compareAndSet(true, false)) {
            LOG.info("OTLP ingest taking requests again");
        }
        ctx.channel().config().setAutoRead(false);
        try {
            ingest.windowsExecutor().execute(() -> {
                counters.requestsPending.decrementAndGet();
                SpanWindows.OfferResult result;
                try {
                    result = ingest.windows().offer(extraction.spans(), ingest.clockMicros().getAsLong());
                } catch (final RuntimeException e) {
                    LOG.error("span windows failed on a batch of {} spans", extraction.spans().size(), e);
                    result = null;
                }
                final FullHttpResponse answer = afterOffer(encoding, extraction, result);
                try {
                    ctx.executor().execute(() -> complete(ctx, slot, answer));
                } catch (final RejectedExecutionException e) {
                    answer.release();
                    LOG.debug("connection's event loop stopped before its answer: {}", e.toString());
                }
            });
        } catch (final RejectedExecutionException e) {
            counters.requestsPending.decrementAndGet();
            counters.spansThrottled.addAndGet(extraction.spans().size());
            complete(ctx, slot, Responses.throttled(HttpResponseStatus.SERVICE_UNAVAILABLE, encoding, RETRY_AFTER_SECONDS_PENDING,
                "receiver is stopping"));
        }
    }

    /** The answer to a request the windows have seen; {@code offered} is null when they failed (a bug, logged). */
    private static FullHttpResponse afterOffer(final OtlpEncoding encoding, final SpanExtractor.Extraction extraction,
                                               final SpanWindows.OfferResult offered) {
        if (offered == null) {
            return Responses.failed(HttpResponseStatus.INTERNAL_SERVER_ERROR, encoding, RpcStatus.INTERNAL, "internal error; see the receiver's log");
        }
        if (offered.overloaded()) {
            return Responses.throttled(HttpResponseStatus.SERVICE_UNAVAILABLE, encoding, offered.retryAfterSeconds(),
                "receiver at its agent or open-window bound; retry after " + offered.retryAfterSeconds() + " s");
        }
        return exported(encoding, extraction, offered);
    }

    private static FullHttpResponse exported(final OtlpEncoding encoding, final SpanExtractor.Extraction extraction,
                                             final SpanWindows.OfferResult offered) {
        final SpanRefusal.Counts refused = new SpanRefusal.Counts();
        refused.addAll(extraction.refused());
        if (offered != null) {
            offered.addTo(refused);
        }
        final int rejected = refused.total();
        return Responses.exported(encoding, rejected, rejected == 0 ? "" : refused.message(extraction.received()));
    }

    private void complete(final ChannelHandlerContext ctx, final Reply slot, final FullHttpResponse response) {
        if (closing) {
            response.release();
            return;
        }
        assert slot.response == null : "a request is answered once";
        slot.response = response;
        while (!replies.isEmpty() && replies.peek().response != null) {
            final Reply r = replies.poll();
            final boolean close = r.close || !r.keepAlive;
            HttpUtil.setKeepAlive(r.response, !close);
            ingest.counters().answered(r.response.status().code());
            final ChannelFuture written = ctx.writeAndFlush(r.response);
            if (close) {
                written.addListener(ChannelFutureListener.CLOSE);
                closing = true;
                releaseWaiting();
                return;
            }
        }
        if (replies.isEmpty()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    private void releaseWaiting() {
        for (final Reply r : replies) {
            if (r.response != null) {
                r.response.release();
            }
        }
        replies.clear();
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) throws Exception {
        closing = true;
        releaseWaiting();
        super.channelInactive(ctx);
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            if (replies.isEmpty()) {
                LOG.debug("closing idle OTLP connection {}", ctx.channel().remoteAddress());
                ctx.close();
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
        // Resets and broken pipes are routine for HTTP clients; anything here ends the connection.
        LOG.debug("OTLP connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        closing = true;
        releaseWaiting();
        ctx.close();
    }
}
