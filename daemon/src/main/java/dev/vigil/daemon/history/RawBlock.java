package dev.vigil.daemon.history;

import dev.vigil.daemon.detect.AgentStatus;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The raw observations of one agent in one minute, in arrival order, as stored under the key
 * (agent, minute). Little-endian:
 * <pre>
 *   0  version        u8 (1)
 *   1  dimension      u8
 *   2  count          u16
 *   4  entries        count x (13 + 8 x dimension) bytes:
 *        offset       u32  µs since the minute's start
 *        flags        u8   bit 0: entered the baseline; bits 1-2: status after it (AgentStatus ordinal)
 *        d2           f32  squared Mahalanobis distance it scored (NaN while warming up)
 *        cusum        f32  the agent's CUSUM after it
 *        values       f64 x dimension, as received (untransformed)
 * </pre>
 * Appending rewrites the block; a minute holds at most {@code count} u16 entries, and the daemon
 * bounds it far lower (storage.observations_per_minute_max).
 */
public final class RawBlock {
    public static final int VERSION = 1;
    public static final int HEADER = 4;
    public static final long MINUTE_MICROS = 60_000_000L;

    private RawBlock() {
    }

    public static int entryLength(final int dimension) {
        return 13 + 8 * dimension;
    }

    /** One stored observation. */
    public record Entry(long tsMicros, boolean inBaseline, AgentStatus status, float d2, float cusum, double[] values) {
    }

    /** @return the count of entries in an encoded block, after checking its header */
    public static int count(final byte[] block, final int dimension) {
        check(block, dimension);
        return (block[2] & 0xFF) | (block[3] & 0xFF) << 8;
    }

    /** A new block: {@code block} (null for the minute's first) with {@code e} appended. */
    public static byte[] append(final byte[] block, final int dimension, final long minute, final Entry e) {
        final int n = block == null ? 0 : count(block, dimension);
        if (n >= 0xFFFF) {
            throw new IllegalStateException("a raw block holds at most 65535 observations");
        }
        final int len = entryLength(dimension);
        final ByteBuffer out = ByteBuffer.allocate(HEADER + (n + 1) * len).order(ByteOrder.LITTLE_ENDIAN);
        if (block == null) {
            out.put((byte)VERSION).put((byte)dimension).putShort((short)1);
        } else {
            out.put(block, 0, HEADER + n * len);
            out.putShort(2, (short)(n + 1));
        }
        final long offset = e.tsMicros() - minute * MINUTE_MICROS;
        if (offset < 0 || offset >= MINUTE_MICROS) {
            throw new IllegalArgumentException("observation at " + e.tsMicros() + " µs is not in minute " + minute);
        }
        out.position(HEADER + n * len);
        out.putInt((int)offset);
        out.put((byte)((e.inBaseline() ? 1 : 0) | e.status().ordinal() << 1));
        out.putFloat(e.d2());
        out.putFloat(e.cusum());
        for (int i = 0; i < dimension; i++) {
            out.putDouble(e.values()[i]);
        }
        return out.array();
    }

    /** Calls {@code sink} for each entry, in arrival order. */
    public static void forEach(final byte[] block, final int dimension, final long minute, final java.util.function.Consumer<Entry> sink) {
        final int n = count(block, dimension);
        final int len = entryLength(dimension);
        if (block.length != HEADER + n * len) {
            throw new IllegalArgumentException("raw block of " + block.length + " bytes cannot hold " + n + " entries of " + len);
        }
        final ByteBuffer in = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
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
        if (block.length < HEADER || block[0] != VERSION || (block[1] & 0xFF) != dimension) {
            throw new IllegalArgumentException("not a version-" + VERSION + " raw block of dimension " + dimension);
        }
    }
}
