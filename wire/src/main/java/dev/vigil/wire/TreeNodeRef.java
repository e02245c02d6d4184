package dev.vigil.wire;

import org.agrona.DirectBuffer;

/**
 * A node named inside a tree body (a root, a head of the chain above a cluster, the cluster to
 * merge into, a probe target): its id and the address to reach it at, so the receiver can send to
 * a node it has never heard from. The address rule is the one {@link WireReader#address()} applies.
 *
 * <pre>
 * 0  id              u64
 * 8  address length  u8  (1..{@value TreeWire#ADDRESS_LENGTH_MAX})
 * 9  address         printable ASCII without spaces
 * </pre>
 */
public final class TreeNodeRef {
    public static final int ID_OFFSET = 0;
    public static final int ADDRESS_LENGTH_OFFSET = 8;
    public static final int ADDRESS_OFFSET = 9;
    public static final int LENGTH_MIN = ADDRESS_OFFSET + 1;
    public static final int LENGTH_MAX = ADDRESS_OFFSET + TreeWire.ADDRESS_LENGTH_MAX;

    private TreeNodeRef() {
    }

    /** Bytes of a node ref with this address. */
    public static int length(final String address) {
        return ADDRESS_OFFSET + address.length();
    }

    public static long id(final DirectBuffer buffer, final int refOffset) {
        return TreeWire.u64(buffer, refOffset + ID_OFFSET);
    }

    public static String address(final DirectBuffer buffer, final int refOffset) {
        return Ascii.read(buffer, refOffset + ADDRESS_OFFSET, TreeWire.u8(buffer, refOffset + ADDRESS_LENGTH_OFFSET));
    }

    public static void write(final WireWriter w, final long id, final String address) {
        Ascii.require(address, TreeWire.ADDRESS_LENGTH_MAX, "node ref address");
        w.u64(id);
        writeAddress(w, address);
    }

    /**
     * @return where the node ref starting at {@code at} ends, or -1 when it does not fit before
     *     {@code limit} or its address breaks the rule. Never reads outside {@code [at, limit)}.
     */
    static int end(final DirectBuffer buffer, final int at, final int limit) {
        return limit - at < ADDRESS_LENGTH_OFFSET ? -1 : addressEnd(buffer, at + ADDRESS_LENGTH_OFFSET, limit);
    }

    /** Where a u8-length-prefixed address starting at {@code at} ends, or -1; shared with {@link TreeMember}. */
    static int addressEnd(final DirectBuffer buffer, final int at, final int limit) {
        if (limit - at < 1) {
            return -1;
        }
        final int length = TreeWire.u8(buffer, at);
        if (length == 0 || limit - (at + 1) < length || !Ascii.isPrintable(buffer, at + 1, length)) {
            return -1;
        }
        return at + 1 + length;
    }

    /** Writes an address already checked with {@link Ascii#require}. */
    static void writeAddress(final WireWriter w, final String address) {
        w.u8(address.length());
        w.buffer().putStringWithoutLengthAscii(w.reserve(address.length()), address);
    }
}
