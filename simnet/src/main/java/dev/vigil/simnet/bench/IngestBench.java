package dev.vigil.simnet.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.daemon.detect.FeatureSchema;
import dev.vigil.daemon.net.Daemon;
import dev.vigil.daemon.net.LocalDaemons;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Ingest throughput of one daemon over loopback: JSON observation batches of 1,000 rows through
 * {@code POST /v1/observations} (parse, validate, score), and OTLP protobuf requests of 1,000
 * GenAI spans through {@code POST /v1/traces} (decode, window). Requests are built before the
 * clock starts and sent one after another by one client.
 */
public final class IngestBench {
    private static final int ROWS = 1000;
    private static final int AGENTS = 500;

    private IngestBench() {
    }

    public static Map<String, Object> run(final int requests) throws Exception {
        final Path dir = Files.createTempDirectory("vigil-bench-ingest-");
        try (Daemon daemon = LocalDaemons.startAlone(dir, true, "storage:", "  expected_agents: " + AGENTS)) {
            final HttpClient http = HttpClient.newHttpClient();
            final SplittableRandom random = new SplittableRandom(5);
            final long startS = Instant.now().getEpochSecond() - 6 * 3600;
            final List<String> json = new ArrayList<>(requests);
            for (int r = 0; r < requests; r++) {
                json.add(observations(r, startS, random));
            }
            // Spans end within the next minutes, so no window closes (and no span is late) during the run.
            final long spansStartS = Instant.now().getEpochSecond() + 30;
            final List<byte[]> otlp = new ArrayList<>(requests);
            for (int r = 0; r < requests; r++) {
                otlp.add(spans(r, spansStartS, requests, random));
            }
            final URI observationsUri = URI.create("http://127.0.0.1:" + daemon.apiAddress().getPort() + "/v1/observations");
            final URI tracesUri = URI.create("http://127.0.0.1:" + daemon.otlpAddress().getPort() + "/v1/traces");
            // warm up both paths on a tenth of the requests
            send(http, observationsUri, json.subList(0, requests / 10), "application/json");
            final long t0 = System.nanoTime();
            send(http, observationsUri, json.subList(requests / 10, requests), "application/json");
            final double jsonS = (System.nanoTime() - t0) / 1e9;
            sendBytes(http, tracesUri, otlp.subList(0, requests / 10));
            final long t1 = System.nanoTime();
            sendBytes(http, tracesUri, otlp.subList(requests / 10, requests));
            final double otlpS = (System.nanoTime() - t1) / 1e9;
            final int measured = requests - requests / 10;
            final Map<String, Object> out = new LinkedHashMap<>();
            out.put("rows_per_request", ROWS);
            out.put("requests_measured", measured);
            out.put("observations_per_s", Math.round(measured * ROWS / jsonS));
            out.put("otlp_spans_per_s", Math.round(measured * ROWS / otlpS));
            final com.fasterxml.jackson.databind.JsonNode status = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + daemon.apiAddress().getPort() + "/v1/status")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
            out.put("otlp", status.path("otlp"));
            out.put("detection", new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + daemon.apiAddress().getPort() + "/v1/status")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).path("detection"));
            return out;
        } finally {
            LocalDaemons.deleteTree(dir);
        }
    }

    private static String observations(final int request, final long startS, final SplittableRandom random) {
        final FeatureSchema schema = FeatureSchema.agentDefault();
        final StringBuilder b = new StringBuilder(ROWS * 350).append('[');
        for (int i = 0; i < ROWS; i++) {
            final int n = request * ROWS + i;
            b.append(i == 0 ? "" : ",").append("{\"agent\":\"agent-").append(n % AGENTS).append("\",\"role\":\"coder\",\"ts\":")
                .append(startS + 10L * (n / AGENTS)).append(",\"features\":{");
            for (int f = 0; f < schema.size(); f++) {
                b.append(f == 0 ? "\"" : ",\"").append(schema.feature(f).name()).append("\":")
                    .append(f == 5 ? random.nextDouble() * 0.05 : Math.exp(2 + random.nextGaussian() * 0.3));
            }
            b.append("}}");
        }
        return b.append(']').toString();
    }

    private static byte[] spans(final int request, final long startS, final int requests, final SplittableRandom random) {
        final ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        final byte[] traceId = new byte[16];
        final byte[] spanId = new byte[8];
        for (int i = 0; i < ROWS; i++) {
            final int n = request * ROWS + i;
            random.nextBytes(traceId);
            random.nextBytes(spanId);
            // spread over 120 s, whatever the request count
            final long startNanos = startS * 1_000_000_000L + (long)n * 120_000_000_000L / ((long)requests * ROWS);
            scope.addSpans(Span.newBuilder()
                .setTraceId(com.google.protobuf.ByteString.copyFrom(traceId))
                .setSpanId(com.google.protobuf.ByteString.copyFrom(spanId))
                .setName("chat").setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                .setStartTimeUnixNano(startNanos).setEndTimeUnixNano(startNanos + 400_000_000L)
                .addAttributes(kv("gen_ai.agent.id", "agent-" + (n % AGENTS)))
                .addAttributes(kv("gen_ai.operation.name", n % 3 == 0 ? "execute_tool" : "chat"))
                .addAttributes(kv("gen_ai.request.model", "model-" + (n % 2)))
                .addAttributes(kv("server.address", "api.example.com"))
                .addAttributes(KeyValue.newBuilder().setKey("gen_ai.usage.input_tokens")
                    .setValue(AnyValue.newBuilder().setIntValue(800 + random.nextInt(400))))
                .addAttributes(KeyValue.newBuilder().setKey("gen_ai.usage.output_tokens")
                    .setValue(AnyValue.newBuilder().setIntValue(100 + random.nextInt(200)))));
        }
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(kv("service.name", "bench")))
            .addScopeSpans(scope)).build().toByteArray();
    }

    private static KeyValue kv(final String key, final String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static void send(final HttpClient http, final URI uri, final List<String> bodies, final String type) throws Exception {
        for (final String body : bodies) {
            final HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("content-type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200 || new ObjectMapper().readTree(r.body()).path("refused_total").asInt() != 0) {
                throw new IOException(uri + " did not take every row: " + r.statusCode() + " " + r.body());
            }
        }
    }

    private static void sendBytes(final HttpClient http, final URI uri, final List<byte[]> bodies) throws Exception {
        for (final byte[] body : bodies) {
            final HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).header("content-type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
            final ExportTraceServiceResponse response = ExportTraceServiceResponse.parseFrom(r.body());
            if (r.statusCode() != 200 || response.getPartialSuccess().getRejectedSpans() != 0) {
                throw new IOException(uri + " did not take every span: " + r.statusCode() + " " + response);
            }
        }
    }

}
