package dev.vigil.daemon.net;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.vigil.daemon.core.WallClock;
import dev.vigil.daemon.detect.Detector;
import dev.vigil.daemon.ingest.ObservationBatch;
import dev.vigil.daemon.api.OperatorCommand;
import dev.vigil.daemon.api.TimeArgs;
import io.netty.buffer.ByteBufUtil;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The daemon's HTTP API: {@code GET /healthz}, {@code GET /v1/status}, {@code GET /v1/tree},
 * {@code POST /v1/observations}, {@code GET /v1/agents}, {@code GET /v1/agents/{id}},
 * {@code GET /v1/agents/{id}/series}, {@code POST /v1/agents/{id}/release} (signed).
 */
final class ApiServer {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    /** Largest request body (an observation batch); a larger one is answered 413 before it is buffered. */
    static final int REQUEST_BYTES_MAX = 8 * 1024 * 1024;
    /** Refused rows listed in one ingest answer; {@code refused_total} counts them all. */
    static final int REFUSALS_LISTED_MAX = 100;

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
            final QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            final String path;
            try {
                path = uri.path();
            } catch (final IllegalArgumentException e) {
                respond(ctx, keepAlive, HttpResponseStatus.BAD_REQUEST, error("malformed percent-encoding in " + uri.rawPath()));
                return;
            }
            final HttpMethod method = request.method();
            if (path.equals("/healthz")) {
                if (get(ctx, keepAlive, method, path)) {
                    final FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.copiedBuffer("ok\n", StandardCharsets.US_ASCII));
                    r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN);
                    send(ctx, keepAlive, r);
                }
            } else if (path.equals("/v1/status")) {
                if (get(ctx, keepAlive, method, path)) {
                    reply(ctx, keepAlive, daemon.statusView().thenApply(StatusJson::of));
                }
            } else if (path.equals("/v1/tree")) {
                if (get(ctx, keepAlive, method, path)) {
                    reply(ctx, keepAlive, daemon.treeView().thenApply(TreeJson::of));
                }
            } else if (path.equals("/v1/observations")) {
                if (!method.equals(HttpMethod.POST)) {
                    respond(ctx, keepAlive, HttpResponseStatus.METHOD_NOT_ALLOWED, error(path + " answers POST only"));
                } else {
                    ingest(ctx, keepAlive, request);
                }
            } else if (path.equals("/v1/agents")) {
                if (get(ctx, keepAlive, method, path)) {
                    reply(ctx, keepAlive, daemon.onDetector(d -> Map.of("agents", d.agents())));
                }
            } else if (path.startsWith("/v1/agents/") && path.endsWith("/series") && path.length() > "/v1/agents//series".length()) {
                if (get(ctx, keepAlive, method, path)) {
                    series(ctx, keepAlive, path.substring("/v1/agents/".length(), path.length() - "/series".length()), uri);
                }
            } else if (path.startsWith("/v1/agents/") && path.endsWith("/release") && path.length() > "/v1/agents//release".length()) {
                if (!method.equals(HttpMethod.POST)) {
                    respond(ctx, keepAlive, HttpResponseStatus.METHOD_NOT_ALLOWED, error(path + " answers POST only"));
                } else {
                    release(ctx, keepAlive, path.substring("/v1/agents/".length(), path.length() - "/release".length()), request);
                }
            } else if (path.startsWith("/v1/agents/") && path.length() > "/v1/agents/".length()) {
                if (get(ctx, keepAlive, method, path)) {
                    // path() is decoded once already; decoding again would turn "a%2541" into "aA"
                    final String id = path.substring("/v1/agents/".length());
                    daemon.onDetector(d -> d.agent(id)).whenComplete((detail, failure) -> ctx.executor().execute(() -> {
                        if (failure != null) {
                            respond(ctx, keepAlive, HttpResponseStatus.SERVICE_UNAVAILABLE, error("node is stopping"));
                        } else if (detail == null) {
                            respond(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, error("no agent '" + id + "'"));
                        } else {
                            respond(ctx, keepAlive, HttpResponseStatus.OK, detail);
                        }
                    }));
                }
            } else {
                respond(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, error("no such endpoint: " + path
                    + " (try /healthz, /v1/status, /v1/tree, /v1/observations, /v1/agents, /v1/agents/ID/series)"));
            }
        }

        /** {@code GET /v1/agents/{id}/series?from=&to=&step=}: 400 naming the parameter when one is malformed. */
        private void series(final ChannelHandlerContext ctx, final boolean keepAlive, final String id, final QueryStringDecoder uri) {
            final long now = WallClock.micros();
            final long from;
            final long to;
            final long step;
            try {
                to = TimeArgs.instantMicros("to", param(uri, "to", "now"), now);
                from = TimeArgs.instantMicros("from", param(uri, "from", "-24h"), to);
                final String s = param(uri, "step", null);
                step = s == null ? 0 : TimeArgs.durationMicros("step", s);
                if (to <= from) {
                    throw new IllegalArgumentException("from must be before to");
                }
            } catch (final IllegalArgumentException e) {
                respond(ctx, keepAlive, HttpResponseStatus.BAD_REQUEST, error(e.getMessage()));
                return;
            }
            daemon.series(id, from, to, step, now).whenComplete((result, failure) -> ctx.executor().execute(() -> {
                if (failure != null) {
                    final Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                    if (cause instanceof IllegalArgumentException) {
                        respond(ctx, keepAlive, HttpResponseStatus.BAD_REQUEST, error(cause.getMessage()));
                    } else {
                        respond(ctx, keepAlive, HttpResponseStatus.SERVICE_UNAVAILABLE, error("node is stopping"));
                    }
                } else if (result == null) {
                    respond(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, error("no agent '" + id + "'"));
                } else {
                    respond(ctx, keepAlive, HttpResponseStatus.OK, result);
                }
            }));
        }

        private static String param(final QueryStringDecoder uri, final String name, final String fallback) {
            final List<String> v = uri.parameters().get(name);
            return v == null || v.isEmpty() || v.get(0).isBlank() ? fallback : v.get(0);
        }

        /**
         * {@code POST /v1/agents/{id}/release} with a signed {@link OperatorCommand}: the agent goes
         * back to normal and its raw data is no longer pinned. 403 for a bad signature, a stale or
         * replayed command; 404 for an unknown agent.
         */
        private void release(final ChannelHandlerContext ctx, final boolean keepAlive, final String id, final FullHttpRequest request) {
            final OperatorCommand command;
            try {
                final com.fasterxml.jackson.databind.JsonNode n = StatusJson.JSON.readTree(ByteBufUtil.getBytes(request.content()));
                command = new OperatorCommand(text(n, "command"), text(n, "agent"), n.path("issued_at").asLong(Long.MIN_VALUE),
                    text(n, "nonce"), text(n, "signature"));
            } catch (final java.io.IOException e) {
                respond(ctx, keepAlive, HttpResponseStatus.BAD_REQUEST, error("body is not JSON: " + e.getMessage()));
                return;
            }
            if (!"release".equals(command.command()) || !id.equals(command.agent())) {
                respond(ctx, keepAlive, HttpResponseStatus.BAD_REQUEST, error("expected a signed \"release\" command for agent '" + id + "'"));
                return;
            }
            daemon.release(command).whenComplete((outcome, failure) -> ctx.executor().execute(() -> {
                if (failure != null) {
                    respond(ctx, keepAlive, HttpResponseStatus.SERVICE_UNAVAILABLE, error("node is stopping"));
                } else if (outcome.problem() != null) {
                    respond(ctx, keepAlive, outcome.unknownAgent() ? HttpResponseStatus.NOT_FOUND : HttpResponseStatus.FORBIDDEN,
                        error(outcome.problem()));
                } else {
                    respond(ctx, keepAlive, HttpResponseStatus.OK, Map.of("released", id, "was_pinned", outcome.wasPinned()));
                }
            }));
        }

        private static String text(final com.fasterxml.jackson.databind.JsonNode n, final String field) {
            final com.fasterxml.jackson.databind.JsonNode v = n.get(field);
            return v == null || !v.isTextual() ? null : v.asText();
        }

        private static boolean get(final ChannelHandlerContext ctx, final boolean keepAlive, final HttpMethod method, final String path) {
            if (method.equals(HttpMethod.GET)) {
                return true;
            }
            respond(ctx, keepAlive, HttpResponseStatus.METHOD_NOT_ALLOWED, error(path + " answers GET only"));
            return false;
        }

        private static void reply(final ChannelHandlerContext ctx, final boolean keepAlive,
                                  final java.util.concurrent.CompletableFuture<?> body) {
            body.whenComplete((value, failure) -> ctx.executor().execute(() -> {
                if (failure != null) {
                    respond(ctx, keepAlive, HttpResponseStatus.SERVICE_UNAVAILABLE, error("node is stopping"));
                } else {
                    respond(ctx, keepAlive, HttpResponseStatus.OK, value);
                }
            }));
        }

        /**
         * Validates on this thread, scores on the core's. 200 when at least one row was accepted
         * (refused rows listed), 400 when every row was refused for what it holds, 503 when every
         * row was refused because the node tracks as many agents as it may, 400/413 for a body
         * that cannot be taken at all.
         */
        private void ingest(final ChannelHandlerContext ctx, final boolean keepAlive, final FullHttpRequest request) {
            final byte[] body = ByteBufUtil.getBytes(request.content());
            final ObservationBatch batch;
            try {
                batch = ObservationBatch.parse(body, daemon.config().schema(), WallClock.micros(),
                    daemon.config().detection().futureSkewSecondsMax() * 1_000_000L);
            } catch (final ObservationBatch.Rejected e) {
                respond(ctx, keepAlive, HttpResponseStatus.valueOf(e.status), error(e.getMessage()));
                return;
            }
            daemon.observe(batch.rows()).whenComplete((observed, failure) -> ctx.executor().execute(() -> {
                if (failure != null) {
                    respond(ctx, keepAlive, HttpResponseStatus.SERVICE_UNAVAILABLE, error("node is stopping"));
                    return;
                }
                final List<Detector.Outcome> outcomes = observed.outcomes();
                final String storeRefusal = observed.storeRefusal();
                final List<ObservationBatch.Refusal> refused = new ArrayList<>(batch.refusals());
                int accepted = 0;
                int full = 0;
                for (int i = 0; i < outcomes.size(); i++) {
                    final Detector.Outcome o = outcomes.get(i);
                    final ObservationBatch.Row row = batch.rows().get(i);
                    if (o.accepted()) {
                        accepted++;
                    } else if (o == Detector.Outcome.REFUSED_AGENTS_FULL) {
                        full++;
                        refused.add(new ObservationBatch.Refusal(row.index(), "agent",
                            "this node already tracks detection.agents_max agents (" + daemon.config().detection().agentsMax() + ")"));
                    } else if (o == Detector.Outcome.REFUSED_STORE) {
                        refused.add(new ObservationBatch.Refusal(row.index(), "agent", storeRefusal == null ? "not stored" : storeRefusal));
                    } else {
                        refused.add(new ObservationBatch.Refusal(row.index(), "ts", "older than the agent's baseline window"));
                    }
                }
                refused.sort(java.util.Comparator.comparingInt(ObservationBatch.Refusal::row));
                final Map<String, Object> out = new java.util.LinkedHashMap<>();
                out.put("accepted", accepted);
                out.put("refused_total", refused.size());
                out.put("refused", refused.subList(0, Math.min(refused.size(), REFUSALS_LISTED_MAX)));
                if (accepted == 0 && !refused.isEmpty() && full == refused.size()) {
                    // Nothing wrong with the rows: this node is at capacity. Retry later, or elsewhere.
                    respond(ctx, keepAlive, HttpResponseStatus.SERVICE_UNAVAILABLE, out);
                } else {
                    respond(ctx, keepAlive, accepted == 0 && !refused.isEmpty() ? HttpResponseStatus.BAD_REQUEST : HttpResponseStatus.OK, out);
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
