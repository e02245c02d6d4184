package dev.vigil.wire;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Addresses go on the wire as printable ASCII or not at all: nothing is silently rewritten. */
class AddressEncodingTest {
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[FrameHeader.FRAME_LENGTH_MAX]);
    private final byte[] certificate = new byte[136];

    @Test
    void nonAsciiAddressIsRefusedNotReplacedByQuestionMarks() {
        assertThatThrownBy(() -> JoinBody.encode(buffer, 0, certificate, "nodé:7400"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("printable ASCII");
        final int length = JoinAcceptBody.encodeStart(buffer, 0, true, certificate, "a:1");
        assertThatThrownBy(() -> JoinAcceptBody.appendSample(buffer, 0, length, 1, "ноуд:7400"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("printable ASCII");
    }
}
