package dev.vigil.daemon.ingest.otlp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;

/**
 * OTLP JSON: the proto3 JSON mapping (what {@link JsonFormat} implements) with one deviation that
 * matters here: trace and span ids are hex, not base64. JsonFormat cannot be told so, and worse,
 * a 32-character hex trace id is also valid base64, which it would silently decode into 24
 * wrong bytes. So the document is read into a tree first, every id of a span and of its links
 * is rewritten hex → base64 (a malformed one is a 400), and JsonFormat parses the result.
 *
 * <p>The other deviations need nothing: integer enums and string or number int64s are accepted
 * by JsonFormat as is, and unknown fields are ignored as the spec requires. Lenient beyond the
 * spec (accepted, not rejected): enum names and the original snake_case field names, which
 * JsonFormat also takes; ids under snake_case keys are then not rewritten.
 */
final class OtlpJson {
    private static final ObjectMapper TREE = new ObjectMapper()
        // Numbers go back out as they came in, so JsonFormat range-checks what the client sent.
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
    private static final String[] SPAN_IDS = {"traceId", "spanId", "parentSpanId"};
    private static final String[] LINK_IDS = {"traceId", "spanId"};

    private OtlpJson() {
    }

    static ExportTraceServiceRequest decode(final InputStream body) throws BadRequestException {
        final JsonNode root;
        try {
            root = TREE.readTree(body);
        } catch (final JsonProcessingException e) {
            throw new BadRequestException("body is not valid JSON: " + e.getOriginalMessage()
                + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
        } catch (final IOException e) {
            throw new BadRequestException("body cannot be read: " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || !root.isObject()) {
            throw new BadRequestException("body must be a JSON object (an OTLP ExportTraceServiceRequest: {\"resourceSpans\": [...]})");
        }
        hexIdsToBase64((ObjectNode)root);
        final ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
        try {
            PARSER.merge(TREE.writeValueAsString(root), request);
        } catch (final InvalidProtocolBufferException | JsonProcessingException e) {
            throw new BadRequestException("body is not an OTLP JSON ExportTraceServiceRequest: " + e.getMessage());
        } catch (final RuntimeException e) {
            // JsonFormat reports some malformed values (e.g. numbers out of range) unchecked.
            throw new BadRequestException("body is not an OTLP JSON ExportTraceServiceRequest: " + e);
        }
        return request.build();
    }

    static byte[] print(final MessageOrBuilder message) {
        try {
            return PRINTER.print(message).getBytes(StandardCharsets.UTF_8);
        } catch (final InvalidProtocolBufferException e) {
            throw new IllegalStateException("Vigil's own answers must always print as JSON", e);
        }
    }

    /** Walks resourceSpans[].scopeSpans[].spans[] (and each span's links[]); other shapes are left to JsonFormat to refuse. */
    private static void hexIdsToBase64(final ObjectNode root) throws BadRequestException {
        for (final JsonNode resourceSpans : root.path("resourceSpans")) {
            for (final JsonNode scopeSpans : resourceSpans.path("scopeSpans")) {
                for (final JsonNode span : scopeSpans.path("spans")) {
                    if (span instanceof ObjectNode s) {
                        rewrite(s, SPAN_IDS, "span");
                        for (final JsonNode link : s.path("links")) {
                            if (link instanceof ObjectNode l) {
                                rewrite(l, LINK_IDS, "span link");
                            }
                        }
                    }
                }
            }
        }
    }

    private static void rewrite(final ObjectNode node, final String[] fields, final String where) throws BadRequestException {
        for (final String field : fields) {
            final JsonNode id = node.get(field);
            if (id == null || !id.isTextual()) {
                continue;
            }
            final byte[] bytes;
            try {
                bytes = HexFormat.of().parseHex(id.asText());
            } catch (final IllegalArgumentException e) {
                throw new BadRequestException(where + " " + field + " '" + id.asText() + "' is not hex (OTLP JSON ids are hex strings)");
            }
            node.put(field, Base64.getEncoder().encodeToString(bytes));
        }
    }
}
