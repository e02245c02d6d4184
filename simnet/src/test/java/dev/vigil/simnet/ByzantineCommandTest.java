package dev.vigil.simnet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code vigil simnet --scenario byzantine}: the keys machines read, the exit status, and --f's bounds. */
class ByzantineCommandTest {
    private static int run(final ByteArrayOutputStream out, final String... args) {
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)) {
            return new CommandLine(new SimnetCommand(o, e)).execute(args);
        }
    }

    @Test
    void aPassingSeedExitsZeroWithTheStableKeys() throws Exception {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final int exit = run(out, "--scenario", "byzantine", "--seed", "2", "--f", "1", "--signatures", "simulated", "--json");
        final JsonNode r = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(exit).isZero();
        for (final String key : new String[] {"invariants_failed", "conflicting_commits", "verdicts", "view_changes", "seed", "f",
            "verdict_time_p50_s", "verdict_time_max_s", "refused"}) {
            assertThat(r.has(key)).as(key).isTrue();
        }
        assertThat(r.get("invariants_failed").isArray()).isTrue();
        assertThat(r.get("conflicting_commits").asLong()).isZero();
    }

    @Test
    void fOutsideItsBoundsIsAUsageError() {
        assertThat(run(new ByteArrayOutputStream(), "--scenario", "byzantine", "--f", "0")).isEqualTo(2);
        assertThat(run(new ByteArrayOutputStream(), "--scenario", "byzantine", "--f", "4")).isEqualTo(2);
    }
}
