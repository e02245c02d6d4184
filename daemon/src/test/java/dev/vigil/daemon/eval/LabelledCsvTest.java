package dev.vigil.daemon.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The labelled CSV reader: what it takes, and the one-line error for each kind of bad input. */
class LabelledCsvTest {
    @TempDir
    Path dir;

    @Test
    void readsFeaturesAndLabels() throws IOException {
        final Path file = write("ok.csv", "f0,f1,label\n1.5,-2,0\n3e2,.25,1\n-0.,7E-3,0\n");

        final LabelledCsv data = LabelledCsv.read(file);

        assertThat(data.rows()).isEqualTo(3);
        assertThat(data.features()).isEqualTo(2);
        assertThat(data.featureNames()).containsExactly("f0", "f1");
        assertThat(data.anomalies()).isEqualTo(1);
        assertThat(data.row(0)).containsExactly(1.5, -2.0);
        assertThat(data.row(1)).containsExactly(300.0, 0.25);
        assertThat(data.row(2)).containsExactly(-0.0, 0.007);
        assertThat(data.anomaly(1)).isTrue();
        assertThat(data.anomaly(0)).isFalse();
    }

    @Test
    void takesWindowsLineEndsAByteOrderMarkTrailingEmptyLinesAndLabelsWrittenAsFloats() throws IOException {
        final byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        final byte[] text = "f0,label\r\n1,1.0\r\n2,0.0\r\n\r\n\n".getBytes(StandardCharsets.US_ASCII);
        final byte[] bytes = new byte[bom.length + text.length];
        System.arraycopy(bom, 0, bytes, 0, bom.length);
        System.arraycopy(text, 0, bytes, bom.length, text.length);
        final Path file = dir.resolve("windows.csv");
        Files.write(file, bytes);

        final LabelledCsv data = LabelledCsv.read(file);

        assertThat(data.rows()).isEqualTo(2);
        assertThat(data.anomalies()).isEqualTo(1);
    }

    @Test
    void aMissingFileIsNamed() {
        final Path file = dir.resolve("absent.csv");

        assertThatThrownBy(() -> LabelledCsv.read(file)).isInstanceOf(EvalInputException.class)
            .hasMessage(file + ": no such file");
    }

    @Test
    void aDirectoryIsNotAFile() {
        assertThatThrownBy(() -> LabelledCsv.read(dir)).isInstanceOf(EvalInputException.class)
            .hasMessage(dir + ": is a directory, expected a file");
    }

    @Test
    void aRaggedRowNamesItsLineAndTheFieldCounts() throws IOException {
        final Path file = write("ragged.csv", "f0,f1,label\n1,2,0\n1,2\n");

        assertThatThrownBy(() -> LabelledCsv.read(file)).isInstanceOf(EvalInputException.class)
            .hasMessage(file + ": line 3: expected 3 fields (2 features and the label), found 2");
    }

    @Test
    void tooManyFieldsIsRaggedToo() throws IOException {
        final Path file = write("wide.csv", "f0,f1,label\n1,2,0,4\n");

        assertThatThrownBy(() -> LabelledCsv.read(file)).hasMessage(file + ": line 2: expected 3 fields (2 features and the label), found 4");
    }

    @Test
    void aNonNumericValueNamesLineFieldAndColumn() throws IOException {
        final Path file = write("text.csv", "f0,f1,label\n1,2,0\n1,abc,1\n");

        assertThatThrownBy(() -> LabelledCsv.read(file)).isInstanceOf(EvalInputException.class)
            .hasMessage(file + ": line 3, field 2 (f1): \"abc\" is not a number");
    }

    @Test
    void nanInfinityHexSuffixesAndEmptyFieldsAreNotNumbers() throws IOException {
        for (final String bad : new String[] {"NaN", "Infinity", "-Infinity", "0x1p3", "1d", "2f", "", "1e", ".", "+", "1.2.3", "1,5"}) {
            final Path file = write("bad.csv", "f0,f1,label\n" + bad + ",0,0\n");

            assertThatThrownBy(() -> LabelledCsv.read(file)).as(bad).isInstanceOf(EvalInputException.class)
                .hasMessageStartingWith(file + ": line 2");
        }
    }

    @Test
    void aNumberBeyondTheDoubleRangeIsRefused() throws IOException {
        final Path file = write("huge.csv", "f0,label\n1e400,0\n");

        assertThatThrownBy(() -> LabelledCsv.read(file)).hasMessage(file + ": line 2, field 1 (f0): \"1e400\" is out of range for a double");
    }

    @Test
    void aLabelOtherThanZeroOrOneIsRefused() throws IOException {
        for (final String label : new String[] {"2", "-1", "0.5", "yes", "", "NaN"}) {
            final Path file = write("label.csv", "f0,label\n1,0\n2," + label + "\n");

            assertThatThrownBy(() -> LabelledCsv.read(file)).as(label).isInstanceOf(EvalInputException.class)
                .hasMessage(file + ": line 3: label must be 0 (normal) or 1 (anomaly), found \"" + label + "\"");
        }
    }

    @Test
    void theHeaderMustEndWithTheLabel() throws IOException {
        final Path noLabel = write("nolabel.csv", "f0,f1\n1,0\n");
        final Path onlyLabel = write("onlylabel.csv", "label\n1\n");

        assertThatThrownBy(() -> LabelledCsv.read(noLabel)).hasMessageStartingWith(noLabel + ": line 1: expected a header f0,...,f{d-1},label");
        assertThatThrownBy(() -> LabelledCsv.read(onlyLabel)).hasMessageStartingWith(onlyLabel + ": line 1: expected a header");
    }

    @Test
    void emptyFilesAndFilesWithoutRowsAreRefused() throws IOException {
        final Path empty = write("empty.csv", "");
        final Path headerOnly = write("header.csv", "f0,label\n\n");

        assertThatThrownBy(() -> LabelledCsv.read(empty)).hasMessage(empty + ": empty file, expected a header f0,...,f{d-1},label");
        assertThatThrownBy(() -> LabelledCsv.read(headerOnly)).hasMessage(headerOnly + ": no data rows after the header");
    }

    @Test
    void anEmptyLineBeforeMoreDataIsRefused() throws IOException {
        final Path file = write("gap.csv", "f0,label\n1,0\n\n2,1\n");

        assertThatThrownBy(() -> LabelledCsv.read(file)).hasMessage(file + ": line 3: empty line before more data");
    }

    @Test
    void moreFeaturesThanTheStatisticsTakeAreRefused() throws IOException {
        final StringBuilder header = new StringBuilder();
        for (int j = 0; j <= LabelledCsv.FEATURES_MAX; j++) {
            header.append('f').append(j).append(',');
        }
        final Path file = write("wide.csv", header + "label\n");

        assertThatThrownBy(() -> LabelledCsv.read(file)).hasMessage(file + ": line 1: 65 features, at most 64 are supported");
    }

    @Test
    void aLongBadTokenIsCutShortInTheMessage() throws IOException {
        final Path file = write("long.csv", "f0,label\n" + "x".repeat(500) + ",0\n");

        assertThatThrownBy(() -> LabelledCsv.read(file)).satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
    }

    private Path write(final String name, final String text) throws IOException {
        final Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.US_ASCII);
        return file;
    }
}
