package dev.vigil.daemon.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How far long work has got ({@code vigil demo}, {@code simnet}, {@code bench}, {@code eval} on a
 * large file), for the person waiting on it. On a terminal, one bar redrawn in place with {@code \r}
 * on stderr: {@code [#########...........]  45% simulated 1h48m of 4h  12,345 obs}. Elsewhere (a
 * pipe, a file, CI) a plain line at each tenth, {@code [ 40%] simulated 1h36m of 4h  10,972 obs}, so
 * a transcript gets ten lines rather than thousands, or nothing at all where the caller wants its
 * stderr machine-readable. It never writes to stdout on its own: a {@code --json} report there stays pure.
 *
 * <p>Bounds: at most one redraw per {@value #REDRAW_MILLIS_MIN} ms unless the percentage changed
 * (so a tight loop may call {@link #update} for every item), at most 11 plain lines per run.
 */
public final class Progress {
    /** What a run draws. */
    public enum Mode {
        /** A bar redrawn in place: only on a terminal. */
        BAR,
        /** A line at each tenth. */
        LINES,
        /** Nothing. */
        QUIET
    }

    /** Cells of the bar. */
    public static final int BAR_CELLS = 20;
    static final long REDRAW_MILLIS_MIN = 100;

    private final PrintWriter out;
    private final Mode mode;
    private int percentDrawn = -1;
    private long drawnAtNanos;
    private int widthDrawn;
    private int tenthsPrinted;
    private boolean finished;

    public Progress(final Writer out, final Mode mode) {
        this.out = out instanceof PrintWriter p ? p : new PrintWriter(out, true);
        this.mode = mode;
    }

    /**
     * The bar on stderr when stderr is a terminal; otherwise plain lines to {@code linesTo} (stderr,
     * or stdout for a command whose human output is a running account, like the demo's), or
     * nothing when {@code linesTo} is null.
     */
    public static Progress forWork(final PrintStream linesTo) {
        if (stderrIsTerminal()) {
            return new Progress(new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true), Mode.BAR);
        }
        return linesTo == null ? new Progress(Writer.nullWriter(), Mode.QUIET)
            : new Progress(new PrintWriter(new java.io.OutputStreamWriter(linesTo, StandardCharsets.UTF_8), true), Mode.LINES);
    }

    /**
     * Whether fd 2 is a terminal: on Linux, where {@code /proc/self/fd/2} points; elsewhere,
     * {@link System#console()} (which needs stdin and stdout on a terminal as well). {@code TERM=dumb}
     * (an editor's shell, some CI) and {@code VIGIL_PROGRESS=plain} say no.
     */
    public static boolean stderrIsTerminal() {
        if ("dumb".equals(System.getenv("TERM")) || "plain".equals(System.getenv("VIGIL_PROGRESS"))) {
            return false;
        }
        final Path fd = Path.of("/proc/self/fd/2");
        try {
            if (Files.isSymbolicLink(fd)) {
                final String target = Files.readSymbolicLink(fd).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            }
        } catch (final IOException | UnsupportedOperationException | SecurityException e) {
            // no /proc: ask the JVM
        }
        return System.console() != null;
    }

    public Mode mode() {
        return mode;
    }

    /**
     * @param fraction how much is done, clamped to [0, 1]
     * @param detail   what that means, e.g. {@code simulated 1h48m of 4h  12,345 obs}
     */
    public void update(final double fraction, final String detail) {
        if (finished || mode == Mode.QUIET) {
            return;
        }
        final double f = Double.isNaN(fraction) ? 0 : Math.max(0, Math.min(1, fraction));
        final int percent = (int)Math.floor(f * 100);
        if (mode == Mode.LINES) {
            final int tenths = percent / 10;
            if (tenths > tenthsPrinted) {
                tenthsPrinted = tenths;
                out.println(line(tenths * 10, detail));
                out.flush();
            }
            return;
        }
        final long now = System.nanoTime();
        if (percent == percentDrawn && now - drawnAtNanos < REDRAW_MILLIS_MIN * 1_000_000L) {
            return;
        }
        percentDrawn = percent;
        drawnAtNanos = now;
        final String bar = bar(f, detail);
        // spaces over what a longer previous line left behind
        out.print("\r" + bar + " ".repeat(Math.max(0, widthDrawn - bar.length())));
        out.flush();
        widthDrawn = bar.length();
    }

    /** All done: the bar at 100 % and a line break; the 100 % line if not printed yet. Further updates are ignored. */
    public void done(final String detail) {
        if (finished) {
            return;
        }
        update(1, detail);
        if (mode == Mode.BAR) {
            if (percentDrawn < 100) { // throttled or not drawn: draw the end state
                out.print("\r" + bar(1, detail));
            }
            out.println();
            out.flush();
        }
        finished = true;
    }

    /** {@code [#########...........]  45% detail} */
    static String bar(final double fraction, final String detail) {
        final int filled = (int)Math.floor(fraction * BAR_CELLS);
        return "[" + "#".repeat(filled) + ".".repeat(BAR_CELLS - filled) + "] "
            + String.format(Locale.ROOT, "%3d%%", (int)Math.floor(fraction * 100)) + (detail.isEmpty() ? "" : " " + detail);
    }

    /** {@code [ 40%] detail} */
    static String line(final int percent, final String detail) {
        return String.format(Locale.ROOT, "[%3d%%]", percent) + (detail.isEmpty() ? "" : " " + detail);
    }

    /** A duration as the progress detail says it: {@code 45s}, {@code 12m05s}, {@code 1h48m}, {@code 4h}. */
    public static String duration(final long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3_600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        final long minutes = seconds / 60 % 60;
        return minutes == 0 ? seconds / 3_600 + "h" : String.format(Locale.ROOT, "%dh%02dm", seconds / 3_600, minutes);
    }
}
