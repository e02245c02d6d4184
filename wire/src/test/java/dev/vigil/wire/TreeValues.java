package dev.vigil.wire;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Random valid values of every tree body, each able to write itself twice: through the flyweights,
 * and as the daemon's {@code TreeNode} wrote it by hand before them ({@link Body#writeLegacy}, the
 * reference for byte identity). Writing through the flyweights also marks the bytes that carry a
 * rule (levels, counts, states, address lengths), for tests that make those bytes lie.
 */
final class TreeValues {
    private TreeValues() {
    }

    /** What a marked byte is: which values its rule forbids whatever the rest of the body says. */
    enum Field {
        LEVEL(TreeWire.LEVELS_MAX, TreeWire.LEVEL_ANY - 1),
        MEMBER_COUNT(TreeWire.LIST_MAX + 1, 255),
        CHAIN_LENGTH(TreeWire.LEVELS_MAX + 1, 255),
        CONTRIBUTOR_COUNT(TreeWire.LIST_MAX + 1, 255),
        EXCLUDED_COUNT(TreeWire.LIST_MAX + 1, 255),
        MEMBER_STATE(TreeWire.STATE_SUSPECT + 1, 255),
        SUSPECT_STATE(TreeWire.STATE_DEAD + 1, 255),
        REFER_STATUS(TreeWire.REFER_NOT_HEAD + 1, 255),
        BASELINE_KIND(TreeWire.BASELINE_COHORT + 1, 255),
        VIEW_FLAGS(TreeWire.VIEW_FLAG_DISSOLVED + 1, 255),
        ADDRESS_LENGTH(0, 0),
        /** The low byte of a summary's u16 length: any other value no longer ends the body. */
        SUMMARY_LENGTH(-1, -1),
        /** The summary's stat-update feature count. */
        FEATURE_COUNT(StatUpdateBody.FEATURES_MAX + 1, 255);

        final int forbiddenMin;
        final int forbiddenMax;

        Field(final int forbiddenMin, final int forbiddenMax) {
            this.forbiddenMin = forbiddenMin;
            this.forbiddenMax = forbiddenMax;
        }

        boolean hasForbidden() {
            return forbiddenMin >= 0;
        }
    }

    /** A rule-bearing byte at {@code position}, relative to the body start. */
    record Mark(Field field, int position) {
    }

    /** Collects marks while a body is written. */
    static final class Marks {
        final List<Mark> list = new ArrayList<>();

        void mark(final Field field, final WireWriter w) {
            list.add(new Mark(field, w.length()));
        }
    }

    /** A valid value of one tree type. */
    interface Body {
        MessageType type();

        /** The body's length by the flyweight's length function (or LENGTH). */
        int length();

        void write(WireWriter w, Marks marks);

        /** The same body written field by field, as TreeNode did before the flyweights. */
        void writeLegacy(WireWriter w);

        /** The length TreeNode computed by hand for {@code outbox.begin}. */
        int legacyLength();
    }

    /** A body written into a fresh array, with its marks. */
    record Written(MessageType type, byte[] bytes, List<Mark> marks) {
    }

    static Written written(final Body body) {
        final byte[] bytes = new byte[body.length()];
        final WireWriter w = new WireWriter().wrap(new UnsafeBuffer(bytes), 0);
        final Marks marks = new Marks();
        body.write(w, marks);
        if (w.length() != bytes.length) {
            throw new AssertionError(body + ": wrote " + w.length() + " bytes, its length function says " + bytes.length);
        }
        return new Written(body.type(), bytes, marks.list);
    }

    /** Whether the flyweight of {@code type} finds the range well-formed. */
    static boolean check(final MessageType type, final DirectBuffer b, final int offset, final int length) {
        return switch (type) {
            case TREE_DESCEND -> TreeDescendBody.isWellFormed(b, offset, length);
            case TREE_REFER -> TreeReferBody.isWellFormed(b, offset, length);
            case TREE_ADMIT -> TreeAdmitBody.isWellFormed(b, offset, length);
            case TREE_VIEW -> TreeViewBody.isWellFormed(b, offset, length);
            case TREE_MERGE -> TreeMergeBody.isWellFormed(b, offset, length);
            case TREE_PING, TREE_ACK -> TreeProbeBody.isWellFormed(b, offset, length);
            case TREE_PING_REQ -> TreePingReqBody.isWellFormed(b, offset, length);
            case TREE_SUSPECT -> TreeSuspectBody.isWellFormed(b, offset, length);
            case TREE_ANNOUNCE -> TreeAnnounceBody.isWellFormed(b, offset, length);
            case TREE_CHALLENGE -> TreeChallengeBody.isWellFormed(b, offset, length);
            case TREE_BASELINE -> TreeBaselineBody.isWellFormed(b, offset, length);
            case TREE_INTRODUCE_REQUEST -> TreeIntroduceRequestBody.isWellFormed(b, offset, length);
            default -> throw new IllegalArgumentException(type + " is not a tree type");
        };
    }

