package dev.vigil.daemon.history;

import dev.vigil.daemon.detect.AgentStatus;

import java.util.function.Consumer;

/**
 * Reading the raw-block versions this daemon no longer writes, so that stores written by an
 * earlier Vigil still read (an append re-encodes the block in the current version). Both start
 * with {@link RawBlock}'s header.
 *
 * <p>Version 1, uncompressed, {@link RawBlock#entryLength} = 13 + 8 x dimension bytes each:
 * offset u32, flags u8, d2 f32, cusum f32, values f64 x dimension, little-endian.
 *
 * <p>Version 2, byte-aligned prediction from the entry before (0 for the first):
 * <pre>
 *   offset   zigzag varint of offset - (2 x previous - the one before)
 *   flags    u8
 *   d2       xor with the previous bits: a control byte (leading zero bytes &lt;&lt; 4 | bytes kept),
 *   cusum    then the kept bytes, most significant first (trailing zero bytes are dropped)
 *   values   per feature, the same with 64-bit xor (control byte 0: the same value again)
 * </pre>
 */
final class RawBlockLegacy {
    static final int VERSION_UNCOMPRESSED = 1;
    static final int VERSION_BYTES = 2;
    private static final long MINUTE_MICROS = RawBlock.MINUTE_MICROS;

    private RawBlockLegacy() {
    }

    /** Calls {@code sink} for each entry of a version-1 or version-2 block, in arrival order. */
    static void forEach(final byte[] block, final int dimension, final long minute, final int n, final Consumer<RawBlock.Entry> sink) {
        if (block[0] == VERSION_UNCOMPRESSED) {
            forEachUncompressed(block, dimension, minute, n, sink);
            return;
        }
        final State s = new State(dimension);
        final Reader r = new Reader(block, RawBlock.HEADER);
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
            sink.accept(new RawBlock.Entry(minute * MINUTE_MICROS + s.offset, (s.flags & 1) != 0, statuses[status],
                Float.intBitsToFloat(s.d2), Float.intBitsToFloat(s.cusum), v));
        }
        if (r.at != block.length) {
            throw new IllegalArgumentException("raw block of " + block.length + " bytes has " + (block.length - r.at)
                + " bytes after its " + n + " entries");
        }
    }

    private static void forEachUncompressed(final byte[] block, final int dimension, final long minute, final int n,
                                            final Consumer<RawBlock.Entry> sink) {
        final int len = RawBlock.entryLength(dimension);
        if (block.length != RawBlock.HEADER + n * len) {
            throw new IllegalArgumentException("raw block of " + block.length + " bytes cannot hold " + n + " entries of " + len);
        }
        final java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(block).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < n; k++) {
            in.position(RawBlock.HEADER + k * len);
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
            sink.accept(new RawBlock.Entry(ts, (flags & 1) != 0, AgentStatus.values()[status], d2, cusum, v));
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
    }

    private static long unzigzag(final long v) {
        return v >>> 1 ^ -(v & 1);
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
