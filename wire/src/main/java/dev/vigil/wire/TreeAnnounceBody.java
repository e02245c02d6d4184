package dev.vigil.wire;

import org.agrona.DirectBuffer;

import java.util.Objects;

/**
 * Body of a {@link MessageType#TREE_ANNOUNCE}: a head tells its members what it sent up and which
 * version of each member's contribution it merged, so each member can recompute the merge and
 * challenge a head that lies. Contributors the head left out (quarantined) are named, so members
 * leave them out too.
 *
 * <pre>
 * 0       level         u8
 * 1       epoch         u32  of the cluster
 * 5       n             u8   contributions merged, at most {@value TreeWire#LIST_MAX}
 * 6       n × entry     contributor u64, version u64
 * 6+16n   q             u8   contributors left out, at most {@value TreeWire#LIST_MAX}
 * 7+16n   q × u64       contributor
 * 7+16n+8q  summary     {@link TreeSummary}: what the head sent up
 * </pre>
 *
 * <p>Written in order: {@link #writeHeader}, n × {@link #writeContributor}, {@link #writeExcludedCount},
 * q × {@link #writeExcluded}, {@link #writeSummary}. Read with an instance: {@link #wrap} once per body,
 * then the accessors; nothing is allocated.
 */
public final class TreeAnnounceBody {
    public static final int LEVEL_OFFSET = 0;
    public static final int EPOCH_OFFSET = 1;
    public static final int CONTRIBUTOR_COUNT_OFFSET = 5;
    public static final int CONTRIBUTORS_OFFSET = 6;
    public static final int CONTRIBUTOR_ENTRY_LENGTH = 16;
    public static final int CONTRIBUTOR_VERSION_OFFSET = 8;
    public static final int EXCLUDED_LENGTH = 8;

    private DirectBuffer buffer;
    private int offset;
    private int contributorCount;
    private int excludedCountOffset;
    private int excludedCount;
    private int summaryAt;

    /** Bytes of an announce with these counts and a stat-update body of {@code statUpdateLength} bytes. */
    public static int length(final int contributorCount, final int excludedCount, final int statUpdateLength) {
        return CONTRIBUTORS_OFFSET + CONTRIBUTOR_ENTRY_LENGTH * contributorCount + 1 + EXCLUDED_LENGTH * excludedCount
            + TreeSummary.length(statUpdateLength);
    }

    /** Both counts within their bound, and a summary that ends the body. Never throws. */
    public static boolean isWellFormed(final DirectBuffer buffer, final int offset, final int length) {
        return walk(buffer, offset, length, null);
    }

    private static boolean walk(final DirectBuffer buffer, final int offset, final int length, final TreeAnnounceBody into) {
        if (!TreeWire.inBuffer(buffer, offset, length) || length < CONTRIBUTORS_OFFSET
            || !TreeWire.isLevel(TreeWire.u8(buffer, offset + LEVEL_OFFSET))) {
            return false;
        }
        final int limit = offset + length;
        final int n = TreeWire.u8(buffer, offset + CONTRIBUTOR_COUNT_OFFSET);
        final int excludedCountAt = offset + CONTRIBUTORS_OFFSET + CONTRIBUTOR_ENTRY_LENGTH * n;
        if (n > TreeWire.LIST_MAX || limit - excludedCountAt < 1) {
            return false;
        }
        final int q = TreeWire.u8(buffer, excludedCountAt);
        final int summary = excludedCountAt + 1 + EXCLUDED_LENGTH * q;
        if (q > TreeWire.LIST_MAX || TreeSummary.end(buffer, summary, limit) != limit) {
            return false;
        }
        if (into != null) {
            into.buffer = buffer;
            into.offset = offset;
            into.contributorCount = n;
            into.excludedCountOffset = excludedCountAt;
            into.excludedCount = q;
            into.summaryAt = summary;
        }
        return true;
    }

    public static void writeHeader(final WireWriter w, final int level, final long epoch, final int contributorCount) {
        TreeWire.requireLevel("level", level);
        TreeWire.requireU32("epoch", epoch);
        TreeWire.requireRange("contributor count", contributorCount, 0, TreeWire.LIST_MAX);
        w.u8(level).u32(epoch).u8(contributorCount);
    }

    public static void writeContributor(final WireWriter w, final long contributorId, final long version) {
        w.u64(contributorId).u64(version);
    }

    public static void writeExcludedCount(final WireWriter w, final int excludedCount) {
        w.u8(TreeWire.requireRange("excluded count", excludedCount, 0, TreeWire.LIST_MAX));
    }

    public static void writeExcluded(final WireWriter w, final long contributorId) {
        w.u64(contributorId);
    }

    /** @return the absolute offset where the caller writes the stat-update body. */
    public static int writeSummary(final WireWriter w, final int statUpdateLength) {
        return TreeSummary.reserve(w, statUpdateLength);
    }

    /** Points this decoder at a body; throws unless it {@link #isWellFormed}. */
    public TreeAnnounceBody wrap(final DirectBuffer buffer, final int offset, final int length) {
        if (!walk(buffer, offset, length, this)) {
            throw new IllegalArgumentException("not a well-formed tree-announce body");
        }
        return this;
    }

    public int level() {
        return TreeWire.u8(buffer, offset + LEVEL_OFFSET);
    }

    /** Unsigned u32, so never negative. */
    public long epoch() {
        return TreeWire.u32(buffer, offset + EPOCH_OFFSET);
    }

    public int contributorCount() {
        return contributorCount;
    }

    public long contributorId(final int i) {
        return TreeWire.u64(buffer, contributor(i));
    }

    public long contributorVersion(final int i) {
        return TreeWire.u64(buffer, contributor(i) + CONTRIBUTOR_VERSION_OFFSET);
    }

    public int excludedCount() {
        return excludedCount;
    }

    public long excludedId(final int i) {
        return TreeWire.u64(buffer, excludedCountOffset + 1 + EXCLUDED_LENGTH * Objects.checkIndex(i, excludedCount));
    }

    /** Where the stat-update body starts. */
    public int summaryOffset() {
        return summaryAt + TreeSummary.STAT_UPDATE_OFFSET;
    }

    public int summaryLength() {
        return TreeSummary.statUpdateLength(buffer, summaryAt);
    }

    private int contributor(final int i) {
        return offset + CONTRIBUTORS_OFFSET + CONTRIBUTOR_ENTRY_LENGTH * Objects.checkIndex(i, contributorCount);
    }
}
