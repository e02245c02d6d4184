package dev.vigil.daemon.stats;

import dev.vigil.accel.MomentsBatch;

import java.util.Arrays;

/**
 * Sufficient statistics of d-dimensional observations: count, mean, and the co-moment matrix
 * C = Σ (x - mean)(x - mean)ᵀ kept as its packed upper triangle (row-major, i ≤ j). Covariance
 * (divided by n) = C / n.
 *
 * <p>Precision far from zero: the statistics are kept relative to a shift K, the first
 * observation, so Welford's update runs on y = x − K. For data near K (within a factor of two)
 * x − K is exact (Sterbenz), the running mean of y is of the size of the spread rather than of
 * the data, and co-moments keep full relative precision even for 1e9 + noise of 1e-3; a plain
 * (count, mean, co-moment) state loses about log10(|mean|/σ) digits there. Merging converts the
 * other side's mean to this side's shift (K_b − K_a, again exact for nearby shifts) and applies
 * Chan et al.'s formula.
 *
 * <p>Merging is commutative and associative up to rounding; to get the same bits everywhere,
 * merge many statistics in one fixed order (by contributor id, see {@link #mergeInOrder}).
 */
public final class Moments {
    private final int dimension;
    private long count;
    private final double[] shift;
    private final double[] mean; // of x − shift
    private final double[] comoment;
    private final double[] delta;

    public Moments(final int dimension) {
        if (dimension < 1 || dimension > 64) {
            throw new IllegalArgumentException("dimension must be in [1, 64], got " + dimension);
        }
        this.dimension = dimension;
        this.shift = new double[dimension];
        this.mean = new double[dimension];
        this.comoment = new double[packedLength(dimension)];
        this.delta = new double[dimension];
    }

    /** Length of a packed upper triangle of a d×d matrix. */
    public static int packedLength(final int dimension) {
        return dimension * (dimension + 1) / 2;
    }

    /** Index of (i, j), i ≤ j, in a packed upper triangle. */
    public static int packedIndex(final int dimension, final int i, final int j) {
        return i * dimension - i * (i - 1) / 2 + (j - i);
    }

    /** Welford update with one observation. */
    public void add(final double[] x) {
        if (count == 0) {
            System.arraycopy(x, 0, shift, 0, dimension);
        }
        count++;
        final double n = count;
        for (int i = 0; i < dimension; i++) {
            delta[i] = (x[i] - shift[i]) - mean[i];
            mean[i] += delta[i] / n;
        }
        int k = 0;
        for (int i = 0; i < dimension; i++) {
            final double di = delta[i];
            for (int j = i; j < dimension; j++) {
                comoment[k++] += di * ((x[j] - shift[j]) - mean[j]);
            }
        }
    }

    /** Chan et al.'s merge: this becomes the statistics of both sets. */
    public void merge(final Moments other) {
        if (other.dimension != dimension) {
            throw new IllegalArgumentException("dimension " + other.dimension + " != " + dimension);
        }
        if (other.count == 0) {
            return;
        }
        if (count == 0) {
            setTo(other);
            return;
        }
        final double na = count;
        final double nb = other.count;
        final double n = na + nb;
        for (int i = 0; i < dimension; i++) {
            // other's mean on this shift, minus this mean; the shift difference is exact for nearby shifts
            delta[i] = (other.shift[i] - shift[i]) + (other.mean[i] - mean[i]);
        }
        final double factor = na * nb / n;
        int k = 0;
        for (int i = 0; i < dimension; i++) {
            for (int j = i; j < dimension; j++) {
                comoment[k] += other.comoment[k] + delta[i] * delta[j] * factor;
                k++;
            }
        }
        for (int i = 0; i < dimension; i++) {
            mean[i] += delta[i] * (nb / n);
        }
        count += other.count;
    }

    /** Merges {@code parts} left to right into a new object; pass them in a fixed order for reproducible bits. */
    public static Moments mergeInOrder(final int dimension, final Iterable<Moments> parts) {
        final Moments out = new Moments(dimension);
        for (final Moments m : parts) {
            out.merge(m);
        }
        return out;
    }

    public void setTo(final Moments other) {
        if (other.dimension != dimension) {
            throw new IllegalArgumentException("dimension " + other.dimension + " != " + dimension);
        }
        count = other.count;
        System.arraycopy(other.shift, 0, shift, 0, dimension);
        System.arraycopy(other.mean, 0, mean, 0, dimension);
        System.arraycopy(other.comoment, 0, comoment, 0, comoment.length);
    }

    /**
     * Writes these statistics into entry {@code entry} of {@code batch}, field for field (the batch
     * keeps the same count, shift, mean relative to the shift and packed upper co-moments), so that
     * {@link dev.vigil.accel.Kernels#merge} sees the same bits {@link #merge} would.
     *
     * @throws IllegalArgumentException if the batch has another dimension
     * @throws IndexOutOfBoundsException if the batch has no such entry
     */
    public void copyTo(final MomentsBatch batch, final int entry) {
        checkEntry(batch, entry);
        batch.counts()[entry] = count;
        System.arraycopy(shift, 0, batch.shifts(), batch.vectorOffset(entry), dimension);
        System.arraycopy(mean, 0, batch.means(), batch.vectorOffset(entry), dimension);
        System.arraycopy(comoment, 0, batch.comoments(), batch.comomentOffset(entry), comoment.length);
    }

