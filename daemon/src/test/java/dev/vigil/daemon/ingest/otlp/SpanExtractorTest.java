package dev.vigil.daemon.ingest.otlp;

import io.opentelemetry.proto.common.v1.KeyValue;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.vigil.daemon.ingest.otlp.Otlp.bool;
import static dev.vigil.daemon.ingest.otlp.Otlp.dbl;
import static dev.vigil.daemon.ingest.otlp.Otlp.num;
import static dev.vigil.daemon.ingest.otlp.Otlp.request;
import static dev.vigil.daemon.ingest.otlp.Otlp.resource;
import static dev.vigil.daemon.ingest.otlp.Otlp.span;
import static dev.vigil.daemon.ingest.otlp.Otlp.str;
import static org.assertj.core.api.Assertions.assertThat;

/** Agent keys, roles, times and attribute types, as {@link SpanExtractor} reads them. */
class SpanExtractorTest {
    private static SpanExtractor.Extraction extract(final List<KeyValue> resource, final KeyValue... spanAttributes) {
        return SpanExtractor.extract(request(resource(resource, span(0, 100, spanAttributes))));
    }

    private static String agentOf(final List<KeyValue> resource, final KeyValue... spanAttributes) {
        final SpanExtractor.Extraction e = extract(resource, spanAttributes);
        return e.spans().isEmpty() ? null : e.spans().get(0).agent();
    }

    @Test
    void agentKeyPrecedenceIsSpanIdResourceIdSpanNameResourceNameServiceName() {
        final List<KeyValue> all = List.of(str("gen_ai.agent.id", "res-id"), str("gen_ai.agent.name", "res-name"), str("service.name", "svc"));
        assertThat(agentOf(all, str("gen_ai.agent.id", "span-id"), str("gen_ai.agent.name", "span-name"))).isEqualTo("span-id");
        assertThat(agentOf(all, str("gen_ai.agent.name", "span-name"))).isEqualTo("res-id");
        assertThat(agentOf(List.of(str("gen_ai.agent.name", "res-name"), str("service.name", "svc")),
            str("gen_ai.agent.name", "span-name"))).isEqualTo("span-name");
        assertThat(agentOf(List.of(str("gen_ai.agent.name", "res-name"), str("service.name", "svc")))).isEqualTo("res-name");
        assertThat(agentOf(List.of(str("service.name", "svc")))).isEqualTo("svc");
        // service.name only counts on the resource
        assertThat(agentOf(List.of(), str("service.name", "svc"))).isNull();
    }

    @Test
    void anSdkPlaceholderServiceNameIsNoAgentKey() {
        final SpanExtractor.Extraction e = extract(List.of(str("service.name", "unknown_service:java")));
        assertThat(e.spans()).isEmpty();
        assertThat(e.refused().get(SpanRefusal.NO_AGENT_KEY)).isEqualTo(1);
    }

    @Test
    void anInvalidAgentKeyIsRefusedRatherThanFallingBackToALowerKey() {
        assertThat(extract(List.of(str("service.name", "svc")), str("gen_ai.agent.id", "x".repeat(129)))
            .refused().get(SpanRefusal.INVALID_AGENT_KEY)).isEqualTo(1);
        assertThat(extract(List.of(), str("gen_ai.agent.id", "tab\there")).refused().get(SpanRefusal.INVALID_AGENT_KEY)).isEqualTo(1);
        assertThat(extract(List.of(), str("gen_ai.agent.id", "agénte")).refused().get(SpanRefusal.INVALID_AGENT_KEY)).isEqualTo(1);
        assertThat(agentOf(List.of(), str("gen_ai.agent.id", "x".repeat(128)))).hasSize(128);
        // an int id is taken as its decimal text; an empty one as absent
        assertThat(agentOf(List.of(), num("gen_ai.agent.id", 42))).isEqualTo("42");
        assertThat(agentOf(List.of(str("service.name", "svc")), str("gen_ai.agent.id", ""))).isEqualTo("svc");
    }

