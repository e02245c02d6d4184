package dev.vigil.simnet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code vigil simnet --scenario fleet-detect --accel}: the backend asked for, and where it ran on stderr, not in the report. */
class FleetDetectCommandTest {
    private static int run(final ByteArrayOutputStream out, final ByteArrayOutputStream err, final String... args) {
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            return new CommandLine(new SimnetCommand(o, e)).execute(args);
        }
    }

    @Test
    void anUnknownAccelBackendIsAUsageErrorNamingTheChoices() {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(run(new ByteArrayOutputStream(), err, "--scenario", "fleet-detect", "--nodes", "80", "--accel", "cuda")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--accel must be auto, java or opencl, got 'cuda'");
    }

    @Test
    void theBackendAskedForIsOnTheHostLineAndTheReportKeepsItsKeys() throws Exception {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();

        final int exit = run(out, err, "--scenario", "fleet-detect", "--nodes", "80", "--agents", "80", "--hours", "2", "--seed", "3",
            "--liars", "10", "--accel", "auto", "--json");

        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        final JsonNode report = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(report.path("invariants_failed").isEmpty()).isTrue();
        assertThat(report.has("accel")).as("the report depends on the scenario, its options and the seed only").isFalse();
        final String host = err.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("{\"host\"")).findFirst().orElseThrow();
        final JsonNode accel = new ObjectMapper().readTree(host).path("host").path("accel");
        assertThat(accel.path("requested").asText()).isEqualTo("auto");
        assertThat(accel.path("backend").asText()).isIn("java", "opencl");
        assertThat(accel.path("reason").asText()).isNotBlank();
    }
}
