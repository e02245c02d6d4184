package dev.vigil.wire;

import org.agrona.DirectBuffer;

import java.util.Objects;

/**
 * The member list of a refer or a view, as its decoder found it: where each {@link TreeMember}
 * entry starts, read without allocating anything but the addresses. Owned and filled by its
 * decoder's {@code wrap}; valid until the decoder wraps the next body.
 */
public final class TreeMemberList {
    private final int[] offsets = new int[TreeWire.LIST_MAX];
    private DirectBuffer buffer;
    private int count;

    /**
     * Walks the list whose count sits at {@code at} (see {@link TreeMember}) and, when it is well
     * formed, reads it from now on.
     *
     * @return where the list ends, or -1 (and nothing readable) when it breaks a rule
     */
    int wrap(final DirectBuffer buffer, final int at, final int limit) {
        final int end = TreeMember.listEnd(buffer, at, limit, offsets);
        if (end < 0) {
            clear();
            return -1;
        }
        this.buffer = buffer;
        this.count = TreeMember.count(buffer, at);
        return end;
    }

    void clear() {
        buffer = null;
        count = 0;
    }

    public int count() {
        return count;
    }

    public long id(final int i) {
        return TreeMember.id(buffer, entry(i));
    }

    /** Unsigned u32, so never negative. */
    public long incarnation(final int i) {
        return TreeMember.incarnation(buffer, entry(i));
    }

    public int state(final int i) {
        return TreeMember.state(buffer, entry(i));
    }

    /** Where member {@code i}'s {@value TreeWire#COORDINATE_LENGTH} coordinate bytes start. */
    public int coordinateOffset(final int i) {
        return TreeMember.coordinateOffset(entry(i));
    }

    public String address(final int i) {
        return TreeMember.address(buffer, entry(i));
    }

    private int entry(final int i) {
        return offsets[Objects.checkIndex(i, count)];
    }
}
