package dev.vigil.daemon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogsTest {
    @AfterEach
    void backToHumanOnStderr() {
        Logs.toStderr(Logs.Format.HUMAN);
    }

    @Test
    void jsonLinesCarryLevelLoggerAndMessage() throws Exception {
        final Path file = Files.createTempFile("vigil-logs", ".log");
        try {
            Logs.toStderr(Logs.Format.JSON);
            Logs.toFile(file);
            LoggerFactory.getLogger(LogsTest.class).warn("peer {} refused: {}", "a1b2c3", "bad signature");
            final List<String> lines = Files.readAllLines(file);
            assertThat(lines).hasSize(1);
            final JsonNode line = new ObjectMapper().readTree(lines.get(0));
            assertThat(line.path("level").asText()).isEqualTo("WARN");
            assertThat(line.path("loggerName").asText()).isEqualTo(LogsTest.class.getName());
            assertThat(line.path("formattedMessage").asText()).isEqualTo("peer a1b2c3 refused: bad signature");
            assertThat(line.path("timestamp").asLong()).isPositive();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * Ids given as SLF4J key-value pairs (as the daemon gives a peer's or an agent's) are fields of the
     * JSON line: logback's JsonEncoder writes them as {@code "kvpList": [{"peer": "…"}, …]}, in order.
     */
    @Test
    void keyValuePairsAreFieldsOfJsonLines() throws Exception {
        final Path file = Files.createTempFile("vigil-logs", ".log");
        try {
            Logs.toStderr(Logs.Format.JSON);
            Logs.toFile(file);
            LoggerFactory.getLogger(LogsTest.class).atWarn().addKeyValue("peer", "8e99b7b2416d3d78")
                .addKeyValue("peer_address", "127.0.0.1:7400").log("peer 8e99b7b2416d3d78 (127.0.0.1:7400) is dead");
            final JsonNode line = new ObjectMapper().readTree(Files.readAllLines(file).get(0));
            assertThat(line.path("kvpList").isArray()).as("%s", line).isTrue();
            assertThat(line.path("kvpList").get(0).path("peer").asText()).isEqualTo("8e99b7b2416d3d78");
            assertThat(line.path("kvpList").get(1).path("peer_address").asText()).isEqualTo("127.0.0.1:7400");
            assertThat(line.path("throwable").isNull()).as("no stack trace").isTrue();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void humanLinesByDefault() throws Exception {
        final Path file = Files.createTempFile("vigil-logs", ".log");
        try {
            Logs.toStderr(Logs.Format.HUMAN);
            Logs.toFile(file);
            LoggerFactory.getLogger(LogsTest.class).info("agent {} alarmed", "agent-7");
            assertThat(Files.readString(file)).matches("\\d{4}-\\d\\d-\\d\\dT[^ ]+ INFO  LogsTest - agent agent-7 alarmed\\R");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void theOptionRefusesOtherFormatsByName() {
        assertThat(Logs.Format.parse("JSON")).isEqualTo(Logs.Format.JSON);
        assertThatThrownBy(() -> Logs.Format.parse("xml")).hasMessageContaining("--log-format").hasMessageContaining("'xml'");
        final int rc = Main.commandLine().execute("--log-format", "xml", "--version");
        assertThat(rc).isEqualTo(2);
    }
}
