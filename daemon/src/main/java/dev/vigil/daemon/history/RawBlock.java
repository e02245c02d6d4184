package dev.vigil.daemon.history;

import dev.vigil.daemon.detect.AgentStatus;

import java.util.function.Consumer;

/**
 * The raw observations of one agent in one minute, in arrival order, as stored under the key
 * (agent, minute). Written in version 2, compressed without loss; version 1 (uncompressed) is
 * still read. Both start with the same header, little-endian:
 * <pre>
 *   0  version        u8 (2; 1: uncompressed)
 *   1  dimension      u8
 *   2  count          u16
 *   4  entries
 * </pre>
 * What one entry holds: offset (µs since the minute's start, below 60,000,000), flags (bit 0:
 * entered the baseline; bits 1-2: status after it, the AgentStatus ordinal), d2 (f32, the squared
 * Mahalanobis distance it scored, NaN while warming up), cusum (f32, after it), and the values (f64
 * x dimension, as received, untransformed).
 *
 * <p>Version 1, {@link #entryLength} = 13 + 8 x dimension bytes each: offset u32, flags u8, d2
 * f32, cusum f32, values f64 x dimension.
 *
 * <p>Version 2 (Gorilla's ideas, byte-aligned so that decoding is a few shifts per field): each
 * field is predicted from the same field of the entry before (0 for the first) and only what
 * differs is written:
 * <pre>
 *   offset   zigzag varint of offset - (2 x previous - the one before): delta of deltas, so
 *            evenly spaced reports cost one byte; any order and any gap is exact
 *   flags    u8
 *   d2       xor with the previous bits: a control byte (leading zero bytes << 4 | bytes kept),
 *   cusum    then the kept bytes, most significant first (trailing zero bytes are dropped)
 *   values   per feature, the same with 64-bit xor (0 bytes kept: the same value again)
 * </pre>
 * Bits are compared, not numbers, so NaN payloads, -0.0 and infinities come back exactly. A
 * value equal to the previous one costs 1 byte, a whole number near the previous one about 3,
 * a value with all 52 mantissa bits random 8 or 9 (never more than 9 per f64, 5 per f32).
 *
 * <p>Appending rewrites the block (it is read to find the previous entry, then the new one is
 * encoded after it); a minute holds at most {@code count} u16 entries, and the daemon bounds it
 * far lower (storage.observations_per_minute_max). Decoding checks every length: a block that is
 * not one (cut short, trailing bytes, a bad control byte) raises IllegalArgumentException.
 */
public final class RawBlock {
    public static final int VERSION = 2;
    static final int VERSION_UNCOMPRESSED = 1;
    public static final int HEADER = 4;
    public static final long MINUTE_MICROS = 60_000_000L;
    /** Most bytes one version-2 entry takes: offset varint 10, flags 1, two f32 at 5, f64 at 9 each. */
    static int entryLengthMax(final int dimension) {
        return 10 + 1 + 5 + 5 + 9 * dimension;
    }

    private RawBlock() {
    }

    /** Bytes of one uncompressed (version 1) entry: what keeping every raw observation as received costs. */
    public static int entryLength(final int dimension) {
        return 13 + 8 * dimension;
    }

    /**
     * Bytes one compressed entry takes when its values carry all their mantissa bits (the worst
     * common case; whole or repeated numbers take far less): what the raw store is laid out for.
     */
    public static int entryLengthTypical(final int dimension) {
        return 12 + 8 * dimension;
    }

    /** One stored observation. */
    public record Entry(long tsMicros, boolean inBaseline, AgentStatus status, float d2, float cusum, double[] values) {
    }

    /** @return the count of entries in an encoded block, after checking its header */
    public static int count(final byte[] block, final int dimension) {
        check(block, dimension);
        return (block[2] & 0xFF) | (block[3] & 0xFF) << 8;
    }

