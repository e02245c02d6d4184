package dev.vigil.daemon.ingest.otlp;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The size bound sits after inflation, so it only protects memory if inflation is streamed: one
 * small compressed chunk that inflates a thousandfold must come out in bounded pieces, not as one
 * buffer. This pins that behaviour of the Netty version in use.
 */
class GzipDecompressorTest {
    @Test
    void aHighlyCompressedChunkInflatesInBoundedPieces() throws Exception {
        final int inflatedBytes = 32 * 1024 * 1024;
        final ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(compressed)) {
            z.write(new byte[inflatedBytes]);
        }
        assertThat(compressed.size()).isLessThan(64 * 1024);

        final EmbeddedChannel ch = new EmbeddedChannel(new GzipDecompressor());
        final HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, OtlpHttpServer.TRACES_PATH);
        head.headers().set(HttpHeaderNames.CONTENT_ENCODING, "gzip").set(HttpHeaderNames.CONTENT_TYPE, OtlpEncoding.PROTOBUF.contentType);
        ch.writeInbound(head, new DefaultLastHttpContent(Unpooled.wrappedBuffer(compressed.toByteArray())));

        final Object first = ch.readInbound();
        assertThat(first).isInstanceOf(HttpRequest.class);
        assertThat(((HttpRequest)first).headers().contains(HttpHeaderNames.CONTENT_ENCODING)).isFalse();
        long total = 0;
        int largest = 0;
        Object msg;
        while ((msg = ch.readInbound()) != null) {
            if (msg instanceof HttpContent c) {
                total += c.content().readableBytes();
                largest = Math.max(largest, c.content().readableBytes());
            }
            ReferenceCountUtil.release(msg);
        }
        assertThat(total).isEqualTo(inflatedBytes);
        assertThat(largest).isLessThanOrEqualTo(1024 * 1024);
        ch.finishAndReleaseAll();
    }
}
