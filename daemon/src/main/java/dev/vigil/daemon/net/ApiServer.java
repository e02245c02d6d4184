package dev.vigil.daemon.net;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.crypto.verdict.VerdictCertificate;
import dev.vigil.crypto.verdict.VerdictFormatException;
import dev.vigil.daemon.api.OperatorCommand;
import dev.vigil.daemon.api.TimeArgs;
import dev.vigil.daemon.core.WallClock;
import dev.vigil.daemon.detect.Detector;
import dev.vigil.daemon.ingest.ObservationBatch;
import dev.vigil.daemon.metrics.DaemonMetrics;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
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

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;

/**
 * The daemon's HTTP API, one route per endpoint in {@link #routes}: {@code GET /} (the dashboard,
 * its files under {@code /ui/}), {@code GET /healthz},
 * {@code GET /metrics} (Prometheus text format), {@code GET /v1/status}, {@code GET /v1/tree}, {@code POST /v1/observations},
 * {@code GET /v1/agents}, {@code GET /v1/agents/{id}}, {@code GET /v1/agents/{id}/series},
 * {@code POST /v1/agents/{id}/release} (signed), {@code GET /v1/verdicts}, {@code GET /v1/verdicts/{id}},
 * {@code POST /v1/verdicts/{id}/release} (an operator's release certificate). Requests are parsed and checked on the API's
 * thread; the node is reached only through {@link NodeApi}, and every answer is written back on
 * the connection's own thread.
 */
final class ApiServer extends ChannelInitializer<Channel> {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    /** Largest request body (an observation batch); a larger one is answered 413 before it is buffered. */
    static final int REQUEST_BYTES_MAX = 8 * 1024 * 1024;
    /** Refused rows listed in one ingest answer; {@code refused_total} counts them all. */
    static final int REFUSALS_LISTED_MAX = 100;
    private static final String ENDPOINTS = "/ (the dashboard), /healthz, /metrics, /v1/status, /v1/tree, /v1/observations, /v1/agents, /v1/agents/ID/series, /v1/verdicts, /v1/verdicts/ID";

    private final NodeApi node;
    /**
     * Tried in order; the first whose path matches answers, or says which method it takes. An
     * {@code {id}} is everything between the pattern's prefix and suffix, slashes included, and
     * never empty, so {@code /v1/agents/a/series} is a's series and {@code /v1/agents//series}
     * the agent named "/series".
     */
    private final List<Route> routes;

    ApiServer(final NodeApi node) {
        this.node = node;
        this.routes = List.of(
            new Route(HttpMethod.GET, "/healthz", ApiServer::healthz),
            new Route(HttpMethod.GET, "/", x -> asset(x, "index.html")),
            new Route(HttpMethod.GET, "/ui/{id}", x -> asset(x, x.id())),
            new Route(HttpMethod.GET, "/v1/status", x -> x.reply(node.statusView().thenApply(StatusJson::of))),
            new Route(HttpMethod.GET, "/metrics", this::metrics),
            new Route(HttpMethod.GET, "/v1/tree", x -> x.reply(node.treeView().thenApply(TreeJson::of))),
            new Route(HttpMethod.POST, "/v1/observations", this::ingest),
            new Route(HttpMethod.GET, "/v1/agents", x -> x.reply(node.agents().thenApply(ApiJson.AgentList::new))),
            new Route(HttpMethod.GET, "/v1/agents/{id}/series", this::series),
            new Route(HttpMethod.POST, "/v1/agents/{id}/release", this::release),
            new Route(HttpMethod.GET, "/v1/agents/{id}", this::agent),
            new Route(HttpMethod.GET, "/v1/verdicts", x -> x.reply(node.verdicts().thenApply(ApiJson.VerdictList::new))),
            new Route(HttpMethod.POST, "/v1/verdicts/{id}/release", this::releaseVerdict),
            new Route(HttpMethod.GET, "/v1/verdicts/{id}", this::verdict));
    }

