package dev.vigil.daemon.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A labelled data set read from CSV: header {@code f0,...,f{d-1},label}, then one row per line
 * of d finite decimal numbers and a label, 1 = anomaly and 0 = normal. Parsing is strict: a
 * ragged row, a value that is not a plain decimal number (no NaN, Infinity, hex or type suffix)
 * or a label other than 0/1 is an {@link EvalInputException} naming the file and line. Empty
 * lines are allowed only at the end of the file.
 */
public final class LabelledCsv {
    /** Bound on data rows; at {@link #FEATURES_MAX} features that is 512 MiB of doubles. */
    public static final int ROWS_MAX = 1_000_000;
    /** The most features {@link dev.vigil.daemon.stats.Moments} takes. */
    public static final int FEATURES_MAX = 64;
    static final String LABEL_COLUMN = "label";

    private final String source;
    private final List<String> featureNames;
    private final double[][] rows;
    private final boolean[] anomaly;
    private final int anomalies;

    private LabelledCsv(final String source, final List<String> featureNames, final double[][] rows, final boolean[] anomaly) {
        this.source = source;
        this.featureNames = List.copyOf(featureNames);
        this.rows = rows;
        this.anomaly = anomaly;
        int count = 0;
        for (final boolean a : anomaly) {
            count += a ? 1 : 0;
        }
        this.anomalies = count;
    }

    /** A data set from values in memory (tests, generated data); the arrays are taken, not copied. */
    public static LabelledCsv of(final String source, final double[][] rows, final boolean[] anomaly) {
        if (rows.length == 0 || rows.length != anomaly.length) {
            throw new IllegalArgumentException("need as many labels as rows, and at least one row: " + rows.length + " rows, " + anomaly.length + " labels");
        }
        final int d = rows[0].length;
        if (d < 1 || d > FEATURES_MAX) {
            throw new IllegalArgumentException("features must be in [1, " + FEATURES_MAX + "], got " + d);
        }
        final List<String> names = new ArrayList<>(d);
        for (int j = 0; j < d; j++) {
            names.add("f" + j);
        }
        for (final double[] row : rows) {
            if (row.length != d) {
                throw new IllegalArgumentException("ragged rows: " + row.length + " values, expected " + d);
            }
        }
        return new LabelledCsv(source, names, rows, anomaly);
    }

    public static LabelledCsv read(final Path file) {
        long lineNumber = 0;
        try (BufferedReader reader = TextFiles.open(file)) {
            String line = reader.readLine();
            lineNumber = 1;
            if (line == null) {
                throw new EvalInputException(file + ": empty file, expected a header f0,...,f{d-1},label");
            }
            final List<String> names = header(file, stripByteOrderMark(line));
            final int d = names.size();
            final List<double[]> rows = new ArrayList<>();
            final List<Boolean> labels = new ArrayList<>();
            long emptyLine = 0;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    emptyLine = emptyLine == 0 ? lineNumber : emptyLine;
                    continue;
                }
                if (emptyLine != 0) {
                    throw new EvalInputException(file + ": line " + emptyLine + ": empty line before more data");
                }
                if (rows.size() == ROWS_MAX) {
                    throw new EvalInputException(file + ": line " + lineNumber + ": more than " + ROWS_MAX + " data rows");
                }
                final double[] row = new double[d];
                labels.add(parseRow(file, lineNumber, line, names, row));
                rows.add(row);
            }
            if (rows.isEmpty()) {
                throw new EvalInputException(file + ": no data rows after the header");
            }
            final boolean[] anomaly = new boolean[labels.size()];
            for (int i = 0; i < anomaly.length; i++) {
                anomaly[i] = labels.get(i);
            }
            return new LabelledCsv(file.toString(), names, rows.toArray(new double[0][]), anomaly);
        } catch (final IOException e) {
            throw TextFiles.readFailure(file, lineNumber, e);
        }
    }

    private static String stripByteOrderMark(final String line) {
        // The UTF-8 byte order mark as read through ISO-8859-1.
        return line.startsWith("\u00EF\u00BB\u00BF") ? line.substring(3) : line;
    }

    private static List<String> header(final Path file, final String line) {
        final String[] fields = line.split(",", -1);
        final List<String> names = new ArrayList<>(fields.length);
        for (final String field : fields) {
            names.add(field.trim());
        }
        final int d = names.size() - 1;
        if (d < 1 || !LABEL_COLUMN.equals(names.get(d))) {
            throw new EvalInputException(file + ": line 1: expected a header f0,...,f{d-1},label with the label last, found "
                + TextFiles.quote(line));
        }
        if (d > FEATURES_MAX) {
            throw new EvalInputException(file + ": line 1: " + d + " features, at most " + FEATURES_MAX + " are supported");
        }
        for (int j = 0; j < d; j++) {
            if (names.get(j).isEmpty()) {
                throw new EvalInputException(file + ": line 1: column " + (j + 1) + " has no name");
            }
        }
        return names.subList(0, d);
    }

    /** Parses the d features of {@code line} into {@code row}; returns whether the label says anomaly. */
    private static boolean parseRow(final Path file, final long lineNumber, final String line, final List<String> names, final double[] row) {
        final int d = row.length;
        int fields = 1;
        for (int at = line.indexOf(','); at >= 0; at = line.indexOf(',', at + 1)) {
            fields++;
        }
        if (fields != d + 1) {
            throw new EvalInputException(file + ": line " + lineNumber + ": expected " + (d + 1) + " fields ("
                + d + " features and the label), found " + fields);
        }
        int start = 0;
        for (int j = 0; j < d; j++) {
            final int end = line.indexOf(',', start);
            row[j] = parseNumber(file, lineNumber, j, names.get(j), line.substring(start, end));
            start = end + 1;
        }
        final String token = line.substring(start).trim();
        final double label = Numbers.isDecimal(token) ? Double.parseDouble(token) : Double.NaN;
        if (label != 0 && label != 1) {
            throw new EvalInputException(file + ": line " + lineNumber + ": label must be 0 (normal) or 1 (anomaly), found "
                + TextFiles.quote(token));
        }
        return label == 1;
    }

    private static double parseNumber(final Path file, final long lineNumber, final int column, final String name, final String field) {
        final String token = field.trim();
        if (!Numbers.isDecimal(token)) {
            throw new EvalInputException(file + ": line " + lineNumber + ", field " + (column + 1) + " (" + name + "): "
                + TextFiles.quote(token) + " is not a number");
        }
        final double value = Double.parseDouble(token);
        if (!Double.isFinite(value)) {
            throw new EvalInputException(file + ": line " + lineNumber + ", field " + (column + 1) + " (" + name + "): "
                + TextFiles.quote(token) + " is out of range for a double");
        }
        return value;
    }

    /** Where the data came from, for messages. */
    public String source() {
        return source;
    }

    public int rows() {
        return rows.length;
    }

    public int features() {
        return featureNames.size();
    }

    public List<String> featureNames() {
        return featureNames;
    }

    /** Row {@code i}'s features; the array is shared, not copied: do not modify it. */
    public double[] row(final int i) {
        return rows[i];
    }

    public boolean anomaly(final int i) {
        return anomaly[i];
    }

    public int anomalies() {
        return anomalies;
    }
}
