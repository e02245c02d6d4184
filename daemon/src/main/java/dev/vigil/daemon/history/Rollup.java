package dev.vigil.daemon.history;

import dev.vigil.daemon.detect.AgentStatus;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Mergeable statistics of an agent's observations in one time bucket: count, per-feature mean
 * and sum of squared deviations (Welford; Chan et al. to merge), the largest D² scored, the
 * CUSUM after the newest observation and the worst status reached. Per-feature (diagonal) only:
 * series show each feature's mean and spread; the full covariance that scoring needs lives in
 * the detector's baseline window, rebuilt from raw blocks after a restart.
 *
 * <p>Stored little-endian:
 * <pre>
 *   0  version      u8 (1)
 *   1  dimension    u8
 *   2  precision    u8 (4: f32 values, 8: f64)
 *   3  worst status u8
 *   4  count        u32
 *   8  newest ts    i64 µs
 *  16  d2 max       f32 (NaN: nothing scored)
 *  20  cusum        f32
 *  24  mean, m2     dimension x 2 values of the precision
 * </pre>
 * Hours are stored at f32 (a month of them is read for charts: seven significant digits are
 * plenty there), days at f64; minutes go into {@link MinutePack}s, rounded further. A rollup
 * stored at f64 by an earlier Vigil still reads: the precision is in its header.
 */
public final class Rollup {
    public static final int VERSION = 1;
    private static final int HEADER = 24;

    private final int d;
    long count;
    final double[] mean;
    final double[] m2;
    long newestTsMicros = Long.MIN_VALUE;
    double d2Max = Double.NaN;
    double cusum;
    AgentStatus worst = AgentStatus.NORMAL;

    public Rollup(final int dimension) {
        this.d = dimension;
        this.mean = new double[dimension];
        this.m2 = new double[dimension];
    }

    public static int encodedLength(final int dimension, final int precision) {
        return HEADER + 2 * dimension * precision;
    }

    public int dimension() {
        return d;
    }

    public long count() {
        return count;
    }

    public double mean(final int i) {
        return mean[i];
    }

    /** Population standard deviation of feature i, NaN when empty. */
    public double sd(final int i) {
        return count == 0 ? Double.NaN : Math.sqrt(Math.max(0, m2[i]) / count);
    }

    public double d2Max() {
        return d2Max;
    }

    public double cusum() {
        return cusum;
    }

    public AgentStatus worst() {
        return worst;
    }

    public long newestTsMicros() {
        return newestTsMicros;
    }

    public void clear() {
        count = 0;
        Arrays.fill(mean, 0);
        Arrays.fill(m2, 0);
        newestTsMicros = Long.MIN_VALUE;
        d2Max = Double.NaN;
        cusum = 0;
        worst = AgentStatus.NORMAL;
    }

    /** Adds one observation (raw values), with what it scored. */
    public void add(final long tsMicros, final double[] x, final double d2, final double cusumAfter, final AgentStatus status) {
        count++;
        for (int i = 0; i < d; i++) {
            final double delta = x[i] - mean[i];
            mean[i] += delta / count;
            m2[i] += delta * (x[i] - mean[i]);
        }
        if (!Double.isNaN(d2) && !(d2 <= d2Max)) {
            d2Max = d2;
        }
        if (tsMicros >= newestTsMicros) {
            newestTsMicros = tsMicros;
            cusum = cusumAfter;
        }
        if (status.ordinal() > worst.ordinal()) {
            worst = status;
        }
    }

    /** Merges another bucket's statistics in (Chan et al.). */
    public void merge(final Rollup o) {
        if (o.d != d) {
            throw new IllegalArgumentException("dimension " + o.d + " != " + d);
        }
        if (o.count == 0) {
            return;
        }
        final long n = count + o.count;
        for (int i = 0; i < d; i++) {
            final double delta = o.mean[i] - mean[i];
            mean[i] += delta * o.count / n;
            m2[i] += o.m2[i] + delta * delta * ((double)count * o.count / n);
        }
        count = n;
        if (!Double.isNaN(o.d2Max) && !(o.d2Max <= d2Max)) {
            d2Max = o.d2Max;
        }
        if (o.newestTsMicros >= newestTsMicros) {
            newestTsMicros = o.newestTsMicros;
            cusum = o.cusum;
        }
        if (o.worst.ordinal() > worst.ordinal()) {
            worst = o.worst;
        }
    }

    public byte[] encode(final int precision) {
        if (precision != 4 && precision != 8) {
            throw new IllegalArgumentException("precision must be 4 or 8 bytes");
        }
        final ByteBuffer out = ByteBuffer.allocate(encodedLength(d, precision)).order(ByteOrder.LITTLE_ENDIAN);
        out.put((byte)VERSION).put((byte)d).put((byte)precision).put((byte)worst.ordinal());
        out.putInt((int)Math.min(count, 0xFFFF_FFFFL));
        out.putLong(newestTsMicros);
        out.putFloat((float)d2Max);
        out.putFloat((float)cusum);
        for (int i = 0; i < d; i++) {
            if (precision == 4) {
                out.putFloat((float)mean[i]).putFloat((float)m2[i]);
            } else {
                out.putDouble(mean[i]).putDouble(m2[i]);
            }
        }
        return out.array();
    }

    /** Replaces this bucket's statistics with the decoded ones. */
    public Rollup decodeInto(final byte[] bytes) {
        final ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        final int version = in.get() & 0xFF;
        final int dim = in.get() & 0xFF;
        final int precision = in.get() & 0xFF;
        final int status = in.get() & 0xFF;
        if (version != VERSION || dim != d || (precision != 4 && precision != 8) || status >= AgentStatus.values().length
            || bytes.length != encodedLength(d, precision)) {
            throw new IllegalArgumentException("not a version-" + VERSION + " rollup of dimension " + d + " (version " + version
                + ", dimension " + dim + ", precision " + precision + ", " + bytes.length + " bytes)");
        }
        worst = AgentStatus.values()[status];
        count = in.getInt() & 0xFFFF_FFFFL;
        newestTsMicros = in.getLong();
        d2Max = in.getFloat();
        cusum = in.getFloat();
        for (int i = 0; i < d; i++) {
            mean[i] = precision == 4 ? in.getFloat() : in.getDouble();
            m2[i] = precision == 4 ? in.getFloat() : in.getDouble();
        }
        return this;
    }
}
