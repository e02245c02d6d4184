package dev.vigil.wire;

import org.agrona.DirectBuffer;

/**
 * Bodies of the tree family (codes 16..31), little-endian. Shared pieces:
 *
 * <pre>
 * node ref   u64 id, u8 address length (1..255), address (printable ASCII)
 * member     u64 id, u32 incarnation, u8 state (0 alive, 1 suspect), coordinate (32 bytes),
 *            u8 address length, address
 * summary    u16 length, then a {@link StatUpdateBody} of that length
 * </pre>
 *
 * <pre>
 * TREE_DESCEND    u8 level wanted, u8 level asked (255: the highest the receiver heads), coordinate
 * TREE_REFER      u8 status (0 members follow, 1 not a head there: start again at the root),
 *                 u8 level, u8 top level, node ref root (id 0: the sender knows of none), u8 n, n members
 * TREE_ADMIT      u8 level, u64 head it replaces (0: none), coordinate
 * TREE_VIEW       u8 level, u8 flags (bit 0: dissolved), u32 epoch, u64 head, u8 top level,
 *                 [dissolved: node ref of the cluster to join instead], u8 n, n node refs (head
 *                 chain above: parent first, root last), u8 n, n members
 * TREE_MERGE      u8 level, node ref of the cluster to merge into
 * TREE_PING/ACK   u8 level, u64 probe id, u64 asked by (0: direct), u32 incarnation, coordinate
 * TREE_PING_REQ   u8 level, u64 probe id, node ref target
 * TREE_SUSPECT    u8 level, u64 subject, u32 incarnation, u8 state (0 alive, 1 suspect, 2 dead)
 * TREE_ANNOUNCE   u8 level, u32 epoch, u8 n, n × (u64 contributor, u64 version), u8 q, q × u64
 *                 quarantined contributor, summary (what the head sent up)
 * TREE_CHALLENGE  u8 level, u64 head, u64 version challenged, u32 epoch, u32 cluster size
 * TREE_BASELINE   u8 kind (0 fleet, 1 cohort), u8 level, summary
 * TREE_INTRODUCE_REQUEST  u64 the receiver's id: "your frames reach me without a certificate I
 *                 hold; introduce yourself again" (sent, with our own introduction, to a listed
 *                 cluster member whose certificate we no longer hold)
 * </pre>
 *
 * <p>Test oracle: the tree family's structural check as it stood before each body got its own
 * flyweight ({@link TreeDescendBody} .. {@link TreeIntroduceRequestBody}, constants in
 * {@link TreeWire}). Kept, unchanged, only as the reference the flyweights' checks are compared
 * with: a change of what the wire accepts shows up as a difference here, and is then deliberate.
 */
public final class LegacyTreeBodies {
    public static final int ADDRESS_LENGTH_MAX = 255;
    public static final int COORDINATE_LENGTH = 32;
    /** Upper bound on members or contributors listed in one body (clusters hold at most 50). */
    public static final int LIST_MAX = 64;
    /** Bound on the levels of a tree (and on the head chain). */
    public static final int LEVELS_MAX = 16;
    public static final int LEVEL_ANY = 255;
    public static final int VIEW_FLAG_DISSOLVED = 1;
    public static final int STATE_ALIVE = 0;
    public static final int STATE_SUSPECT = 1;
    public static final int STATE_DEAD = 2;
    public static final int BASELINE_FLEET = 0;
    public static final int BASELINE_COHORT = 1;

    private LegacyTreeBodies() {
    }

    /** Bytes of a member entry with this address. */
    public static int memberLength(final String address) {
        return 8 + 4 + 1 + COORDINATE_LENGTH + WireWriter.addressLength(address);
    }

    public static int nodeRefLength(final String address) {
        return 8 + WireWriter.addressLength(address);
    }

    /** @return whether the body is exactly one well-formed body of {@code type}. Never throws. */
    public static boolean isWellFormed(final MessageType type, final DirectBuffer buffer, final int offset, final int length) {
        final WireReader r = new WireReader().wrap(buffer, offset, length);
        if (!r.ok()) {
            return false;
        }
        switch (type) {
            case TREE_DESCEND -> {
                level(r);
                r.u8();
                r.skip(COORDINATE_LENGTH);
            }
            case TREE_REFER -> {
                if (r.u8() > 1) {
                    r.fail();
                }
                level(r);
                level(r);
                nodeRef(r);
                members(r);
            }
            case TREE_ADMIT -> {
                level(r);
                r.u64();
                r.skip(COORDINATE_LENGTH);
            }
            case TREE_VIEW -> {
                level(r);
                final int flags = r.u8();
                if ((flags & ~VIEW_FLAG_DISSOLVED) != 0) {
                    r.fail();
                }
                r.u32();
                r.u64();
                level(r);
                if ((flags & VIEW_FLAG_DISSOLVED) != 0) {
                    nodeRef(r);
                }
                final int chain = r.u8();
                if (chain > LEVELS_MAX) {
                    r.fail();
                }
                for (int i = 0; i < chain && r.ok(); i++) {
                    nodeRef(r);
                }
                members(r);
            }
            case TREE_MERGE -> {
                level(r);
                nodeRef(r);
            }
            case TREE_PING, TREE_ACK -> {
                level(r);
                r.u64();
                r.u64();
                r.u32();
                r.skip(COORDINATE_LENGTH);
            }
            case TREE_PING_REQ -> {
                level(r);
                r.u64();
                nodeRef(r);
            }
            case TREE_SUSPECT -> {
                level(r);
                r.u64();
                r.u32();
                if (r.u8() > STATE_DEAD) {
                    r.fail();
                }
            }
            case TREE_ANNOUNCE -> {
                level(r);
                r.u32();
                final int n = r.u8();
                if (n > LIST_MAX) {
                    r.fail();
                }
                r.skip(16 * n);
                final int q = r.u8();
                if (q > LIST_MAX) {
                    r.fail();
                }
                r.skip(8 * q);
                summary(r);
            }
            case TREE_CHALLENGE -> {
                level(r);
                r.u64();
                r.u64();
                r.u32();
                r.u32();
            }
            case TREE_BASELINE -> {
                if (r.u8() > BASELINE_COHORT) {
                    r.fail();
                }
                level(r);
                summary(r);
            }
            case TREE_INTRODUCE_REQUEST -> r.u64();
            default -> r.fail();
        }
        return r.done();
    }

    private static void level(final WireReader r) {
        final int level = r.u8();
        if (level >= LEVELS_MAX && level != LEVEL_ANY) {
            r.fail();
        }
    }

    private static void nodeRef(final WireReader r) {
        r.u64();
        r.address();
    }

    private static void members(final WireReader r) {
        final int n = r.u8();
        if (n > LIST_MAX) {
            r.fail();
        }
        for (int i = 0; i < n && r.ok(); i++) {
            r.u64();
            r.u32();
            if (r.u8() > STATE_SUSPECT) {
                r.fail();
            }
            r.skip(COORDINATE_LENGTH);
            r.address();
        }
    }

    private static void summary(final WireReader r) {
        final int length = r.u16();
        final int at = r.skip(length);
        if (r.ok() && !StatUpdateBody.isWellFormed(r.buffer(), at, length)) {
            r.fail();
        }
    }
}
