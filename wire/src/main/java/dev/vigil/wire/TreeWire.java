package dev.vigil.wire;

import org.agrona.DirectBuffer;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * What the tree family (codes 16..31) shares: its bounds and enumerations, and the few rules every
 * body checks the same way. Each body's layout lives in its own flyweight ({@link TreeDescendBody}
 * .. {@link TreeIntroduceRequestBody}); the pieces several bodies repeat are encoded once, in
 * {@link TreeNodeRef}, {@link TreeMember} and {@link TreeSummary}. All tree bodies are little-endian.
 */
public final class TreeWire {
    /** Bound on the levels of a tree, and so on a head chain (one head per level above a cluster). */
    public static final int LEVELS_MAX = 16;
    /** A level field holding this means "whichever level you head" (descend) or "no cluster" (probes). */
    public static final int LEVEL_ANY = 255;
    /** Bound on members or contributors listed in one body: a cluster holds at most 50. */
    public static final int LIST_MAX = 64;
    /** A Vivaldi coordinate, opaque here: the daemon reads it and bounds its values. */
    public static final int COORDINATE_LENGTH = 32;
    /** An address is length-prefixed by a u8. */
    public static final int ADDRESS_LENGTH_MAX = 255;

    public static final int STATE_ALIVE = 0;
    public static final int STATE_SUSPECT = 1;
    /** Only a suspect message says dead: a member list never carries the dead. */
    public static final int STATE_DEAD = 2;

    /** Refer status: the members of the cluster asked for follow. */
    public static final int REFER_MEMBERS = 0;
    /** Refer status: the sender heads no cluster at that level; start again at the root. */
    public static final int REFER_NOT_HEAD = 1;

    /** View flag: the cluster dissolved; the view names the cluster to join instead. */
    public static final int VIEW_FLAG_DISSOLVED = 1;

    public static final int BASELINE_FLEET = 0;
    public static final int BASELINE_COHORT = 1;

    static final long U32_MAX = 0xFFFF_FFFFL;

    private TreeWire() {
    }

    /** Whether a level field holds a level of the tree or {@link #LEVEL_ANY}. */
    public static boolean isLevel(final int value) {
        return value >= 0 && value < LEVELS_MAX || value == LEVEL_ANY;
    }

    /** The range rule of {@link WireReader#wrap}: a body must lie inside its buffer before anything is read. */
    static boolean inBuffer(final DirectBuffer buffer, final int offset, final int length) {
        return offset >= 0 && length >= 0 && offset <= buffer.capacity() - length;
    }

    static int u8(final DirectBuffer buffer, final int at) {
        return buffer.getByte(at) & 0xFF;
    }

    static long u32(final DirectBuffer buffer, final int at) {
        return buffer.getInt(at, LITTLE_ENDIAN) & U32_MAX;
    }

    static long u64(final DirectBuffer buffer, final int at) {
        return buffer.getLong(at, LITTLE_ENDIAN);
    }

    static int requireLevel(final String field, final int value) {
        if (!isLevel(value)) {
            throw new IllegalArgumentException(field + " " + value + " outside [0, " + (LEVELS_MAX - 1) + "] and not " + LEVEL_ANY);
        }
        return value;
    }

    static int requireRange(final String field, final int value, final int min, final int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " " + value + " outside [" + min + ", " + max + "]");
        }
        return value;
    }

    static long requireU32(final String field, final long value) {
        if (value < 0 || value > U32_MAX) {
            throw new IllegalArgumentException(field + " " + value + " outside [0, " + U32_MAX + "]");
        }
        return value;
    }

    /** Zeroes bytes the caller reserved and fills itself, so a forgotten fill sends zeros, not an older frame's bytes. */
    static int reserveZeroed(final WireWriter w, final int length) {
        final int at = w.reserve(length);
        w.buffer().setMemory(at, length, (byte)0);
        return at;
    }
}
