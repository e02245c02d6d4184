package dev.vigil.wire;

import dev.vigil.wire.TestFrames.Frame;
import dev.vigil.wire.TreeValues.Body;
import dev.vigil.wire.TreeValues.Mark;
import dev.vigil.wire.TreeValues.Written;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.agrona.concurrent.UnsafeBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What holds for every tree body: the flyweights write exactly the bytes the daemon wrote by hand
 * (the simulator's frame digests depend on it), their length functions are exact, the frame
 * decoder checks each type with its flyweight, and a body one byte off, or with a byte that breaks
 * its rule, is refused.
 */
class TreeEncodingTest {

    @Provide
    Arbitrary<Body> bodies() {
        return TreeValues.bodies();
    }

    @Property(tries = 300)
    void theFlyweightsWriteTheBytesTheDaemonWroteByHand(@ForAll("bodies") final Body body) {
        final WireWriter flyweight = TreeValues.writer();
        body.write(flyweight, new TreeValues.Marks());
        final WireWriter legacy = TreeValues.writer();
        body.writeLegacy(legacy);

        assertThat(flyweight.length()).isEqualTo(legacy.length()).isEqualTo(body.length()).isEqualTo(body.legacyLength());
        assertThat(bytes(flyweight)).isEqualTo(bytes(legacy));
    }

    @Property(tries = 300)
    void everyWrittenBodyIsWellFormedToTheFlyweightAndToTheOldCheck(
        @ForAll("bodies") final Body body, @ForAll @IntRange(max = 17) final int offset) {
        final TreeValues.Placed p = TreeValues.place(body, offset);

        assertThat(TreeValues.check(body.type(), p.buffer(), p.offset(), p.length())).isTrue();
        assertThat(LegacyTreeBodies.isWellFormed(body.type(), p.buffer(), p.offset(), p.length())).isTrue();
    }

    @Property(tries = 200)
    void theFrameDecoderChecksEachTreeTypeWithItsFlyweight(@ForAll("bodies") final Body body, @ForAll final boolean cut) {
        final Written written = TreeValues.written(body);
        final int length = cut ? written.bytes().length - 1 : written.bytes().length;
        final Frame frame = TestFrames.frame(body.type(), 3, (b, at) -> {
            b.putBytes(at, written.bytes(), 0, length);
            return length;
        });

        assertThat(frame.check()).isEqualTo(cut ? FrameStatus.MALFORMED_BODY : FrameStatus.OK);
    }

    @Property(tries = 300)
    void aBodyOneByteShortOrOneByteLongIsRefused(
        @ForAll("bodies") final Body body, @ForAll @IntRange(max = 17) final int offset, @ForAll final byte extra) {
        final TreeValues.Placed p = TreeValues.place(body, offset);
        p.buffer().putByte(p.offset() + p.length(), extra);

        assertThat(TreeValues.check(body.type(), p.buffer(), p.offset(), p.length() - 1)).isFalse();
        assertThat(TreeValues.check(body.type(), p.buffer(), p.offset(), p.length() + 1)).isFalse();
    }

    /** Levels from 16 to 254, counts over their bound, unknown states, kinds, statuses and flags, empty addresses. */
    @Property(tries = 500)
    void aRuleBearingByteSetToAValueItsRuleForbidsIsRefused(
        @ForAll("bodies") final Body body,
        @ForAll @IntRange(min = 0, max = 1 << 20) final int pick,
        @ForAll @IntRange(min = 0, max = 255) final int value) {
        final Written written = TreeValues.written(body);
        final Mark[] forbidding = written.marks().stream().filter(m -> m.field().hasForbidden()).toArray(Mark[]::new);
        if (forbidding.length == 0) {
            return; // an introduce request: any 8 bytes
        }
        final Mark mark = forbidding[pick % forbidding.length];
        final int span = mark.field().forbiddenMax - mark.field().forbiddenMin + 1;
        final UnsafeBuffer b = new UnsafeBuffer(written.bytes());
        b.putByte(mark.position(), (byte)(mark.field().forbiddenMin + value % span));

        assertThat(TreeValues.check(body.type(), b, 0, b.capacity())).as("%s at %d", mark.field(), mark.position()).isFalse();
        assertThat(LegacyTreeBodies.isWellFormed(body.type(), b, 0, b.capacity())).isFalse();
    }

    @Example
    void theFamilyConstantsAreTheOnesTheWireHasAlwaysUsed() {
        assertThat(TreeWire.LEVELS_MAX).isEqualTo(LegacyTreeBodies.LEVELS_MAX).isEqualTo(16);
        assertThat(TreeWire.LEVEL_ANY).isEqualTo(LegacyTreeBodies.LEVEL_ANY).isEqualTo(255);
        assertThat(TreeWire.LIST_MAX).isEqualTo(LegacyTreeBodies.LIST_MAX).isEqualTo(64);
        assertThat(TreeWire.COORDINATE_LENGTH).isEqualTo(LegacyTreeBodies.COORDINATE_LENGTH).isEqualTo(32);
        assertThat(TreeWire.ADDRESS_LENGTH_MAX).isEqualTo(LegacyTreeBodies.ADDRESS_LENGTH_MAX).isEqualTo(255);
        assertThat(TreeWire.STATE_ALIVE).isEqualTo(LegacyTreeBodies.STATE_ALIVE).isZero();
        assertThat(TreeWire.STATE_SUSPECT).isEqualTo(LegacyTreeBodies.STATE_SUSPECT).isEqualTo(1);
        assertThat(TreeWire.STATE_DEAD).isEqualTo(LegacyTreeBodies.STATE_DEAD).isEqualTo(2);
        assertThat(TreeWire.VIEW_FLAG_DISSOLVED).isEqualTo(LegacyTreeBodies.VIEW_FLAG_DISSOLVED).isEqualTo(1);
        assertThat(TreeWire.BASELINE_FLEET).isEqualTo(LegacyTreeBodies.BASELINE_FLEET).isZero();
        assertThat(TreeWire.BASELINE_COHORT).isEqualTo(LegacyTreeBodies.BASELINE_COHORT).isEqualTo(1);
    }

    @Example
    void theFixedLengthsAreTheOnesTheDaemonWroteAsLiterals() {
        assertThat(TreeDescendBody.LENGTH).isEqualTo(2 + 32);
        assertThat(TreeAdmitBody.LENGTH).isEqualTo(9 + 32);
        assertThat(TreeProbeBody.LENGTH).isEqualTo(21 + 32);
        assertThat(TreeSuspectBody.LENGTH).isEqualTo(14);
        assertThat(TreeChallengeBody.LENGTH).isEqualTo(25);
        assertThat(TreeIntroduceRequestBody.LENGTH).isEqualTo(8);
    }

    private static byte[] bytes(final WireWriter w) {
        final byte[] out = new byte[w.length()];
        w.buffer().getBytes(w.position() - w.length(), out);
        return out;
    }
}
