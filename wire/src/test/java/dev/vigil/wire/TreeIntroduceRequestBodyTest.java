package dev.vigil.wire;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.agrona.concurrent.UnsafeBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/** TREE_INTRODUCE_REQUEST's body is exactly the receiver's id. */
class TreeIntroduceRequestBodyTest {
    private static boolean wellFormed(final int length) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[16]);
        buffer.putLong(0, 0x1234_5678_9ABC_DEF0L);
        return TreeIntroduceRequestBody.isWellFormed(buffer, 0, length);
    }

    @Example
    void anEightByteIdIsWellFormedAndAnyOtherLengthIsNot() {
        assertThat(wellFormed(8)).isTrue();
        assertThat(wellFormed(0)).isFalse();
        assertThat(wellFormed(7)).isFalse();
        assertThat(wellFormed(9)).isFalse();
    }

    @Property(tries = 50)
    void theReceiverRoundTrips(@ForAll final long receiver, @ForAll @IntRange(max = 17) final int offset) {
        final TreeValues.Placed p = TreeValues.place(new TreeValues.IntroduceRequest(receiver), offset);

        assertThat(p.length()).isEqualTo(TreeIntroduceRequestBody.LENGTH);
        assertThat(TreeIntroduceRequestBody.isWellFormed(p.buffer(), p.offset(), p.length())).isTrue();
        assertThat(TreeIntroduceRequestBody.receiver(p.buffer(), p.offset())).isEqualTo(receiver);
    }

    @Example
    void itIsATreeTypeThatMayCarryAnIntroduction() {
        assertThat(MessageType.of(28)).isEqualTo(MessageType.TREE_INTRODUCE_REQUEST);
        assertThat(MessageType.TREE_INTRODUCE_REQUEST.introducible()).isTrue();
        assertThat(MessageType.TREE_INTRODUCE_REQUEST.label).isEqualTo("tree-introduce-request");
    }
}
