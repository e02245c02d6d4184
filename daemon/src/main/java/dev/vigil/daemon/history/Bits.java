package dev.vigil.daemon.history;

import java.util.Arrays;

/**
 * Bit-level writing and reading for the compressed history layouts ({@link RawBlock} version 3,
 * {@link MinutePack} version 2), and the codes they use:
 * <ul>
 *   <li>{@link XorField}: a floating-point field predicted from its previous value, as in
 *       Gorilla (Pelkonen et al., VLDB 2015): '0' for the same bits; '10' and the differing bits
 *       when they fall inside the previous window of meaningful bits; '11', the leading zeros (6
 *       bits), the meaningful length less one (6 bits) and the meaningful bits otherwise. Bits are
 *       compared, not numbers, so NaN payloads, -0.0 and infinities come back exactly.</li>
 *   <li>{@link RankField}: a floating-point field rounded to fewer mantissa bits, coded as the
 *       change of its rank from the previous value's in an adaptive Rice code (minute statistics).</li>
 *   <li>{@link #writeSmall}: a signed integer, '0' for 0, then '10' and 7 bits, '110' and 14,
 *       '1110' and 24, '1111' and 64 (zigzag): delta-of-delta timestamps and counts cost one bit
 *       when regular.</li>
 * </ul>
 * Bits are written most significant first; the last byte is padded with zeros. Every read is
 * bounds-checked and a layout that cannot be one raises IllegalArgumentException, naming {@code what}.
 */
final class Bits {
    private Bits() {
    }

    /** Appends bits to a growing byte array. */
    static final class Writer {
        private byte[] out;
        private long bitAt;

        Writer(final int capacityBytes) {
            out = new byte[Math.max(16, capacityBytes)];
        }

        /** Continues after {@code bits} bits of {@code prefix} (their padding is overwritten). */
        Writer(final byte[] prefix, final long bits, final int moreBytes) {
            final int whole = (int)((bits + 7) >>> 3);
            out = new byte[Math.max(16, whole + moreBytes)];
            System.arraycopy(prefix, 0, out, 0, whole); // bytes past the prefix's bits are zero
            bitAt = bits;
            if ((bits & 7) != 0) {
                out[(int)(bits >>> 3)] &= (byte)(0xFF00 >>> (bits & 7)); // the padding of its last byte too
            }
        }

        /** Writes the low {@code n} bits of {@code v} (0 to 64), most significant first. */
        void write(final long v, final int n) {
            if (n == 0) {
                return;
            }
            ensure(n);
            int left = n;
            while (left > 0) {
                final int at = (int)(bitAt >>> 3);
                final int free = 8 - (int)(bitAt & 7);
                final int take = Math.min(free, left);
                final int chunk = (int)(v >>> (left - take)) & ((1 << take) - 1);
                out[at] |= (byte)(chunk << (free - take));
                left -= take;
                bitAt += take;
            }
        }

        void bit(final boolean b) {
            write(b ? 1 : 0, 1);
        }

        private void ensure(final int n) {
            final long need = (bitAt + n + 7) >>> 3;
            if (need > out.length) {
                out = Arrays.copyOf(out, (int)Math.max(need, out.length * 2L));
            }
        }

        long bits() {
            return bitAt;
        }

        /** The bytes written so far, the last one padded. */
        byte[] toBytes() {
            return Arrays.copyOf(out, (int)((bitAt + 7) >>> 3));
        }

        /** Writes a raw byte at a byte offset already written (headers: counts). */
        void setByte(final int at, final int value) {
            out[at] = (byte)value;
        }
    }

    /** Reads bits from a byte array, from a bit offset to the array's end. */
    static final class Reader {
        private final byte[] in;
        private final String what;
        private long bitAt;
        private final long end;

        Reader(final byte[] in, final int fromByte, final String what) {
            this.in = in;
            this.what = what;
            this.bitAt = 8L * fromByte;
            this.end = 8L * in.length;
        }

        long read(final int n) {
            if (n == 0) {
                return 0;
            }
            if (bitAt + n > end) {
                throw new IllegalArgumentException(what + " of " + in.length + " bytes cut short");
            }
            long v = 0;
            int left = n;
            while (left > 0) {
                final int at = (int)(bitAt >>> 3);
                final int avail = 8 - (int)(bitAt & 7);
                final int take = Math.min(avail, left);
                final int chunk = (in[at] & 0xFF) >>> (avail - take) & ((1 << take) - 1);
                v = v << take | chunk;
                left -= take;
                bitAt += take;
            }
            return v;
        }

        boolean bit() {
            return read(1) != 0;
        }

        long bits() {
            return bitAt;
        }

        /** Checks that only the last byte's zero padding is left (and reads it). */
        void expectEnd(final String after) {
            final long padding = end - bitAt;
            if (padding < 0 || padding >= 8 || (padding > 0 && read((int)padding) != 0)) {
                throw new IllegalArgumentException(what + " of " + in.length + " bytes has bytes after " + after);
            }
        }

        String what() {
            return what;
        }
    }

    /** A field coded as the xor with its previous bits (see the class comment); {@code width} 32 or 64. */
    static final class XorField {
        private final int width;
        long previous;
        private int lead = -1; // the previous window: leading zeros, meaningful bits
        private int meaningful;

        XorField(final int width) {
            this.width = width;
        }