    /** A new block: {@code block} (null for the minute's first) with {@code e} appended, in version 2. */
    public static byte[] append(final byte[] block, final int dimension, final long minute, final Entry e) {
        final long offset = e.tsMicros() - minute * MINUTE_MICROS;
        if (offset < 0 || offset >= MINUTE_MICROS) {
            throw new IllegalArgumentException("observation at " + e.tsMicros() + " µs is not in minute " + minute);
        }
        if (e.values().length != dimension) {
            throw new IllegalArgumentException(e.values().length + " values, dimension " + dimension);
        }
        final State s = new State(dimension);
        final int n;
        final byte[] prefix;
        if (block == null) {
            n = 0;
            prefix = new byte[]{(byte)VERSION, (byte)dimension, 0, 0};
        } else {
            n = count(block, dimension);
            if (n >= 0xFFFF) {
                throw new IllegalStateException("a raw block holds at most 65535 observations");
            }
            prefix = block[0] == VERSION ? block : reencode(block, dimension, minute, n);
            final Reader r = new Reader(prefix, HEADER);
            for (int k = 0; k < n; k++) {
                s.read(r);
            }
            if (r.at != prefix.length) {
                throw new IllegalArgumentException("raw block of " + prefix.length + " bytes has " + (prefix.length - r.at)
                    + " bytes after its " + n + " entries");
            }
        }
        final byte[] out = java.util.Arrays.copyOf(prefix, prefix.length + entryLengthMax(dimension));
        final int end = s.write(out, prefix.length, offset, (e.inBaseline() ? 1 : 0) | e.status().ordinal() << 1,
            Float.floatToRawIntBits(e.d2()), Float.floatToRawIntBits(e.cusum()), e.values());
        out[2] = (byte)(n + 1);
        out[3] = (byte)((n + 1) >>> 8);
        return java.util.Arrays.copyOf(out, end);
    }

