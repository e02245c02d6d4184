package dev.vigil.daemon.ingest.otlp;

import com.google.protobuf.ByteString;
import io.netty.buffer.Unpooled;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

import static dev.vigil.daemon.ingest.otlp.Otlp.num;
import static dev.vigil.daemon.ingest.otlp.Otlp.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** OTLP JSON's deviations from the proto3 JSON mapping, as {@link OtlpJson} handles them. */
class OtlpJsonTest {
    /** The spec's shape: lowerCamelCase keys, hex ids (either case), integer enums, string int64s. */
    static final String DOCUMENT = """
        {"resourceSpans": [{
          "resource": {"attributes": [
            {"key": "service.name", "value": {"stringValue": "json-svc"}},
            {"key": "vigil.agent.role", "value": {"stringValue": "researcher"}}]},
          "scopeSpans": [{
            "scope": {"name": "manual"},
            "spans": [
              {"traceId": "5B8EFFF798038103D269B633813FC60C", "spanId": "eee19b7ec3c1b174", "parentSpanId": "",
               "name": "chat m-a", "kind": 3,
               "startTimeUnixNano": "1700000000100000000", "endTimeUnixNano": "1700000001100000000",
               "attributes": [
                 {"key": "gen_ai.agent.id", "value": {"stringValue": "researcher-7"}},
                 {"key": "gen_ai.operation.name", "value": {"stringValue": "chat"}},
                 {"key": "gen_ai.request.model", "value": {"stringValue": "m-a"}},
                 {"key": "gen_ai.usage.input_tokens", "value": {"intValue": "120"}},
                 {"key": "gen_ai.usage.output_tokens", "value": {"intValue": 30}},
                 {"key": "server.address", "value": {"stringValue": "llm.example"}}],
               "status": {}},
              {"traceId": "5b8efff798038103d269b633813fc60c", "spanId": "0102030405060708", "parentSpanId": "eee19b7ec3c1b174",
               "name": "execute_tool search", "kind": 1,
               "startTimeUnixNano": "1700000001200000000", "endTimeUnixNano": "1700000001700000000",
               "attributes": [
                 {"key": "gen_ai.agent.id", "value": {"stringValue": "researcher-7"}},
                 {"key": "gen_ai.operation.name", "value": {"stringValue": "execute_tool"}},
                 {"key": "gen_ai.tool.name", "value": {"stringValue": "search"}},
                 {"key": "http.request.body.size", "value": {"intValue": "2048"}},
                 {"key": "server.address", "value": {"stringValue": "search.example"}}],
               "links": [{"traceId": "00000000000000000000000000000001", "spanId": "0000000000000002"}],
               "status": {"code": 2, "message": "tool failed"},
               "someFutureField": {"nested": [1, 2, 3]}},
              {"traceId": "5b8efff798038103d269b633813fc60c", "spanId": "1112131415161718",
               "name": "chat m-b", "kind": 3,
               "startTimeUnixNano": "1700000002000000000", "endTimeUnixNano": "1700000004000000000",
               "attributes": [
                 {"key": "gen_ai.agent.id", "value": {"stringValue": "researcher-7"}},
                 {"key": "gen_ai.operation.name", "value": {"stringValue": "chat"}},
                 {"key": "gen_ai.request.model", "value": {"stringValue": "m-b"}},
                 {"key": "gen_ai.usage.input_tokens", "value": {"intValue": "300"}},
                 {"key": "gen_ai.usage.output_tokens", "value": {"intValue": "90"}},
                 {"key": "server.address", "value": {"stringValue": "llm.example"}}]}
            ]}]}]}
        """;

