package dev.vigil.daemon.stats;

import java.util.Arrays;

/**
 * Counts of values in fixed buckets, and their sum: what a hot path can afford to keep for a
 * metrics histogram. One owner thread records ({@link #record} is a scan of at most
 * {@value #BOUNDS_MAX} bounds and two additions: no allocation, no lock); the same thread takes
 * {@link #snapshot}s, which other threads may then read. Bucket {@code i} holds the values in
 * (bound[i−1], bound[i]]; the last, past every bound, holds the rest (+Inf in Prometheus terms).
 *
 * <p>A NaN is a bug in whoever measured it; it is counted in the last bucket (it shows as an
 * extreme value rather than disappearing) and left out of the sum, which it would otherwise spoil
 * for good.
 */
public final class FixedHistogram {
    /** Bounds a histogram may have: enough resolution for a dashboard, few enough for a linear scan. */
    public static final int BOUNDS_MAX = 32;

    private final double[] upperBounds;
    private final long[] counts;
    private double sum;

    /** @param upperBounds finite, strictly increasing, 1 to {@value #BOUNDS_MAX} of them */
    public FixedHistogram(final double... upperBounds) {
        if (upperBounds.length < 1 || upperBounds.length > BOUNDS_MAX) {
            throw new IllegalArgumentException("1 to " + BOUNDS_MAX + " bounds, got " + upperBounds.length);
        }
        for (int i = 0; i < upperBounds.length; i++) {
            if (!Double.isFinite(upperBounds[i]) || (i > 0 && upperBounds[i] <= upperBounds[i - 1])) {
                throw new IllegalArgumentException("bounds must be finite and strictly increasing: " + Arrays.toString(upperBounds));
            }
        }
        this.upperBounds = upperBounds.clone();
        this.counts = new long[upperBounds.length + 1];
    }

    public void record(final double value) {
        int i = 0;
        while (i < upperBounds.length && !(value <= upperBounds[i])) {
            i++;
        }
        counts[i]++;
        if (!Double.isNaN(value)) {
            sum += value;
        }
    }

    /** A copy, safe to hand to another thread. */
    public Snapshot snapshot() {
        return new Snapshot(upperBounds.clone(), counts.clone(), sum);
    }

    /**
     * Counts at one moment.
     *
     * @param upperBounds the finite bounds
     * @param counts      per bucket, not cumulative: one more than the bounds, the last past every bound
     */
    public record Snapshot(double[] upperBounds, long[] counts, double sum) {
        public Snapshot {
            if (counts.length != upperBounds.length + 1) {
                throw new IllegalArgumentException(counts.length + " counts for " + upperBounds.length + " bounds");
            }
        }

        public long count() {
            long n = 0;
            for (final long c : counts) {
                n += c;
            }
            return n;
        }
    }
}
