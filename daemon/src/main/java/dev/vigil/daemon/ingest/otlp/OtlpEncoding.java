package dev.vigil.daemon.ingest.otlp;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

import java.io.IOException;
import java.util.Locale;

/** The two OTLP/HTTP payload encodings, chosen by {@code Content-Type}; answers use the request's. */
enum OtlpEncoding {
    PROTOBUF("application/x-protobuf"),
    JSON("application/json");

    final String contentType;

    OtlpEncoding(final String contentType) {
        this.contentType = contentType;
    }

    /** @return the encoding a {@code Content-Type} header names (parameters ignored), or null. */
    static OtlpEncoding ofContentType(final String header) {
        if (header == null) {
            return null;
        }
        final int semicolon = header.indexOf(';');
        final String media = (semicolon < 0 ? header : header.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        for (final OtlpEncoding e : values()) {
            if (e.contentType.equals(media)) {
                return e;
            }
        }
        return null;
    }

    /**
     * The encoding of an answer: the request's when it is JSON, else binary protobuf (also for
     * answers to requests with no or an unsupported {@code Content-Type}, such as 415).
     */
    static OtlpEncoding forReply(final String requestContentType) {
        return ofContentType(requestContentType) == JSON ? JSON : PROTOBUF;
    }

    /** Decodes a whole body; the buffer is read, not released. */
    ExportTraceServiceRequest decode(final ByteBuf body) throws BadRequestException {
        if (this == JSON) {
            return OtlpJson.decode(new ByteBufInputStream(body));
        }
        try {
            // One contiguous view for the common single-component body; nioBuffer() copies only composites.
            return ExportTraceServiceRequest.parseFrom(CodedInputStream.newInstance(body.nioBuffer()));
        } catch (final InvalidProtocolBufferException e) {
            throw new BadRequestException("body is not a binary protobuf ExportTraceServiceRequest: " + e.getMessage());
        } catch (final IOException e) {
            throw new BadRequestException("body cannot be read: " + e.getMessage());
        }
    }

    byte[] encode(final Message message) {
        return this == JSON ? OtlpJson.print(message) : message.toByteArray();
    }
}