    static final List<MessageType> TREE_TYPES = List.of(
        MessageType.TREE_DESCEND, MessageType.TREE_REFER, MessageType.TREE_ADMIT, MessageType.TREE_VIEW,
        MessageType.TREE_MERGE, MessageType.TREE_PING, MessageType.TREE_ACK, MessageType.TREE_PING_REQ,
        MessageType.TREE_SUSPECT, MessageType.TREE_ANNOUNCE, MessageType.TREE_CHALLENGE, MessageType.TREE_BASELINE,
        MessageType.TREE_INTRODUCE_REQUEST);

    // ---- shared pieces ----

    record Ref(long id, String address) {
        void write(final WireWriter w, final Marks marks) {
            marks.list.add(new Mark(Field.ADDRESS_LENGTH, w.length() + TreeNodeRef.ADDRESS_LENGTH_OFFSET));
            TreeNodeRef.write(w, id, address);
        }

        void writeLegacy(final WireWriter w) {
            w.u64(id).address(address);
        }
    }

    record Member(long id, long incarnation, int state, byte[] coordinate, String address) {
        void write(final WireWriter w, final Marks marks) {
            marks.list.add(new Mark(Field.MEMBER_STATE, w.length() + TreeMember.STATE_OFFSET));
            marks.list.add(new Mark(Field.ADDRESS_LENGTH, w.length() + TreeMember.ADDRESS_LENGTH_OFFSET));
            final int at = TreeMember.write(w, id, incarnation, state, address);
            w.buffer().putBytes(at, coordinate);
        }

        void writeLegacy(final WireWriter w) {
            w.u64(id).u32(incarnation).u8(state);
            w.buffer().putBytes(w.reserve(TreeWire.COORDINATE_LENGTH), coordinate);
            w.address(address);
        }
    }

    static void writeMembers(final WireWriter w, final Marks marks, final List<Member> members) {
        marks.mark(Field.MEMBER_COUNT, w);
        TreeMember.writeCount(w, members.size());
        for (final Member m : members) {
            m.write(w, marks);
        }
    }

    static void writeMembersLegacy(final WireWriter w, final List<Member> members) {
        w.u8(members.size());
        for (final Member m : members) {
            m.writeLegacy(w);
        }
    }

    static List<String> refAddresses(final List<Ref> refs) {
        return refs.stream().map(Ref::address).toList();
    }

    static List<String> memberAddresses(final List<Member> members) {
        return members.stream().map(Member::address).toList();
    }

    /** A body written at {@code offset} of a buffer that held other bytes before, with room after it. */
    record Placed(UnsafeBuffer buffer, int offset, int length) {
        byte[] bytes(final int at, final int length) {
            final byte[] out = new byte[length];
            buffer.getBytes(at, out);
            return out;
        }
    }