    @Override
    protected void initChannel(final Channel ch) {
        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(REQUEST_BYTES_MAX), new Handler(this));
    }

    /** The route whose path matches answers, after checking the method; 404 naming the endpoints otherwise. */
    private void dispatch(final ChannelHandlerContext ctx, final boolean keepAlive, final FullHttpRequest request,
                          final QueryStringDecoder uri, final String path) {
        for (final Route route : routes) {
            final String id = route.match(path);
            if (id == null) {
                continue;
            }
            final Exchange x = new Exchange(ctx, keepAlive, request, uri, path, id);
            // HEAD is answered as GET is (health checks, curl -I): the codec sends the headers, Content-Length
            // included, and drops the body
            final boolean head = request.method().equals(HttpMethod.HEAD) && route.method().equals(HttpMethod.GET);
            if (request.method().equals(route.method()) || head) {
                route.action().handle(x);
            } else {
                final FullHttpResponse r = jsonResponse(HttpResponseStatus.METHOD_NOT_ALLOWED,
                    error(path + " answers " + route.method() + (route.method().equals(HttpMethod.GET) ? " (and HEAD)" : "") + " only"));
                r.headers().set(HttpHeaderNames.ALLOW, route.method().equals(HttpMethod.GET) ? "GET, HEAD" : route.method().name());
                send(ctx, keepAlive, r);
            }
            return;
        }
        respond(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, error("no such endpoint: " + path + " (try " + ENDPOINTS + ")"));
    }

    private static void healthz(final Exchange x) {
        final FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
            Unpooled.copiedBuffer("ok\n", StandardCharsets.US_ASCII));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN);
        send(x.ctx(), x.keepAlive(), r);
    }

    /**
     * {@code GET /} and {@code GET /ui/NAME}: the dashboard's page and its files, from the jar, with
     * an ETag (304 when the browser has it already) and a policy that lets the page load nothing
     * from anywhere else; 404 for a name that is not one of them.
     */
    private static void asset(final Exchange x, final String name) {
        final DashboardAssets.Asset a = DashboardAssets.get(name);
        if (a == null) {
            x.respond(HttpResponseStatus.NOT_FOUND, error("no dashboard file '" + name + "'"));
            return;
        }
        final boolean unchanged = a.etag().equals(x.request().headers().get(HttpHeaderNames.IF_NONE_MATCH));
        final FullHttpResponse r = unchanged
            ? new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED)
            : new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(a.bytes()));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, a.contentType())
            .set(HttpHeaderNames.ETAG, a.etag())
            .set(HttpHeaderNames.CACHE_CONTROL, "no-cache")
            .set(HttpHeaderNames.CONTENT_SECURITY_POLICY, DashboardAssets.CONTENT_SECURITY_POLICY)
            .set("X-Content-Type-Options", "nosniff")
            .set(HttpHeaderNames.X_FRAME_OPTIONS, "DENY")
            .set("Referrer-Policy", "no-referrer");
        send(x.ctx(), x.keepAlive(), r);
    }

    /** {@code GET /v1/agents/{id}}: the host's own state of the agent and the fleet's standing verdict on it; 404 for an unknown agent. */
    private void agent(final Exchange x) {
        // path() is decoded once already; decoding again would turn "a%2541" into "aA"
        final String id = x.id();
        x.whenDone(node.agent(id).thenCombine(node.standing(id), ApiJson.AgentView::new), (view, failure) -> {
            if (failure != null) {
                x.respond(HttpResponseStatus.SERVICE_UNAVAILABLE, error("node is stopping"));
            } else if (view.local() == null && view.fleetVerdict() == null) {
                x.respond(HttpResponseStatus.NOT_FOUND, error("no agent '" + id + "'"));
            } else {
                x.respond(HttpResponseStatus.OK, view);
            }
        });
    }

    /**
     * {@code GET /metrics}: the node's counters, copied on the core's thread, rendered here in the
     * Prometheus text format; 503 when the node is stopping.
     */
    private void metrics(final Exchange x) {
        x.whenDone(node.metricsView(), (view, failure) -> {
            if (failure != null) {
                x.respond(HttpResponseStatus.SERVICE_UNAVAILABLE, error("node is stopping"));
                return;
            }
            final FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(node.metricsText(view)));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, DaemonMetrics.CONTENT_TYPE);
            send(x.ctx(), x.keepAlive(), r);
        });
    }

    /** {@code GET /v1/verdicts/{id}}: the certificate, what it says, and whether it verifies here; 404 when not held. */
    private void verdict(final Exchange x) {
        final String id = x.id();
        x.whenDone(node.verdict(id), (view, failure) -> {
            if (failure != null) {
                x.respond(HttpResponseStatus.SERVICE_UNAVAILABLE, error("node is stopping"));
            } else if (view == null) {
                x.respond(HttpResponseStatus.NOT_FOUND, error("no verdict '" + id + "' held here"));
            } else {
                x.respond(HttpResponseStatus.OK, view);
            }
        });
    }

    /** {@code GET /v1/agents/{id}/series?from=&to=&step=}: 400 naming the parameter when one is malformed. */
    private void series(final Exchange x) {
        final String id = x.id();
        final long now = WallClock.micros();
        final long from;
        final long to;
        final long step;
        try {
            to = TimeArgs.instantMicros("to", x.param("to", "now"), now);
            from = TimeArgs.instantMicros("from", x.param("from", "-24h"), to);
            final String s = x.param("step", null);
            step = s == null ? 0 : TimeArgs.durationMicros("step", s);
            if (to <= from) {
                throw new IllegalArgumentException("from must be before to");
            }
        } catch (final IllegalArgumentException e) {
            x.respond(HttpResponseStatus.BAD_REQUEST, error(e.getMessage()));
            return;
        }
        x.whenDone(node.series(id, from, to, step, now), (result, failure) -> {
            if (failure != null) {
                final Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
                if (cause instanceof IllegalArgumentException) {
                    x.respond(HttpResponseStatus.BAD_REQUEST, error(cause.getMessage()));
                } else {
                    x.respond(HttpResponseStatus.SERVICE_UNAVAILABLE, error("node is stopping"));
                }
            } else if (result == null) {
                x.respond(HttpResponseStatus.NOT_FOUND, error("no agent '" + id + "'"));
            } else {
                x.respond(HttpResponseStatus.OK, result);
            }
        });
    }

    /**
     * {@code POST /v1/agents/{id}/release} with a signed {@link OperatorCommand}: the agent goes
     * back to normal and its raw data is no longer pinned. 403 for a bad signature, a stale or
     * replayed command; 404 for an unknown agent.
     */
    private void release(final Exchange x) {
        final String id = x.id();
        final OperatorCommand command;
        try {
            final JsonNode n = ApiJson.MAPPER.readTree(ByteBufUtil.getBytes(x.request().content()));
            command = new OperatorCommand(text(n, "command"), text(n, "agent"), n.path("issued_at").asLong(Long.MIN_VALUE),
                text(n, "nonce"), text(n, "signature"));
        } catch (final IOException e) {
            x.respond(HttpResponseStatus.BAD_REQUEST, error("body is not JSON: " + e.getMessage()));
            return;
        }
        if (!"release".equals(command.command()) || !id.equals(command.agent())) {
            x.respond(HttpResponseStatus.BAD_REQUEST, error("expected a signed \"release\" command for agent '" + id + "'"));
            return;
        }
        x.whenDone(node.release(command), (outcome, failure) -> {
            if (failure != null) {
                x.respond(HttpResponseStatus.SERVICE_UNAVAILABLE, error("node is stopping"));
            } else if (outcome.problem() != null) {
                x.respond(outcome.unknownAgent() ? HttpResponseStatus.NOT_FOUND : HttpResponseStatus.FORBIDDEN,
                    error(outcome.problem()));
            } else {
                x.respond(HttpResponseStatus.OK, new ApiJson.Released(id, outcome.wasPinned()));
            }
        });
    }

    /**
     * {@code POST /v1/verdicts/{id}/release}: the body is the operator's release certificate of the
     * conviction {@code id} ({@code vigil verdicts release} makes one), binary or its base64 text,
     * read as {@code vigil verdicts verify} reads a file. 200 once it verified, was kept and flooded
     * and queued for the agent's committee; 400 naming why it is not a valid operator release of that
     * verdict; 404 when the verdict is not held here; 503 when the committee's queue of releases is full.
     */
    private void releaseVerdict(final Exchange x) {
        final String id = x.id();
        final byte[] body = ByteBufUtil.getBytes(x.request().content());
        if (body.length > RELEASE_BODY_BYTES_MAX) {
            x.respond(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, error("a release certificate is at most " + RELEASE_BODY_BYTES_MAX
                + " bytes, even as base64 text"));
            return;
        }
        final VerdictCertificate release;
        try {
            release = VerdictCertificate.decodeBinaryOrBase64(body);
        } catch (final VerdictFormatException e) {
            x.respond(HttpResponseStatus.BAD_REQUEST, error("not a verdict certificate: " + e.getMessage()));
            return;
        }
        x.whenDone(node.releaseVerdict(id, release), (outcome, failure) -> {
            if (failure != null) {
                x.respond(HttpResponseStatus.SERVICE_UNAVAILABLE, error("node is stopping"));
                return;
            }
            switch (outcome.status()) {
                case TAKEN -> x.respond(HttpResponseStatus.OK, new ApiJson.VerdictReleased(id, outcome.releaseId(),
                    release.verdict().agentId()));
                case UNKNOWN -> x.respond(HttpResponseStatus.NOT_FOUND, error(outcome.problem()));
                case BUSY -> x.respond(HttpResponseStatus.SERVICE_UNAVAILABLE, error(outcome.problem()));
                case INVALID -> x.respond(HttpResponseStatus.BAD_REQUEST, error("release refused: " + outcome.problem()));
            }
        });
    }

    /** Largest body of a release: the base64 of the largest certificate, with room for line breaks. */
    static final int RELEASE_BODY_BYTES_MAX = 64 * 1024;

    private static String text(final JsonNode n, final String field) {
        final JsonNode v = n.get(field);
        return v == null || !v.isTextual() ? null : v.asText();
    }

    /**
     * {@code POST /v1/observations}: validates on this thread, scores on the core's. 200 when at
     * least one row was accepted (refused rows listed), 400 when every row was refused for what it
     * holds, 503 when every row was refused because the node tracks as many agents as it may,
     * 400/413 for a body that cannot be taken at all.
     */
    private void ingest(final Exchange x) {
        final byte[] body = ByteBufUtil.getBytes(x.request().content());
        final ObservationBatch batch;
        try {
            batch = ObservationBatch.parse(body, node.schema(), WallClock.micros(),
                node.detection().futureSkewSecondsMax() * 1_000_000L);
        } catch (final ObservationBatch.Rejected e) {
            node.ingestRefusals().bodyRefused();
            x.respond(HttpResponseStatus.valueOf(e.status), error(e.getMessage()));
            return;
        }
        node.ingestRefusals().rowsRefused(batch.refusals());
        x.whenDone(node.observe(batch.rows()), (observed, failure) -> {
            if (failure != null) {
                x.respond(HttpResponseStatus.SERVICE_UNAVAILABLE, error("node is stopping"));
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
                        "this node already tracks detection.agents_max agents (" + node.detection().agentsMax() + ")"));
                } else if (o == Detector.Outcome.REFUSED_STORE) {
                    refused.add(new ObservationBatch.Refusal(row.index(), "agent", storeRefusal == null ? "not stored" : storeRefusal));
                } else {
                    refused.add(new ObservationBatch.Refusal(row.index(), "ts", "older than the agent's baseline window"));
                }
            }
            refused.sort(Comparator.comparingInt(ObservationBatch.Refusal::row));
            final ApiJson.Ingested out = new ApiJson.Ingested(accepted, refused.size(),
                refused.subList(0, Math.min(refused.size(), REFUSALS_LISTED_MAX)));
            if (accepted == 0 && !refused.isEmpty() && full == refused.size()) {
                // Nothing wrong with the rows: this node is at capacity. Retry later, or elsewhere.
                x.respond(HttpResponseStatus.SERVICE_UNAVAILABLE, out);
            } else {
                x.respond(accepted == 0 && !refused.isEmpty() ? HttpResponseStatus.BAD_REQUEST : HttpResponseStatus.OK, out);
            }
        });
    }

    private static ApiJson.ErrorBody error(final String message) {
        return new ApiJson.ErrorBody(message);
    }

    private static void respond(final ChannelHandlerContext ctx, final boolean keepAlive,
                                final HttpResponseStatus status, final Object body) {
        send(ctx, keepAlive, jsonResponse(status, body));
    }

    private static FullHttpResponse jsonResponse(final HttpResponseStatus status, final Object body) {
        final byte[] json;
        try {
            json = ApiJson.MAPPER.writeValueAsBytes(body);
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException("an API answer must always serialise", e);
        }
        final FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(json));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        return r;
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

    /** What a route does with a request whose path and method it matched. */
    @FunctionalInterface
    private interface Action {
        void handle(Exchange x);
    }

    /** One endpoint: a method and a path, exact or with one {@code {id}}, and what answers it. */
    private record Route(HttpMethod method, String prefix, String suffix, boolean hasId, Action action) {
        Route(final HttpMethod method, final String pattern, final Action action) {
            this(method, pattern.contains("{id}") ? pattern.substring(0, pattern.indexOf("{id}")) : pattern,
                pattern.contains("{id}") ? pattern.substring(pattern.indexOf("{id}") + "{id}".length()) : "",
                pattern.contains("{id}"), action);
        }

        /** @return the id ("" for an exact path), or null when the path is not this route's */
        String match(final String path) {
            if (!hasId) {
                return path.equals(prefix) ? "" : null;
            }
            return path.startsWith(prefix) && path.endsWith(suffix) && path.length() > prefix.length() + suffix.length()
                ? path.substring(prefix.length(), path.length() - suffix.length()) : null;
        }
    }

    /** One request being answered: the connection, what was asked, and the path's id if it has one. */
    private record Exchange(ChannelHandlerContext ctx, boolean keepAlive, FullHttpRequest request, QueryStringDecoder uri,
                            String path, String id) {
        void respond(final HttpResponseStatus status, final Object body) {
            ApiServer.respond(ctx, keepAlive, status, body);
        }

        /** 200 with the future's value, or 503 when the node could not answer (it is stopping). */
        void reply(final CompletableFuture<?> body) {
            whenDone(body, (value, failure) -> {
                if (failure != null) {
                    respond(HttpResponseStatus.SERVICE_UNAVAILABLE, error("node is stopping"));
                } else {
                    respond(HttpResponseStatus.OK, value);
                }
            });
        }

        /** Runs {@code then} on the connection's thread once the node has answered. */
        <T> void whenDone(final CompletableFuture<T> answer, final BiConsumer<? super T, ? super Throwable> then) {
            answer.whenComplete((value, failure) -> ctx.executor().execute(() -> then.accept(value, failure)));
        }

        /** A query parameter's first value, or {@code fallback} when absent or blank. */
        String param(final String name, final String fallback) {
            final List<String> v = uri.parameters().get(name);
            return v == null || v.isEmpty() || v.get(0).isBlank() ? fallback : v.get(0);
        }
    }

    /** Decodes what every route needs (keep-alive, a well-formed request, the decoded path) and dispatches. */
    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final ApiServer server;

        Handler(final ApiServer server) {
            this.server = server;
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
            server.dispatch(ctx, keepAlive, request, uri, path);
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
            if (cause instanceof TooLongFrameException) {
                respond(ctx, false, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    error("request larger than " + REQUEST_BYTES_MAX + " bytes"));
                return;
            }
            LOG.debug("API connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }
}
