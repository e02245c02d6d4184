package dev.vigil.wire;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** WireReader and WireWriter at their edges: exact values, bounds and positions. */
class WireCursorTest {
    @Test
    void aWriterAndAReaderAgreeOnEveryFieldAtTheExtremesOfItsRange() {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final WireWriter w = new WireWriter().wrap(buffer, 5);
        w.u8(0).u8(0xFF).u16(0).u16(0xFFFF).u32(0).u32(0xFFFF_FFFFL).u32(7).u64(-2L).address("h:1").u16(0x1234);
        assertThat(w.length()).isEqualTo(1 + 1 + 2 + 2 + 4 + 4 + 4 + 8 + 4 + 2);
        assertThat(w.position()).isEqualTo(5 + w.length());

        final WireReader r = new WireReader().wrap(buffer, 5, w.length());
        assertThat(r.ok()).isTrue();
        assertThat(r.position()).isEqualTo(5);
        assertThat(r.u8()).isZero();
        assertThat(r.u8()).isEqualTo(0xFF);
        assertThat(r.u16()).isZero();
        assertThat(r.u16()).isEqualTo(0xFFFF);
        assertThat(r.u32()).isZero();
        assertThat(r.u32()).isEqualTo(0xFFFF_FFFFL);
        assertThat(r.u32()).isEqualTo(7L);
        assertThat(r.u64()).isEqualTo(-2L);
        assertThat(r.address()).isEqualTo("h:1");
        assertThat(r.position()).isEqualTo(5 + w.length() - 2);
        assertThat(r.skip(2)).as("skip answers where the skipped bytes start").isEqualTo(5 + w.length() - 2);
        assertThat(r.done()).isTrue();
        assertThat(r.u8()).as("reading past the end").isZero();
        assertThat(r.ok()).isFalse();
        assertThat(r.skip(1)).isEqualTo(-1);
    }

    @Test
    void aReaderMayCoverTheWholeBufferButNotOneByteMore() {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[16]);
        assertThat(new WireReader().wrap(buffer, 0, 16).ok()).isTrue();
        assertThat(new WireReader().wrap(buffer, 16, 0).ok()).isTrue();
        assertThat(new WireReader().wrap(buffer, 0, 17).ok()).isFalse();
        assertThat(new WireReader().wrap(buffer, 1, 16).ok()).isFalse();
        assertThat(new WireReader().wrap(buffer, -1, 4).ok()).isFalse();
        assertThat(new WireReader().wrap(buffer, 0, -1).ok()).isFalse();
    }

    @Test
    void aMalformedAddressReadsAsNullAndSpoilsTheReader() {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[8]);
        buffer.putByte(0, (byte)0); // empty address
        final WireReader empty = new WireReader().wrap(buffer, 0, 8);
        assertThat(empty.address()).isNull();
        assertThat(empty.ok()).isFalse();

        buffer.putByte(0, (byte)3);
        buffer.putBytes(1, new byte[] {'a', 0x01, 'b'}); // not printable
        final WireReader unprintable = new WireReader().wrap(buffer, 0, 8);
        assertThat(unprintable.address()).isNull();
        assertThat(unprintable.ok()).isFalse();

        buffer.putByte(0, (byte)9); // longer than what is left
        final WireReader overlong = new WireReader().wrap(buffer, 0, 8);
        assertThat(overlong.address()).isNull();
        assertThat(overlong.done()).isFalse();
    }

    @Test
    void theWriterRefusesValuesOutsideEachFieldsRange() {
        final WireWriter w = new WireWriter().wrap(new UnsafeBuffer(new byte[16]), 0);
        assertThatThrownBy(() -> w.u8(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.u8(0x100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.u16(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.u16(0x1_0000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.u32(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.u32(0x1_0000_0000L)).isInstanceOf(IllegalArgumentException.class);
        assertThat(w.length()).as("nothing written by a refused value").isZero();
        assertThat(WireWriter.addressLength("10.0.0.1:7400")).isEqualTo(14);
    }
}
