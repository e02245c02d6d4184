package dev.vigil.daemon.detect;

import dev.vigil.daemon.stats.Moments;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The two-tier sliding window checked against a list of every observation: whatever arrives in
 * order, late or after a gap, the merge holds exactly the observations of the window's buckets
 * (a coarse bucket leaves the window whole, so up to rollup - 1 older buckets stay with it).
 */
class BucketWindowTest {
    private static final int BUCKETS = 10;
    private static final int FINE = 4;
    private static final int ROLLUP = 3;

    private final BucketWindow window = new BucketWindow(1, BUCKETS, 1_000, FINE, ROLLUP);
    private final List<Long> added = new ArrayList<>();

    /** One observation in bucket {@code b}, valued b, as the detector adds it. */
    private boolean offer(final long b) {
        final long ts = b * 1_000 + 999;
        if (!window.accepts(ts)) {
            return false;
        }
        window.advanceTo(ts);
        window.add(ts, new double[] {b});
        added.add(b);
        return true;
    }

    private void assertMergeMatchesTheList(final int lag) {
        final long newest = window.newest();
        final long first = Math.floorDiv(newest - BUCKETS + 1, ROLLUP) * ROLLUP;
        long count = 0;
        double sum = 0;
        for (final long b : added) {
            if (b >= first && b <= newest - lag) {
                count++;
                sum += b;
            }
        }
        final Moments m = window.mergeOlderThan(lag, new Moments(1));
        assertThat(m.count()).as("newest %d, lag %d", newest, lag).isEqualTo(count);
        if (count > 0) {
            assertThat(m.mean(0)).as("newest %d, lag %d", newest, lag).isCloseTo(sum / count, within(1e-9));
        }
    }

    @Test
    void inOrderWithGapsAndLateArrivalsTheMergeHoldsExactlyTheWindow() {
        assertThat(window.newest()).isEqualTo(Long.MIN_VALUE);
        assertThat(window.mergeOlderThan(0, new Moments(1)).count()).isZero();
        final long[] arrivals = {0, 1, 2, 2, 3, 5, 4, 6, 9, 7, 10, 11, 11, 3, 14, 12, 20, 19, 13, 21, 22, 40, 39, 31, 30, 41, 42, 43, 44};
        for (final long b : arrivals) {
            offer(b);
            for (int lag = 0; lag < FINE; lag++) {
                assertMergeMatchesTheList(lag);
            }
        }
        assertThat(added).as("30 fell out of the window before it arrived").doesNotContain(30L).contains(31L, 39L);
    }

    @Test
    void theWindowAcceptsOnlyItsOwnBucketsAndAdvancesOnlyForward() {
        assertThat(window.accepts(Long.MIN_VALUE / 2)).as("empty: anything").isTrue();
        assertThat(window.advanceTo(20_000)).isTrue();
        assertThat(window.advanceTo(20_999)).as("same bucket").isFalse();
        assertThat(window.advanceTo(19_000)).isFalse();
        assertThat(window.newest()).isEqualTo(20);
        assertThat(window.accepts(11_000)).as("the oldest of ten buckets").isTrue();
        assertThat(window.accepts(10_999)).isFalse();
        assertThat(window.bucketOf(-1)).isEqualTo(-1);
        assertThatThrownBy(() -> window.mergeOlderThan(FINE, new Moments(1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theTiersMustFitTheWindow() {
        assertThat(new BucketWindow(1, 4, 1, 4, 1).newest()).isEqualTo(Long.MIN_VALUE);
        assertThatThrownBy(() -> new BucketWindow(1, 4, 1, 5, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BucketWindow(1, 4, 1, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BucketWindow(1, 4, 1, 2, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mergedStatisticsAddIntoTheirBucketAsIfObservedThere() {
        window.advanceTo(5_000);
        final Moments two = new Moments(1);
        two.add(new double[] {1});
        two.add(new double[] {3});
        window.addAll(5_000, two);
        window.addAll(1_000, two); // late: into the coarse tier
        assertThat(window.mergeOlderThan(0, new Moments(1)).count()).isEqualTo(4);
        assertThat(window.mergeOlderThan(0, new Moments(1)).mean(0)).isEqualTo(2.0);
    }
}
