package dev.vigil.daemon.detect;

import dev.vigil.daemon.stats.Moments;

/**
 * Sufficient statistics over a sliding window of time buckets: a ring of per-bucket
 * {@link Moments} indexed by bucket number (timestamp / bucket width). Buckets older than the
 * window are cleared as time advances. Merges run in bucket order, so they are reproducible.
 */
final class BucketWindow {
    private final int dimension;
    private final int buckets;
    private final long bucketMicros;
    private final Moments[] ring;
    private final long[] bucketOf;
    private long newest = Long.MIN_VALUE;

    BucketWindow(final int dimension, final int buckets, final long bucketMicros) {
        this.dimension = dimension;
        this.buckets = buckets;
        this.bucketMicros = bucketMicros;
        this.ring = new Moments[buckets];
        this.bucketOf = new long[buckets];
        java.util.Arrays.fill(bucketOf, Long.MIN_VALUE);
    }

    long bucketOf(final long tsMicros) {
        return Math.floorDiv(tsMicros, bucketMicros);
    }

    /** Newest bucket seen, or Long.MIN_VALUE. */
    long newest() {
        return newest;
    }

    /** Whether a timestamp still falls inside the window. */
    boolean accepts(final long tsMicros) {
        return newest == Long.MIN_VALUE || bucketOf(tsMicros) > newest - buckets;
    }

    /**
     * Moves the window so that it ends at {@code tsMicros}'s bucket.
     *
     * @return whether the newest bucket changed
     */
    boolean advanceTo(final long tsMicros) {
        final long b = bucketOf(tsMicros);
        if (b <= newest) {
            return false;
        }
        newest = b;
        for (int i = 0; i < buckets; i++) {
            if (bucketOf[i] != Long.MIN_VALUE && bucketOf[i] <= b - buckets) {
                ring[i].clear();
                bucketOf[i] = Long.MIN_VALUE;
            }
        }
        return true;
    }

    /** Adds an observation; the caller checked {@link #accepts} and advanced the window. */
    void add(final long tsMicros, final double[] x) {
        final long b = bucketOf(tsMicros);
        final int slot = (int)Math.floorMod(b, (long)buckets);
        if (bucketOf[slot] != b) {
            if (ring[slot] == null) {
                ring[slot] = new Moments(dimension);
            } else {
                ring[slot].clear();
            }
            bucketOf[slot] = b;
        }
        ring[slot].add(x);
    }

    /** Merge, in bucket order, of the buckets in the window that are at least {@code lag} buckets old. */
    Moments mergeOlderThan(final int lag, final Moments into) {
        into.clear();
        final long newestIncluded = newest - lag;
        for (long b = newest - buckets + 1; b <= newestIncluded; b++) {
            final int slot = (int)Math.floorMod(b, (long)buckets);
            if (bucketOf[slot] == b) {
                into.merge(ring[slot]);
            }
        }
        return into;
    }
}
