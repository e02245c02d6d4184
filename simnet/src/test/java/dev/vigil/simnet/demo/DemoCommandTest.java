package dev.vigil.simnet.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code vigil demo --nodes 3 --gateways 0} end to end on loopback: three daemons form one tree, the
 * agents are spread over them, and the JSON report carries the tree next to the detection figures
 * and the fleet verdicts read back (the gateways' part was run by hand: see the README's figures).
 */
class DemoCommandTest {
    @Test
    void threeDaemonsFormOneTreeWhoseRootCoversEveryAgentAndTheReportSaysSo() throws Exception {
        final PrintStream stdout = System.out;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final int rc;
        final java.nio.file.Path logFile = java.nio.file.Files.createTempFile("vigil-demo-test", ".log");
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            rc = new CommandLine(new DemoCommand()).execute("--agents", "20", "--hours", "1", "--nodes", "3", "--gateways", "0",
                "--json", "--log-file", logFile.toString());
        } finally {
            System.setOut(stdout);
        }
        // the daemons' lines went to the log file, not to the demo's output
        final String logged = java.nio.file.Files.readString(logFile);
        java.nio.file.Files.deleteIfExists(logFile);
        assertThat(logged).contains(" INFO ").contains("Daemon");
        assertThat(rc).as(bytes.toString(StandardCharsets.UTF_8)).isZero();
        final JsonNode out = new ObjectMapper().readTree(bytes.toString(StandardCharsets.UTF_8));
        assertThat(out.path("nodes").asInt()).isEqualTo(3);
        assertThat(out.path("observations").asLong()).isEqualTo(20 * 360);
        assertThat(out.path("precision").isMissingNode()).isFalse();
        assertThat(out.path("fleet_verdicts").path("verdicts").isArray()).as("the committees' verdicts are read back").isTrue();
        final JsonNode tree = out.path("tree");
        assertThat(tree.path("formed").asBoolean()).isTrue();
        assertThat(tree.path("nodes").asInt()).isEqualTo(3);
        assertThat(tree.path("depth").asInt()).isEqualTo(1);
        assertThat(tree.path("clusters")).hasSize(1);
        final JsonNode cluster = tree.path("clusters").get(0);
        assertThat(cluster.path("head_id").asText()).isEqualTo(tree.path("root_id").asText());
        assertThat(cluster.path("members")).hasSize(3);
        assertThat(cluster.path("agents").asLong()).as("every node's agents reached the root").isEqualTo(20);
        assertThat(tree.path("fleet_baseline").path("held_by_nodes").asLong()).isEqualTo(3);
    }
}
