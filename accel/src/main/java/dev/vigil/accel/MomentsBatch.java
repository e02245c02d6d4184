package dev.vigil.accel;

/**
 * Many sets of sufficient statistics of d-dimensional observations in flat arrays, as the
 * daemon's {@code Moments} keeps one: a count, a shift K (the set's first observation), the mean
 * of x − K, and the co-moments C = Σ (x − mean)(x − mean)ᵀ as a packed upper triangle (row-major,
 * i ≤ j, (i, j) at i·d − i(i−1)/2 + j − i). Entry e has its shift and mean at
 * {@code [e·d, e·d + d)} and its co-moments at {@code [e·t, e·t + t)}, t = d(d+1)/2.
 */
public final class MomentsBatch {
    private final int dimension;
    private final int size;
    private final long[] counts;
    private final double[] shifts;
    private final double[] means;
    private final double[] comoments;

    /** {@code size} empty entries (count 0). */
    public MomentsBatch(final int dimension, final int size) {
        if (dimension < 1 || dimension > Baselines.DIMENSION_MAX) {
            throw new IllegalArgumentException("dimension must be in [1, " + Baselines.DIMENSION_MAX + "], got " + dimension);
        }
        if (size < 0 || (long) size * Baselines.packedLength(dimension) > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("size " + size + " out of range for dimension " + dimension);
        }
        this.dimension = dimension;
        this.size = size;
        this.counts = new long[size];
        this.shifts = new double[size * dimension];
        this.means = new double[size * dimension];
        this.comoments = new double[size * Baselines.packedLength(dimension)];
    }

    public int dimension() {
        return dimension;
    }

    public int size() {
        return size;
    }

    /** Entry e's values; the arrays are the batch's own, to be filled and read in place. */
    public long[] counts() {
        return counts;
    }

    public double[] shifts() {
        return shifts;
    }

    public double[] means() {
        return means;
    }

    public double[] comoments() {
        return comoments;
    }

    /** The offset of entry e in {@link #shifts()} and {@link #means()}. */
    public int vectorOffset(final int e) {
        return e * dimension;
    }

    /** The offset of entry e in {@link #comoments()}. */
    public int comomentOffset(final int e) {
        return e * Baselines.packedLength(dimension);
    }

    /**
     * Checks a merge's group ends against this batch (the parts) and the output.
     *
     * @throws IllegalArgumentException naming what does not fit
     */
    void checkMerge(final int[] groupEnds, final int groups, final MomentsBatch out) {
        if (out.dimension != dimension) {
            throw new IllegalArgumentException("out has dimension " + out.dimension + ", parts " + dimension);
        }
        if (groups < 0 || groups > groupEnds.length || groups > out.size) {
            throw new IllegalArgumentException("groups = " + groups + " does not fit: groupEnds holds " + groupEnds.length
                + ", out " + out.size);
        }
        int previous = 0;
        for (int g = 0; g < groups; g++) {
            if (groupEnds[g] < previous || groupEnds[g] > size) {
                throw new IllegalArgumentException("groupEnds[" + g + "] = " + groupEnds[g] + " must be in [" + previous + ", "
                    + size + "]");
            }
            previous = groupEnds[g];
        }
        for (int e = 0; e < previous; e++) {
            if (counts[e] < 0) {
                throw new IllegalArgumentException("counts[" + e + "] = " + counts[e] + " is negative");
            }
        }
    }
}
