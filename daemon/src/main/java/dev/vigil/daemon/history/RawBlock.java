package dev.vigil.daemon.history;

import dev.vigil.daemon.detect.AgentStatus;

import java.util.function.Consumer;

/**
 * The raw observations of one agent in one minute, in arrival order, as stored under the key
 * (agent, minute). Written in version 3, compressed without loss; versions 1 (uncompressed) and 2
 * (byte-aligned) are still read ({@link RawBlockLegacy}) and re-encoded when appended to. Every
 * version starts with the same header:
 * <pre>
 *   0  version        u8 (3)
 *   1  dimension      u8
 *   2  count          u16, little-endian
 *   4  entries
 * </pre>
 * What one entry holds: offset (µs since the minute's start, below 60,000,000), flags (bit 0:
 * entered the baseline; bits 1-2: status after it, the AgentStatus ordinal), d2 (f32, the squared
 * Mahalanobis distance it scored, NaN while warming up), cusum (f32, after it), and the values (f64
 * x dimension, as received, untransformed).
 *
 * <p>Version 3 is a bit stream ({@link Bits}, most significant bit first, the last byte padded
 * with zeros) in which each field is predicted from the same field of the entry before (0 for
 * the first) and only what differs is written:
 * <pre>
 *   offset   the small-integer code of offset - (2 x previous - the one before): delta of
 *            deltas, so evenly spaced reports cost one bit; any order and any gap is exact
 *   flags    '0' the same as before, or '1' and 3 bits
 *   d2       Gorilla's xor code (Bits.XorField) on the f32 bits
 *   cusum    the same
 *   values   per feature, Gorilla's xor code on the f64 bits
 * </pre>
 * A value equal to the previous one costs 1 bit, a whole number near the previous one about 2
 * bytes, a value with all 52 mantissa bits random about 6.8 bytes (version 2: 8 to 9).
 *
 * <p>Appending rewrites the block (it is decoded to find the previous entry's fields and where
 * its bits end, then the new entry is written after them); a minute holds at most {@code count}
 * u16 entries, and the daemon bounds it far lower (storage.observations_per_minute_max). Decoding
 * checks every length: a block that is not one (cut short, trailing bytes, a bad window) raises
 * IllegalArgumentException.
 */
public final class RawBlock {
    public static final int VERSION = 3;
    public static final int HEADER = 4;
    public static final long MINUTE_MICROS = 60_000_000L;

    private RawBlock() {
    }

    /** Bytes of one uncompressed (version 1) entry: what keeping every raw observation as received costs. */
    public static int entryLength(final int dimension) {
        return 13 + 8 * dimension;
    }

    /**
     * Bytes one compressed entry of telemetry typically takes: counts near the last one's cost 2
     * to 3 bytes, ratios and means about 7 (measured with {@code vigil bench storage}: 46 bytes at
     * ten features). What the raw store is laid out for: Chronicle Map gives each entry of a
     * segment tier this much room on average and touches all of it as entries come and go, so
     * laying out for more than is stored costs disk, and for less only adds tiers.
     */
    public static int entryLengthTypical(final int dimension) {
        return 8 + 4 * dimension;
    }

    /** Most bytes one version-3 entry takes: offset 68 bits, flags 4, two f32 at 46, f64 at 78 each. */
    private static int entryLengthMax(final int dimension) {
        return (68 + 4 + 2 * 46 + 78 * dimension + 7) / 8;
    }

    /** One stored observation. */
    public record Entry(long tsMicros, boolean inBaseline, AgentStatus status, float d2, float cusum, double[] values) {
    }

    /** @return the count of entries in an encoded block, after checking its header */
    public static int count(final byte[] block, final int dimension) {
        if (block.length < HEADER || (block[1] & 0xFF) != dimension || (block[0] != VERSION
            && block[0] != RawBlockLegacy.VERSION_BYTES && block[0] != RawBlockLegacy.VERSION_UNCOMPRESSED)) {
            throw new IllegalArgumentException("not a version-" + VERSION + " (or " + RawBlockLegacy.VERSION_BYTES + " or "
                + RawBlockLegacy.VERSION_UNCOMPRESSED + ") raw block of dimension " + dimension);
        }
        return (block[2] & 0xFF) | (block[3] & 0xFF) << 8;
    }

    /** A new block: {@code block} (null for the minute's first) with {@code e} appended, in version 3. */
    public static byte[] append(final byte[] block, final int dimension, final long minute, final Entry e) {
        return appendAfter(block == null ? null : tail(block, dimension, minute), dimension, minute, e).bytes();
    }

    /**
     * A block in version 3 with where its bits end and its last entry's fields, which the next
     * entry is predicted from: what appending to it needs, without decoding it again.
     */
    public static final class Tail {
        private final byte[] bytes;
        private final int count;
        private final long bits;
        private final State after;

        private Tail(final byte[] bytes, final int count, final long bits, final State after) {
            this.bytes = bytes;
            this.count = count;
            this.bits = bits;
            this.after = after;
        }

        public byte[] bytes() {
            return bytes;
        }

        public int count() {
            return count;
        }
    }

    /** {@code block} decoded to its {@link Tail} (a block of an older version is re-encoded first). */
    public static Tail tail(final byte[] block, final int dimension, final long minute) {
        final int n = count(block, dimension);
        final byte[] current = block[0] == VERSION ? block : reencode(block, dimension, minute, n);
        final State s = new State(dimension);
        final Bits.Reader r = new Bits.Reader(current, HEADER, "raw block");
        for (int k = 0; k < n; k++) {
            s.read(r);
        }
        final long end = r.bits();
        r.expectEnd("its " + n + " entries");
        return new Tail(current, n, end, s);
    }