    /** A version-1 block's entries in version 2 (an older block appended to). */
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
        if (block[0] == VERSION_UNCOMPRESSED) {
            forEachUncompressed(block, dimension, minute, n, sink);
            return;
        }
        final State s = new State(dimension);
        final Reader r = new Reader(block, HEADER);
        final AgentStatus[] statuses = AgentStatus.values();
        for (int k = 0; k < n; k++) {
            s.read(r);
            final int status = s.flags >>> 1 & 3;
            if (status >= statuses.length || (s.flags & ~7) != 0) {
                throw new IllegalArgumentException("raw entry with flags " + s.flags);
            }
            final double[] v = new double[dimension];
            for (int i = 0; i < dimension; i++) {
                v[i] = Double.longBitsToDouble(s.values[i]);
            }
            sink.accept(new Entry(minute * MINUTE_MICROS + s.offset, (s.flags & 1) != 0, statuses[status],
                Float.intBitsToFloat(s.d2), Float.intBitsToFloat(s.cusum), v));
        }
        if (r.at != block.length) {
            throw new IllegalArgumentException("raw block of " + block.length + " bytes has " + (block.length - r.at)
                + " bytes after its " + n + " entries");
        }
    }

    private static void forEachUncompressed(final byte[] block, final int dimension, final long minute, final int n,
                                            final Consumer<Entry> sink) {
        final int len = entryLength(dimension);
        if (block.length != HEADER + n * len) {
            throw new IllegalArgumentException("raw block of " + block.length + " bytes cannot hold " + n + " entries of " + len);
        }
        final java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(block).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < n; k++) {
            in.position(HEADER + k * len);
            final long ts = minute * MINUTE_MICROS + (in.getInt() & 0xFFFF_FFFFL);
            final int flags = in.get() & 0xFF;
            final float d2 = in.getFloat();
            final float cusum = in.getFloat();
            final double[] v = new double[dimension];
            for (int i = 0; i < dimension; i++) {
                v[i] = in.getDouble();
            }
            final int status = flags >>> 1 & 3;
            if (status >= AgentStatus.values().length) {
                throw new IllegalArgumentException("raw entry with status " + status);
            }
            sink.accept(new Entry(ts, (flags & 1) != 0, AgentStatus.values()[status], d2, cusum, v));
        }
    }

    private static void check(final byte[] block, final int dimension) {
        if (block.length < HEADER || (block[0] != VERSION && block[0] != VERSION_UNCOMPRESSED) || (block[1] & 0xFF) != dimension) {
            throw new IllegalArgumentException("not a version-" + VERSION + " (or " + VERSION_UNCOMPRESSED + ") raw block of dimension "
                + dimension);
        }
    }

    /** The previous entry's fields, which the next one is predicted from (all 0 before the first). */
    private static final class State {
        long offset;
        long delta;
        int flags;
        int d2;
        int cusum;
        final long[] values;

        State(final int dimension) {
            values = new long[dimension];
        }

        void read(final Reader r) {
            final long predicted = offset + delta;
            final long next = predicted + unzigzag(r.varint());
            if (next < 0 || next >= MINUTE_MICROS) {
                throw new IllegalArgumentException("raw entry offset " + next + " µs is outside its minute");
            }
            delta = next - offset;
            offset = next;
            flags = r.u8();
            d2 ^= (int)r.xor(4);
            cusum ^= (int)r.xor(4);
            for (int i = 0; i < values.length; i++) {
                values[i] ^= r.xor(8);
            }
        }

        /** Encodes one entry after the current state at {@code at}, advances the state, returns the end. */
        int write(final byte[] out, final int at, final long nextOffset, final int nextFlags, final int nextD2, final int nextCusum,
                  final double[] nextValues) {
            int p = writeVarint(out, at, zigzag(nextOffset - (offset + delta)));
            delta = nextOffset - offset;
            offset = nextOffset;
            out[p++] = (byte)nextFlags;
            flags = nextFlags;
            p = writeXor(out, p, (nextD2 ^ d2) & 0xFFFF_FFFFL, 4);
            d2 = nextD2;
            p = writeXor(out, p, (nextCusum ^ cusum) & 0xFFFF_FFFFL, 4);
            cusum = nextCusum;
            for (int i = 0; i < values.length; i++) {
                final long bits = Double.doubleToRawLongBits(nextValues[i]);
                p = writeXor(out, p, bits ^ values[i], 8);
                values[i] = bits;
            }
            return p;
        }
    }

    private static long zigzag(final long v) {
        return v << 1 ^ v >> 63;
    }

    private static long unzigzag(final long v) {
        return v >>> 1 ^ -(v & 1);
    }

    private static int writeVarint(final byte[] out, final int at, final long v) {
        int p = at;
        long rest = v;
        while ((rest & ~0x7FL) != 0) {
            out[p++] = (byte)(rest & 0x7F | 0x80);
            rest >>>= 7;
        }
        out[p++] = (byte)rest;
        return p;
    }

    /** A control byte (leading zero bytes << 4 | bytes kept) and the kept bytes of an xor {@code width} bytes wide. */
    private static int writeXor(final byte[] out, final int at, final long xor, final int width) {
        if (xor == 0) {
            out[at] = 0;
            return at + 1;
        }
        final int lead = (Long.numberOfLeadingZeros(xor) - 8 * (8 - width)) / 8;
        final int trail = Long.numberOfTrailingZeros(xor) / 8;
        final int kept = width - lead - trail;
        int p = at;
        out[p++] = (byte)(lead << 4 | kept);
        for (int b = kept - 1; b >= 0; b--) {
            out[p++] = (byte)(xor >>> 8 * (trail + b));
        }
        return p;
    }

    /** Reads a version-2 block, every read bounds-checked. */
    private static final class Reader {
        final byte[] bytes;
        int at;

        Reader(final byte[] bytes, final int at) {
            this.bytes = bytes;
            this.at = at;
        }

        int u8() {
            if (at >= bytes.length) {
                throw new IllegalArgumentException("raw block of " + bytes.length + " bytes cut short");
            }
            return bytes[at++] & 0xFF;
        }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                final int b = u8();
                v |= (long)(b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw new IllegalArgumentException("raw block with a varint longer than 10 bytes");
        }

        long xor(final int width) {
            final int control = u8();
            final int lead = control >>> 4;
            final int kept = control & 0xF;
            if (control == 0) {
                return 0;
            }
            if (kept == 0 || lead + kept > width) {
                throw new IllegalArgumentException("raw block with control byte " + control + " for a " + width + "-byte field");
            }
            long v = 0;
            for (int b = 0; b < kept; b++) {
                v = v << 8 | u8();
            }
            return v << 8 * (width - lead - kept);
        }
    }
}
