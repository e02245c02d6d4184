package dev.vigil.daemon.ingest.otlp;

import io.netty.handler.codec.http.FullHttpResponse;

/**
 * Passed down the pipeline in place of a request that an earlier handler refused while its body
 * was still arriving (too large, or not valid gzip), so that {@link OtlpHttpHandler} answers it
 * in order with the others and counts it.
 *
 * @param response the answer, owned by whoever holds this
 * @param close    whether the connection must close after it (the rest of the body cannot be skipped)
 */
record RefusedBody(FullHttpResponse response, boolean close) {
}
