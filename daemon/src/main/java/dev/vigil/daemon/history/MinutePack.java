package dev.vigil.daemon.history;

import dev.vigil.daemon.detect.AgentStatus;

/**
 * One agent's minute rollups of one hour, in one store entry under the key (agent, hour): a
 * minute entry of its own cost 48 bytes of key, checksum and Chronicle Map overhead beside its
 * statistics, and a week of them 10 million entries for 1,000 agents. Version 2, written:
 * <pre>
 *   0  version    u8 (2)
 *   1  dimension  u8
 *   2  present    u64 little-endian, bit m set: minute m of the hour (0..59) is held
 *  10  precision  u8, mantissa bits the statistics are rounded to (1..52)
 *  11  minutes    a bit stream ({@link Bits}), one minute after another in minute order, each
 *                 field predicted from the same field of the minute before:
 *                   count       small-integer code of the difference (the first: from 0)
 *                   newest ts   small-integer code of ts - (previous ts + 60 s x minutes between)
 *                   worst       '0' the same, or '1' and 2 bits (AgentStatus ordinal)
 *                   d2 max      the change of its rank, adaptive Rice code (Bits.RankField)
 *                   cusum       the same
 *                   mean, m2    the same, per feature
 * </pre>
 * The statistics (d2 max, cusum, each mean and sum of squared deviations) are rounded to
 * {@code storage.minute_precision_bits} bits of mantissa before they are coded (to nearest, ties
 * to even; NaN becomes the canonical NaN), which is what makes them small: a minute's value is
 * then a few units of its last kept place from the minute before's. Count, timestamp and status
 * are exact. Hours ({@link Rollup} at f32) and days (f64) are not rounded further; a week of
 * minutes is the largest tier and is read for charts.
 *
 * <p>Version 1 (each minute a {@link Rollup} encoded at f32 after the first 10 bytes of the same
 * header) is still read, and rewritten in version 2 when a minute of it is set.
 *
 * <p>Put whole on every change (a later minute appended to the bytes last made, {@link #append};
 * any other change decodes the hour and codes it again), so a put of it goes through the history's
 * write-ahead record like every other put that rewrites acknowledged data.
 */
public final class MinutePack {
    static final int VERSION = 2;
    private static final int VERSION_F32 = 1;
    static final int HEADER = 11;
    private static final int HEADER_F32 = 10;
    public static final int MINUTES = 60;
    /** Mantissa bits of an f64: a precision of this many keeps the statistics exactly. */
    public static final int PRECISION_EXACT = 52;
    private static final long MINUTE_MICROS = Tier.MINUTE.bucketMicros();

    private MinutePack() {
    }

    /** The hour a minute's rollup is packed under. */
    public static long hourOf(final long minute) {
        return Math.floorDiv(minute, MINUTES);
    }

    /** Bytes a pack of {@code minutes} minutes typically takes (for sizing the store). */
    static int typicalLength(final int dimension, final int minutes) {
        return HEADER + minutes * (6 + 3 * dimension);
    }

    /** The rollup of {@code minute} in {@code pack}, or null when the pack does not hold it. */
    public static Rollup rollup(final byte[] pack, final int dimension, final long minute) {
        return decode(pack, dimension)[(int)Math.floorMod(minute, (long)MINUTES)];
    }

    /** Minutes held. */
    public static int count(final byte[] pack, final int dimension) {
        return Long.bitCount(present(pack, dimension));
    }

    /**
     * A new pack: the hour's {@code minutes} as {@link #decode}d (null for none yet) with
     * {@code minute}'s rollup set to {@code r}, every minute rounded to {@code precisionBits}.
     */
    public static byte[] with(final Rollup[] minutes, final int dimension, final int precisionBits, final long minute, final Rollup r) {
        return withPacked(minutes, dimension, precisionBits, minute, r).bytes();
    }

    /** {@link #with}, keeping what a later minute's {@link #append} needs. */
    static Packed withPacked(final Rollup[] minutes, final int dimension, final int precisionBits, final long minute, final Rollup r) {
        if (r.dimension() != dimension) {
            throw new IllegalArgumentException("a rollup of dimension " + r.dimension() + " in a pack of dimension " + dimension);
        }
        final Rollup[] all = minutes == null ? new Rollup[MINUTES] : minutes.clone();
        all[(int)Math.floorMod(minute, (long)MINUTES)] = r;
        return encodePacked(all, dimension, precisionBits);
    }