    /** {@link #DOCUMENT} built as protobuf. */
    static ExportTraceServiceRequest equivalentProtobuf() {
        final ByteString trace = hex("5b8efff798038103d269b633813fc60c");
        final Span chatA = Span.newBuilder().setTraceId(trace).setSpanId(hex("eee19b7ec3c1b174")).setName("chat m-a")
            .setKind(Span.SpanKind.SPAN_KIND_CLIENT).setStartTimeUnixNano(1700000000100000000L).setEndTimeUnixNano(1700000001100000000L)
            .addAllAttributes(List.of(str("gen_ai.agent.id", "researcher-7"), str("gen_ai.operation.name", "chat"),
                str("gen_ai.request.model", "m-a"), num("gen_ai.usage.input_tokens", 120), num("gen_ai.usage.output_tokens", 30),
                str("server.address", "llm.example")))
            .setStatus(Status.getDefaultInstance()).build();
        final Span tool = Span.newBuilder().setTraceId(trace).setSpanId(hex("0102030405060708")).setParentSpanId(hex("eee19b7ec3c1b174"))
            .setName("execute_tool search").setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
            .setStartTimeUnixNano(1700000001200000000L).setEndTimeUnixNano(1700000001700000000L)
            .addAllAttributes(List.of(str("gen_ai.agent.id", "researcher-7"), str("gen_ai.operation.name", "execute_tool"),
                str("gen_ai.tool.name", "search"), num("http.request.body.size", 2048), str("server.address", "search.example")))
            .addLinks(Span.Link.newBuilder().setTraceId(hex("00000000000000000000000000000001")).setSpanId(hex("0000000000000002")))
            .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("tool failed")).build();
        final Span chatB = Span.newBuilder().setTraceId(trace).setSpanId(hex("1112131415161718")).setName("chat m-b")
            .setKind(Span.SpanKind.SPAN_KIND_CLIENT).setStartTimeUnixNano(1700000002000000000L).setEndTimeUnixNano(1700000004000000000L)
            .addAllAttributes(List.of(str("gen_ai.agent.id", "researcher-7"), str("gen_ai.operation.name", "chat"),
                str("gen_ai.request.model", "m-b"), num("gen_ai.usage.input_tokens", 300), num("gen_ai.usage.output_tokens", 90),
                str("server.address", "llm.example")))
            .build();
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
            .setResource(io.opentelemetry.proto.resource.v1.Resource.newBuilder()
                .addAttributes(str("service.name", "json-svc")).addAttributes(str("vigil.agent.role", "researcher")))
            .addScopeSpans(ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("manual"))
                .addSpans(chatA).addSpans(tool).addSpans(chatB)))
            .build();
    }

    private static ByteString hex(final String h) {
        return ByteString.copyFrom(HexFormat.of().parseHex(h));
    }

    private static ExportTraceServiceRequest decode(final String json) throws BadRequestException {
        return OtlpEncoding.JSON.decode(Unpooled.wrappedBuffer(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theSpecShapedDocumentDecodesToTheSameMessageAsItsProtobuf() throws Exception {
        assertThat(decode(DOCUMENT)).isEqualTo(equivalentProtobuf());
    }

    @Test
    void hexIdsAreNotMistakenForBase64() throws Exception {
        // 32 hex digits are also valid base64 (24 bytes); plain JsonFormat would take them so.
        final Span s = decode(DOCUMENT).getResourceSpans(0).getScopeSpans(0).getSpans(0);
        assertThat(s.getTraceId().size()).isEqualTo(16);
        assertThat(s.getSpanId().size()).isEqualTo(8);
    }

    @Test
    void anIdThatIsNotHexIsABadRequestNamingTheField() {
        assertThatThrownBy(() -> decode("""
            {"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"not-hex!"}]}]}]}"""))
            .isInstanceOf(BadRequestException.class).hasMessageContaining("traceId").hasMessageContaining("not hex");
        assertThatThrownBy(() -> decode("""
            {"resourceSpans":[{"scopeSpans":[{"spans":[{"links":[{"spanId":"abc"}]}]}]}]}"""))
            .isInstanceOf(BadRequestException.class).hasMessageContaining("span link spanId");
    }

    @Test
    void malformedOrMisshapenJsonIsABadRequest() {
        assertThatThrownBy(() -> decode("{\"resourceSpans\": [")).isInstanceOf(BadRequestException.class)
            .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> decode("[]")).isInstanceOf(BadRequestException.class).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> decode("")).isInstanceOf(BadRequestException.class);
        assertThatThrownBy(() -> decode("{\"resourceSpans\": 5}")).isInstanceOf(BadRequestException.class)
            .hasMessageContaining("OTLP JSON");
        assertThatThrownBy(() -> decode("""
            {"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":"yesterday"}]}]}]}"""))
            .isInstanceOf(BadRequestException.class);
        assertThatThrownBy(() -> decode("""
            {"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"key":"k","value":{"doubleValue":1e400}}]}]}]}]}"""))
            .isInstanceOf(BadRequestException.class);
    }

    @Test
    void anEmptyObjectIsAnEmptyRequest() throws Exception {
        assertThat(decode("{}")).isEqualTo(ExportTraceServiceRequest.getDefaultInstance());
    }

    @Test
    void longMessagesAreTruncated() {
        final String id = "z".repeat(10_000);
        assertThatThrownBy(() -> decode("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"spanId\":\"" + id + "\"}]}]}]}"))
            .isInstanceOf(BadRequestException.class)
            .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThanOrEqualTo(BadRequestException.MESSAGE_CHARS_MAX));
    }
}
