package dev.vigil.daemon.metrics;

import dev.vigil.daemon.detect.FeatureSchema;
import dev.vigil.daemon.net.Daemon;
import dev.vigil.daemon.net.LocalDaemons;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * {@code GET /metrics} scraped while observations pour in, and each scrape checked by
 * {@code promtool check metrics} (the Prometheus project's own parser and linter): exit status 0
 * and nothing said. Skipped where promtool is not installed, except in CI ({@code CI=true}), which
 * installs it (Debian package {@code prometheus}, see {@code .ci/run}) and fails without it.
 */
class MetricsPromtoolTest {
    private static final int SCRAPES = 5;
    private static final int AGENTS = 40;
    /**
     * Between batches: at most 20 a second, 20 observations a second per agent, so that no agent
     * reaches storage.observations_per_minute_max (600) within the test, where every row would be refused.
     */
    private static final long LOAD_PAUSE_MS = 50;

    @TempDir
    Path dir;
    private Daemon daemon;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        // OTLP on as well, so that its families are checked too
        daemon = LocalDaemons.startAlone(dir, true, "detection:", "  cold_observations: 20");
    }

    @AfterEach
    void stop() {
        daemon.close();
    }

    @Test
    void promtoolFindsNothingWrongWithScrapesTakenUnderLoad() throws Exception {
        final Path promtool = promtool();
        final AtomicLong batches = new AtomicLong();
        final AtomicReference<Throwable> loadFailure = new AtomicReference<>();
        final Thread load = new Thread(() -> {
            try {
                for (long i = 0; !Thread.currentThread().isInterrupted(); i++) {
                    final HttpResponse<String> r = post(batch(i));
                    if (r.statusCode() != 200) {
                        throw new AssertionError("batch " + i + " answered " + r.statusCode() + ": " + r.body());
                    }
                    batches.incrementAndGet();
                    Thread.sleep(LOAD_PAUSE_MS);
                }
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (final Throwable t) {
                loadFailure.set(t);
            }
        }, "metrics-load");
        load.start();
        try {
            double observationsBefore = -1;
            for (int s = 0; s < SCRAPES; s++) {
                final long batchesBefore = batches.get();
                while (batches.get() < batchesBefore + 2 && loadFailure.get() == null) {
                    Thread.sleep(5); // the load goes on between scrapes
                }
                assertThat(loadFailure.get()).as("posting observations").isNull();
                final HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + daemon.apiAddress().getPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                Files.writeString(Path.of("target", "metrics-scrape-" + s + ".txt"), r.body());
                final Check check = check(promtool, r.body());
                assertThat(check.output()).as("promtool on scrape %d (target/metrics-scrape-%d.txt)", s, s).isEmpty();
                assertThat(check.exitStatus()).as("promtool's exit status on scrape %d", s).isZero();
                final double observations = Exposition.parse(r.body()).value("vigil_ingest_observations_total");
                assertThat(observations).as("observations went in since the scrape before").isGreaterThan(observationsBefore);
                observationsBefore = observations;
            }
        } finally {
            load.interrupt();
            load.join(10_000);
        }
        assertThat(loadFailure.get()).isNull();
    }

    /** promtool on the PATH; skips the test where there is none, fails it in CI. */
    private static Path promtool() {
        final String path = System.getenv().getOrDefault("PATH", "");
        for (final String d : path.split(File.pathSeparator)) {
            final Path p = Path.of(d.isEmpty() ? "." : d, "promtool");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("promtool is not on the PATH; CI must install it (Debian package 'prometheus', see .ci/run)");
        }
        Assumptions.abort("promtool is not on the PATH (apt-get install prometheus); skipped outside CI");
        throw new AssertionError("unreachable");
    }

    private record Check(int exitStatus, String output) {
    }

    /** Runs {@code promtool check metrics} with the text on its stdin; its stdout and stderr together. */
    private static Check check(final Path promtool, final String text) throws IOException, InterruptedException {
        final Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        final String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("promtool check metrics did not finish within 30 s");
        }
        return new Check(p.exitValue(), output);
    }

    /** One row per agent; every seventh batch adds a row the API refuses, so that refusal counters move too. */
    private static String batch(final long i) {
        final long now = Instant.now().getEpochSecond();
        final List<String> rows = new ArrayList<>();
        for (int a = 0; a < AGENTS; a++) {
            rows.add(row("agent-" + a, now, 5 + (i + a) % 4));
        }
        if (i % 7 == 0) {
            rows.add("{\"agent\": \"agent-0\", \"ts\": " + now + ", \"features\": {\"no_such_feature\": 1}}");
        }
        return "[" + String.join(",", rows) + "]";
    }

    private static String row(final String agent, final long ts, final double level) {
        final StringBuilder f = new StringBuilder("{");
        for (final var feature : FeatureSchema.agentDefault().features()) {
            f.append(f.length() == 1 ? "" : ",").append('"').append(feature.name()).append("\":")
                .append(feature.name().equals(FeatureSchema.ERROR_RATE) ? "0.1" : String.format(Locale.ROOT, "%.1f", level));
        }
        return "{\"agent\":\"" + agent + "\",\"role\":\"worker\",\"ts\":" + ts + ",\"features\":" + f.append('}') + "}";
    }

    private HttpResponse<String> post(final String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.apiAddress().getPort() + "/v1/observations"))
            .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
    }
}
