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
    void everyTypeIsFoundByItsCodeAndCodesAreDistinctAndInTheirFamilysBlock() {
        for (final MessageType type : MessageType.values()) {
            assertThat(MessageType.of(type.code)).isSameAs(type);
            assertThat(type.code).isBetween(1, 255);
        }
        // families own blocks of 16 codes: membership 1..15, aggregation 32..47, evidence and consensus 48..63
        for (final MessageType t : new MessageType[] {MessageType.JOIN, MessageType.JOIN_ACCEPT, MessageType.PING,
            MessageType.ACK, MessageType.LEAVE}) {
            assertThat(t.code).isBetween(1, 15);
        }
        assertThat(MessageType.STAT_UPDATE.code).isBetween(32, 47);
        assertThat(MessageType.CONSENSUS.code).isEqualTo(48);
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
