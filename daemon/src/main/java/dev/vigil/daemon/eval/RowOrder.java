package dev.vigil.daemon.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The order in which an evaluation takes a data set's rows: file order, or a permutation read
 * from a file of one 0-based row index per line. A permutation file must name every row exactly
 * once; empty lines are allowed only at its end.
 */
public final class RowOrder {
    private RowOrder() {
    }

    /** 0, 1, …, rows - 1. */
    public static int[] fileOrder(final int rows) {
        final int[] order = new int[rows];
        for (int i = 0; i < rows; i++) {
            order[i] = i;
        }
        return order;
    }

    /**
     * Reads a permutation of {@code [0, rows)} from {@code file}; {@code dataName} names the data
     * set in messages ("… but cardio.csv has 1831 rows").
     */
    public static int[] read(final Path file, final int rows, final String dataName) {
        final int[] order = new int[rows];
        final long[] givenOnLine = new long[rows]; // 0: not given yet
        int count = 0;
        long lineNumber = 0;
        long emptyLine = 0;
        try (BufferedReader reader = TextFiles.open(file)) {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                final String token = line.trim();
                if (token.isEmpty()) {
                    emptyLine = emptyLine == 0 ? lineNumber : emptyLine;
                    continue;
                }
                if (emptyLine != 0) {
                    throw new EvalInputException(file + ": line " + emptyLine + ": empty line before more row indices");
                }
                final int row = parseIndex(file, lineNumber, token, rows, dataName);
                if (givenOnLine[row] != 0) {
                    throw new EvalInputException(file + ": line " + lineNumber + ": row index " + row
                        + " is a duplicate (already on line " + givenOnLine[row] + "): not a permutation");
                }
                givenOnLine[row] = lineNumber;
                // Indices are distinct and in range, so there can be no more of them than rows.
                assert count < rows;
                order[count++] = row;
            }
        } catch (final IOException e) {
            throw TextFiles.readFailure(file, lineNumber, e);
        }
        if (count < rows) {
            int missing = 0;
            while (givenOnLine[missing] != 0) {
                missing++;
            }
            final long endLine = (emptyLine != 0 ? emptyLine : lineNumber + 1);
            throw new EvalInputException(file + ": line " + endLine + ": the file ends after " + count + " row indices but "
                + dataName + " has " + rows + " rows (row " + missing + " is missing): not a permutation");
        }
        return order;
    }

    private static int parseIndex(final Path file, final long lineNumber, final String token, final int rows, final String dataName) {
        if (!Numbers.isDigits(token)) {
            throw new EvalInputException(file + ": line " + lineNumber + ": " + TextFiles.quote(token)
                + " is not a row index (a non-negative integer)");
        }
        // More than 10 digits is out of range for any int; Long.parseLong takes 10 without overflow.
        final long index = token.length() > 10 ? Long.MAX_VALUE : Long.parseLong(token);
        if (index >= rows) {
            throw new EvalInputException(file + ": line " + lineNumber + ": row index " + TextFiles.quote(token)
                + " is out of range: " + dataName + " has rows 0 to " + (rows - 1));
        }
        return (int) index;
    }
}
