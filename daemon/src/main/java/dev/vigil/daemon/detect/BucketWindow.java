package dev.vigil.daemon.detect;

import dev.vigil.daemon.stats.Moments;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Sufficient statistics over a sliding window of time buckets, in two tiers: the newest
 * {@code fineBuckets} buckets are kept one by one, and older ones are rolled up into coarse
 * buckets of {@code rollup} fine buckets each (one-minute buckets into hours, by default). The
 * window spans {@code buckets} fine buckets and slides by whole coarse buckets at its old end.
 *
 * <p>Why two tiers: a day of one-minute buckets is 1,440 statistics per agent (about 1.1 MB at
 * ten features); the detector only needs minute resolution near the newest end, where its lag
 * cuts the window, so two hours of minutes plus a day of hours (about 145 statistics) do the
 * same job. Merges run in time order, so they are reproducible.
 */
final class BucketWindow {
    private final int dimension;
    private final int buckets;
    private final long bucketMicros;
    private final int rollup;
    private final Moments[] fine;
    private final long[] fineIndex;
    private final Moments[] coarse;
    private final long[] coarseIndex;
    private long newest = Long.MIN_VALUE;

    /**
     * @param buckets     window length in fine buckets
     * @param fineBuckets how many of the newest buckets are kept one by one (more than any lag asked of {@link #mergeOlderThan})
     * @param rollup      fine buckets per coarse bucket
     */
    BucketWindow(final int dimension, final int buckets, final long bucketMicros, final int fineBuckets, final int rollup) {
        if (fineBuckets < 1 || rollup < 1 || fineBuckets > buckets) {
            throw new IllegalArgumentException("need 1 <= fine buckets (" + fineBuckets + ") <= buckets (" + buckets + ") and rollup >= 1");
        }
        this.dimension = dimension;
        this.buckets = buckets;
        this.bucketMicros = bucketMicros;
        this.rollup = rollup;
        this.fine = new Moments[fineBuckets];
        this.fineIndex = new long[fineBuckets];
        Arrays.fill(fineIndex, Long.MIN_VALUE);
        final int coarseCount = (buckets + rollup - 1) / rollup + 1;
        this.coarse = new Moments[coarseCount];
        this.coarseIndex = new long[coarseCount];
        Arrays.fill(coarseIndex, Long.MIN_VALUE);
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
     * Moves the window so that it ends at {@code tsMicros}'s bucket: fine buckets that fall out
     * of the fine tier are rolled into their coarse bucket; coarse buckets wholly out of the
     * window are dropped.
     *
     * @return whether the newest bucket changed
     */
    boolean advanceTo(final long tsMicros) {
        final long b = bucketOf(tsMicros);
        if (b <= newest) {
            return false;
        }
        newest = b;
        for (int i = 0; i < fine.length; i++) {
            if (fineIndex[i] != Long.MIN_VALUE && fineIndex[i] <= b - fine.length) {
                coarseFor(Math.floorDiv(fineIndex[i], rollup)).merge(fine[i]);
                fine[i].clear();
                fineIndex[i] = Long.MIN_VALUE;
            }
        }
        final long oldestKept = Math.floorDiv(b - buckets + 1, rollup);
        for (int i = 0; i < coarse.length; i++) {
            if (coarseIndex[i] != Long.MIN_VALUE && coarseIndex[i] < oldestKept) {
                coarse[i].clear();
                coarseIndex[i] = Long.MIN_VALUE;
            }
        }
        return true;
    }

    /** Adds an observation; the caller checked {@link #accepts} and advanced the window. */
    void add(final long tsMicros, final double[] x) {
        bucketFor(tsMicros).add(x);
    }

    /** Merges statistics into the bucket of {@code tsMicros}, as if its observations had been added there. */
    void addAll(final long tsMicros, final Moments m) {
        bucketFor(tsMicros).merge(m);
    }

    /** The fine bucket of a timestamp, or its coarse bucket when it is older than the fine tier (late, but inside the window). */
    private Moments bucketFor(final long tsMicros) {
        final long b = bucketOf(tsMicros);
        if (b <= newest - fine.length) {
            return coarseFor(Math.floorDiv(b, rollup));
        }
        final int slot = (int)Math.floorMod(b, (long)fine.length);
        if (fineIndex[slot] != b) {
            if (fine[slot] == null) {
                fine[slot] = new Moments(dimension);
            } else {
                fine[slot].clear();
            }
            fineIndex[slot] = b;
        }
        return fine[slot];
    }

    private Moments coarseFor(final long index) {
        final int slot = (int)Math.floorMod(index, (long)coarse.length);
        if (coarseIndex[slot] != index) {
            if (coarse[slot] == null) {
                coarse[slot] = new Moments(dimension);
            } else {
                coarse[slot].clear();
            }
            coarseIndex[slot] = index;
        }
        return coarse[slot];
    }

    /**
     * Merge, in time order, of everything in the window except the newest {@code lag} buckets.
     * {@code lag} must be smaller than the fine tier.
     */
    Moments mergeOlderThan(final int lag, final Moments into) {
        into.clear();
        forEachOlderThan(lag, into::merge);
        return into;
    }

    /**
     * The buckets {@link #mergeOlderThan} merges, in the order it merges them (time order, coarse
     * then fine): what a batch merge of several windows takes as one group. The statistics are the
     * window's own: read them, do not keep or change them.
     */
    void forEachOlderThan(final int lag, final Consumer<Moments> part) {
        if (lag >= fine.length) {
            throw new IllegalArgumentException("lag " + lag + " must be below the fine tier (" + fine.length + " buckets)");
        }
        if (newest == Long.MIN_VALUE) {
            return;
        }
        final long firstCoarse = Math.floorDiv(newest - buckets + 1, rollup);
        final long lastCoarse = Math.floorDiv(newest - fine.length, rollup);
        for (long c = firstCoarse; c <= lastCoarse; c++) {
            final int slot = (int)Math.floorMod(c, (long)coarse.length);
            if (coarseIndex[slot] == c) {
                part.accept(coarse[slot]);
            }
        }
        for (long b = newest - fine.length + 1; b <= newest - lag; b++) {
            final int slot = (int)Math.floorMod(b, (long)fine.length);
            if (fineIndex[slot] == b) {
                part.accept(fine[slot]);
            }
        }
    }
}
