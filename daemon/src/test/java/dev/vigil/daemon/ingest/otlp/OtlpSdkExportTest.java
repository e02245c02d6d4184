package dev.vigil.daemon.ingest.otlp;

import dev.vigil.daemon.detect.FeatureSchema;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.vigil.daemon.ingest.otlp.Facts.micros;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The real OpenTelemetry Java SDK ({@link OtlpHttpSpanExporter}: binary protobuf over HTTP,
 * plain and gzip) exporting two agents' spans to the server on a loopback port. Every span has
 * explicit start and end times, so the windows and the expected values are fixed.
 */
class OtlpSdkExportTest {
    private static final FeatureSchema SCHEMA = FeatureSchema.agentDefault();
    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
    private static final AttributeKey<String> AGENT_ID = AttributeKey.stringKey("gen_ai.agent.id");
    private static final AttributeKey<String> AGENT_ROLE = AttributeKey.stringKey("vigil.agent.role");
    private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
    private static final AttributeKey<String> TOOL = AttributeKey.stringKey("gen_ai.tool.name");
    private static final AttributeKey<String> MODEL = AttributeKey.stringKey("gen_ai.request.model");
    private static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    private static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    private static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    private static final AttributeKey<Long> HTTP_BODY_SIZE = AttributeKey.longKey("http.request.body.size");
    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    private OtlpTestServer server;
    private final List<SdkTracerProvider> providers = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        // Two loops: connections and windows on different threads, unlike OtlpHttpServerTest.
        server = OtlpTestServer.start(2, SpanWindows.Config.defaults(), OtlpHttpServer.Limits.defaults(), null);
    }

    @AfterEach
    void stop() {
        for (final SdkTracerProvider p : providers) {
            p.shutdown().join(10, TimeUnit.SECONDS);
        }
        server.close();
    }

    private Tracer tracer(final String compression, final Attributes resource) {
        final OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
            .setEndpoint(server.endpoint())
            .setCompression(compression)
            .setTimeout(10, TimeUnit.SECONDS)
            .build();
        final SdkTracerProvider provider = SdkTracerProvider.builder()
            .setResource(Resource.getDefault().merge(Resource.create(resource)))
            .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
            .build();
        providers.add(provider);
        return provider.get("vigil-test");
    }

    /** A span from {@code startMs} to {@code endMs} after T0; attributes are set by the caller before {@link #end}. */
    private static Span begin(final Tracer tracer, final String name, final double startMs) {
        return tracer.spanBuilder(name).setStartTimestamp(Facts.T0_NANOS + Math.round(startMs * 1e6), TimeUnit.NANOSECONDS).startSpan();
    }

    private static void end(final Span span, final double endMs) {
        span.end(Facts.T0_NANOS + Math.round(endMs * 1e6), TimeUnit.NANOSECONDS);
    }

    private static double f(final RecordingSink.Observation o, final String feature) {
        return o.raw()[SCHEMA.indexOf(feature)];
    }

    @ParameterizedTest(name = "compression={0}")
    @ValueSource(strings = {"none", "gzip"})
    void twoAgentsExportedByTheSdkBecomeTheirObservations(final String compression) throws Exception {
        // Agent "planner-1": keyed by the span attribute gen_ai.agent.id, role from the resource.
        final Tracer planner = tracer(compression, Attributes.of(SERVICE_NAME, "planner-svc", AGENT_ROLE, "planner"));
        // Agent "coder": no agent attributes, so keyed by resource service.name; no role.
        final Tracer coder = tracer(compression, Attributes.of(SERVICE_NAME, "coder"));

        // planner-1, window [T0, T0 + 10 s). Ended out of start order on purpose: export order
        // follows end() calls, model_switches must follow start times.
        final Span chat3 = begin(planner, "chat gpt-4o", 5000)
            .setAttribute(AGENT_ID, "planner-1").setAttribute(OPERATION, "chat").setAttribute(MODEL, "gpt-4o")
            .setAttribute(INPUT_TOKENS, 200L).setAttribute(OUTPUT_TOKENS, 60L).setAttribute(SERVER_ADDRESS, "api.openai.com");
        end(chat3, 5500);
        final Span chat1 = begin(planner, "chat gpt-4o", 100)
            .setAttribute(AGENT_ID, "planner-1").setAttribute(OPERATION, "chat").setAttribute(MODEL, "gpt-4o")
            .setAttribute(INPUT_TOKENS, 100L).setAttribute(OUTPUT_TOKENS, 20L).setAttribute(SERVER_ADDRESS, "api.openai.com");
        end(chat1, 1100);
        final Span tool = begin(planner, "execute_tool search", 1200)
            .setAttribute(AGENT_ID, "planner-1").setAttribute(OPERATION, "execute_tool").setAttribute(TOOL, "search")
            .setAttribute(SERVER_ADDRESS, "search.internal").setAttribute(HTTP_BODY_SIZE, 512L);
        end(tool, 1500);
        final Span chat2 = begin(planner, "chat claude", 2000)
            .setAttribute(AGENT_ID, "planner-1").setAttribute(OPERATION, "chat").setAttribute(MODEL, "claude-3")
            .setAttribute(INPUT_TOKENS, 300L).setAttribute(OUTPUT_TOKENS, 40L).setAttribute(SERVER_ADDRESS, "api.anthropic.com");
        chat2.setStatus(StatusCode.ERROR, "rate limited");
        end(chat2, 4000);
        // Not an operation, but a tool call (it names a tool) and it sends bytes to a fourth host.
        final Span fetch = begin(planner, "POST", 6000)
            .setAttribute(AGENT_ID, "planner-1").setAttribute(TOOL, "fetch").setAttribute(SERVER_ADDRESS, "example.com")
            .setAttribute(HTTP_BODY_SIZE, 1000L);
        end(fetch, 6200);

        // coder: two operations in the first window, one in the second.
        final Span c1 = begin(coder, "chat", 500).setAttribute(OPERATION, "chat").setAttribute(MODEL, "m1")
            .setAttribute(INPUT_TOKENS, 50L).setAttribute(OUTPUT_TOKENS, 5L);
        end(c1, 800);
        final Span c2 = begin(coder, "chat", 3000).setAttribute(OPERATION, "chat").setAttribute(MODEL, "m1")
            .setAttribute(INPUT_TOKENS, 70L).setAttribute(OUTPUT_TOKENS, 15L).setAttribute(ERROR_TYPE, "timeout");
        end(c2, 3600);
        final Span c3 = begin(coder, "chat", 10_500).setAttribute(OPERATION, "chat").setAttribute(MODEL, "m1")
            .setAttribute(INPUT_TOKENS, 10L).setAttribute(OUTPUT_TOKENS, 1L);
        end(c3, 11_000);

        for (final SdkTracerProvider p : providers) {
            final CompletableResultCode flushed = p.forceFlush().join(10, TimeUnit.SECONDS);
            assertThat(flushed.isSuccess()).as("SDK export succeeded").isTrue();
        }
        assertThat(server.server.stats().spansAccepted()).isEqualTo(8);

        assertThat(server.flush(20)).isEqualTo(2);
        final RecordingSink.Observation p = server.sink.get("planner-1", micros(10));
        assertThat(p.role()).isEqualTo("planner");
        assertThat(f(p, FeatureSchema.OPS_PER_MIN)).isEqualTo(4 * 6.0);
        assertThat(f(p, FeatureSchema.TOOL_CALLS_PER_MIN)).isEqualTo(2 * 6.0);
        assertThat(f(p, FeatureSchema.DISTINCT_TOOLS)).isEqualTo(2);
        assertThat(f(p, FeatureSchema.INPUT_TOKENS_PER_OP)).isEqualTo((100 + 0 + 300 + 200) / 4.0);
        assertThat(f(p, FeatureSchema.OUTPUT_TOKENS_PER_OP)).isEqualTo((20 + 0 + 40 + 60) / 4.0);
        assertThat(f(p, FeatureSchema.ERROR_RATE)).isEqualTo(1 / 5.0);
        assertThat(f(p, FeatureSchema.LATENCY_MS_MEAN)).isCloseTo((1000 + 300 + 2000 + 500) / 4.0, within(1e-9));
        assertThat(f(p, FeatureSchema.DISTINCT_HOSTS)).isEqualTo(4);
        assertThat(f(p, FeatureSchema.BYTES_OUT)).isEqualTo(512 + 1000);
        // by start: gpt-4o, claude-3, gpt-4o
        assertThat(f(p, FeatureSchema.MODEL_SWITCHES)).isEqualTo(2);

        final RecordingSink.Observation c = server.sink.get("coder", micros(10));
        assertThat(c.role()).isNull();
        assertThat(c.raw()).containsExactly(new double[] {2 * 6.0, 0, 0, 60, 10, 0.5, 450, 0, 0, 0}, within(1e-9));

        assertThat(server.flush(30)).isEqualTo(1);
        final RecordingSink.Observation c2nd = server.sink.get("coder", micros(20));
        assertThat(c2nd.raw()).containsExactly(new double[] {6.0, 0, 0, 10, 1, 0, 500, 0, 0, 0}, within(1e-9));
        assertThat(server.sink.all()).hasSize(3);

        final OtlpIngestStats st = server.server.stats();
        assertThat(st.spansReceived()).isEqualTo(8);
        assertThat(st.spansRefusedTotal()).isZero();
        assertThat(st.responsesByStatus().keySet()).containsOnly(200);
    }
}
