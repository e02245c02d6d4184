package dev.vigil.daemon.ingest.otlp;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;

/** Builds every answer the server gives, so all of them follow OTLP/HTTP's rules in one place. */
final class Responses {
    private Responses() {
    }

    /** 200 with an ExportTraceServiceResponse; {@code partial_success} only when something was refused. */
    static FullHttpResponse exported(final OtlpEncoding encoding, final int rejectedSpans, final String errorMessage) {
        final ExportTraceServiceResponse.Builder body = ExportTraceServiceResponse.newBuilder();
        if (rejectedSpans > 0) {
            body.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
                .setRejectedSpans(rejectedSpans)
                .setErrorMessage(errorMessage));
        }
        return response(HttpResponseStatus.OK, encoding, encoding.encode(body.build()));
    }

    /** A 4xx or 5xx: the body is a {@code google.rpc.Status}, in the request's encoding. */
    static FullHttpResponse failed(final HttpResponseStatus status, final OtlpEncoding encoding, final int rpcCode,
                                   final String message) {
        assert status.code() >= 400;
        return response(status, encoding, encoding.encode(RpcStatus.of(rpcCode, BadRequestException.truncate(message))));
    }

    /** 429 or 503 with {@code Retry-After}: retryable, and the client should wait that long. */
    static FullHttpResponse throttled(final HttpResponseStatus status, final OtlpEncoding encoding, final int retryAfterSeconds,
                                      final String message) {
        assert status.code() == 429 || status.code() == 503;
        final FullHttpResponse r = failed(status, encoding, status.code() == 429 ? RpcStatus.RESOURCE_EXHAUSTED : RpcStatus.UNAVAILABLE, message);
        r.headers().set(HttpHeaderNames.RETRY_AFTER, Integer.toString(Math.max(1, retryAfterSeconds)));
        return r;
    }

    private static FullHttpResponse response(final HttpResponseStatus status, final OtlpEncoding encoding, final byte[] body) {
        final FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, encoding.contentType);
        HttpUtil.setContentLength(r, body.length);
        return r;
    }
}
