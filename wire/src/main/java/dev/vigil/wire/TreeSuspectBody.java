package dev.vigil.wire;

import org.agrona.DirectBuffer;

/**
 * Body of a {@link MessageType#TREE_SUSPECT}: what the sender believes about a member of a
 * cluster, at the incarnation it believes it of. The subject itself refutes a suspicion with a
 * higher incarnation; a node says "dead" about itself to leave a cluster at once.
 *
 * <pre>
 *  0  level        u8
 *  1  subject      u64
 *  9  incarnation  u32
 * 13  state        u8  ({@value TreeWire#STATE_ALIVE} alive, {@value TreeWire#STATE_SUSPECT} suspect, {@value TreeWire#STATE_DEAD} dead)
 * </pre>
 */
public final class TreeSuspectBody {
    public static final int LEVEL_OFFSET = 0;
    public static final int SUBJECT_OFFSET = 1;
    public static final int INCARNATION_OFFSET = 9;
    public static final int STATE_OFFSET = 13;
    public static final int LENGTH = STATE_OFFSET + 1;

    private TreeSuspectBody() {
    }

    /** Exactly {@link #LENGTH} bytes with a level and a state. Never throws. */
    public static boolean isWellFormed(final DirectBuffer buffer, final int offset, final int length) {
        return TreeWire.inBuffer(buffer, offset, length) && length == LENGTH && TreeWire.isLevel(level(buffer, offset))
            && state(buffer, offset) <= TreeWire.STATE_DEAD;
    }

    public static int level(final DirectBuffer buffer, final int bodyOffset) {
        return TreeWire.u8(buffer, bodyOffset + LEVEL_OFFSET);
    }

    public static long subject(final DirectBuffer buffer, final int bodyOffset) {
        return TreeWire.u64(buffer, bodyOffset + SUBJECT_OFFSET);
    }

    /** Unsigned u32, so never negative. */
    public static long incarnation(final DirectBuffer buffer, final int bodyOffset) {
        return TreeWire.u32(buffer, bodyOffset + INCARNATION_OFFSET);
    }

    public static int state(final DirectBuffer buffer, final int bodyOffset) {
        return TreeWire.u8(buffer, bodyOffset + STATE_OFFSET);
    }

    public static void write(final WireWriter w, final int level, final long subject, final long incarnation, final int state) {
        TreeWire.requireLevel("level", level);
        TreeWire.requireU32("incarnation", incarnation);
        TreeWire.requireRange("state", state, TreeWire.STATE_ALIVE, TreeWire.STATE_DEAD);
        w.u8(level).u64(subject).u32(incarnation).u8(state);
    }
}
