package dev.vigil.wire;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Message type codes: lookup over every int a header byte can hold, and which types carry introductions. */
class MessageTypeCodesTest {
    @Test
    void everyTypeIsFoundByItsCodeAndNothingElseIs() {
        for (final MessageType t : MessageType.values()) {
            assertThat(MessageType.of(t.code)).isSameAs(t);
        }
        int found = 0;
        for (int code = -1; code <= 256; code++) {
            if (MessageType.of(code) != null) {
                found++;
            }
        }
        assertThat(found).isEqualTo(MessageType.values().length);
        assertThat(MessageType.of(256)).isNull();
        assertThat(MessageType.of(Integer.MIN_VALUE)).isNull();
        assertThat(MessageType.of(Integer.MAX_VALUE)).isNull();
    }

    @Test
    void onlyTreeAndLaterTypesMayCarryAnIntroduction() {
        for (final MessageType t : MessageType.values()) {
            assertThat(t.introducible()).as(t.label).isEqualTo(t.code >= 16);
        }
        assertThat(MessageType.TREE_DESCEND.introducible()).isTrue();
        assertThat(MessageType.LEAVE.introducible()).isFalse();
    }
}