    /**
     * Becomes entry {@code entry} of {@code batch}, field for field: the inverse of {@link #copyTo}.
     *
     * @throws IllegalArgumentException if the batch has another dimension or the entry's count is negative
     * @throws IndexOutOfBoundsException if the batch has no such entry
     */
    public void copyFrom(final MomentsBatch batch, final int entry) {
        checkEntry(batch, entry);
        final long n = batch.counts()[entry];
        if (n < 0) {
            throw new IllegalArgumentException("entry " + entry + " has a negative count " + n);
        }
        count = n;
        System.arraycopy(batch.shifts(), batch.vectorOffset(entry), shift, 0, dimension);
        System.arraycopy(batch.means(), batch.vectorOffset(entry), mean, 0, dimension);
        System.arraycopy(batch.comoments(), batch.comomentOffset(entry), comoment, 0, comoment.length);
    }

    private void checkEntry(final MomentsBatch batch, final int entry) {
        if (batch.dimension() != dimension) {
            throw new IllegalArgumentException("batch of dimension " + batch.dimension() + ", statistics of " + dimension);
        }
        java.util.Objects.checkIndex(entry, batch.size());
    }

    public void clear() {
        count = 0;
        Arrays.fill(shift, 0);
        Arrays.fill(mean, 0);
        Arrays.fill(comoment, 0);
    }

    public Moments copy() {
        final Moments m = new Moments(dimension);
        m.setTo(this);
        return m;
    }

    public int dimension() {
        return dimension;
    }

    public long count() {
        return count;
    }

    public double mean(final int i) {
        return shift[i] + mean[i];
    }

    /** The mean vector (a new array). */
    public double[] mean() {
        final double[] m = new double[dimension];
        for (int i = 0; i < dimension; i++) {
            m[i] = shift[i] + mean[i];
        }
        return m;
    }

    /** Co-moment C[i][j] (either order). */
    public double comoment(final int i, final int j) {
        return i <= j ? comoment[packedIndex(dimension, i, j)] : comoment[packedIndex(dimension, j, i)];
    }

    /** Covariance divided by n, packed upper triangle, into {@code out}. */
    public void covariance(final double[] out) {
        final double n = count;
        for (int k = 0; k < comoment.length; k++) {
            out[k] = count == 0 ? 0 : comoment[k] / n;
        }
    }

    /** Variance of feature i, divided by n. */
    public double variance(final int i) {
        return count == 0 ? 0 : comoment[packedIndex(dimension, i, i)] / count;
    }

    /**
     * Adds {@code variance} to every feature's variance (count · variance to each diagonal
     * co-moment): a floor that stands for measurement resolution, so a feature that happened to
     * be constant does not make the smallest change look infinitely unlikely.
     */
    public void inflateVariance(final double variance) {
        for (int i = 0; i < dimension; i++) {
            comoment[packedIndex(dimension, i, i)] += count * variance;
        }
    }

    /** Bytes of {@link #writeTo}: count, shift, mean relative to the shift, packed co-moments. */
    public static int encodedLength(final int dimension) {
        return 8 + 16 * dimension + 8 * packedLength(dimension);
    }

    public void writeTo(final org.agrona.MutableDirectBuffer buffer, final int offset) {
        int at = offset;
        buffer.putLong(at, count, java.nio.ByteOrder.LITTLE_ENDIAN);
        at += 8;
        for (final double v : shift) {
            buffer.putDouble(at, v, java.nio.ByteOrder.LITTLE_ENDIAN);
            at += 8;
        }
        for (final double v : mean) {
            buffer.putDouble(at, v, java.nio.ByteOrder.LITTLE_ENDIAN);
            at += 8;
        }
        for (final double v : comoment) {
            buffer.putDouble(at, v, java.nio.ByteOrder.LITTLE_ENDIAN);
            at += 8;
        }
    }

    public void readFrom(final org.agrona.DirectBuffer buffer, final int offset) {
        int at = offset;
        count = buffer.getLong(at, java.nio.ByteOrder.LITTLE_ENDIAN);
        at += 8;
        for (int i = 0; i < shift.length; i++) {
            shift[i] = buffer.getDouble(at, java.nio.ByteOrder.LITTLE_ENDIAN);
            at += 8;
        }
        for (int i = 0; i < mean.length; i++) {
            mean[i] = buffer.getDouble(at, java.nio.ByteOrder.LITTLE_ENDIAN);
            at += 8;
        }
        for (int i = 0; i < comoment.length; i++) {
            comoment[i] = buffer.getDouble(at, java.nio.ByteOrder.LITTLE_ENDIAN);
            at += 8;
        }
    }
}
