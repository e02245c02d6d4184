package dev.vigil.wire;

import org.agrona.DirectBuffer;

/**
 * Body of a {@link MessageType#TREE_BASELINE}: a head passes the baseline it holds down to its
 * members, so every node scores its agents against the same reference.
 *
 * <pre>
 * 0  kind     u8       ({@value TreeWire#BASELINE_FLEET} fleet, {@value TreeWire#BASELINE_COHORT} cohort)
 * 1  level    u8       of the cluster it is sent to
 * 2  summary  {@link TreeSummary}
 * </pre>
 *
 * <p>Read with an instance: {@link #wrap} once per body, then the accessors; nothing is allocated.
 */
public final class TreeBaselineBody {
    public static final int KIND_OFFSET = 0;
    public static final int LEVEL_OFFSET = 1;
    public static final int SUMMARY_OFFSET = 2;

    private DirectBuffer buffer;
    private int offset;

    /** Bytes of a baseline carrying a stat-update body of {@code statUpdateLength} bytes. */
    public static int length(final int statUpdateLength) {
        return SUMMARY_OFFSET + TreeSummary.length(statUpdateLength);
    }

    /** A kind, a level and a summary that ends the body. Never throws. */
    public static boolean isWellFormed(final DirectBuffer buffer, final int offset, final int length) {
        return TreeWire.inBuffer(buffer, offset, length) && length >= SUMMARY_OFFSET
            && TreeWire.u8(buffer, offset + KIND_OFFSET) <= TreeWire.BASELINE_COHORT
            && TreeWire.isLevel(TreeWire.u8(buffer, offset + LEVEL_OFFSET))
            && TreeSummary.end(buffer, offset + SUMMARY_OFFSET, offset + length) == offset + length;
    }

    /**
     * Writes the kind, the level and the summary's length.
     *
     * @return the absolute offset where the caller writes the stat-update body.
     */
    public static int write(final WireWriter w, final int kind, final int level, final int statUpdateLength) {
        TreeWire.requireRange("kind", kind, TreeWire.BASELINE_FLEET, TreeWire.BASELINE_COHORT);
        TreeWire.requireLevel("level", level);
        TreeSummary.requireStatUpdateLength(statUpdateLength);
        w.u8(kind).u8(level);
        return TreeSummary.reserve(w, statUpdateLength);
    }

    /** Points this decoder at a body; throws unless it {@link #isWellFormed}. */
    public TreeBaselineBody wrap(final DirectBuffer buffer, final int offset, final int length) {
        if (!isWellFormed(buffer, offset, length)) {
            throw new IllegalArgumentException("not a well-formed tree-baseline body");
        }
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public int kind() {
        return TreeWire.u8(buffer, offset + KIND_OFFSET);
    }

    public int level() {
        return TreeWire.u8(buffer, offset + LEVEL_OFFSET);
    }

    /** Where the stat-update body starts. */
    public int summaryOffset() {
        return offset + SUMMARY_OFFSET + TreeSummary.STAT_UPDATE_OFFSET;
    }

    public int summaryLength() {
        return TreeSummary.statUpdateLength(buffer, offset + SUMMARY_OFFSET);
    }
}
