package dev.vigil.simnet;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** A bug inside a node is not hostile input: it stops the simulation at once and the command names the seed that replays it. */
class SimulatedBugTest {
    @Test
    void anExceptionInATreeHandlerFailsTheRunAndPrintsItsSeed() {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = new CommandLine(new SimnetCommand(o, e)).execute("--scenario", "tree", "--nodes", "24", "--b", "8",
                "--seed", "4", "--signatures", "simulated", "--json", "--inject-bug", "tree-ping@3");
        }
        final String stderr = err.toString(StandardCharsets.UTF_8);
        assertThat(exit).isEqualTo(1);
        assertThat(stderr)
            .contains("internal error, host 0 at t=")
            .contains("injected bug in the tree-ping handler")
            .contains("at TreeNode.onMessage:")
            .contains("scenario failed on a bug; replay with --seed 4");
        assertThat(out.toString(StandardCharsets.UTF_8)).as("no report for a run that hit a bug").isEmpty();
    }

    @Test
    void theSameRunWithoutTheBugPasses() {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)) {
            exit = new CommandLine(new SimnetCommand(o, e)).execute("--scenario", "tree", "--nodes", "24", "--b", "8",
                "--seed", "4", "--signatures", "simulated", "--json");
        }
        assertThat(exit).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"converged\" : true");
    }
}
