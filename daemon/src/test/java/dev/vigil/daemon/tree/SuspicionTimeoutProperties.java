package dev.vigil.daemon.tree;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lifeguard's suspicion timeout: min = suspicionMin · max(1, log10 n), max = min · suspicionMaxFactor,
 * falling from max to min as independent suspectors confirm (K = 3 of them bring it to min).
 */
class SuspicionTimeoutProperties {
    private static final TreeConfig CONFIG = TreeConfig.defaults(10); // suspicionMin 1 s, factor 3

    @Test
    void aLoneSuspicionInASmallClusterWaitsTheMaximumAndConfirmationsShortenItToTheMinimum() {
        assertThat(Suspicion.timeoutMicros(CONFIG, 2, 1)).isEqualTo(3_000_000);
        assertThat(Suspicion.timeoutMicros(CONFIG, 2, 0)).as("no suspector counts as one").isEqualTo(3_000_000);
        // log(2) / log(4) = 1/2 of the way from 3 s to 1 s
        assertThat(Suspicion.timeoutMicros(CONFIG, 2, 2)).isEqualTo(2_000_000);
        assertThat(Suspicion.timeoutMicros(CONFIG, 2, 3)).isEqualTo(Math.round(3_000_000 - 2_000_000 * Math.log(3) / Math.log(4)));
        assertThat(Suspicion.timeoutMicros(CONFIG, 2, 4)).isEqualTo(1_000_000);
        assertThat(Suspicion.timeoutMicros(CONFIG, 2, 40)).isEqualTo(1_000_000);
    }

    @Test
    void largerClustersWaitLongerByLog10OfTheirSize() {
        assertThat(Suspicion.timeoutMicros(CONFIG, 10, 1)).isEqualTo(3_000_000);
        assertThat(Suspicion.timeoutMicros(CONFIG, 100, 1)).isEqualTo(6_000_000);
        assertThat(Suspicion.timeoutMicros(CONFIG, 100, 4)).isEqualTo(2_000_000);
        assertThat(Suspicion.timeoutMicros(CONFIG, 1, 1)).as("a cluster of one is treated as two").isEqualTo(3_000_000);
    }

    @Property(tries = 300)
    void neverLongerWithMoreConfirmationsAndAlwaysWithinItsBounds(
        @ForAll @IntRange(min = 1, max = 64) final int size, @ForAll @IntRange(min = 0, max = 70) final int confirmations) {
        final long min = Math.round(1_000_000 * Math.max(1.0, Math.log10(Math.max(2, size))));
        final long timeout = Suspicion.timeoutMicros(CONFIG, size, confirmations);
        assertThat(timeout).isBetween(min, 3 * min);
        assertThat(Suspicion.timeoutMicros(CONFIG, size, confirmations + 1)).isLessThanOrEqualTo(timeout);
        assertThat(Suspicion.timeoutMicros(CONFIG, size + 1, confirmations)).isGreaterThanOrEqualTo(timeout);
    }
}
