package dev.vigil.wire;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Type codes and labels: the lookup is total and agrees with the declared codes. */
class MessageTypeTest {

    @Property
    void lookupIsTotalAndOnlyFindsDeclaredCodes(@ForAll final int code) {
        final MessageType type = MessageType.of(code);

        if (type == null) {
            assertThat(MessageType.values()).noneMatch(t -> t.code == code);
        } else {
            assertThat(type.code).isEqualTo(code);
        }
    }

    @Example
    void everyTypeIsFoundByItsCodeAndCodesAreDistinctMembershipCodes() {
        for (final MessageType type : MessageType.values()) {
            assertThat(MessageType.of(type.code)).isSameAs(type);
            assertThat(type.code).isBetween(1, 15);
        }
        assertThat(Arrays.stream(MessageType.values()).mapToInt(t -> t.code).distinct().count())
            .isEqualTo(MessageType.values().length);
    }

    @Example
    void labelsAreLowerCaseWithDashes() {
        assertThat(MessageType.JOIN_ACCEPT.label).isEqualTo("join-accept");
        assertThat(MessageType.PING.label).isEqualTo("ping");
        assertThat(FrameStatus.MALFORMED_BODY.label).isEqualTo("malformed-body");
        assertThat(FrameStatus.OK.ok()).isTrue();
        assertThat(FrameStatus.TRUNCATED.ok()).isFalse();
    }
}
