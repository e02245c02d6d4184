package dev.vigil.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Bytes a file really occupies on disk: {@code du}'s allocated blocks, which can differ from its
 * length (holes, or space reserved beyond the end). Falls back to the length where {@code du} is
 * missing. For reports, not hot paths.
 */
public final class DiskUsage {
    private DiskUsage() {
    }

    public static long allocatedBytes(final Path file) {
        try {
            final Process p = new ProcessBuilder("du", "-B1", "--", file.toString()).redirectErrorStream(true).start();
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
                final String first = out.trim().split("\\s+", 2)[0];
                return Long.parseLong(first);
            }
        } catch (final IOException | NumberFormatException e) {
            // fall through to the length
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            return Files.size(file);
        } catch (final IOException e) {
            return 0;
        }
    }
}
