package dev.vigil.daemon.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogIdsTest {
    @Test
    void anAgentIdIsShownAsItIsWhenPrintable() {
        assertThat(LogIds.agent("checkout 7")).isEqualTo("agent 'checkout 7'");
    }

    @Test
    void anAgentIdCannotStartALogLineOfItsOwn() {
        final String shown = LogIds.agent("x\n2026-12-04T00:00:00Z INFO forged\r\u001b[2J\\u000a");
        assertThat(shown).doesNotContain("\n").doesNotContain("\r").doesNotContain("\u001b")
            .isEqualTo("agent 'x\\u000a2026-12-04T00:00:00Z INFO forged\\u000d\\u001b[2J\\u005cu000a'");
    }

    @Test
    void aLongIdIsCutAndSaysHowLongItWas() {
        final String shown = LogIds.agent("a".repeat(10_000));
        assertThat(shown).hasSize("agent ''".length() + LogIds.SHOWN_MAX + "…(10000 chars)".length())
            .endsWith("a…(10000 chars)'");
    }
}