    /**
     * A pack as written, with the fields of its last minute and where its bits end: a later minute
     * is then appended without decoding and re-encoding the others (the write path flushes minutes
     * in order, so this is the common case).
     *
     * @param last the slot (0..59) of the last minute held
     */
    record Packed(byte[] bytes, long present, int last, long bits, int precisionBits, Fields after) {
        /** Whether {@code minute} comes after every minute held, so that {@link #append} can take it. */
        boolean appendable(final long minute, final int precision) {
            return precision == precisionBits && Math.floorMod(minute, (long)MINUTES) > last;
        }
    }

    /**
     * {@code p} with a later minute appended (see {@link Packed#appendable}): the same bytes
     * {@link #with} would give. {@code p} is left as it was.
     */
    static Packed append(final Packed p, final int dimension, final long minute, final Rollup r) {
        final int slot = (int)Math.floorMod(minute, (long)MINUTES);
        if (slot <= p.last() || r.dimension() != dimension) {
            throw new IllegalArgumentException("minute " + slot + " does not come after minute " + p.last() + " of the pack");
        }
        final Fields f = p.after().copy();
        final Bits.Writer w = new Bits.Writer(p.bytes(), p.bits(), typicalLength(dimension, 1));
        writeMinute(w, f, slot, r, p.precisionBits());
        final long present = p.present() | 1L << slot;
        for (int i = 0; i < 8; i++) {
            w.setByte(2 + i, (int)(present >>> 8 * i) & 0xFF);
        }
        return new Packed(w.toBytes(), present, slot, w.bits(), p.precisionBits(), f);
    }

    /** The rollups of every minute of the hour, null where the pack holds none. */
    public static Rollup[] decode(final byte[] pack, final int dimension) {
        final long present = present(pack, dimension);
        final Rollup[] out = new Rollup[MINUTES];
        if (pack[0] == VERSION_F32) {
            final int len = Rollup.encodedLength(dimension, 4);
            int at = HEADER_F32;
            for (int m = 0; m < MINUTES; m++) {
                if ((present >>> m & 1) != 0) {
                    out[m] = new Rollup(dimension).decodeInto(java.util.Arrays.copyOfRange(pack, at, at + len));
                    at += len;
                }
            }
            return out;
        }
        final int precision = pack[10] & 0xFF;
        if (precision < 1 || precision > PRECISION_EXACT) {
            throw new IllegalArgumentException("minute pack with a precision of " + precision + " bits");
        }
        final Bits.Reader in = new Bits.Reader(pack, HEADER, "minute pack");
        final Fields f = new Fields(dimension, precision);
        final AgentStatus[] statuses = AgentStatus.values();
        for (int m = 0; m < MINUTES; m++) {
            if ((present >>> m & 1) == 0) {
                continue;
            }
            final Rollup r = new Rollup(dimension);
            f.count += Bits.readSmall(in);
            if (f.count < 0 || f.count > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("minute pack with a count of " + f.count);
            }
            r.count = f.count;
            f.newest = f.predictedNewest(m) + Bits.readSmall(in);
            r.newestTsMicros = f.newest;
            f.minute = m;
            if (in.bit()) {
                f.worst = (int)in.read(2);
                if (f.worst >= statuses.length) {
                    throw new IllegalArgumentException("minute pack with status " + f.worst);
                }
            }
            r.worst = statuses[f.worst];
            r.d2Max = Double.longBitsToDouble(f.d2Max.read(in));
            r.cusum = Double.longBitsToDouble(f.cusum.read(in));
            for (int i = 0; i < dimension; i++) {
                r.mean[i] = Double.longBitsToDouble(f.mean[i].read(in));
                r.m2[i] = Double.longBitsToDouble(f.m2[i].read(in));
            }
            out[m] = r;
        }
        in.expectEnd("its " + Long.bitCount(present) + " minutes");
        return out;
    }

    /** A version-2 pack of the given minutes (null: not held), rounded to {@code precisionBits}. */
    static byte[] encode(final Rollup[] minutes, final int dimension, final int precisionBits) {
        return encodePacked(minutes, dimension, precisionBits).bytes();
    }

    private static Packed encodePacked(final Rollup[] minutes, final int dimension, final int precisionBits) {
        if (precisionBits < 1 || precisionBits > PRECISION_EXACT) {
            throw new IllegalArgumentException("precision must be 1 to " + PRECISION_EXACT + " bits, not " + precisionBits);
        }
        long present = 0;
        for (int m = 0; m < MINUTES; m++) {
            present |= minutes[m] == null ? 0 : 1L << m;
        }
        final Bits.Writer w = new Bits.Writer(typicalLength(dimension, Long.bitCount(present)));
        w.write(VERSION, 8);
        w.write(dimension, 8);
        w.write(Long.reverseBytes(present), 64);
        w.write(precisionBits, 8);
        final Fields f = new Fields(dimension, precisionBits);
        int last = -1;
        for (int m = 0; m < MINUTES; m++) {
            if (minutes[m] != null) {
                writeMinute(w, f, m, minutes[m], precisionBits);
                last = m;
            }
        }
        return new Packed(w.toBytes(), present, last, w.bits(), precisionBits, f);
    }

