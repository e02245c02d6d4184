package dev.vigil.daemon.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code vigil completion}: picocli's completion script for the whole command tree. */
class CompletionTest {
    @Test
    void completionCoversTheCommandsAndTheirOptions() {
        final java.io.StringWriter out = new java.io.StringWriter();
        final picocli.CommandLine cl = Main.commandLine();
        cl.setOut(new java.io.PrintWriter(out));
        assertThat(cl.execute("completion")).isZero();
        assertThat(out.toString()).contains("complete -F").contains("status").contains("--log-format").contains("--config");
    }
}
