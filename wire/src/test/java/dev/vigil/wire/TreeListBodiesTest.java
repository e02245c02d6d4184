package dev.vigil.wire;

import dev.vigil.wire.TreeValues.Member;
import dev.vigil.wire.TreeValues.Placed;
import dev.vigil.wire.TreeValues.Ref;
import dev.vigil.wire.TreeValues.Refer;
import dev.vigil.wire.TreeValues.View;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.Collections;
import java.util.List;

import static dev.vigil.wire.TreeValues.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The bodies that list members (refer, view) and node refs (a view's head chain): every field
 * comes back through a reused decoder, the lists are bounded by {@value TreeWire#LIST_MAX} members
 * and {@value TreeWire#LEVELS_MAX} chain entries, and the writers refuse what they cannot carry.
 */
class TreeListBodiesTest {
    /** One decoder of each kind for all tries: wrapping must forget the body wrapped before. */
    private final TreeReferBody refer = new TreeReferBody();
    private final TreeViewBody view = new TreeViewBody();

    @Property(tries = 100)
    void aReferRoundTripsThroughAReusedDecoder(@ForAll("refers") final Refer r, @ForAll @IntRange(max = 17) final int offset) {
        final Placed p = TreeValues.place(r, offset);

        assertThat(p.length()).isEqualTo(r.length());
        assertThat(TreeReferBody.isWellFormed(p.buffer(), p.offset(), p.length())).isTrue();
        refer.wrap(p.buffer(), p.offset(), p.length());
        assertThat(refer.status()).isEqualTo(r.status());
        assertThat(refer.level()).isEqualTo(r.level());
        assertThat(refer.topLevel()).isEqualTo(r.topLevel());
        assertThat(refer.rootId()).isEqualTo(r.root().id());
        assertThat(refer.rootAddress()).isEqualTo(r.root().address());
        assertThat(refer.members().count()).isEqualTo(r.members().size());
        for (int i = 0; i < r.members().size(); i++) {
            final Member m = r.members().get(i);
            assertThat(refer.members().id(i)).isEqualTo(m.id());
            assertThat(refer.members().incarnation(i)).isEqualTo(m.incarnation());
            assertThat(refer.members().state(i)).isEqualTo(m.state());
            assertThat(p.bytes(refer.members().coordinateOffset(i), TreeWire.COORDINATE_LENGTH)).isEqualTo(m.coordinate());
            assertThat(refer.members().address(i)).isEqualTo(m.address());
        }
    }

    @Property(tries = 100)
    void aViewRoundTripsThroughAReusedDecoder(@ForAll("views") final View v, @ForAll @IntRange(max = 17) final int offset) {
        final Placed p = TreeValues.place(v, offset);

        assertThat(p.length()).isEqualTo(v.length());
        assertThat(TreeViewBody.isWellFormed(p.buffer(), p.offset(), p.length())).isTrue();
        view.wrap(p.buffer(), p.offset(), p.length());
        assertThat(view.level()).isEqualTo(v.level());
        assertThat(view.epoch()).isEqualTo(v.epoch());
        assertThat(view.head()).isEqualTo(v.head());
        assertThat(view.topLevel()).isEqualTo(v.topLevel());
        assertThat(view.dissolved()).isEqualTo(v.dissolvedInto() != null);
        if (v.dissolvedInto() != null) {
            assertThat(view.dissolvedIntoId()).isEqualTo(v.dissolvedInto().id());
            assertThat(view.dissolvedIntoAddress()).isEqualTo(v.dissolvedInto().address());
        }
        assertThat(view.chainLength()).isEqualTo(v.chain().size());
        for (int i = 0; i < v.chain().size(); i++) {
            assertThat(view.chainId(i)).isEqualTo(v.chain().get(i).id());
            assertThat(view.chainAddress(i)).isEqualTo(v.chain().get(i).address());
        }
        assertThat(view.members().count()).isEqualTo(v.members().size());
        for (int i = 0; i < v.members().size(); i++) {
            final Member m = v.members().get(i);
            assertThat(view.members().id(i)).isEqualTo(m.id());
            assertThat(view.members().incarnation(i)).isEqualTo(m.incarnation());
            assertThat(view.members().state(i)).isEqualTo(m.state());
            assertThat(p.bytes(view.members().coordinateOffset(i), TreeWire.COORDINATE_LENGTH)).isEqualTo(m.coordinate());
            assertThat(view.members().address(i)).isEqualTo(m.address());
        }
    }

    @Example
    void aDecoderRefusesAnIndexOutsideItsListsAndAViewThatDidNotDissolveNamesNoCluster() {
        final Placed p = TreeValues.place(new View(0, 1, 2, 0, null, List.of(new Ref(3, "h:1")), List.of()), 0);
        view.wrap(p.buffer(), 0, p.length());

        assertThatThrownBy(() -> view.chainId(1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> view.members().id(0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> view.chainAddress(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(view::dissolvedIntoId).isInstanceOf(IllegalStateException.class);
    }

    @Example
    void wrappingAMalformedBodyThrowsAndLeavesNothingToRead() {
        final Placed p = TreeValues.place(new Refer(TreeWire.REFER_MEMBERS, 0, 0, new Ref(1, "r:1"),
            List.of(new Member(2, 3, TreeWire.STATE_ALIVE, new byte[TreeWire.COORDINATE_LENGTH], "m:1"))), 0);
        refer.wrap(p.buffer(), 0, p.length());

        assertThatThrownBy(() -> refer.wrap(p.buffer(), 0, p.length() - 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(refer.members().count()).isZero();
        assertThatThrownBy(() -> view.wrap(p.buffer(), 0, p.length())).isInstanceOf(IllegalArgumentException.class);
    }

    @Example
    void listsAtTheirBoundAreWellFormedAndOneMoreIsRefusedEvenWithEveryEntryPresent() {
        final Member member = new Member(7, 1, TreeWire.STATE_SUSPECT, new byte[TreeWire.COORDINATE_LENGTH], "10.0.0.1:7400");
        final Ref head = new Ref(9, "10.0.0.2:7400");
        final Ref root = new Ref(8, "10.0.0.3:7400");
        final List<Member> full = Collections.nCopies(TreeWire.LIST_MAX, member);
        final List<Member> over = Collections.nCopies(TreeWire.LIST_MAX + 1, member);
        final List<Ref> chain = Collections.nCopies(TreeWire.LEVELS_MAX, head);
        final List<Ref> longChain = Collections.nCopies(TreeWire.LEVELS_MAX + 1, head);

        assertThat(wellFormed(new View(1, 5, 6, 15, root, chain, full))).isTrue();
        assertThat(wellFormed(new Refer(TreeWire.REFER_MEMBERS, 1, 15, root, full))).isTrue();
        // the writers refuse these, so they are written as the daemon used to, field by field
        assertThat(wellFormed(new View(1, 5, 6, 15, root, longChain, full))).isFalse();
        assertThat(wellFormed(new View(1, 5, 6, 15, root, chain, over))).isFalse();
        assertThat(wellFormed(new Refer(TreeWire.REFER_MEMBERS, 1, 15, root, over))).isFalse();
    }

    /** Both checks' answer for a body written field by field; they must agree. */
    private static boolean wellFormed(final TreeValues.Body body) {
        final WireWriter w = TreeValues.writer();
        body.writeLegacy(w);
        final boolean answer = TreeValues.check(body.type(), w.buffer(), 0, w.length());
        assertThat(LegacyTreeBodies.isWellFormed(body.type(), w.buffer(), 0, w.length())).isEqualTo(answer);
        return answer;
    }

    @Example
    void theWritersRefuseWhatTheLayoutOrItsRulesCannotCarry() {
        final WireWriter w = TreeValues.writer();

        assertRefused(w, "status", () -> TreeReferBody.writeHeader(w, 2, 0, 0, 1, "r:1"));
        assertRefused(w, "level", () -> TreeReferBody.writeHeader(w, 0, 16, 0, 1, "r:1"));
        assertRefused(w, "top level", () -> TreeReferBody.writeHeader(w, 0, 0, 300, 1, "r:1"));
        assertRefused(w, "root address", () -> TreeReferBody.writeHeader(w, 0, 0, 0, 1, ""));
        assertRefused(w, "root address", () -> TreeReferBody.writeHeader(w, 0, 0, 0, 1, "a b"));
        assertRefused(w, "level", () -> TreeViewBody.writeHeader(w, 20, false, 0, 1, 0));
        assertRefused(w, "epoch", () -> TreeViewBody.writeHeader(w, 0, false, TreeWire.U32_MAX + 1, 1, 0));
        assertRefused(w, "top level", () -> TreeViewBody.writeHeader(w, 0, true, 0, 1, -1));
        assertRefused(w, "chain length", () -> TreeViewBody.writeChainLength(w, TreeWire.LEVELS_MAX + 1));
        assertRefused(w, "member count", () -> TreeMember.writeCount(w, TreeWire.LIST_MAX + 1));
        assertRefused(w, "member count", () -> TreeMember.writeCount(w, -1));
        assertRefused(w, "member incarnation", () -> TreeMember.write(w, 1, -1, 0, "m:1"));
        assertRefused(w, "member incarnation", () -> TreeMember.write(w, 1, TreeWire.U32_MAX + 1, 0, "m:1"));
        assertRefused(w, "member state", () -> TreeMember.write(w, 1, 0, TreeWire.STATE_DEAD, "m:1"));
        assertRefused(w, "member address", () -> TreeMember.write(w, 1, 0, 0, "x".repeat(TreeWire.ADDRESS_LENGTH_MAX + 1)));
        assertRefused(w, "member address", () -> TreeMember.write(w, 1, 0, 0, "nodé:1"));
        assertRefused(w, "node ref address", () -> TreeNodeRef.write(w, 1, ""));
        assertRefused(w, "node ref address", () -> TreeNodeRef.write(w, 1, "tab\there"));
    }

    @Example
    void aMemberEntryReservesItsCoordinateBeforeItsAddress() {
        final WireWriter w = TreeValues.writer();

        final int coordinate = TreeMember.write(w, 1, 2, TreeWire.STATE_ALIVE, "a:1");

        assertThat(coordinate).isEqualTo(TreeMember.coordinateOffset(0));
        assertThat(w.length()).isEqualTo(TreeMember.length("a:1")).isEqualTo(LegacyTreeBodies.memberLength("a:1"));
        assertThat(TreeMember.address(w.buffer(), 0)).isEqualTo("a:1");
    }

    @Provide
    Arbitrary<Refer> refers() {
        return TreeValues.refers();
    }

    @Provide
    Arbitrary<View> views() {
        return TreeValues.views();
    }
}
