package dev.vigil.daemon.ingest.otlp;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;

import java.util.HexFormat;
import java.util.List;

/** Builds OTLP protobuf requests for tests. */
final class Otlp {
    private Otlp() {
    }

    static KeyValue str(final String key, final String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    static KeyValue num(final String key, final long value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
    }

    static KeyValue dbl(final String key, final double value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setDoubleValue(value)).build();
    }

    static KeyValue bool(final String key, final boolean value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setBoolValue(value)).build();
    }

    /** A span from {@code startMs} to {@code endMs} after {@link Facts#T0_NANOS}. */
    static Span.Builder span(final double startMs, final double endMs, final KeyValue... attributes) {
        return Span.newBuilder()
            .setTraceId(ByteString.copyFrom(HexFormat.of().parseHex("5b8efff798038103d269b633813fc60c")))
            .setSpanId(ByteString.copyFrom(HexFormat.of().parseHex("eee19b7ec3c1b174")))
            .setName("span")
            .setStartTimeUnixNano(Facts.T0_NANOS + Math.round(startMs * 1e6))
            .setEndTimeUnixNano(Facts.T0_NANOS + Math.round(endMs * 1e6))
            .addAllAttributes(List.of(attributes));
    }

    static Span.Builder failed(final Span.Builder span) {
        return span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
    }

    static ResourceSpans resource(final List<KeyValue> attributes, final Span.Builder... spans) {
        final ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        for (final Span.Builder s : spans) {
            scope.addSpans(s);
        }
        return ResourceSpans.newBuilder()
            .setResource(Resource.newBuilder().addAllAttributes(attributes))
            .addScopeSpans(scope)
            .build();
    }

    static ExportTraceServiceRequest request(final ResourceSpans... resources) {
        return ExportTraceServiceRequest.newBuilder().addAllResourceSpans(List.of(resources)).build();
    }
}
