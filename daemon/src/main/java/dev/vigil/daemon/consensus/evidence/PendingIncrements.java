package dev.vigil.daemon.consensus.evidence;

import dev.vigil.accel.ExactSum;
import dev.vigil.accel.Kernels;

import java.util.Arrays;

/**
 * The increments one committed request adds to observers' totals, gathered while its records are
 * taken and added by one segmented {@link Kernels#sum(double[], int[], ExactSum[])} before anything
 * reads a total ({@link #flush}). Exact sums do not depend on the order or grouping of their terms,
 * so every total has the bits it would have had with each record added as it was taken, on every
 * backend. A total replaced while its increments wait (a newer excursion starts it again) takes them
 * into the object it drops: they count nowhere, as they would not have.
 *
 * <p>Nothing is refused here: records hold finite increments only ({@link EvidenceBatch.Record}
 * checks them, the decoder and the snapshot reader too), so the all-or-nothing sum never throws on
 * one; if it did, it would be a bug, and no total would have changed.
 *
 * <p>Bound: {@link #INCREMENTS_MAX} increments waiting, an evidence request's most, so an evidence
 * request is one call; a release that lets many waiting records in adds them each time the bound is
 * reached.
 */
final class PendingIncrements {
    static final int INCREMENTS_MAX = EvidenceBatch.RECORDS_MAX * EvidenceBatch.INCREMENTS_MAX;

    private final Kernels kernels;
    private double[] increments = new double[64];
    private int[] ends = new int[16];
    private ExactSum[] into = new ExactSum[16];
    private int length;
    private int segments;

    PendingIncrements(final Kernels kernels) {
        this.kernels = kernels;
    }

    /** Adds the record's increments to {@code total} at the next {@link #flush} (at once if the bound is reached). */
    void add(final EvidenceBatch.Record record, final ExactSum total) {
        final int n = record.incrementCount();
        if (n == 0) {
            return; // a record without increments only opens or closes an excursion
        }
        if (length + n > INCREMENTS_MAX) {
            flush();
        }
        if (length + n > increments.length) {
            increments = Arrays.copyOf(increments, Math.min(INCREMENTS_MAX, Math.max(length + n, 2 * increments.length)));
        }
        if (segments == ends.length) {
            ends = Arrays.copyOf(ends, 2 * segments);
            into = Arrays.copyOf(into, 2 * segments);
        }
        for (int i = 0; i < n; i++) {
            increments[length++] = record.increment(i);
        }
        ends[segments] = length;
        into[segments++] = total;
    }

    /** Adds everything waiting; afterwards every total reads as if each record had been added when it was taken. */
    void flush() {
        if (segments == 0) {
            return;
        }
        kernels.sum(increments, Arrays.copyOf(ends, segments), Arrays.copyOf(into, segments));
        Arrays.fill(into, 0, segments, null);
        length = 0;
        segments = 0;
    }

    /** Increments waiting for {@link #flush}. */
    int waiting() {
        return length;
    }
}