        /** A copy that goes on from the same previous bits and window. */
        XorField copy() {
            final XorField c = new XorField(width);
            c.previous = previous;
            c.lead = lead;
            c.meaningful = meaningful;
            return c;
        }

        void write(final Writer w, final long bits) {
            final long value = width == 64 ? bits : bits & 0xFFFF_FFFFL;
            final long xor = value ^ previous;
            previous = value;
            if (xor == 0) {
                w.write(0, 1);
                return;
            }
            final int l = Long.numberOfLeadingZeros(xor) - (64 - width);
            final int t = Long.numberOfTrailingZeros(xor);
            if (lead >= 0 && l >= lead && t >= width - lead - meaningful) {
                w.write(0b10, 2);
                w.write(xor >>> (width - lead - meaningful), meaningful);
                return;
            }
            final int m = width - l - t;
            w.write(0b11, 2);
            w.write(l, 6);
            w.write(m - 1, 6);
            w.write(xor >>> t, m);
            lead = l;
            meaningful = m;
        }

        long read(final Reader r) {
            if (!r.bit()) {
                return previous;
            }
            if (r.bit()) {
                final int l = (int)r.read(6);
                final int m = (int)r.read(6) + 1;
                if (l + m > width) {
                    throw new IllegalArgumentException(r.what() + " with a window of " + l + " leading and " + m
                        + " meaningful bits in a " + width + "-bit field");
                }
                lead = l;
                meaningful = m;
            } else if (lead < 0) {
                throw new IllegalArgumentException(r.what() + " reuses a window before any was set");
            }
            previous ^= r.read(meaningful) << (width - lead - meaningful);
            return previous;
        }
    }

    /**
     * A floating-point field already rounded to {@code keep} mantissa bits, coded as the change of
     * its rank (its bits in value order, the dropped zero bits removed) from the previous value's,
     * zigzag-mapped, in an adaptive Rice code: with k the base-2 logarithm of a running mean of
     * the recent changes, the change's high part in unary (a '1' per 2^k, then '0') and its low
     * k bits; {@value #ESCAPE} ones escape to the change's 64 bits. A value that moves by a few
     * units of its last kept place costs a few bits more than k, one that stays put one bit.
     */
    static final class RankField {
        static final int ESCAPE = 24;
        private static final long AVERAGE_MAX = 1L << 40;
        private final int drop;
        private long previous;
        private long average;

        RankField(final int keep) {
            this.drop = 52 - keep;
        }

        RankField copy() {
            final RankField c = new RankField(52 - drop);
            c.previous = previous;
            c.average = average;
            return c;
        }

        private long rank(final long bits) {
            final long magnitude = (bits & Long.MAX_VALUE) >>> drop;
            return bits < 0 ? -magnitude - 1 : magnitude;
        }

        private long bits(final long rank) {
            return rank < 0 ? Long.MIN_VALUE | (-(rank + 1)) << drop : rank << drop;
        }

        private int k() {
            return average == 0 ? 0 : 63 - Long.numberOfLeadingZeros(average);
        }

        private void learn(final long zz) {
            final long seen = zz < 0 || zz > AVERAGE_MAX ? AVERAGE_MAX : zz;
            average += (seen - average) / 4;
        }

        /** @param bits the value's bits, rounded to the field's precision (dropped bits zero) */
        void write(final Writer w, final long bits) {
            final long r = rank(bits);
            final long delta = r - previous;
            final long zz = delta << 1 ^ delta >> 63;
            previous = r;
            final int k = k();
            final long q = zz >>> k;
            if (q >= 0 && q < ESCAPE) { // q < 0: a change of more than 2^62 units (k = 0)
                w.write(-1L, (int)q);
                w.write(0, 1);
                w.write(zz, k);
            } else {
                w.write(-1L, ESCAPE);
                w.write(zz, 64);
            }
            learn(zz);
        }

        long read(final Reader r) {
            int q = 0;
            while (q < ESCAPE && r.bit()) {
                q++;
            }
            final long zz = q < ESCAPE ? (long)q << k() | r.read(k()) : r.read(64);
            learn(zz);
            previous += zz >>> 1 ^ -(zz & 1);
            final long bits = bits(previous);
            if (drop > 0 && (bits & (1L << drop) - 1) != 0) {
                throw new IllegalArgumentException(r.what() + " with a value outside its precision");
            }
            return bits;
        }
    }

    /** Writes a signed integer in the small-integer code (see the class comment). */
    static void writeSmall(final Writer w, final long v) {
        final long z = v << 1 ^ v >> 63;
        if (z == 0) {
            w.write(0, 1);
        } else if (z >>> 7 == 0) {
            w.write(0b10, 2);
            w.write(z, 7);
        } else if (z >>> 14 == 0) {
            w.write(0b110, 3);
            w.write(z, 14);
        } else if (z >>> 24 == 0) {
            w.write(0b1110, 4);
            w.write(z, 24);
        } else {
            w.write(0b1111, 4);
            w.write(z, 64);
        }
    }

    static long readSmall(final Reader r) {
        final long z;
        if (!r.bit()) {
            z = 0;
        } else if (!r.bit()) {
            z = r.read(7);
        } else if (!r.bit()) {
            z = r.read(14);
        } else if (!r.bit()) {
            z = r.read(24);
        } else {
            z = r.read(64);
        }
        return z >>> 1 ^ -(z & 1);
    }
}
