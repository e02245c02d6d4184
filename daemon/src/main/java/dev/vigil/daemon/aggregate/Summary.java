package dev.vigil.daemon.aggregate;

import dev.vigil.daemon.detect.Feature;
import dev.vigil.daemon.stats.Moments;
import dev.vigil.wire.StatUpdateBody;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.Arrays;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * One contributor's versioned statistical summary: a node's own (level 0) or a head's aggregate
 * of its cluster (level n). Immutable: the statistics are copied in and copied out.
 *
 * <p>{@link #readBody} is where a peer's bytes become a summary, so it refuses anything that
 * could crash or poison an aggregate: besides the structure, every value must be finite, counts
 * and versions non-negative, feature values (shifts and means) within the schema's
 * ±{@link Feature#VALUE_MAX}, diagonal co-moments non-negative and bounded by count · (2·VALUE_MAX)²,
 * and off-diagonal ones within Cauchy–Schwarz. With those bounds merging up to
 * {@link Aggregate#CONTRIBUTORS_MAX_LIMIT} summaries stays finite. A plausible lie is not caught
 * here: members recompute their head's aggregate from the contributor versions it claims.
 */
public final class Summary {
    /**
     * Bound on a received summary's observation count (2^48, about 2.8e14: a million nodes of a
     * thousand agents at ten observations a second for eight hours). Keeps count sums in an
     * aggregate far from overflow and exact as doubles.
     */
    public static final long COUNT_MAX = 1L << 48;
    /** Bound on a received shift or mean: the schema's bound on any feature value. */
    public static final double VALUE_ABS_MAX = Feature.VALUE_MAX;
    /** Rounding room for Cauchy–Schwarz on perfectly correlated features (honest error is ~1e-12). */
    private static final double CAUCHY_SCHWARZ_SLACK = 1e-6;

    /** Why {@link #readBody} refused a body; for counting and tests. */
    public enum Refusal {
        MALFORMED,
        FEATURE_COUNT_MISMATCH,
        UNSUPPORTED_COHORT,
        NEGATIVE_VERSION,
        IMPLAUSIBLE_CONTRIBUTORS,
        IMPLAUSIBLE_COUNT,
        NON_FINITE,
        VALUE_OUT_OF_RANGE,
        NEGATIVE_VARIANCE,
        INCONSISTENT_COMOMENTS,
        NONZERO_EMPTY_STATISTICS
    }

    private final long contributorId;
    private final long version;
    private final int level;
    private final long agentCount;
    private final long contributorCount;
    private final Moments moments;

    /**
     * @param agentCount       agents the statistics cover, u32
     * @param contributorCount leaf nodes the statistics cover, u32, at least 1 (exactly 1 at level 0)
     * @param moments          copied
     */
    public Summary(final long contributorId, final long version, final int level, final long agentCount,
                   final long contributorCount, final Moments moments) {
        if (version < 0) {
            throw new IllegalArgumentException("version " + version + " is negative");
        }
        if (level < 0 || level > 0xFF) {
            throw new IllegalArgumentException("level " + level + " outside [0, 255]");
        }
        if (agentCount < 0 || agentCount > StatUpdateBody.U32_MAX) {
            throw new IllegalArgumentException("agent count " + agentCount + " outside [0, " + StatUpdateBody.U32_MAX + "]");
        }
        if (contributorCount < 1 || contributorCount > StatUpdateBody.U32_MAX || (level == 0 && contributorCount != 1)) {
            throw new IllegalArgumentException("contributor count " + contributorCount + " at level " + level
                + ": need 1 at level 0, [1, " + StatUpdateBody.U32_MAX + "] above");
        }
        if (moments.dimension() > StatUpdateBody.FEATURES_MAX) {
            throw new IllegalArgumentException("dimension " + moments.dimension() + " > " + StatUpdateBody.FEATURES_MAX);
        }
        this.contributorId = contributorId;
        this.version = version;
        this.level = level;
        this.agentCount = agentCount;
        this.contributorCount = contributorCount;
        this.moments = moments.copy();
    }

    public long contributorId() {
        return contributorId;
    }

    public long version() {
        return version;
    }

    public int level() {
        return level;
    }

    public long agentCount() {
        return agentCount;
    }

    /** Leaf nodes the statistics cover. */
    public long contributorCount() {
        return contributorCount;
    }

    public int dimension() {
        return moments.dimension();
    }

    /** A copy of the statistics. */
    public Moments moments() {
        return moments.copy();
    }

    /** The statistics without a copy, for merging inside this package; never to be modified. */
    Moments momentsView() {
        return moments;
    }

    /** Whether both summaries carry bit-identical statistics and counts (ids and versions aside). */
    public boolean sameContent(final Summary other) {
        return level == other.level && agentCount == other.agentCount && contributorCount == other.contributorCount
            && Arrays.equals(encodedStatistics(moments), encodedStatistics(other.moments));
    }

    private static byte[] encodedStatistics(final Moments m) {
        final byte[] bytes = new byte[Moments.encodedLength(m.dimension())];
        m.writeTo(new org.agrona.concurrent.UnsafeBuffer(bytes), 0);
        return bytes;
    }

    /** Body length of {@link #writeBody}. */
    public int bodyLength() {
        return StatUpdateBody.bodyLength(moments.dimension());
    }

    /**
     * Writes this summary as a stat-update body for the all-agents cohort.
     *
     * @return the body length written.
     */
    public int writeBody(final MutableDirectBuffer buffer, final int bodyOffset) {
        final int length = StatUpdateBody.encode(buffer, bodyOffset, contributorId, version, level,
            StatUpdateBody.COHORT_ALL, moments.dimension(), agentCount, contributorCount);
        moments.writeTo(buffer, StatUpdateBody.statisticsOffset(bodyOffset));
        return length;
    }

    /**
     * Reads a peer's stat-update body.
     *
     * @param dimension the local feature schema's size
     * @return the summary, or {@code null} when the body is malformed or implausible (see
     *     {@link #refusal}); never throws for an in-bounds range.
     */
    public static Summary readBody(final DirectBuffer buffer, final int bodyOffset, final int bodyLength, final int dimension) {
        if (refusal(buffer, bodyOffset, bodyLength, dimension) != null) {
            return null;
        }
        final Moments m = new Moments(dimension);
        m.readFrom(buffer, StatUpdateBody.statisticsOffset(bodyOffset));
        return new Summary(StatUpdateBody.contributorId(buffer, bodyOffset), StatUpdateBody.version(buffer, bodyOffset),
            StatUpdateBody.level(buffer, bodyOffset), StatUpdateBody.agentCount(buffer, bodyOffset),
            StatUpdateBody.contributors(buffer, bodyOffset), m);
    }

    /**
     * @return why {@link #readBody} would refuse this body, or {@code null} when it would accept it.
     *     Cheapest checks first; never throws for an in-bounds range.
     */
    public static Refusal refusal(final DirectBuffer buffer, final int bodyOffset, final int bodyLength, final int dimension) {
        if (!StatUpdateBody.isWellFormed(buffer, bodyOffset, bodyLength)) {
            return Refusal.MALFORMED;
        }
        if (StatUpdateBody.featureCount(buffer, bodyOffset) != dimension) {
            return Refusal.FEATURE_COUNT_MISMATCH;
        }
        if (StatUpdateBody.cohort(buffer, bodyOffset) != StatUpdateBody.COHORT_ALL) {
            // Role cohorts are reserved: nothing aggregates them yet.
            return Refusal.UNSUPPORTED_COHORT;
        }
        if (StatUpdateBody.version(buffer, bodyOffset) < 0) {
            return Refusal.NEGATIVE_VERSION;
        }
        final long contributors = StatUpdateBody.contributors(buffer, bodyOffset);
        if (contributors < 1 || (StatUpdateBody.level(buffer, bodyOffset) == 0 && contributors != 1)) {
            return Refusal.IMPLAUSIBLE_CONTRIBUTORS;
        }
        return statisticsRefusal(buffer, StatUpdateBody.statisticsOffset(bodyOffset), dimension);
    }

    /** Checks the raw statistics block; its layout is {@link Moments#writeTo}'s: count, shift, mean − shift, packed co-moments. */
    private static Refusal statisticsRefusal(final DirectBuffer buffer, final int at, final int d) {
        final long count = buffer.getLong(at, LITTLE_ENDIAN);
        if (count < 0 || count > COUNT_MAX) {
            return Refusal.IMPLAUSIBLE_COUNT;
        }
        final int shiftAt = at + 8;
        final int meanAt = shiftAt + 8 * d;
        final int comomentAt = meanAt + 8 * d;
        final int values = 2 * d + Moments.packedLength(d);
        for (int k = 0; k < values; k++) {
            final double v = buffer.getDouble(shiftAt + 8 * k, LITTLE_ENDIAN);
            if (!Double.isFinite(v)) {
                return Refusal.NON_FINITE;
            }
            if (count == 0 && v != 0) {
                // An empty summary is all zeros (Moments' own empty state); anything else is not from an honest encoder.
                return Refusal.NONZERO_EMPTY_STATISTICS;
            }
        }
        for (int i = 0; i < d; i++) {
            final double shift = buffer.getDouble(shiftAt + 8 * i, LITTLE_ENDIAN);
            final double mean = buffer.getDouble(meanAt + 8 * i, LITTLE_ENDIAN);
            if (Math.abs(shift) > VALUE_ABS_MAX || Math.abs(mean) > 2 * VALUE_ABS_MAX) {
                return Refusal.VALUE_OUT_OF_RANGE;
            }
        }
        final double diagonalMax = count * (4 * VALUE_ABS_MAX * VALUE_ABS_MAX);
        for (int i = 0; i < d; i++) {
            final double cii = buffer.getDouble(comomentAt + 8 * Moments.packedIndex(d, i, i), LITTLE_ENDIAN);
            if (cii < 0) {
                return Refusal.NEGATIVE_VARIANCE;
            }
            if (cii > diagonalMax) {
                return Refusal.VALUE_OUT_OF_RANGE;
            }
        }
        for (int i = 0; i < d; i++) {
            final double rootI = Math.sqrt(buffer.getDouble(comomentAt + 8 * Moments.packedIndex(d, i, i), LITTLE_ENDIAN));
            for (int j = i + 1; j < d; j++) {
                final double rootJ = Math.sqrt(buffer.getDouble(comomentAt + 8 * Moments.packedIndex(d, j, j), LITTLE_ENDIAN));
                final double cij = buffer.getDouble(comomentAt + 8 * Moments.packedIndex(d, i, j), LITTLE_ENDIAN);
                if (Math.abs(cij) > rootI * rootJ * (1 + CAUCHY_SCHWARZ_SLACK)) {
                    return Refusal.INCONSISTENT_COMOMENTS;
                }
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "Summary[contributor=" + Long.toUnsignedString(contributorId) + ", version=" + version + ", level=" + level
            + ", agents=" + agentCount + ", contributors=" + contributorCount + ", count=" + moments.count() + "]";
    }
}
