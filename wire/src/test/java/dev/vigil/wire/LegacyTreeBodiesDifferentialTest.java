package dev.vigil.wire;

import dev.vigil.wire.TreeValues.Body;
import dev.vigil.wire.TreeValues.Mark;
import dev.vigil.wire.TreeValues.Written;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The flyweights' checks accept exactly the bodies {@link LegacyTreeBodies#isWellFormed} accepted, so
 * moving the frame decoder over to them changed no node's answer to any frame. Fed valid bodies of
 * every tree type and the same bodies mutated: bits flipped, cut short, extended, a count, length,
 * level or state byte lying, checked as another tree type, or random bytes.
 */
class LegacyTreeBodiesDifferentialTest {

    enum Mutation { NONE, FLIP_BITS, TRUNCATE, EXTEND, LIE_IN_A_FIELD, NUDGE_A_FIELD, RESIZE_AN_ADDRESS, OTHER_TYPE, RANDOM }

    /** Values a lying byte takes: both sides of every bound the tree family has, and the extremes. */
    private static final int[] LIES = {0, 1, 2, 3, 15, 16, 17, 63, 64, 65, 127, 128, 254, 255};

    /** One body (at {@code offset} of {@code bytes}, {@code length} long) to check as {@code type}. */
    record Case(MessageType type, byte[] bytes, int offset, int length) {
    }

    /** Edge cases off: they would all be the first mutation, unchanged bodies. */
    @Property(tries = 2000, edgeCases = EdgeCasesMode.NONE)
    void theFlyweightsAnswerEveryBodyAsTheOldCheckDid(
        @ForAll("bodies") final Body body,
        @ForAll final Mutation mutation,
        @ForAll("treeTypes") final MessageType otherType,
        @ForAll @IntRange(max = 17) final int offset,
        @ForAll final long seed) {
        final Case c = mutate(TreeValues.written(body), mutation, otherType, offset, seed);
        final UnsafeBuffer buffer = new UnsafeBuffer(c.bytes());

        final boolean expected = LegacyTreeBodies.isWellFormed(c.type(), buffer, c.offset(), c.length());
        final boolean actual = TreeValues.check(c.type(), buffer, c.offset(), c.length());

        Statistics.label("answer").collect(actual ? "accepted" : "refused");
        Statistics.label("answer").coverage(k -> k.check("accepted").percentage(p -> p > 10));
        assertThat(actual).as("%s as %s, %d bytes at %d", mutation, c.type(), c.length(), c.offset()).isEqualTo(expected);
    }

    @Example
    void aRangeOutsideTheBufferIsRefusedByBothWithoutThrowing() {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final int[][] ranges = {{-1, 8}, {0, -1}, {60, 8}, {64, 1}, {65, 0}, {Integer.MAX_VALUE, 8}, {8, Integer.MAX_VALUE}};
        for (final MessageType type : TreeValues.TREE_TYPES) {
            for (final int[] r : ranges) {
                assertThat(TreeValues.check(type, buffer, r[0], r[1])).as("%s %s", type, Arrays.toString(r))
                    .isEqualTo(LegacyTreeBodies.isWellFormed(type, buffer, r[0], r[1])).isFalse();
            }
        }
    }

    @Provide
    Arbitrary<Body> bodies() {
        return TreeValues.bodies();
    }

    @Provide
    Arbitrary<MessageType> treeTypes() {
        return Arbitraries.of(TreeValues.TREE_TYPES);
    }

    /** Bytes around the body that neither check may read: the offset's prefix and a random tail. */
    private static Case mutate(final Written w, final Mutation mutation, final MessageType otherType, final int offset,
                               final long seed) {
        final Random random = new Random(seed);
        byte[] body = w.bytes().clone();
        MessageType type = w.type();
        switch (mutation) {
            case NONE -> {
            }
            case FLIP_BITS -> {
                for (int i = 1 + random.nextInt(3); i > 0 && body.length > 0; i--) {
                    body[random.nextInt(body.length)] ^= (byte)(1 << random.nextInt(8));
                }
            }
            case TRUNCATE -> body = Arrays.copyOf(body, random.nextInt(body.length + 1));
            case EXTEND -> {
                final byte[] longer = Arrays.copyOf(body, body.length + 1 + random.nextInt(8));
                for (int i = body.length; i < longer.length; i++) {
                    longer[i] = (byte)random.nextInt(256);
                }
                body = longer;
            }
            case LIE_IN_A_FIELD, NUDGE_A_FIELD -> {
                if (!w.marks().isEmpty()) {
                    final Mark mark = w.marks().get(random.nextInt(w.marks().size()));
                    final int old = body[mark.position()] & 0xFF;
                    body[mark.position()] = (byte)(mutation == Mutation.NUDGE_A_FIELD ? old + (random.nextBoolean() ? 1 : -1)
                        : LIES[random.nextInt(LIES.length)]);
                }
            }
            case RESIZE_AN_ADDRESS -> body = resizeAnAddress(w, body, random);
            case OTHER_TYPE -> type = otherType;
            case RANDOM -> {
                body = new byte[random.nextInt(120)];
                for (int i = 0; i < body.length; i++) {
                    // small values pass level, count and state rules often enough to get past the first field
                    body[i] = (byte)(random.nextBoolean() ? random.nextInt(4) : random.nextInt(256));
                }
            }
        }
        final byte[] bytes = new byte[offset + body.length + 8];
        random.nextBytes(bytes);
        System.arraycopy(body, 0, bytes, offset, body.length);
        return new Case(type, bytes, offset, body.length);
    }

    /**
     * Gives one address another length (empty, one byte, one shorter or longer, the longest) and
     * cuts or pads its bytes to match, so the lengths around it still add up: only the address
     * rule can refuse it.
     */
    private static byte[] resizeAnAddress(final Written w, final byte[] body, final Random random) {
        final Mark[] addresses = w.marks().stream().filter(m -> m.field() == TreeValues.Field.ADDRESS_LENGTH).toArray(Mark[]::new);
        if (addresses.length == 0) {
            return body;
        }
        final int at = addresses[random.nextInt(addresses.length)].position();
        final int old = body[at] & 0xFF;
        final int[] choices = {0, 1, old - 1, Math.min(old + 1, TreeWire.ADDRESS_LENGTH_MAX), TreeWire.ADDRESS_LENGTH_MAX};
        final int length = Math.max(0, choices[random.nextInt(choices.length)]);
        final byte[] out = new byte[body.length - old + length];
        System.arraycopy(body, 0, out, 0, at + 1 + Math.min(old, length));
        for (int i = old; i < length; i++) {
            out[at + 1 + i] = (byte)(random.nextInt(8) == 0 ? random.nextInt(256) : '!' + random.nextInt('~' - '!' + 1));
        }
        out[at] = (byte)length;
        System.arraycopy(body, at + 1 + old, out, at + 1 + length, body.length - (at + 1 + old));
        return out;
    }
}