    @Test
    void roleComesFromTheSpanThenTheResourceAndAnInvalidOneIsDropped() {
        assertThat(extract(List.of(str("service.name", "s"), str("gen_ai.agent.role", "res"), str("vigil.agent.role", "vig")),
            str("gen_ai.agent.role", "span")).spans().get(0).role()).isEqualTo("span");
        assertThat(extract(List.of(str("service.name", "s"), str("gen_ai.agent.role", "res"), str("vigil.agent.role", "vig")))
            .spans().get(0).role()).isEqualTo("res");
        assertThat(extract(List.of(str("service.name", "s"), str("vigil.agent.role", "vig"))).spans().get(0).role()).isEqualTo("vig");
        assertThat(extract(List.of(str("service.name", "s"))).spans().get(0).role()).isNull();
        final SpanExtractor.Extraction bad = extract(List.of(str("service.name", "s")), str("gen_ai.agent.role", "r".repeat(65)));
        assertThat(bad.spans().get(0).role()).isNull();
        assertThat(bad.rolesInvalid()).isEqualTo(1);
    }

    @Test
    void spansWithMissingOrBackwardsTimesAreRefused() {
        final SpanExtractor.Extraction e = SpanExtractor.extract(request(resource(List.of(str("service.name", "s")),
            span(0, 100).setStartTimeUnixNano(0),
            span(0, 100).setEndTimeUnixNano(0),
            span(200, 100),
            // fixed64 beyond 2262 reads as negative
            span(0, 100).setEndTimeUnixNano(-1),
            span(100, 100))));
        assertThat(e.refused().get(SpanRefusal.INVALID_TIME)).isEqualTo(4);
        assertThat(e.spans()).hasSize(1);
        assertThat(e.received()).isEqualTo(5);
    }

    @Test
    void attributesAreReadWithTheirTypesAndBadOnesIgnoredAndCounted() {
        final SpanExtractor.Extraction e = extract(List.of(str("service.name", "s")),
            str("gen_ai.operation.name", "chat"), str("gen_ai.tool.name", "search"), dbl("gen_ai.usage.input_tokens", 12.9),
            num("gen_ai.usage.output_tokens", -5), str("server.address", "h"), num("gen_ai.request.size", 10),
            num("http.request.body.size", 99), str("gen_ai.request.model", "m"), bool("error.type", false),
            bool("gen_ai.tool.name", true));
        final SpanFacts f = e.spans().get(0);
        assertThat(f.operation()).isEqualTo("chat");
        // the later, wrongly typed duplicate wins and reads as absent
        assertThat(f.tool()).isNull();
        assertThat(f.inputTokens()).isEqualTo(12);
        assertThat(f.outputTokens()).isZero();
        assertThat(f.host()).isEqualTo("h");
        assertThat(f.bytesOut()).isEqualTo(99);
        assertThat(f.model()).isEqualTo("m");
        assertThat(f.error()).isTrue();
        assertThat(e.attributesIgnored()).isEqualTo(2);
    }

    @Test
    void bytesOutFallsBackToGenAiRequestSize() {
        assertThat(extract(List.of(str("service.name", "s")), num("gen_ai.request.size", 10)).spans().get(0).bytesOut()).isEqualTo(10);
        assertThat(extract(List.of(str("service.name", "s"))).spans().get(0).bytesOut()).isZero();
    }

    @Test
    void statusErrorMakesAFailedSpanAndStatusOkDoesNot() {
        final SpanExtractor.Extraction e = SpanExtractor.extract(request(resource(List.of(str("service.name", "s")),
            Otlp.failed(span(0, 100)), span(0, 100).setStatus(io.opentelemetry.proto.trace.v1.Status.newBuilder()
                .setCode(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_OK)))));
        assertThat(e.spans()).extracting(SpanFacts::error).containsExactly(true, false);
    }
}
