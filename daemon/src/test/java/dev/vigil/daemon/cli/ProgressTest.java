package dev.vigil.daemon.cli;

import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** What a progress report looks like on a terminal (one bar redrawn in place) and elsewhere (a line per tenth). */
class ProgressTest {
    @Test
    void onATerminalOneBarIsRedrawnInPlaceAndEndsWithALineBreak() {
        final StringWriter w = new StringWriter();
        final Progress p = new Progress(w, Progress.Mode.BAR);
        p.update(0.05, "simulated 12m of 4h  1,234 obs");
        p.update(0.45, "simulated 1h48m of 4h  12,345 obs");
        p.update(0.451, "simulated 1h48m of 4h  12,350 obs"); // same percentage at once: not redrawn
        p.done("simulated 4h of 4h  27,432 obs");
        final String s = w.toString();
        assertThat(s).doesNotContain("\n" + "[").endsWith("\n");
        final String[] frames = s.substring(0, s.length() - 1).split("\r", -1);
        assertThat(frames[0]).isEmpty(); // each frame starts with \r
        // a frame shorter than the one before is padded with spaces over it
        assertThat(Arrays.stream(frames, 1, frames.length).map(String::stripTrailing)).containsExactly(
            "[#...................]   5% simulated 12m of 4h  1,234 obs",
            "[#########...........]  45% simulated 1h48m of 4h  12,345 obs",
            "[####################] 100% simulated 4h of 4h  27,432 obs");
    }

    @Test
    void aShorterBarCoversWhatTheLongerOneLeft() {
        final StringWriter w = new StringWriter();
        final Progress p = new Progress(w, Progress.Mode.BAR);
        p.update(0.1, "a long detail of the first frame");
        p.update(0.2, "short");
        final String second = w.toString().split("\r")[2];
        assertThat(second).startsWith("[####................]  20% short").hasSize(w.toString().split("\r")[1].length());
    }

    @Test
    void elsewhereALineAtEachTenthAndNoCarriageReturn() {
        final StringWriter w = new StringWriter();
        final Progress p = new Progress(w, Progress.Mode.LINES);
        for (int i = 1; i <= 1000; i++) {
            p.update(i / 1000.0, "simulated " + i + " of 1000");
        }
        p.done("all");
        final String s = w.toString();
        assertThat(s).doesNotContain("\r");
        assertThat(s.split("\n")).hasSize(10).startsWith("[ 10%] simulated 100 of 1000").endsWith("[100%] simulated 1000 of 1000");
    }

    @Test
    void aJumpPrintsOneLineForTheTenthReachedAndQuietPrintsNothing() {
        final StringWriter w = new StringWriter();
        final Progress p = new Progress(w, Progress.Mode.LINES);
        p.update(0.37, "x");
        p.update(0.38, "y");
        assertThat(w.toString()).isEqualTo("[ 30%] x\n");
        final StringWriter q = new StringWriter();
        final Progress quiet = new Progress(q, Progress.Mode.QUIET);
        quiet.update(0.5, "x");
        quiet.done("y");
        assertThat(q.toString()).isEmpty();
    }

    @Test
    void durationsReadAsTheDetailSaysThem() {
        assertThat(Progress.duration(45)).isEqualTo("45s");
        assertThat(Progress.duration(725)).isEqualTo("12m05s");
        assertThat(Progress.duration(6_480)).isEqualTo("1h48m");
        assertThat(Progress.duration(14_400)).isEqualTo("4h");
    }
}
