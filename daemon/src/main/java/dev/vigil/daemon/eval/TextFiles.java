package dev.vigil.daemon.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Opening the small text inputs of an evaluation, with one-line errors that name the file. */
final class TextFiles {
    /** Bound on an input file; 1 GiB holds a million rows of 64 features written with full precision. */
    static final long FILE_BYTES_MAX = 1L << 30;

    private TextFiles() {
    }

    /**
     * Opens {@code file} for line-by-line reading. ISO-8859-1 maps every byte to a character, so a
     * stray byte surfaces as a parse error with its line number instead of a decoder failure.
     */
    static BufferedReader open(final Path file) {
        try {
            if (Files.isDirectory(file)) {
                throw new EvalInputException(file + ": is a directory, expected a file");
            }
            final long sizeBytes = Files.size(file);
            if (sizeBytes > FILE_BYTES_MAX) {
                throw new EvalInputException(file + ": " + sizeBytes + " bytes, more than the " + FILE_BYTES_MAX + " this reader accepts");
            }
            return Files.newBufferedReader(file, StandardCharsets.ISO_8859_1);
        } catch (final NoSuchFileException e) {
            throw new EvalInputException(file + ": no such file");
        } catch (final AccessDeniedException e) {
            throw new EvalInputException(file + ": permission denied");
        } catch (final IOException e) {
            throw new EvalInputException(file + ": cannot read: " + e.getMessage());
        }
    }

    static EvalInputException readFailure(final Path file, final long lineNumber, final IOException e) {
        return new EvalInputException(file + ": line " + lineNumber + ": cannot read: " + e.getMessage());
    }

    /** Quotes a token for an error message, cut short so that one bad line stays one line of output. */
    static String quote(final String token) {
        final int shownMax = 40;
        final String shown = token.length() <= shownMax ? token : token.substring(0, shownMax) + "…";
        return '"' + shown + '"';
    }
}