    /** A new block: {@code tail}'s (null for the minute's first) with {@code e} appended; {@code tail} is left as it was. */
    public static Tail appendAfter(final Tail tail, final int dimension, final long minute, final Entry e) {
        final long offset = e.tsMicros() - minute * MINUTE_MICROS;
        if (offset < 0 || offset >= MINUTE_MICROS) {
            throw new IllegalArgumentException("observation at " + e.tsMicros() + " µs is not in minute " + minute);
        }
        if (e.values().length != dimension) {
            throw new IllegalArgumentException(e.values().length + " values, dimension " + dimension);
        }
        final State s;
        final int n;
        final Bits.Writer w;
        if (tail == null) {
            n = 0;
            s = new State(dimension);
            w = new Bits.Writer(HEADER + entryLengthMax(dimension));
            w.write(VERSION, 8);
            w.write(dimension, 8);
            w.write(0, 16);
        } else {
            n = tail.count;
            if (n >= 0xFFFF) {
                throw new IllegalStateException("a raw block holds at most 65535 observations");
            }
            if (tail.after.values.length != dimension) {
                throw new IllegalArgumentException("a raw block of dimension " + tail.after.values.length + ", not " + dimension);
            }
            s = tail.after.copy();
            w = new Bits.Writer(tail.bytes, tail.bits, entryLengthMax(dimension));
        }
        s.write(w, offset, (e.inBaseline() ? 1 : 0) | e.status().ordinal() << 1, Float.floatToRawIntBits(e.d2()),
            Float.floatToRawIntBits(e.cusum()), e.values());
        w.setByte(2, (n + 1) & 0xFF);
        w.setByte(3, (n + 1) >>> 8);
        return new Tail(w.toBytes(), n + 1, w.bits(), s);
    }

    /** An older version's block in version 3 (an older block appended to). */
    private static byte[] reencode(final byte[] block, final int dimension, final long minute, final int n) {
        byte[] out = null;
        final java.util.List<Entry> entries = new java.util.ArrayList<>(n);
        forEach(block, dimension, minute, entries::add);
        for (final Entry x : entries) {
            out = append(out, dimension, minute, x);
        }
        return out == null ? new byte[]{(byte)VERSION, (byte)dimension, 0, 0} : out;
    }

    /** Calls {@code sink} for each entry, in arrival order. */
    public static void forEach(final byte[] block, final int dimension, final long minute, final Consumer<Entry> sink) {
        final int n = count(block, dimension);
        if (block[0] != VERSION) {
            RawBlockLegacy.forEach(block, dimension, minute, n, sink);
            return;
        }
        final State s = new State(dimension);
        final Bits.Reader r = new Bits.Reader(block, HEADER, "raw block");
        final AgentStatus[] statuses = AgentStatus.values();
        for (int k = 0; k < n; k++) {
            s.read(r);
            final int status = s.flags >>> 1 & 3;
            if (status >= statuses.length) {
                throw new IllegalArgumentException("raw entry with flags " + s.flags);
            }
            final double[] v = new double[dimension];
            for (int i = 0; i < dimension; i++) {
                v[i] = Double.longBitsToDouble(s.values[i].previous);
            }
            sink.accept(new Entry(minute * MINUTE_MICROS + s.offset, (s.flags & 1) != 0, statuses[status],
                Float.intBitsToFloat((int)s.d2.previous), Float.intBitsToFloat((int)s.cusum.previous), v));
        }
        r.expectEnd("its " + n + " entries");
    }

    /** The previous entry's fields, which the next one is predicted from (all 0 before the first). */
    private static final class State {
        long offset;
        long delta;
        int flags;
        Bits.XorField d2 = new Bits.XorField(32);
        Bits.XorField cusum = new Bits.XorField(32);
        final Bits.XorField[] values;

        State(final int dimension) {
            values = new Bits.XorField[dimension];
            for (int i = 0; i < dimension; i++) {
                values[i] = new Bits.XorField(64);
            }
        }

        State copy() {
            final State c = new State(values.length);
            c.offset = offset;
            c.delta = delta;
            c.flags = flags;
            c.d2 = d2.copy();
            c.cusum = cusum.copy();
            for (int i = 0; i < values.length; i++) {
                c.values[i] = values[i].copy();
            }
            return c;
        }

        void read(final Bits.Reader r) {
            final long next = offset + delta + Bits.readSmall(r);
            if (next < 0 || next >= MINUTE_MICROS) {
                throw new IllegalArgumentException("raw entry offset " + next + " µs is outside its minute");
            }
            delta = next - offset;
            offset = next;
            if (r.bit()) {
                flags = (int)r.read(3);
            }
            d2.read(r);
            cusum.read(r);
            for (final Bits.XorField v : values) {
                v.read(r);
            }
        }

        void write(final Bits.Writer w, final long nextOffset, final int nextFlags, final int nextD2, final int nextCusum,
                   final double[] nextValues) {
            Bits.writeSmall(w, nextOffset - (offset + delta));
            delta = nextOffset - offset;
            offset = nextOffset;
            if (nextFlags == flags) {
                w.bit(false);
            } else {
                w.bit(true);
                w.write(nextFlags, 3);
                flags = nextFlags;
            }
            d2.write(w, nextD2);
            cusum.write(w, nextCusum);
            for (int i = 0; i < values.length; i++) {
                values[i].write(w, Double.doubleToRawLongBits(nextValues[i]));
            }
        }
    }
}
