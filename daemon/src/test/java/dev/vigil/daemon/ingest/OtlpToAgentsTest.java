package dev.vigil.daemon.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.daemon.net.Daemon;
import dev.vigil.daemon.net.LocalDaemons;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole OTLP path on a running daemon: the OpenTelemetry Java SDK exports GenAI spans of two
 * agents over OTLP/HTTP, the daemon turns them into windows, and the agents appear in
 * {@code /v1/agents} with the observations the spans make.
 */
class OtlpToAgentsTest {
    @TempDir
    Path dir;
    private Daemon daemon;

    @BeforeEach
    void start() throws Exception {
        daemon = LocalDaemons.startAlone(dir, true);
    }

    @AfterEach
    void stop() {
        daemon.close();
    }

    @Test
    void spansExportedByTheOpenTelemetrySdkBecomeObservationsOfTheRightAgents() throws Exception {
        final OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
            .setEndpoint("http://127.0.0.1:" + daemon.otlpAddress().getPort() + "/v1/traces").build();
        final SdkTracerProvider provider = SdkTracerProvider.builder()
            .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "support-bot"))))
            .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
        final Tracer tracer = provider.get("test");
        // A minute ahead (the daemon's own periodic flush cannot close these windows during the
        // test; 300 s of future skew are allowed), in whole 10 s windows.
        final long base = (Instant.now().getEpochSecond() + 60) / 10 * 10;
        for (int w = 0; w < 2; w++) {
            for (final String agent : new String[] {"planner", "coder"}) {
                final long startNanos = TimeUnit.SECONDS.toNanos(base + 10L * w) + 1_000_000;
                final Span chat = tracer.spanBuilder("chat").setStartTimestamp(startNanos, TimeUnit.NANOSECONDS)
                    .setAttribute("gen_ai.agent.id", agent).setAttribute("gen_ai.operation.name", "chat")
                    .setAttribute("gen_ai.request.model", "model-a")
                    .setAttribute(AttributeKey.longKey("gen_ai.usage.input_tokens"), 1000L)
                    .setAttribute(AttributeKey.longKey("gen_ai.usage.output_tokens"), 200L).startSpan();
                chat.end(startNanos + 500_000_000L, TimeUnit.NANOSECONDS);
            }
        }
        // Without an agent id the resource's service.name names the agent.
        final long otherStart = TimeUnit.SECONDS.toNanos(base) + 2_000_000;
        tracer.spanBuilder("execute_tool").setStartTimestamp(otherStart, TimeUnit.NANOSECONDS)
            .setAttribute("gen_ai.operation.name", "execute_tool").setAttribute("gen_ai.tool.name", "search")
            .startSpan().end(otherStart + 100_000_000L, TimeUnit.NANOSECONDS);
        assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
        provider.close();

        // flush as if 2 minutes past the spans: both windows (and their grace) are over
        assertThat(daemon.flushOtlp((base + 120) * 1_000_000L).get(5, TimeUnit.SECONDS)).isEqualTo(5);
        final HttpClient http = HttpClient.newHttpClient();
        final JsonNode agents = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + daemon.apiAddress().getPort() + "/v1/agents")).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(agents.path("agents")).extracting(a -> a.path("agent").asText() + "=" + a.path("observations").asInt())
            .containsExactly("coder=2", "planner=2", "support-bot=1");
        final JsonNode planner = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + daemon.apiAddress().getPort() + "/v1/status")).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(planner.path("detection").path("observations").asInt()).isEqualTo(5);
        assertThat(planner.path("otlp").isObject()).isTrue();
    }

}
