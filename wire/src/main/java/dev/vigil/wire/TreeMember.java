package dev.vigil.wire;

import org.agrona.DirectBuffer;

/**
 * One cluster member as a refer or a view lists it: enough for the receiver to probe it, judge
 * how near it is, and order what it hears about it by incarnation. A list is a u8 count (at most
 * {@value TreeWire#LIST_MAX}) followed by that many entries; one walk over it ({@code listEnd})
 * serves both the structural checks and the decoders.
 *
 * <pre>
 *  0  id              u64
 *  8  incarnation     u32
 * 12  state           u8  ({@value TreeWire#STATE_ALIVE} alive, {@value TreeWire#STATE_SUSPECT} suspect: the dead are not listed)
 * 13  coordinate      32 bytes, opaque here
 * 45  address length  u8  (1..{@value TreeWire#ADDRESS_LENGTH_MAX})
 * 46  address         printable ASCII without spaces
 * </pre>
 */
public final class TreeMember {
    public static final int ID_OFFSET = 0;
    public static final int INCARNATION_OFFSET = 8;
    public static final int STATE_OFFSET = 12;
    public static final int COORDINATE_OFFSET = 13;
    public static final int ADDRESS_LENGTH_OFFSET = COORDINATE_OFFSET + TreeWire.COORDINATE_LENGTH;
    public static final int ADDRESS_OFFSET = ADDRESS_LENGTH_OFFSET + 1;
    public static final int LENGTH_MIN = ADDRESS_OFFSET + 1;
    public static final int LENGTH_MAX = ADDRESS_OFFSET + TreeWire.ADDRESS_LENGTH_MAX;
    /** The u8 count in front of a list. */
    public static final int COUNT_LENGTH = 1;

    private TreeMember() {
    }

    /** Bytes of a member entry with this address. */
    public static int length(final String address) {
        return ADDRESS_OFFSET + address.length();
    }

    public static long id(final DirectBuffer buffer, final int memberOffset) {
        return TreeWire.u64(buffer, memberOffset + ID_OFFSET);
    }

    /** Unsigned u32, so never negative. */
    public static long incarnation(final DirectBuffer buffer, final int memberOffset) {
        return TreeWire.u32(buffer, memberOffset + INCARNATION_OFFSET);
    }

    public static int state(final DirectBuffer buffer, final int memberOffset) {
        return TreeWire.u8(buffer, memberOffset + STATE_OFFSET);
    }

    public static int coordinateOffset(final int memberOffset) {
        return memberOffset + COORDINATE_OFFSET;
    }

    public static String address(final DirectBuffer buffer, final int memberOffset) {
        return Ascii.read(buffer, memberOffset + ADDRESS_OFFSET, TreeWire.u8(buffer, memberOffset + ADDRESS_LENGTH_OFFSET));
    }

    /** Writes the count in front of a list of {@code count} members. */
    public static void writeCount(final WireWriter w, final int count) {
        w.u8(TreeWire.requireRange("member count", count, 0, TreeWire.LIST_MAX));
    }

    /**
     * Writes one entry with its coordinate zeroed.
     *
     * @return the absolute offset of the coordinate's {@value TreeWire#COORDINATE_LENGTH} bytes, for the
     *     caller to fill (the address follows them, so they are reserved first).
     */
    public static int write(final WireWriter w, final long id, final long incarnation, final int state, final String address) {
        TreeWire.requireU32("member incarnation", incarnation);
        TreeWire.requireRange("member state", state, TreeWire.STATE_ALIVE, TreeWire.STATE_SUSPECT);
        Ascii.require(address, TreeWire.ADDRESS_LENGTH_MAX, "member address");
        w.u64(id).u32(incarnation).u8(state);
        final int coordinate = TreeWire.reserveZeroed(w, TreeWire.COORDINATE_LENGTH);
        TreeNodeRef.writeAddress(w, address);
        return coordinate;
    }

    /**
     * Walks the list whose count sits at {@code at}, recording where each entry starts in
     * {@code offsets} (null: only check).
     *
     * @return where the list ends, or -1 when its count is over {@value TreeWire#LIST_MAX}, an entry
     *     does not fit before {@code limit} or breaks a rule. Never reads outside {@code [at, limit)}.
     */
    static int listEnd(final DirectBuffer buffer, final int at, final int limit, final int[] offsets) {
        if (limit - at < COUNT_LENGTH) {
            return -1;
        }
        final int count = TreeWire.u8(buffer, at);
        if (count > TreeWire.LIST_MAX) {
            return -1;
        }
        int next = at + COUNT_LENGTH;
        for (int i = 0; i < count; i++) {
            if (offsets != null) {
                offsets[i] = next;
            }
            next = end(buffer, next, limit);
            if (next < 0) {
                return -1;
            }
        }
        return next;
    }

    private static int end(final DirectBuffer buffer, final int at, final int limit) {
        if (limit - at < ADDRESS_LENGTH_OFFSET || state(buffer, at) > TreeWire.STATE_SUSPECT) {
            return -1;
        }
        return TreeNodeRef.addressEnd(buffer, at + ADDRESS_LENGTH_OFFSET, limit);
    }

    static int count(final DirectBuffer buffer, final int listOffset) {
        return TreeWire.u8(buffer, listOffset);
    }
}
