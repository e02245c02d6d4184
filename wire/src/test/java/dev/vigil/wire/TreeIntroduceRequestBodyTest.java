package dev.vigil.wire;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** TREE_INTRODUCE_REQUEST's body is exactly the receiver's id. */
class TreeIntroduceRequestBodyTest {
    private static boolean wellFormed(final int length) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[16]);
        buffer.putLong(0, 0x1234_5678_9ABC_DEF0L);
        return TreeBodies.isWellFormed(MessageType.TREE_INTRODUCE_REQUEST, buffer, 0, length);
    }

    @Test
    void anEightByteIdIsWellFormedAndAnyOtherLengthIsNot() {
        assertThat(wellFormed(8)).isTrue();
        assertThat(wellFormed(0)).isFalse();
        assertThat(wellFormed(7)).isFalse();
        assertThat(wellFormed(9)).isFalse();
    }

    @Test
    void itIsATreeTypeThatMayCarryAnIntroduction() {
        assertThat(MessageType.of(28)).isEqualTo(MessageType.TREE_INTRODUCE_REQUEST);
        assertThat(MessageType.TREE_INTRODUCE_REQUEST.introducible()).isTrue();
        assertThat(MessageType.TREE_INTRODUCE_REQUEST.label).isEqualTo("tree-introduce-request");
    }
}