    static Placed place(final Body body, final int offset) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[offset + body.length() + 16]);
        buffer.setMemory(0, buffer.capacity(), (byte)0xA5);
        final WireWriter w = new WireWriter().wrap(buffer, offset);
        body.write(w, new Marks());
        return new Placed(buffer, offset, w.length());
    }

    /** A writer over a buffer large enough for any body; what a refused write left is {@code length()}. */
    static WireWriter writer() {
        return new WireWriter().wrap(new UnsafeBuffer(new byte[FrameHeader.FRAME_LENGTH_MAX * 2]), 0);
    }

    /** A write that must be refused, naming {@code field}, and write nothing. */
    static void assertRefused(final WireWriter w, final String field, final ThrowingCallable write) {
        final int before = w.length();
        assertThatThrownBy(write).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(field);
        assertThat(w.length()).as("bytes written by a refused write").isEqualTo(before);
    }

    /** A well-formed stat-update body; its statistics are arbitrary bytes. */
    record Summary(byte[] body) {
        static Summary of(final int featureCount, final long contributorId, final long version, final long seed) {
            final UnsafeBuffer b = new UnsafeBuffer(new byte[StatUpdateBody.bodyLength(featureCount)]);
            StatUpdateBody.encode(b, 0, contributorId, version, 1, StatUpdateBody.COHORT_ALL, featureCount, 3, 2);
            final byte[] statistics = new byte[StatUpdateBody.statisticsLength(featureCount)];
            new Random(seed).nextBytes(statistics);
            b.putBytes(StatUpdateBody.statisticsOffset(0), statistics);
            return new Summary(b.byteArray());
        }

        int length() {
            return body.length;
        }

        /** Fills the stat-update body reserved at {@code at} (absolute). */
        void fill(final WireWriter w, final Marks marks, final int at) {
            final int relative = at - (w.position() - w.length());
            marks.list.add(new Mark(Field.SUMMARY_LENGTH, relative - TreeSummary.STAT_UPDATE_OFFSET));
            marks.list.add(new Mark(Field.FEATURE_COUNT, relative + StatUpdateBody.FEATURE_COUNT_OFFSET));
            w.buffer().putBytes(at, body);
        }

        void writeLegacy(final WireWriter w) {
            w.u16(body.length);
            w.buffer().putBytes(w.position(), body);
            w.reserve(body.length);
        }
    }

    // ---- bodies ----

    record Descend(int levelWanted, int levelAsked, byte[] coordinate) implements Body {
        public MessageType type() {
            return MessageType.TREE_DESCEND;
        }

        public int length() {
            return TreeDescendBody.LENGTH;
        }

        public void write(final WireWriter w, final Marks marks) {
            marks.mark(Field.LEVEL, w);
            w.buffer().putBytes(TreeDescendBody.write(w, levelWanted, levelAsked), coordinate);
        }

        public void writeLegacy(final WireWriter w) {
            w.u8(levelWanted).u8(levelAsked);
            w.buffer().putBytes(w.reserve(LegacyTreeBodies.COORDINATE_LENGTH), coordinate);
        }

        public int legacyLength() {
            return 2 + LegacyTreeBodies.COORDINATE_LENGTH;
        }
    }

    record Refer(int status, int level, int topLevel, Ref root, List<Member> members) implements Body {
        public MessageType type() {
            return MessageType.TREE_REFER;
        }

        public int length() {
            return TreeReferBody.length(root.address(), memberAddresses(members));
        }

        public void write(final WireWriter w, final Marks marks) {
            marks.mark(Field.REFER_STATUS, w);
            marks.list.add(new Mark(Field.LEVEL, w.length() + 1));
            marks.list.add(new Mark(Field.LEVEL, w.length() + 2));
            marks.list.add(new Mark(Field.ADDRESS_LENGTH, w.length() + TreeReferBody.ROOT_OFFSET + TreeNodeRef.ADDRESS_LENGTH_OFFSET));
            TreeReferBody.writeHeader(w, status, level, topLevel, root.id(), root.address());
            writeMembers(w, marks, members);
        }

        public void writeLegacy(final WireWriter w) {
            w.u8(status).u8(level).u8(topLevel);
            root.writeLegacy(w);
            writeMembersLegacy(w, members);
        }

        public int legacyLength() {
            int length = 3 + LegacyTreeBodies.nodeRefLength(root.address()) + 1;
            for (final Member m : members) {
                length += LegacyTreeBodies.memberLength(m.address());
            }
            return length;
        }
    }

    record Admit(int level, long replaces, byte[] coordinate) implements Body {
        public MessageType type() {
            return MessageType.TREE_ADMIT;
        }

        public int length() {
            return TreeAdmitBody.LENGTH;
        }

        public void write(final WireWriter w, final Marks marks) {
            marks.mark(Field.LEVEL, w);
            w.buffer().putBytes(TreeAdmitBody.write(w, level, replaces), coordinate);
        }

        public void writeLegacy(final WireWriter w) {
            w.u8(level).u64(replaces);
            w.buffer().putBytes(w.reserve(LegacyTreeBodies.COORDINATE_LENGTH), coordinate);
        }

        public int legacyLength() {
            return 9 + LegacyTreeBodies.COORDINATE_LENGTH;
        }
    }

    /** {@code dissolvedInto} is null for a view of a cluster that did not dissolve. */
    record View(int level, long epoch, long head, int topLevel, Ref dissolvedInto, List<Ref> chain, List<Member> members)
        implements Body {
        public MessageType type() {
            return MessageType.TREE_VIEW;
        }

        public int length() {
            return TreeViewBody.length(dissolvedInto == null ? null : dissolvedInto.address(), refAddresses(chain),
                memberAddresses(members));
        }

        public void write(final WireWriter w, final Marks marks) {
            marks.mark(Field.LEVEL, w);
            marks.list.add(new Mark(Field.VIEW_FLAGS, w.length() + TreeViewBody.FLAGS_OFFSET));
            marks.list.add(new Mark(Field.LEVEL, w.length() + TreeViewBody.TOP_LEVEL_OFFSET));
            TreeViewBody.writeHeader(w, level, dissolvedInto != null, epoch, head, topLevel);
            if (dissolvedInto != null) {
                dissolvedInto.write(w, marks);
            }
            marks.mark(Field.CHAIN_LENGTH, w);
            TreeViewBody.writeChainLength(w, chain.size());
            for (final Ref ref : chain) {
                ref.write(w, marks);
            }
            writeMembers(w, marks, members);
        }

        public void writeLegacy(final WireWriter w) {
            w.u8(level).u8(dissolvedInto != null ? LegacyTreeBodies.VIEW_FLAG_DISSOLVED : 0).u32(epoch).u64(head).u8(topLevel);
            if (dissolvedInto != null) {
                dissolvedInto.writeLegacy(w);
            }
            w.u8(chain.size());
            for (final Ref ref : chain) {
                ref.writeLegacy(w);
            }
            writeMembersLegacy(w, members);
        }

        public int legacyLength() {
            int length = 1 + 1 + 4 + 8 + 1 + 1 + 1;
            if (dissolvedInto != null) {
                length += LegacyTreeBodies.nodeRefLength(dissolvedInto.address());
            }
            for (final Ref ref : chain) {
                length += LegacyTreeBodies.nodeRefLength(ref.address());
            }
            for (final Member m : members) {
                length += LegacyTreeBodies.memberLength(m.address());
            }
            return length;
        }
    }

    record Merge(int level, Ref target) implements Body {
        public MessageType type() {
            return MessageType.TREE_MERGE;
        }

        public int length() {
            return TreeMergeBody.length(target.address());
        }

        public void write(final WireWriter w, final Marks marks) {
            marks.mark(Field.LEVEL, w);
            marks.list.add(new Mark(Field.ADDRESS_LENGTH, w.length() + TreeMergeBody.TARGET_OFFSET + TreeNodeRef.ADDRESS_LENGTH_OFFSET));
            TreeMergeBody.write(w, level, target.id(), target.address());
        }

        public void writeLegacy(final WireWriter w) {
            w.u8(level);
            target.writeLegacy(w);
        }

        public int legacyLength() {
            return 1 + LegacyTreeBodies.nodeRefLength(target.address());
        }
    }

    /** A TREE_PING or a TREE_ACK. */
    record Probe(MessageType type, int level, long probeId, long askedBy, long incarnation, byte[] coordinate) implements Body {
        public int length() {
            return TreeProbeBody.LENGTH;
        }

        public void write(final WireWriter w, final Marks marks) {
            marks.mark(Field.LEVEL, w);
            w.buffer().putBytes(TreeProbeBody.write(w, level, probeId, askedBy, incarnation), coordinate);
        }

        public void writeLegacy(final WireWriter w) {
            w.u8(level).u64(probeId).u64(askedBy).u32(incarnation);
            w.buffer().putBytes(w.reserve(LegacyTreeBodies.COORDINATE_LENGTH), coordinate);
        }

        public int legacyLength() {
            return 21 + LegacyTreeBodies.COORDINATE_LENGTH;
        }
    }

    record PingReq(int level, long probeId, Ref target) implements Body {
        public MessageType type() {
            return MessageType.TREE_PING_REQ;
        }

        public int length() {
            return TreePingReqBody.length(target.address());
        }

        public void write(final WireWriter w, final Marks marks) {
            marks.mark(Field.LEVEL, w);
            marks.list.add(new Mark(Field.ADDRESS_LENGTH, w.length() + TreePingReqBody.TARGET_OFFSET + TreeNodeRef.ADDRESS_LENGTH_OFFSET));
            TreePingReqBody.write(w, level, probeId, target.id(), target.address());
        }

        public void writeLegacy(final WireWriter w) {
            w.u8(level).u64(probeId);
            target.writeLegacy(w);
        }

        public int legacyLength() {
            return 9 + LegacyTreeBodies.nodeRefLength(target.address());
        }
    }

    record Suspect(int level, long subject, long incarnation, int state) implements Body {
        public MessageType type() {
            return MessageType.TREE_SUSPECT;
        }

        public int length() {
            return TreeSuspectBody.LENGTH;
        }

        public void write(final WireWriter w, final Marks marks) {
            marks.mark(Field.LEVEL, w);
            marks.list.add(new Mark(Field.SUSPECT_STATE, w.length() + TreeSuspectBody.STATE_OFFSET));
            TreeSuspectBody.write(w, level, subject, incarnation, state);
        }

        public void writeLegacy(final WireWriter w) {
            w.u8(level).u64(subject).u32(incarnation).u8(state);
        }

        public int legacyLength() {
            return 14;
        }
    }

    record Contribution(long contributorId, long version) {
    }

    record Announce(int level, long epoch, List<Contribution> contributions, List<Long> excluded, Summary summary)
        implements Body {
        public MessageType type() {
            return MessageType.TREE_ANNOUNCE;
        }

        public int length() {
            return TreeAnnounceBody.length(contributions.size(), excluded.size(), summary.length());
        }

        public void write(final WireWriter w, final Marks marks) {
            marks.mark(Field.LEVEL, w);
            marks.list.add(new Mark(Field.CONTRIBUTOR_COUNT, w.length() + TreeAnnounceBody.CONTRIBUTOR_COUNT_OFFSET));
            TreeAnnounceBody.writeHeader(w, level, epoch, contributions.size());
            for (final Contribution c : contributions) {
                TreeAnnounceBody.writeContributor(w, c.contributorId(), c.version());
            }
            marks.mark(Field.EXCLUDED_COUNT, w);
            TreeAnnounceBody.writeExcludedCount(w, excluded.size());
            for (final long id : excluded) {
                TreeAnnounceBody.writeExcluded(w, id);
            }
            summary.fill(w, marks, TreeAnnounceBody.writeSummary(w, summary.length()));
        }

        public void writeLegacy(final WireWriter w) {
            w.u8(level).u32(epoch).u8(contributions.size());
            for (final Contribution c : contributions) {
                w.u64(c.contributorId()).u64(c.version());
            }
            w.u8(excluded.size());
            for (final long id : excluded) {
                w.u64(id);
            }
            summary.writeLegacy(w);
        }

        public int legacyLength() {
            return 1 + 4 + 1 + 16 * contributions.size() + 1 + 8 * excluded.size() + 2 + summary.length();
        }
    }

    record Challenge(int level, long head, long version, long epoch, long clusterSize) implements Body {
        public MessageType type() {
            return MessageType.TREE_CHALLENGE;
        }

        public int length() {
            return TreeChallengeBody.LENGTH;
        }

        public void write(final WireWriter w, final Marks marks) {
            marks.mark(Field.LEVEL, w);
            TreeChallengeBody.write(w, level, head, version, epoch, clusterSize);
        }

        public void writeLegacy(final WireWriter w) {
            w.u8(level).u64(head).u64(version).u32(epoch).u32(clusterSize);
        }

        public int legacyLength() {
            return 25;
        }
    }

    record Baseline(int kind, int level, Summary summary) implements Body {
        public MessageType type() {
            return MessageType.TREE_BASELINE;
        }

        public int length() {
            return TreeBaselineBody.length(summary.length());
        }

        public void write(final WireWriter w, final Marks marks) {
            marks.mark(Field.BASELINE_KIND, w);
            marks.list.add(new Mark(Field.LEVEL, w.length() + TreeBaselineBody.LEVEL_OFFSET));
            summary.fill(w, marks, TreeBaselineBody.write(w, kind, level, summary.length()));
        }

        public void writeLegacy(final WireWriter w) {
            w.u8(kind).u8(level);
            summary.writeLegacy(w);
        }

        public int legacyLength() {
            return 4 + summary.length();
        }
    }

    record IntroduceRequest(long receiver) implements Body {
        public MessageType type() {
            return MessageType.TREE_INTRODUCE_REQUEST;
        }

        public int length() {
            return TreeIntroduceRequestBody.LENGTH;
        }

        public void write(final WireWriter w, final Marks marks) {
            TreeIntroduceRequestBody.write(w, receiver);
        }

        public void writeLegacy(final WireWriter w) {
            w.u64(receiver);
        }

        public int legacyLength() {
            return 8;
        }
    }

    // ---- arbitraries ----

    static Arbitrary<Integer> levels() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, TreeWire.LEVELS_MAX - 1), Arbitraries.just(TreeWire.LEVEL_ANY));
    }

    static Arbitrary<Long> ids() {
        return Arbitraries.longs();
    }

    static Arbitrary<Long> u32s() {
        return Arbitraries.longs().between(0, TreeWire.U32_MAX);
    }

    static Arbitrary<byte[]> coordinates() {
        return Arbitraries.bytes().array(byte[].class).ofSize(TreeWire.COORDINATE_LENGTH);
    }

    static Arbitrary<Ref> refs() {
        return Combinators.combine(ids(), WireArbitraries.addresses()).as(Ref::new);
    }

    static Arbitrary<Member> members() {
        return Combinators.combine(ids(), u32s(), Arbitraries.of(TreeWire.STATE_ALIVE, TreeWire.STATE_SUSPECT), coordinates(),
            WireArbitraries.addresses()).as(Member::new);
    }

    static Arbitrary<List<Member>> memberLists() {
        return members().list().ofMaxSize(TreeWire.LIST_MAX);
    }

    static Arbitrary<Summary> summaries() {
        return Combinators.combine(Arbitraries.integers().between(1, StatUpdateBody.FEATURES_MAX), ids(), ids(), ids())
            .as(Summary::of);
    }

    static Arbitrary<Descend> descends() {
        return Combinators.combine(levels(), Arbitraries.integers().between(0, 255), coordinates()).as(Descend::new);
    }

    static Arbitrary<Refer> refers() {
        return Combinators.combine(Arbitraries.of(TreeWire.REFER_MEMBERS, TreeWire.REFER_NOT_HEAD), levels(), levels(), refs(),
            memberLists()).as(Refer::new);
    }

    static Arbitrary<Admit> admits() {
        return Combinators.combine(levels(), ids(), coordinates()).as(Admit::new);
    }

    static Arbitrary<View> views() {
        return Combinators.combine(levels(), u32s(), ids(), levels(), refs().injectNull(0.5),
            refs().list().ofMaxSize(TreeWire.LEVELS_MAX), memberLists()).as(View::new);
    }

    static Arbitrary<Merge> merges() {
        return Combinators.combine(levels(), refs()).as(Merge::new);
    }

    static Arbitrary<Probe> probes() {
        return Combinators.combine(Arbitraries.of(MessageType.TREE_PING, MessageType.TREE_ACK), levels(), ids(), ids(), u32s(),
            coordinates()).as(Probe::new);
    }

    static Arbitrary<PingReq> pingReqs() {
        return Combinators.combine(levels(), ids(), refs()).as(PingReq::new);
    }

    static Arbitrary<Suspect> suspects() {
        return Combinators.combine(levels(), ids(), u32s(), Arbitraries.integers().between(TreeWire.STATE_ALIVE, TreeWire.STATE_DEAD))
            .as(Suspect::new);
    }

    static Arbitrary<Announce> announces() {
        return Combinators.combine(levels(), u32s(),
            Combinators.combine(ids(), ids()).as(Contribution::new).list().ofMaxSize(TreeWire.LIST_MAX),
            ids().list().ofMaxSize(TreeWire.LIST_MAX), summaries()).as(Announce::new);
    }

    static Arbitrary<Challenge> challenges() {
        return Combinators.combine(levels(), ids(), ids(), u32s(), u32s()).as(Challenge::new);
    }

    static Arbitrary<Baseline> baselines() {
        return Combinators.combine(Arbitraries.of(TreeWire.BASELINE_FLEET, TreeWire.BASELINE_COHORT), levels(), summaries())
            .as(Baseline::new);
    }

    static Arbitrary<IntroduceRequest> introduceRequests() {
        return ids().map(IntroduceRequest::new);
    }

    /** A valid body of any tree type, each type as likely as any other. */
    static Arbitrary<Body> bodies() {
        return Arbitraries.oneOf(descends(), refers(), admits(), views(), merges(), probes(), pingReqs(), suspects(),
            announces(), challenges(), baselines(), introduceRequests());
    }
}
