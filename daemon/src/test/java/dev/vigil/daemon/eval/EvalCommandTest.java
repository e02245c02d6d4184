package dev.vigil.daemon.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.daemon.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code vigil eval} end to end through the real command tree: output, JSON keys, exit codes. */
class EvalCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void jsonHasTheAgreedKeys() throws IOException {
        final Path cardio = ReferenceDataTest.dataFile("cardio.csv");
        final Path perm = ReferenceDataTest.dataFile("cardio.perm");

        final int code = run("eval", "--csv", cardio.toString(), "--mode", "stream", "--order", perm.toString(), "--json");

        assertThat(code).as(err.toString()).isZero();
        final JsonNode json = new ObjectMapper().readTree(out.toString());
        final List<String> keys = new ArrayList<>();
        json.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).startsWith("rows", "features", "anomalies", "roc_auc", "pr_auc", "mode");
        assertThat(json.get("rows").asInt()).isEqualTo(1831);
        assertThat(json.get("features").asInt()).isEqualTo(21);
        assertThat(json.get("anomalies").asInt()).isEqualTo(176);
        assertThat(json.get("mode").asText()).isEqualTo("stream");
        assertThat(json.get("roc_auc").asDouble()).isCloseTo(0.8913919816925582, within(1e-4));
        assertThat(json.get("scored_rows").asInt()).isEqualTo(1621);
        assertThat(out.toString().trim()).doesNotContain("\n");
    }

    @Test
    void textOutputSaysWhatWasMeasured() {
        final Path thyroid = ReferenceDataTest.dataFile("thyroid.csv");

        final int code = run("eval", "--csv", thyroid.toString());

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString())
            .contains("3772 rows, 6 features, 93 anomalies")
            .contains("mode batch")
            .contains("no ridge")
            .contains("ROC-AUC 0.934186")
            .containsPattern("scored on (java|opencl).*: .+")
            .contains("PR-AUC")
            .contains("average precision");
    }

    @Test
    void badInputIsOneLineAndExitCodeTwo() throws IOException {
        final Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "f0,label\n1,0\n2,3\n");

        final int code = run("eval", "--csv", csv.toString());

        assertThat(code).isEqualTo(2);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).isEqualTo("vigil eval: " + csv + ": line 3: label must be 0 (normal) or 1 (anomaly), found \"3\""
            + System.lineSeparator());
    }

    @Test
    void aMissingFileIsExitCodeTwo() {
        final Path csv = dir.resolve("nope.csv");

        assertThat(run("eval", "--csv", csv.toString())).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("vigil eval: " + csv + ": no such file" + System.lineSeparator());
    }

    @Test
    void aBadPermutationIsExitCodeTwo() throws IOException {
        final Path csv = dir.resolve("small.csv");
        Files.writeString(csv, "f0,label\n1,0\n2,1\n3,0\n");
        final Path perm = dir.resolve("small.perm");
        Files.writeString(perm, "0\n1\n1\n");

        assertThat(run("eval", "--csv", csv.toString(), "--mode", "stream", "--order", perm.toString())).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("vigil eval: " + perm + ": line 3: row index 1 is a duplicate (already on line 2): not a permutation"
            + System.lineSeparator());
    }

    @Test
    void anUnknownModeIsExitCodeTwo() {
        assertThat(run("eval", "--csv", "x.csv", "--mode", "online")).isEqualTo(2);
        assertThat(err.toString()).contains("mode must be batch or stream");
    }

    @Test
    void anUnknownAccelBackendIsExitCodeTwoAndNamesTheChoices() {
        assertThat(run("eval", "--csv", "x.csv", "--accel", "gpu")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("vigil eval: --accel must be auto, java or opencl, got 'gpu'" + System.lineSeparator());
    }

    @Test
    void theAccelBackendChangesWhereRowsAreScoredNotTheMetrics() throws IOException {
        final Path thyroid = ReferenceDataTest.dataFile("thyroid.csv");

        assertThat(run("eval", "--csv", thyroid.toString(), "--json", "--accel", "java")).as(err.toString()).isZero();
        final JsonNode java = new ObjectMapper().readTree(out.toString());
        out.getBuffer().setLength(0);
        assertThat(run("eval", "--csv", thyroid.toString(), "--json")).as(err.toString()).isZero();
        final JsonNode auto = new ObjectMapper().readTree(out.toString());

        assertThat(java.path("accel").path("requested").asText()).isEqualTo("java");
        assertThat(java.path("accel").path("backend").asText()).isEqualTo("java");
        assertThat(java.path("accel").path("reason").asText()).isEqualTo("accel.backend is java");
        assertThat(auto.path("accel").path("requested").asText()).isEqualTo("auto");
        assertThat(auto.path("accel").path("backend").asText()).isIn("java", "opencl");
        assertThat(auto.path("accel").path("reason").asText()).isNotBlank();
        // a device is used only if its calibration scores agreed with Java's bits
        assertThat(auto.path("roc_auc").asDouble()).isEqualTo(java.path("roc_auc").asDouble());
        assertThat(auto.path("pr_auc").asDouble()).isEqualTo(java.path("pr_auc").asDouble());
        assertThat(java.path("roc_auc").asDouble()).isCloseTo(0.934186, within(1e-6));
    }

    @Test
    void streamModeAndSmallFilesAreScoredInJavaAndSaySo() throws IOException {
        final Path cardio = ReferenceDataTest.dataFile("cardio.csv");
        assertThat(run("eval", "--csv", cardio.toString(), "--mode", "stream", "--json", "--accel", "opencl")).as(err.toString()).isZero();
        final JsonNode stream = new ObjectMapper().readTree(out.toString());
        assertThat(stream.path("accel").path("requested").asText()).isEqualTo("opencl");
        assertThat(stream.path("accel").path("backend").asText()).isEqualTo("java");
        assertThat(stream.path("accel").path("reason").asText()).contains("stream mode");

        final Path csv = dir.resolve("small.csv");
        Files.writeString(csv, "f0,f1,label\n1,2,0\n2,1,0\n3,5,0\n4,4,0\n9,-9,1\n");
        out.getBuffer().setLength(0);
        assertThat(run("eval", "--csv", csv.toString(), "--json")).as(err.toString()).isZero();
        final JsonNode small = new ObjectMapper().readTree(out.toString());
        assertThat(small.path("accel").path("backend").asText()).isEqualTo("java");
        assertThat(small.path("accel").path("reason").asText()).contains("5 rows").contains("fewer than 1000");
    }

    @Test
    void helpSaysPrAucIsAveragePrecision() {
        assertThat(run("eval", "--help")).isZero();
        assertThat(out.toString()).contains("average_precision_score").contains("--order").contains("--json");
    }

    private int run(final String... args) {
        final CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }
}
