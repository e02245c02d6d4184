package dev.vigil.daemon.net;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The daemon's HTTP API: {@code GET /healthz} and {@code GET /v1/status}. */
final class ApiServer {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    /** Requests carry no bodies yet; anything larger is refused before it is buffered. */
    static final int REQUEST_BYTES_MAX = 64 * 1024;

    private ApiServer() {
    }

    static final class Initializer extends ChannelInitializer<Channel> {
        private final Daemon daemon;

        Initializer(final Daemon daemon) {
            this.daemon = daemon;
        }

        @Override
        protected void initChannel(final Channel ch) {
            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(REQUEST_BYTES_MAX), new Handler(daemon));
        }
    }

    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final Daemon daemon;

        Handler(final Daemon daemon) {
            this.daemon = daemon;
        }

        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest request) {
            final boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (!request.decoderResult().isSuccess()) {
                respond(ctx, keepAlive, HttpResponseStatus.BAD_REQUEST, error("malformed HTTP request"));
                return;
            }
            final String path = new QueryStringDecoder(request.uri()).path();
            final boolean known = path.equals("/healthz") || path.equals("/v1/status");
            if (!known) {
                respond(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, error("no such endpoint: " + path + " (try /healthz or /v1/status)"));
                return;
            }
            if (!request.method().equals(HttpMethod.GET)) {
                respond(ctx, keepAlive, HttpResponseStatus.METHOD_NOT_ALLOWED, error(path + " answers GET only"));
                return;
            }
            if (path.equals("/healthz")) {
                final FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer("ok\n", StandardCharsets.US_ASCII));
                r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN);
                send(ctx, keepAlive, r);
                return;
            }
            daemon.statusView().whenComplete((view, failure) -> ctx.executor().execute(() -> {
                if (failure != null) {
                    respond(ctx, keepAlive, HttpResponseStatus.SERVICE_UNAVAILABLE, error("node is stopping"));
                } else {
                    respond(ctx, keepAlive, HttpResponseStatus.OK, StatusJson.of(view));
                }
            }));
        }

        private static Map<String, Object> error(final String message) {
            return Map.of("error", message);
        }

        private static void respond(final ChannelHandlerContext ctx, final boolean keepAlive,
                                    final HttpResponseStatus status, final Object body) {
            final byte[] json;
            try {
                json = StatusJson.JSON.writeValueAsBytes(body);
            } catch (final JsonProcessingException e) {
                throw new IllegalStateException("status must always serialise", e);
            }
            final FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(json));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
            send(ctx, keepAlive, r);
        }

        private static void send(final ChannelHandlerContext ctx, final boolean keepAlive, final FullHttpResponse r) {
            HttpUtil.setContentLength(r, r.content().readableBytes());
            if (keepAlive) {
                HttpUtil.setKeepAlive(r, true);
                ctx.writeAndFlush(r);
            } else {
                ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
            if (cause instanceof io.netty.handler.codec.TooLongFrameException) {
                respond(ctx, false, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    error("request larger than " + REQUEST_BYTES_MAX + " bytes"));
                return;
            }
            LOG.debug("API connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }
}
