package dev.vigil.accel;

import java.util.Arrays;

/**
 * The fast path of {@link ExactSum#add(double[], int, int)}: Neal's "large superaccumulator" as
 * per-thread scratch. One bin per sign and exponent field (the top 12 bits of a double, 4096 bins)
 * sums the terms' significands as plain integers, so a term costs one shift, two bit operations
 * and one addition; a bin spills into the sum (exactly: its value times its power of two) when it
 * reaches 2<sup>62</sup>, at least every 512 terms of that bin, and every used bin spills at the
 * end of the call. Nothing survives a call: the bins are empty between calls, so which thread
 * runs a call, and how terms were cut into calls, cannot change a sum.
 *
 * <p>Bins hold {@link #UNTOUCHED} until used, which makes "first use" and "full" one comparison
 * in the loop. The bins of exponent fields 0 (zeros and subnormals, without the implicit bit)
 * and 0x7FF (infinities and NaN) stay untouched forever, so their terms take the same rare branch:
 * subnormals go straight to the sum, non-finite terms stop the loop.
 *
 * <p>Size: 32 KiB of bins and 16 KiB of used-bin indices per thread that ever adds an array.
 */
final class ExponentBins {
    static final int BINS = 1 << 12;
    /** A bin's value before its first term, and the threshold at which a used bin spills. */
    static final long UNTOUCHED = 1L << 62;
    private static final long SIGNIFICAND_MASK = (1L << 52) - 1;
    private static final long IMPLICIT_BIT = 1L << 52;
    private static final int EXPONENT_SPECIAL = 0x7FF;
    private static final int SIGN_BIN = 1 << 11;

    private static final ThreadLocal<ExponentBins> PER_THREAD = ThreadLocal.withInitial(ExponentBins::new);

    private final long[] bins = new long[BINS];
    private final int[] used = new int[BINS];
    private int usedCount;

    private ExponentBins() {
        Arrays.fill(bins, UNTOUCHED);
    }

    static ExponentBins forThisThread() {
        return PER_THREAD.get();
    }

    /**
     * Adds xs[from, to) into the bins, spilling full bins into sum. Returns -1, or the index of
     * the first NaN or infinite term: the terms before it are in the bins or the sum.
     */
    int add(final double[] xs, final int from, final int to, final ExactSum sum) {
        final long[] b = bins;
        int i = from;
        while (true) {
            // The hot loop holds no call: it stops at a term that needs attention, which is then
            // handled outside it (C2 keeps the loop tight; with the call inside, about 1.5× slower).
            for (; i < to; i++) {
                final long bits = Double.doubleToRawLongBits(xs[i]);
                final int bin = (int) (bits >>> 52);
                final long now = b[bin] + ((bits & SIGNIFICAND_MASK) | IMPLICIT_BIT); // < 2^62 + 2^53: no overflow
                b[bin] = now;
                if (now >= UNTOUCHED) {
                    break;
                }
            }
            if (i == to) {
                return -1;
            }
            final long bits = Double.doubleToRawLongBits(xs[i]);
            final int bin = (int) (bits >>> 52);
            if (!attend(bin, b[bin], (bits & SIGNIFICAND_MASK) | IMPLICIT_BIT, sum)) {
                return i;
            }
            i++;
        }
    }

    /** The rare cases: a bin's first term, a full bin, a subnormal or zero, a non-finite term. */
    private boolean attend(final int bin, final long now, final long significand, final ExactSum sum) {
        final int exponent = bin & EXPONENT_SPECIAL;
        final boolean negative = bin >= SIGN_BIN;
        if (now - significand != UNTOUCHED) { // a used bin is full
            bins[bin] = 0;
            sum.addMagnitude(now, exponent - 1, negative);
            return true;
        }
        if (exponent == EXPONENT_SPECIAL) {
            bins[bin] = UNTOUCHED;
            return false;
        }
        if (exponent == 0) { // no implicit bit, and at position 0 like the exponent field 1
            bins[bin] = UNTOUCHED;
            sum.addMagnitude(significand - IMPLICIT_BIT, 0, negative);
            return true;
        }
        bins[bin] = significand;
        used[usedCount++] = bin;
        return true;
    }

    /** Spills every used bin into sum; the bins are untouched afterwards, whatever happens. */
    void drainInto(final ExactSum sum) {
        try {
            for (int k = 0; k < usedCount; k++) {
                final int bin = used[k];
                final long value = bins[bin];
                bins[bin] = UNTOUCHED;
                if (value != 0) {
                    sum.addMagnitude(value, (bin & EXPONENT_SPECIAL) - 1, bin >= SIGN_BIN);
                }
            }
        } finally {
            clear();
        }
    }

    /** Forgets what the bins hold (after a failure; a drain does this itself). */
    void clear() {
        for (int k = 0; k < usedCount; k++) {
            bins[used[k]] = UNTOUCHED;
        }
        usedCount = 0;
    }

    /** For tests: whether every bin is untouched, as between calls. */
    boolean isClear() {
        for (final long bin : bins) {
            if (bin != UNTOUCHED) {
                return false;
            }
        }
        return usedCount == 0;
    }
}