    /** Writes minute {@code m} after the minute {@code f} holds, and advances {@code f}. */
    private static void writeMinute(final Bits.Writer w, final Fields f, final int m, final Rollup r, final int precisionBits) {
        Bits.writeSmall(w, r.count - f.count);
        f.count = r.count;
        Bits.writeSmall(w, r.newestTsMicros - f.predictedNewest(m));
        f.newest = r.newestTsMicros;
        f.minute = m;
        if (r.worst.ordinal() == f.worst) {
            w.bit(false);
        } else {
            w.bit(true);
            w.write(r.worst.ordinal(), 2);
            f.worst = r.worst.ordinal();
        }
        f.d2Max.write(w, round(r.d2Max, precisionBits));
        f.cusum.write(w, round(r.cusum, precisionBits));
        for (int i = 0; i < f.mean.length; i++) {
            f.mean[i].write(w, round(r.mean[i], precisionBits));
            f.m2[i].write(w, round(r.m2[i], precisionBits));
        }
    }

    /**
     * The bits of {@code v} with its mantissa rounded to {@code keep} bits (to nearest, ties to
     * even; a finite value never rounds to infinity); NaN becomes the canonical NaN.
     */
    static long round(final double v, final int keep) {
        if (Double.isNaN(v)) {
            return Double.doubleToLongBits(Double.NaN);
        }
        final long bits = Double.doubleToRawLongBits(v);
        if (keep >= PRECISION_EXACT || Double.isInfinite(v)) {
            return bits;
        }
        final int drop = PRECISION_EXACT - keep;
        final long lsb = bits >>> drop & 1;
        final long rounded = (bits + (1L << (drop - 1)) - 1 + lsb) & -(1L << drop);
        if ((rounded & 0x7FF0_0000_0000_0000L) == 0x7FF0_0000_0000_0000L) {
            return (bits | 0x000F_FFFF_FFFF_FFFFL) & -(1L << drop); // the largest finite value at this precision
        }
        return rounded;
    }

    /** The fields of the minute before, which the next is predicted from. */
    static final class Fields {
        long count;
        long newest;
        int minute = -1;
        int worst;
        Bits.RankField d2Max;
        Bits.RankField cusum;
        final Bits.RankField[] mean;
        final Bits.RankField[] m2;

        /** Minute {@code m}'s newest timestamp if it came as far into its minute as the one before: 0 for the first. */
        long predictedNewest(final int m) {
            return minute < 0 ? 0 : newest + (m - minute) * MINUTE_MICROS;
        }

        Fields copy() {
            final Fields c = new Fields(mean.length, 1);
            c.count = count;
            c.newest = newest;
            c.minute = minute;
            c.worst = worst;
            c.d2Max = d2Max.copy();
            c.cusum = cusum.copy();
            for (int i = 0; i < mean.length; i++) {
                c.mean[i] = mean[i].copy();
                c.m2[i] = m2[i].copy();
            }
            return c;
        }

        Fields(final int dimension, final int precision) {
            d2Max = new Bits.RankField(precision);
            cusum = new Bits.RankField(precision);
            mean = new Bits.RankField[dimension];
            m2 = new Bits.RankField[dimension];
            for (int i = 0; i < dimension; i++) {
                mean[i] = new Bits.RankField(precision);
                m2[i] = new Bits.RankField(precision);
            }
        }
    }

    /** The present-minutes bitmap, after checking the header (and a version-1 pack's length). */
    private static long present(final byte[] pack, final int dimension) {
        if (pack.length < (pack.length > 0 && pack[0] == VERSION_F32 ? HEADER_F32 : HEADER)
            || (pack[0] != VERSION && pack[0] != VERSION_F32) || (pack[1] & 0xFF) != dimension) {
            throw new IllegalArgumentException("not a version-" + VERSION + " (or " + VERSION_F32 + ") minute pack of dimension "
                + dimension);
        }
        long present = 0;
        for (int i = 7; i >= 0; i--) {
            present = present << 8 | (pack[2 + i] & 0xFF);
        }
        if ((present >>> MINUTES) != 0
            || (pack[0] == VERSION_F32 && pack.length != HEADER_F32 + Long.bitCount(present) * Rollup.encodedLength(dimension, 4))) {
            throw new IllegalArgumentException("a minute pack of " + pack.length + " bytes does not hold the minutes its bitmap "
                + Long.toHexString(present) + " says");
        }
        return present;
    }
}
