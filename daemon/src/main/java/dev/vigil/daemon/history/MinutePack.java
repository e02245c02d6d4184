package dev.vigil.daemon.history;

/**
 * One agent's minute rollups of one hour, in one store entry under the key (agent, hour): a
 * minute entry of its own cost 48 bytes of key, checksum and Chronicle Map overhead beside its
 * 104 bytes of statistics (at ten features), and a week of them 10 million entries for 1,000
 * agents. Little-endian:
 * <pre>
 *   0  version    u8 (1)
 *   1  dimension  u8
 *   2  present    u64, bit m set: minute m of the hour (0..59) is held
 *  10  rollups    one per present minute, in minute order, each {@link Rollup#encode}d at f32
 *                 ({@link Rollup#encodedLength}(dimension, 4) bytes)
 * </pre>
 * Written whole on every change (read, one minute set, written back), so a put of it goes through
 * the history's write-ahead record like every other put that rewrites acknowledged data.
 */
public final class MinutePack {
    static final int VERSION = 1;
    static final int HEADER = 10;
    public static final int MINUTES = 60;

    private MinutePack() {
    }

    /** The hour a minute's rollup is packed under. */
    public static long hourOf(final long minute) {
        return Math.floorDiv(minute, MINUTES);
    }

    /** The encoded rollup of {@code minute} in {@code pack}, or null when the pack does not hold it. */
    public static byte[] rollup(final byte[] pack, final int dimension, final long minute) {
        final long present = present(pack, dimension);
        final int slot = (int)Math.floorMod(minute, (long)MINUTES);
        if ((present >>> slot & 1) == 0) {
            return null;
        }
        final int len = Rollup.encodedLength(dimension, 4);
        final int at = HEADER + Long.bitCount(present & ((1L << slot) - 1)) * len;
        return java.util.Arrays.copyOfRange(pack, at, at + len);
    }

    /** A new pack: {@code pack} (null for none yet) with {@code minute}'s rollup set to {@code rollup} (f32-encoded). */
    public static byte[] with(final byte[] pack, final int dimension, final long minute, final byte[] rollup) {
        final int len = Rollup.encodedLength(dimension, 4);
        if (rollup.length != len) {
            throw new IllegalArgumentException("a minute rollup of dimension " + dimension + " is " + len + " bytes, not " + rollup.length);
        }
        final long present = pack == null ? 0 : present(pack, dimension);
        final int slot = (int)Math.floorMod(minute, (long)MINUTES);
        final boolean had = (present >>> slot & 1) != 0;
        final long after = present | 1L << slot;
        final byte[] out = new byte[HEADER + Long.bitCount(after) * len];
        out[0] = VERSION;
        out[1] = (byte)dimension;
        for (int i = 0; i < 8; i++) {
            out[2 + i] = (byte)(after >>> 8 * i);
        }
        final int before = Long.bitCount(present & ((1L << slot) - 1));
        final int at = HEADER + before * len;
        if (pack != null) {
            System.arraycopy(pack, HEADER, out, HEADER, before * len);
            final int restFrom = at + (had ? len : 0);
            System.arraycopy(pack, restFrom, out, at + len, pack.length - restFrom);
        }
        System.arraycopy(rollup, 0, out, at, len);
        return out;
    }

    /** Minutes held. */
    public static int count(final byte[] pack, final int dimension) {
        return Long.bitCount(present(pack, dimension));
    }

    /** The present-minutes bitmap, after checking the header and that the length matches it. */
    private static long present(final byte[] pack, final int dimension) {
        if (pack.length < HEADER || pack[0] != VERSION || (pack[1] & 0xFF) != dimension) {
            throw new IllegalArgumentException("not a version-" + VERSION + " minute pack of dimension " + dimension);
        }
        long present = 0;
        for (int i = 7; i >= 0; i--) {
            present = present << 8 | (pack[2 + i] & 0xFF);
        }
        if ((present >>> MINUTES) != 0 || pack.length != HEADER + Long.bitCount(present) * Rollup.encodedLength(dimension, 4)) {
            throw new IllegalArgumentException("a minute pack of " + pack.length + " bytes does not hold the minutes its bitmap "
                + Long.toHexString(present) + " says");
        }
        return present;
    }
}
