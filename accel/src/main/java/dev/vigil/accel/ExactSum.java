package dev.vigil.accel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * The exact sum of finite doubles: no rounding happens until {@link #value()}, which rounds the
 * exact sum once, to nearest with ties to even. So the result does not depend on the order of the
 * terms nor on how they were split between accumulators and {@link #merge merged}: every replica
 * and every backend gets the same bits.
 *
 * <p>The scheme (Neal's "small superaccumulator", xsum): every finite double is an integer
 * multiple of 2<sup>-1074</sup>, below 2<sup>1024</sup>, so the sum is an integer S in those units,
 * held in base 2<sup>32</sup> by 66 {@code long} chunks. A term m·2<sup>p</sup> (m its 53-bit
 * significand, p in [0, 2045]) lands in chunk p/32 (its low 32 bits after the shift) and
 * chunk p/32 + 1 (the rest, at most 2<sup>52</sup>), two plain integer additions. Carries are
 * propagated lazily, at the latest every {@value #ADDS_BETWEEN_CARRIES} additions, which
 * keeps every chunk below 2<sup>32</sup> + 2047·2<sup>52</sup> &lt; 2<sup>63</sup>. Arrays take a
 * faster path first ({@link ExponentBins}: per sign and exponent, significands summed as
 * integers, then spilled here), about three times cheaper per term.
 *
 * <p>After carries are propagated the representation is canonical: chunks 0..64 in
 * [0, 2<sup>32</sup>) and the top chunk 65 signed, so S = Σ chunk<sub>i</sub>·2<sup>32i</sup>
 * (two's complement in base 2<sup>32</sup>). That form is what {@link #writeTo(byte[], int)} encodes
 * (as sign and magnitude), so equal exact sums give equal bytes.
 *
 * <p>Bound: the exact sum must stay in [-2<sup>1068</sup>, 2<sup>1068</sup>) (the top chunk in
 * [-2<sup>62</sup>, 2<sup>62</sup>)), which holds for any 2<sup>44</sup> (1.7·10<sup>13</sup>)
 * finite terms whatever their size. Crossing it throws {@link ArithmeticException} (never a
 * silent wrap) from the call that crossed it, or for {@link #add(double)} at the latest from the
 * next carry propagation: within 2047 more additions, or at the next read or merge. The
 * accumulator is then unusable. Sums beyond
 * ±{@link Double#MAX_VALUE} but inside the bound are held exactly and read out as ±infinity.
 *
 * <p>Refused terms: NaN and ±infinity throw {@link IllegalArgumentException} naming the value; a
 * refused batch changes nothing. So finite terms never produce a NaN. The sign of zero is not
 * kept: an exact zero reads out as +0.0.
 *
 * <p>Size: 66 longs (528 bytes) live; at most {@value #SERIALIZED_BYTES_MAX} bytes encoded,
 * 16 for a typical sum of log-likelihood ratios. Not thread-safe; reads ({@link #value()}, the
 * encoders) may normalise the internal form (never the sum), so they count as writes for
 * publication between threads.
 */
public final class ExactSum {
    /** Bits per chunk; a term's significand straddles at most two chunks. */
    static final int CHUNK_BITS = 32;
    static final long CHUNK_MASK = (1L << CHUNK_BITS) - 1;
    /**
     * Terms land in chunks 0..64 (p ≤ 2045, so p/32 + 1 ≤ 64); the top chunk 65 takes carries and
     * the high parts of {@link ExponentBins}' spills.
     */
    static final int CHUNKS = 66;
    static final int TOP = CHUNKS - 1;
    /**
     * Additions between carry propagations: a chunk starts in [0, 2^32) and each addition moves it
     * by at most 2^52, so 2047 of them keep |chunk| under 2^63.
     */
    static final int ADDS_BETWEEN_CARRIES = (1 << (63 - 52)) - 1;
    /** The top chunk stays in [-TOP_LIMIT, TOP_LIMIT): the exact sum in [-2^1068, 2^1068). */
    static final long TOP_LIMIT = 1L << 62;

    /**
     * Arrays at least this long take {@link ExponentBins}' path; shorter ones go straight into the
     * chunks, which costs more per term but nothing per call.
     */
    static final int BINNED_LENGTH_MIN = 256;

    /** Magnitude digits of base 2^32: 65 low chunks, and the top chunk (below 2^62) as two. */
    static final int DIGITS = CHUNKS + 1;

    /*
     * The canonical encoding, little-endian:
     *
     *  0       1       2       3       4
     * +-------+-------+-------+-------+------------------------------------+
     * |version| sign  |lowest | count | count digits, 4 bytes each, from   |
     * |  (1)  | 0/1/2 | digit | (≤67) | the lowest nonzero to the highest  |
     * +-------+-------+-------+-------+------------------------------------+
     *
     * sign: 0 zero (then lowest = count = 0), 1 positive, 2 negative. The digits are those of
     * |S| in base 2^32 (S in units of 2^-1074); the first and the last written are nonzero, so
     * each exact sum has exactly one encoding.
     */
    public static final int VERSION = 1;
    static final int VERSION_OFFSET = 0;
    static final int SIGN_OFFSET = 1;
    static final int LOWEST_OFFSET = 2;
    static final int COUNT_OFFSET = 3;
    static final int DIGITS_OFFSET = 4;
    static final int DIGIT_BYTES = 4;
    static final int SIGN_ZERO = 0;
    static final int SIGN_POSITIVE = 1;
    static final int SIGN_NEGATIVE = 2;
    /** The encoding of the largest sums: the header and 67 digits. */
    public static final int SERIALIZED_BYTES_MAX = DIGITS_OFFSET + DIGITS * DIGIT_BYTES;
    /** The encoding of zero, the smallest. */
    public static final int SERIALIZED_BYTES_MIN = DIGITS_OFFSET;

    private static final long SIGNIFICAND_MASK = (1L << 52) - 1;
    private static final int EXPONENT_SPECIAL = 0x7FF;

    private final long[] chunks = new long[CHUNKS];
    /** Counts down to the next carry propagation; equal to ADDS_BETWEEN_CARRIES when canonical. */
    private int addsUntilCarry = ADDS_BETWEEN_CARRIES;

    public ExactSum() {
    }

    /** A sum equal to this one, independent of it. */
    public ExactSum copy() {
        final ExactSum copy = new ExactSum();
        System.arraycopy(chunks, 0, copy.chunks, 0, CHUNKS);
        copy.addsUntilCarry = addsUntilCarry;
        return copy;
    }

    /** Back to zero. */
    public void reset() {
        Arrays.fill(chunks, 0L);
        addsUntilCarry = ADDS_BETWEEN_CARRIES;
    }

    /**
     * Adds one term exactly.
     *
     * @throws IllegalArgumentException if x is NaN or infinite (the sum is unchanged)
     * @throws ArithmeticException if the exact sum leaves [-2^1068, 2^1068)
     */
    public void add(final double x) {
        final long bits = Double.doubleToRawLongBits(x);
        final int exponent = (int) (bits >>> 52) & EXPONENT_SPECIAL;
        if (exponent == EXPONENT_SPECIAL) {
            throw refused(x, -1);
        }
        accumulate(chunks, bits, exponent);
        if (--addsUntilCarry == 0) {
            propagateCarries();
        }
    }

    /**
     * Adds {@code xs[off, off + len)} exactly: the fast path (see {@link ExponentBins}) from
     * {@value #BINNED_LENGTH_MIN} terms on. All or nothing: if one of them is refused, the terms
     * before it are taken back out (exactly, so the sum is the one before the call).
     *
     * @throws IllegalArgumentException if a term is NaN or infinite (named with its index)
     * @throws IndexOutOfBoundsException if the range is not inside xs
     * @throws ArithmeticException if the exact sum leaves [-2^1068, 2^1068)
     */
    public void add(final double[] xs, final int off, final int len) {
        Objects.checkFromIndexSize(off, len, xs.length);
        final int refusedAt;
        if (len < BINNED_LENGTH_MIN) {
            refusedAt = addEach(xs, off, off + len);
        } else {
            final ExponentBins bins = ExponentBins.forThisThread();
            try {
                refusedAt = bins.add(xs, off, off + len, this);
                bins.drainInto(this);
            } finally {
                bins.clear();
            }
            propagateCarries(); // a few ns against at least 256 terms: the bound is checked at once
        }
        if (refusedAt >= 0) {
            takeBack(xs, off, refusedAt);
            throw refused(xs[refusedAt], refusedAt);
        }
    }

    /** Straight into the chunks; returns -1 or the index of the first non-finite term. */
    private int addEach(final double[] xs, final int from, final int to) {
        final long[] c = chunks;
        int i = from;
        while (i < to) {
            // The inner loop runs to the next carry propagation with no counter of its own.
            final int stop = i + Math.min(to - i, addsUntilCarry);
            final int start = i;
            for (; i < stop; i++) {
                final long bits = Double.doubleToRawLongBits(xs[i]);
                final int exponent = (int) (bits >>> 52) & EXPONENT_SPECIAL;
                if (exponent == EXPONENT_SPECIAL) {
                    addsUntilCarry -= i - start;
                    return i;
                }
                accumulate(c, bits, exponent);
            }
            addsUntilCarry -= stop - start;
            if (addsUntilCarry == 0) {
                propagateCarries();
            }
        }
        return -1;
    }

    /** Adds every element of xs exactly; see {@link #add(double[], int, int)}. */
    public void add(final double[] xs) {
        add(xs, 0, xs.length);
    }

    /**
     * Adds a finite double's exact value, m·2^p in units of 2^-1074, into its two chunks. The
     * significand m gets its implicit bit unless the double is subnormal (exponent field 0, where
     * p = 0 as for the field 1), both without a branch. With the sign applied first, the low chunk
     * gets the low 32 bits of ±m·2^(p mod 32), in [0, 2^32), and the next one the rest, rounded
     * down (an arithmetic shift), of magnitude at most 2^52.
     */
    private static void accumulate(final long[] c, final long bits, final int exponent) {
        final long significand = (bits & SIGNIFICAND_MASK) | ((long) ((exponent + EXPONENT_SPECIAL) >>> 11) << 52);
        final int position = exponent - 1 + ((exponent - 1) >>> 31);
        final int index = position >>> 5;
        final int shift = position & 31;
        final long negative = bits >> 63; // 0 or -1: (v ^ negative) - negative negates when -1
        final long signed = (significand ^ negative) - negative;
        c[index] += (signed << shift) & CHUNK_MASK;
        c[index + 1] += signed >> (CHUNK_BITS - shift);
    }

    /**
     * Adds ±magnitude·2^position (units of 2^-1074; magnitude &lt; 2^63, position in [0, 2045]) into
     * three chunks, each part below 2^32: one addition of the carry budget. {@link ExponentBins}
     * spills its bins through here.
     */
    void addMagnitude(final long magnitude, final int position, final boolean negative) {
        assert magnitude >= 0 && position >= 0 && position <= 2045 : magnitude + " at " + position;
        final int index = position >>> 5;
        final int shift = position & 31;
        final long low = (magnitude << shift) & CHUNK_MASK;
        final long middle = (magnitude >>> (CHUNK_BITS - shift)) & CHUNK_MASK;
        final long high = (magnitude >>> CHUNK_BITS) >>> (CHUNK_BITS - shift); // 0 when shift is 0
        final long[] c = chunks;
        if (negative) {
            c[index] -= low;
            c[index + 1] -= middle;
            c[index + 2] -= high;
        } else {
            c[index] += low;
            c[index + 1] += middle;
            c[index + 2] += high;
        }
        if (--addsUntilCarry == 0) {
            propagateCarries();
        }
    }

    /** Subtracts xs[from, to) again: exact, so the sum returns to what it was. */
    private void takeBack(final double[] xs, final int from, final int to) {
        for (int i = from; i < to; i++) {
            add(-xs[i]);
        }
    }

    private static IllegalArgumentException refused(final double x, final int index) {
        return new IllegalArgumentException("ExactSum takes finite terms only, got " + x
            + (index >= 0 ? " at index " + index : ""));
    }

    /**
     * Adds another exact sum into this one (exact, so merges in any tree give the same sum).
     * The other is left with the same sum (its internal form may be normalised). Merging a sum
     * into itself doubles it.
     *
     * @throws ArithmeticException if the exact sum leaves [-2^1068, 2^1068)
     */
    public void merge(final ExactSum other) {
        normalise();
        other.normalise();
        // Both canonical: low chunks below 2^32, tops in [-2^62, 2^62), so no chunk overflows.
        final long[] c = chunks;
        final long[] o = other.chunks;
        for (int i = 0; i < CHUNKS; i++) {
            c[i] += o[i];
        }
        propagateCarries();
    }

    /**
     * Whether {@code src[off, off + 66)} is an accumulator in canonical form (chunks 0..64 in
     * [0, 2^32), the top chunk inside the bound), as a device returns it.
     */
    static boolean isCanonical(final long[] src, final int off) {
        for (int i = 0; i < TOP; i++) {
            if ((src[off + i] & ~CHUNK_MASK) != 0) {
                return false;
            }
        }
        return src[off + TOP] >= -TOP_LIMIT && src[off + TOP] < TOP_LIMIT;
    }

    /**
     * Adds an exact sum given as 66 canonical chunks ({@link #isCanonical}), e.g. one a device
     * accumulated; as {@link #merge}.
     *
     * @throws ArithmeticException if the exact sum leaves [-2^1068, 2^1068)
     */
    void mergeChunks(final long[] src, final int off) {
        assert isCanonical(src, off);
        normalise();
        final long[] c = chunks;
        for (int i = 0; i < CHUNKS; i++) {
            c[i] += src[off + i];
        }
        propagateCarries();
    }

    private void normalise() {
        if (addsUntilCarry != ADDS_BETWEEN_CARRIES) {
            propagateCarries();
        }
    }

    private void propagateCarries() {
        final long[] c = chunks;
        long carry = 0;
        for (int i = 0; i < TOP; i++) {
            final long v = c[i] + carry;
            c[i] = v & CHUNK_MASK;
            carry = v >> CHUNK_BITS;
        }
        final long top = c[TOP] + carry;
        c[TOP] = top;
        addsUntilCarry = ADDS_BETWEEN_CARRIES;
        if (top < -TOP_LIMIT || top >= TOP_LIMIT) {
            throw new ArithmeticException("ExactSum: the exact sum left [-2^1068, 2^1068) "
                + "(more than 2^44 terms of the largest size); this accumulator is unusable");
        }
    }

    /**
     * The exact sum rounded once to the nearest double, ties to even: ±infinity only when that
     * rounding overflows (the exact sum at least {@code MAX_VALUE} + half an ulp), +0.0 for an
     * exact zero, never NaN.
     */
    public double value() {
        final long[] magnitude = new long[DIGITS + 2]; // two zero digits of padding for bit windows
        final boolean negative = magnitude(magnitude);
        int k = DIGITS - 1;
        while (k >= 0 && magnitude[k] == 0) {
            k--;
        }
        if (k < 0) {
            return 0.0;
        }
        final int highestBit = CHUNK_BITS * k + 63 - Long.numberOfLeadingZeros(magnitude[k]);
        final long bits;
        if (highestBit <= 52) {
            // Below 2^53 units (2^-1021): representable as is, and its bit pattern is the integer
            // itself (subnormal, or the smallest binade of normals, whose exponent field is 1).
            bits = magnitude[0] | (magnitude[1] << CHUNK_BITS);
        } else if (highestBit >= 2098) {
            bits = Double.doubleToRawLongBits(Double.POSITIVE_INFINITY); // at least 2^1024
        } else {
            final int lowestKept = highestBit - 52;
            long significand = bitsAt(magnitude, lowestKept, 53);
            final boolean half = bitsAt(magnitude, lowestKept - 1, 1) != 0;
            if (half && ((significand & 1) != 0 || anyBelow(magnitude, lowestKept - 1))) {
                significand++; // 2^53 carries into the exponent field below, as it should
            }
            // Adding the significand with its implicit bit adds 1 to the exponent field, hence
            // lowestKept (not lowestKept + 1); a result at or above infinity's bits overflowed.
            bits = Math.min(((long) lowestKept << 52) + significand,
                Double.doubleToRawLongBits(Double.POSITIVE_INFINITY));
        }
        return Double.longBitsToDouble(negative ? bits | Long.MIN_VALUE : bits);
    }

    /**
     * Normalises and writes |S| in base 2^32 into digits[0, DIGITS); returns whether S &lt; 0.
     */
    private boolean magnitude(final long[] digits) {
        normalise();
        final long[] c = chunks;
        final boolean negative = c[TOP] < 0;
        if (!negative) {
            System.arraycopy(c, 0, digits, 0, TOP);
            digits[TOP] = c[TOP] & CHUNK_MASK;
            digits[TOP + 1] = c[TOP] >>> CHUNK_BITS;
            return false;
        }
        long borrow = 0;
        for (int i = 0; i < TOP; i++) {
            final long v = borrow - c[i];
            digits[i] = v & CHUNK_MASK;
            borrow = v >> CHUNK_BITS;
        }
        final long top = borrow - c[TOP]; // in [0, 2^62]
        assert top >= 0 && top <= TOP_LIMIT : top;
        digits[TOP] = top & CHUNK_MASK;
        digits[TOP + 1] = top >>> CHUNK_BITS;
        return true;
    }

    /** Bits [from, from + count) of a digit array, count ≤ 53, from ≥ 0. */
    private static long bitsAt(final long[] digits, final int from, final int count) {
        final int i = from >>> 5;
        final int shift = from & 31;
        long window = (digits[i] >>> shift) | (digits[i + 1] << (CHUNK_BITS - shift));
        if (shift > 11) { // the two digits gave 64 - shift < 53 bits
            window |= digits[i + 2] << (2 * CHUNK_BITS - shift);
        }
        return window & ((1L << count) - 1);
    }

    /** Whether any bit below position {@code below} is set. */
    private static boolean anyBelow(final long[] digits, final int below) {
        final int i = below >>> 5;
        if ((digits[i] & ((1L << (below & 31)) - 1)) != 0) {
            return true;
        }
        for (int j = 0; j < i; j++) {
            if (digits[j] != 0) {
                return true;
            }
        }
        return false;
    }

    /** Length of this sum's canonical encoding, in [SERIALIZED_BYTES_MIN, SERIALIZED_BYTES_MAX]. */
    public int serializedSize() {
        final long[] digits = new long[DIGITS];
        magnitude(digits);
        final int[] span = span(digits);
        return DIGITS_OFFSET + span[1] * DIGIT_BYTES;
    }

    /** {lowest nonzero digit, count from it to the highest nonzero}; {0, 0} for zero. */
    private static int[] span(final long[] digits) {
        int high = DIGITS - 1;
        while (high >= 0 && digits[high] == 0) {
            high--;
        }
        if (high < 0) {
            return new int[] {0, 0};
        }
        int low = 0;
        while (digits[low] == 0) {
            low++;
        }
        return new int[] {low, high - low + 1};
    }

    /** The canonical encoding in a new array. */
    public byte[] toBytes() {
        final byte[] out = new byte[serializedSize()];
        writeTo(out, 0);
        return out;
    }

    /**
     * Writes the canonical encoding at dst[off]; equal exact sums write equal bytes.
     *
     * @return the bytes written, at most {@link #SERIALIZED_BYTES_MAX}
     * @throws IndexOutOfBoundsException if it does not fit (nothing is written then)
     */
    public int writeTo(final byte[] dst, final int off) {
        final long[] digits = new long[DIGITS];
        final boolean negative = magnitude(digits);
        final int[] span = span(digits);
        Objects.checkFromIndexSize(off, DIGITS_OFFSET + span[1] * DIGIT_BYTES, dst.length);
        return write(ByteBuffer.wrap(dst, off, dst.length - off), digits, negative, span);
    }

    /**
     * Writes the canonical encoding at the buffer's position and advances it.
     *
     * @return the bytes written, at most {@link #SERIALIZED_BYTES_MAX}
     * @throws java.nio.BufferOverflowException if it does not fit (nothing is written then)
     */
    public int writeTo(final ByteBuffer dst) {
        final long[] digits = new long[DIGITS];
        final boolean negative = magnitude(digits);
        final int[] span = span(digits);
        if (dst.remaining() < DIGITS_OFFSET + span[1] * DIGIT_BYTES) {
            throw new java.nio.BufferOverflowException();
        }
        return write(dst, digits, negative, span);
    }

    private static int write(final ByteBuffer dst, final long[] digits, final boolean negative, final int[] span) {
        final int size = DIGITS_OFFSET + span[1] * DIGIT_BYTES;
        final ByteBuffer out = dst.slice().order(ByteOrder.LITTLE_ENDIAN);
        out.put(VERSION_OFFSET, (byte) VERSION);
        out.put(SIGN_OFFSET, (byte) (span[1] == 0 ? SIGN_ZERO : negative ? SIGN_NEGATIVE : SIGN_POSITIVE));
        out.put(LOWEST_OFFSET, (byte) span[0]);
        out.put(COUNT_OFFSET, (byte) span[1]);
        for (int j = 0; j < span[1]; j++) {
            out.putInt(DIGITS_OFFSET + j * DIGIT_BYTES, (int) digits[span[0] + j]);
        }
        dst.position(dst.position() + size);
        return size;
    }

    /**
     * Reads a sum from exactly {@code src[off, off + len)}.
     *
     * @throws IllegalArgumentException if those bytes are not one canonical encoding (the message
     *         says what is wrong); trailing bytes are refused too
     */
    public static ExactSum readFrom(final byte[] src, final int off, final int len) {
        Objects.checkFromIndexSize(off, len, src.length);
        final ByteBuffer buffer = ByteBuffer.wrap(src, off, len);
        final ExactSum sum = readFrom(buffer);
        if (buffer.hasRemaining()) {
            throw malformed(buffer.remaining() + " bytes after the encoding");
        }
        return sum;
    }

    /**
     * Reads one canonical encoding at the buffer's position and advances past it (the bytes after
     * it are the caller's).
     *
     * @throws IllegalArgumentException if the bytes there are not a canonical encoding (the message
     *         says what is wrong); the position is unchanged then
     */
    public static ExactSum readFrom(final ByteBuffer src) {
        final ByteBuffer in = src.slice().order(ByteOrder.LITTLE_ENDIAN);
        if (in.remaining() < DIGITS_OFFSET) {
            throw malformed("truncated header: " + in.remaining() + " of " + DIGITS_OFFSET + " bytes");
        }
        final int version = in.get(VERSION_OFFSET) & 0xFF;
        if (version != VERSION) {
            throw malformed("version " + version + ", expected " + VERSION);
        }
        final int sign = in.get(SIGN_OFFSET) & 0xFF;
        final int lowest = in.get(LOWEST_OFFSET) & 0xFF;
        final int count = in.get(COUNT_OFFSET) & 0xFF;
        if (sign == SIGN_ZERO) {
            if (lowest != 0 || count != 0) {
                throw malformed("zero with lowest digit " + lowest + " and " + count + " digits (both must be 0)");
            }
            src.position(src.position() + DIGITS_OFFSET);
            return new ExactSum();
        }
        if (sign != SIGN_POSITIVE && sign != SIGN_NEGATIVE) {
            throw malformed("sign byte " + sign + " (0 zero, 1 positive, 2 negative)");
        }
        if (count == 0 || lowest + count > DIGITS) {
            throw malformed("digits [" + lowest + ", " + (lowest + count) + ") for a nonzero sum, "
                + "must be a nonempty part of [0, " + DIGITS + ")");
        }
        final int size = DIGITS_OFFSET + count * DIGIT_BYTES;
        if (in.remaining() < size) {
            throw malformed("truncated: " + in.remaining() + " of " + size + " bytes");
        }
        final long[] digits = new long[DIGITS];
        for (int j = 0; j < count; j++) {
            digits[lowest + j] = in.getInt(DIGITS_OFFSET + j * DIGIT_BYTES) & CHUNK_MASK;
        }
        if (digits[lowest] == 0 || digits[lowest + count - 1] == 0) {
            throw malformed("a zero digit at an end of [" + lowest + ", " + (lowest + count) + "): not canonical");
        }
        final long top = digits[TOP] | (digits[TOP + 1] << CHUNK_BITS);
        if (digits[TOP + 1] >= (TOP_LIMIT >>> CHUNK_BITS) + 1
            || (sign == SIGN_POSITIVE ? top >= TOP_LIMIT : top > TOP_LIMIT)
            || (sign == SIGN_NEGATIVE && top == TOP_LIMIT && !allZero(digits, TOP))) {
            throw malformed("magnitude beyond the bound [-2^1068, 2^1068)");
        }
        final ExactSum sum = new ExactSum();
        final long[] c = sum.chunks;
        System.arraycopy(digits, 0, c, 0, TOP);
        c[TOP] = top;
        if (sign == SIGN_NEGATIVE) {
            long borrow = 0;
            for (int i = 0; i < TOP; i++) {
                final long v = borrow - c[i];
                c[i] = v & CHUNK_MASK;
                borrow = v >> CHUNK_BITS;
            }
            c[TOP] = borrow - top;
        }
        src.position(src.position() + size);
        return sum;
    }

    private static boolean allZero(final long[] digits, final int below) {
        for (int j = 0; j < below; j++) {
            if (digits[j] != 0) {
                return false;
            }
        }
        return true;
    }

    private static IllegalArgumentException malformed(final String what) {
        return new IllegalArgumentException("ExactSum encoding refused: " + what);
    }

    @Override
    public String toString() {
        return "ExactSum[" + value() + "]";
    }
}
