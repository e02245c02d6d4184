package dev.vigil.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Body of a {@link MessageType#STAT_UPDATE}: one contributor's versioned statistical summary,
 * sent up the tree to its head (and by a head to its members, so they can recompute it).
 *
 * <pre>
 *  0  contributor node id  u64  whose summary this is: a leaf node's own, or a head's aggregate of its cluster
 *  8  version              u64  monotonic per contributor; receivers keep only the latest
 * 16  level                u8   0 = a node's own summary, n = an aggregate at tree level n
 * 17  cohort id            u8   0 = all agents; other values are reserved for role cohorts
 * 18  feature count d      u8   1..{@value #FEATURES_MAX}
 * 19  reserved             u8   (0)
 * 20  agent count          u32  agents the statistics cover
 * 24  contributors         u32  leaf nodes the statistics cover
 * 28  statistics           exactly 8 + 16d + 4d(d+1) bytes (see {@link #statisticsLength})
 * </pre>
 *
 * <p>The statistics block is opaque here (the daemon's {@code Moments} encoding: count i64,
 * shift f64[d], mean relative to the shift f64[d], packed upper-triangle co-moments
 * f64[d(d+1)/2]); this module only checks that its length follows from the feature count.
 *
 * <p>Size of a whole frame (header {@value FrameHeader#HEADER_LENGTH} + body + signature
 * {@value FrameHeader#SIGNATURE_LENGTH}): 740 bytes at d = 10, within the 1 KiB budget for the
 * default schema. The budget holds up to d = 12 (956 bytes); at d = 13 a frame is 1076 bytes and
 * at d = 16 it is 1484 bytes: <b>statistical updates at d = 16 need more than 1 KiB</b>
 * (still far below {@link FrameHeader#FRAME_LENGTH_MAX}).
 */
public final class StatUpdateBody {
    public static final int CONTRIBUTOR_OFFSET = 0;
    public static final int VERSION_OFFSET = 8;
    public static final int LEVEL_OFFSET = 16;
    public static final int COHORT_OFFSET = 17;
    public static final int FEATURE_COUNT_OFFSET = 18;
    public static final int RESERVED_OFFSET = 19;
    public static final int AGENT_COUNT_OFFSET = 20;
    public static final int CONTRIBUTORS_OFFSET = 24;
    public static final int STATISTICS_OFFSET = 28;
    /** The cohort of all agents; the only one v1 nodes aggregate. */
    public static final int COHORT_ALL = 0;
    /** Bound on the feature count, the same as the feature schema's. */
    public static final int FEATURES_MAX = 16;
    public static final long U32_MAX = 0xFFFF_FFFFL;

    private StatUpdateBody() {
    }

    /** Bytes of the statistics block for {@code featureCount} features: 8 + 16d + 8·d(d+1)/2. */
    public static int statisticsLength(final int featureCount) {
        return 8 + 16 * featureCount + 4 * featureCount * (featureCount + 1);
    }

    /** Body length for {@code featureCount} features. */
    public static int bodyLength(final int featureCount) {
        return STATISTICS_OFFSET + statisticsLength(featureCount);
    }

    /** Whole frame length (header, body, signature) for {@code featureCount} features. */
    public static int frameLength(final int featureCount) {
        return FrameHeader.FRAME_LENGTH_MIN + bodyLength(featureCount);
    }

    public static long contributorId(final DirectBuffer buffer, final int bodyOffset) {
        return buffer.getLong(bodyOffset + CONTRIBUTOR_OFFSET, LITTLE_ENDIAN);
    }

    public static long version(final DirectBuffer buffer, final int bodyOffset) {
        return buffer.getLong(bodyOffset + VERSION_OFFSET, LITTLE_ENDIAN);
    }

    public static int level(final DirectBuffer buffer, final int bodyOffset) {
        return buffer.getByte(bodyOffset + LEVEL_OFFSET) & 0xFF;
    }

    public static int cohort(final DirectBuffer buffer, final int bodyOffset) {
        return buffer.getByte(bodyOffset + COHORT_OFFSET) & 0xFF;
    }

    public static int featureCount(final DirectBuffer buffer, final int bodyOffset) {
        return buffer.getByte(bodyOffset + FEATURE_COUNT_OFFSET) & 0xFF;
    }

    /** Unsigned u32, so never negative. */
    public static long agentCount(final DirectBuffer buffer, final int bodyOffset) {
        return buffer.getInt(bodyOffset + AGENT_COUNT_OFFSET, LITTLE_ENDIAN) & U32_MAX;
    }

    /** Unsigned u32, so never negative. */
    public static long contributors(final DirectBuffer buffer, final int bodyOffset) {
        return buffer.getInt(bodyOffset + CONTRIBUTORS_OFFSET, LITTLE_ENDIAN) & U32_MAX;
    }

    public static int statisticsOffset(final int bodyOffset) {
        return bodyOffset + STATISTICS_OFFSET;
    }

    /**
     * @return whether the body is exactly one structurally well-formed stat update: feature count
     *     in [1, {@value #FEATURES_MAX}], reserved byte 0, and a statistics block of exactly the length
     *     the feature count implies. Never throws for in-bounds ranges; the statistics' values are the
     *     receiver's to judge.
     */
    public static boolean isWellFormed(final DirectBuffer buffer, final int bodyOffset, final int bodyLength) {
        if (bodyLength < STATISTICS_OFFSET) {
            return false;
        }
        final int featureCount = featureCount(buffer, bodyOffset);
        return featureCount >= 1 && featureCount <= FEATURES_MAX
            && buffer.getByte(bodyOffset + RESERVED_OFFSET) == 0
            && bodyLength == bodyLength(featureCount);
    }

    /**
     * Writes the fixed part. The caller writes the statistics block, {@link #statisticsLength}
     * bytes, at {@link #statisticsOffset}.
     *
     * @return the whole body length, statistics included.
     */
    public static int encode(
        final MutableDirectBuffer buffer, final int bodyOffset, final long contributorId, final long version,
        final int level, final int cohort, final int featureCount, final long agentCount, final long contributors) {
        if (featureCount < 1 || featureCount > FEATURES_MAX) {
            throw new IllegalArgumentException("feature count " + featureCount + " outside [1, " + FEATURES_MAX + "]");
        }
        if (level < 0 || level > 0xFF || cohort < 0 || cohort > 0xFF) {
            throw new IllegalArgumentException("level " + level + " or cohort " + cohort + " outside [0, 255]");
        }
        if (agentCount < 0 || agentCount > U32_MAX || contributors < 0 || contributors > U32_MAX) {
            throw new IllegalArgumentException("agent count " + agentCount + " or contributors " + contributors
                + " outside [0, " + U32_MAX + "]");
        }
        buffer.putLong(bodyOffset + CONTRIBUTOR_OFFSET, contributorId, LITTLE_ENDIAN);
        buffer.putLong(bodyOffset + VERSION_OFFSET, version, LITTLE_ENDIAN);
        buffer.putByte(bodyOffset + LEVEL_OFFSET, (byte)level);
        buffer.putByte(bodyOffset + COHORT_OFFSET, (byte)cohort);
        buffer.putByte(bodyOffset + FEATURE_COUNT_OFFSET, (byte)featureCount);
        buffer.putByte(bodyOffset + RESERVED_OFFSET, (byte)0);
        buffer.putInt(bodyOffset + AGENT_COUNT_OFFSET, (int)agentCount, LITTLE_ENDIAN);
        buffer.putInt(bodyOffset + CONTRIBUTORS_OFFSET, (int)contributors, LITTLE_ENDIAN);
        return bodyLength(featureCount);
    }
}
