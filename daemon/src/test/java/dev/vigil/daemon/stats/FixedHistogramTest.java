package dev.vigil.daemon.stats;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FixedHistogramTest {
    @Test
    void aValueOnABoundCountsInThatBucketAndBeyondTheLastInTheOverflow() {
        final FixedHistogram h = new FixedHistogram(1, 10);
        for (final double v : new double[] {-5, 1, 1.5, 10, 10.5, Double.POSITIVE_INFINITY}) {
            h.record(v);
        }
        final FixedHistogram.Snapshot s = h.snapshot();
        assertThat(s.counts()).containsExactly(2, 2, 2);
        assertThat(s.count()).isEqualTo(6);
        assertThat(s.sum()).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void aNanIsCountedAsExtremeAndLeftOutOfTheSum() {
        final FixedHistogram h = new FixedHistogram(1, 10);
        h.record(3);
        h.record(Double.NaN);
        final FixedHistogram.Snapshot s = h.snapshot();
        assertThat(s.counts()).containsExactly(0, 1, 1);
        assertThat(s.sum()).isEqualTo(3);
    }

    @Test
    void aSnapshotIsACopyTheHistogramDoesNotChangeAfterwards() {
        final FixedHistogram h = new FixedHistogram(1);
        final FixedHistogram.Snapshot before = h.snapshot();
        h.record(0.5);
        assertThat(before.count()).isZero();
        assertThat(h.snapshot().count()).isEqualTo(1);
    }

    @Test
    void boundsMustBeFiniteStrictlyIncreasingAndFew() {
        assertThatThrownBy(FixedHistogram::new).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FixedHistogram(1, 1)).hasMessageContaining("strictly increasing");
        assertThatThrownBy(() -> new FixedHistogram(1, Double.POSITIVE_INFINITY)).hasMessageContaining("finite");
        assertThatThrownBy(() -> new FixedHistogram(new double[FixedHistogram.BOUNDS_MAX + 1]))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
