package dev.vigil.daemon.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Permutation files: every row exactly once, or one line saying where and what is wrong. */
class RowOrderTest {
    @TempDir
    Path dir;

    @Test
    void readsAPermutation() throws IOException {
        final Path file = write("ok.perm", "2\n0\n3\n1\n\n");

        assertThat(RowOrder.read(file, 4, "data.csv")).containsExactly(2, 0, 3, 1);
    }

    @Test
    void fileOrderIsTheIdentity() {
        assertThat(RowOrder.fileOrder(3)).containsExactly(0, 1, 2);
    }

    @Test
    void anIndexOutOfRangeNamesItsLine() throws IOException {
        final Path file = write("range.perm", "0\n4\n1\n2\n");

        assertThatThrownBy(() -> RowOrder.read(file, 4, "data.csv")).isInstanceOf(EvalInputException.class)
            .hasMessage(file + ": line 2: row index \"4\" is out of range: data.csv has rows 0 to 3");
    }

    @Test
    void anIndexTooLargeForAnIntIsOutOfRangeToo() throws IOException {
        final Path file = write("huge.perm", "99999999999999999999\n");

        assertThatThrownBy(() -> RowOrder.read(file, 4, "data.csv")).hasMessageContaining("line 1: row index").hasMessageContaining("out of range");
    }

    @Test
    void aDuplicateNamesBothLines() throws IOException {
        final Path file = write("dup.perm", "0\n1\n2\n1\n");

        assertThatThrownBy(() -> RowOrder.read(file, 4, "data.csv")).isInstanceOf(EvalInputException.class)
            .hasMessage(file + ": line 4: row index 1 is a duplicate (already on line 2): not a permutation");
    }

    @Test
    void tooFewIndicesIsNotAPermutation() throws IOException {
        final Path file = write("short.perm", "3\n0\n1\n");

        assertThatThrownBy(() -> RowOrder.read(file, 4, "data.csv")).isInstanceOf(EvalInputException.class)
            .hasMessage(file + ": line 4: the file ends after 3 row indices but data.csv has 4 rows (row 2 is missing): not a permutation");
    }

    @Test
    void negativeAndNonIntegerIndicesAreRefused() throws IOException {
        for (final String bad : new String[] {"-1", "1.0", "one", "+2", "0x1"}) {
            final Path file = write("bad.perm", "0\n" + bad + "\n");

            assertThatThrownBy(() -> RowOrder.read(file, 4, "data.csv")).as(bad)
                .hasMessage(file + ": line 2: \"" + bad + "\" is not a row index (a non-negative integer)");
        }
    }

    @Test
    void anEmptyLineBeforeMoreIndicesIsRefused() throws IOException {
        final Path file = write("gap.perm", "0\n\n1\n");

        assertThatThrownBy(() -> RowOrder.read(file, 2, "data.csv")).hasMessage(file + ": line 2: empty line before more row indices");
    }

    @Test
    void aMissingFileIsNamed() {
        final Path file = dir.resolve("absent.perm");

        assertThatThrownBy(() -> RowOrder.read(file, 2, "data.csv")).hasMessage(file + ": no such file");
    }

    private Path write(final String name, final String text) throws IOException {
        final Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }
}
