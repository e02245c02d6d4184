package dev.vigil.simnet.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code vigil bench} takes {@code --json}, as every read command does; their one form is
 * JSON on stdout. The benches themselves run for seconds to minutes (JMH forks, daemons), so one
 * cheap bench is run end to end and the others are checked to parse the flag.
 */
class BenchJsonTest {
    @TempDir
    Path dir;

    @Test
    void everyBenchTakesJson() {
        final CommandLine bench = new CommandLine(new BenchCommand());
        assertThat(bench.getSubcommands()).hasSize(13);
        for (final String name : bench.getSubcommands().keySet()) {
            final CommandLine.ParseResult parsed = new CommandLine(new BenchCommand()).parseArgs(name, "--json");
            assertThat(parsed.subcommand().hasMatchedOption("--json")).as("bench %s --json", name).isTrue();
        }
    }

    @Test
    void agentStateWithJsonPrintsOneJsonObject() throws Exception {
        final PrintStream stdout = System.out;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final int rc;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            rc = new CommandLine(new BenchCommand()).execute("agent-state", "--agents", "1000", "--dir", dir.toString(), "--json");
        } finally {
            System.setOut(stdout);
        }
        assertThat(rc).isZero();
        final JsonNode json = new ObjectMapper().readTree(bytes.toString(StandardCharsets.UTF_8));
        assertThat(json.isObject()).isTrue();
        assertThat(json.size()).isPositive();
    }
}
