package dev.vigil.daemon.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The replay window at its edges: exactly {@link SequenceWindow#WIDTH} sequences behind the highest. */
class SequenceWindowEdgeTest {
    @Test
    void theOldestSequenceInsideTheWindowIsStillFreshTheNextOneIsNot() {
        final SequenceWindow w = new SequenceWindow();
        w.mark(1000);
        assertThat(w.isFresh(1000 - 63)).isTrue();
        assertThat(w.isFresh(1000 - 64)).isFalse();
        w.mark(1000 - 63);
        assertThat(w.isFresh(1000 - 63)).isFalse();
        assertThat(w.isFresh(1000 - 62)).isTrue();
    }

    @Test
    void movingAheadByTheWholeWindowForgetsEveryEarlierMark() {
        final SequenceWindow w = new SequenceWindow();
        w.mark(100);
        w.mark(99);
        w.mark(164); // 64 ahead: the bitmap starts over
        assertThat(w.isFresh(163)).isTrue();
        assertThat(w.isFresh(101)).isTrue();
        assertThat(w.isFresh(100)).as("now outside the window").isFalse();
        assertThat(w.isFresh(164)).isFalse();
    }

    @Test
    void movingAheadByLessThanTheWindowKeepsEarlierMarks() {
        final SequenceWindow w = new SequenceWindow();
        w.mark(100);
        w.mark(163); // 63 ahead
        assertThat(w.isFresh(100)).isFalse();
        assertThat(w.isFresh(101)).isTrue();
        assertThat(w.isFresh(162)).isTrue();
    }

    @Test
    void aCopiedWindowRefusesWhatTheOriginalRefused() {
        final SequenceWindow w = new SequenceWindow();
        final SequenceWindow copy = new SequenceWindow();
        copy.copyFrom(w);
        assertThat(copy.isFresh(Long.MIN_VALUE)).as("empty copies stay empty").isTrue();
        w.mark(50);
        w.mark(48);
        copy.copyFrom(w);
        assertThat(copy.isFresh(50)).isFalse();
        assertThat(copy.isFresh(48)).isFalse();
        assertThat(copy.isFresh(49)).isTrue();
        assertThat(copy.isFresh(51)).isTrue();
    }
}
