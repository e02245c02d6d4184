package dev.vigil.daemon.history;

import dev.vigil.daemon.detect.AgentStatus;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The raw-block codec: what is appended comes back bit for bit, in order, and garbage is refused, never misread. */
class RawBlockProperties {
    private static final int D = 4;
    private static final long MINUTE = 29_462_400L; // 2026-01-08 00:00 UTC

    /** Doubles with the awkward ones often: NaN (several payloads), infinities, both zeros, subnormals, extremes, repeats. */
    @Provide
    Arbitrary<Double> values() {
        return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(4, Arbitraries.doubles()),
            net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0, 5_000).map(i -> (double)i)),
            net.jqwik.api.Tuple.of(2, Arbitraries.of(Double.NaN, Double.longBitsToDouble(0x7FF8_0000_0000_0001L),
                Double.longBitsToDouble(0xFFF0_0000_0000_0042L), Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0,
                Double.MIN_VALUE, -Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE, 1.0)),
            net.jqwik.api.Tuple.of(2, Arbitraries.longs().map(Double::longBitsToDouble)));
    }

    @Provide
    Arbitrary<Float> floats() {
        return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(3, Arbitraries.floats()),
            net.jqwik.api.Tuple.of(2, Arbitraries.of(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0.0f, 0.0f, 3.5f)),
            net.jqwik.api.Tuple.of(1, Arbitraries.integers().map(Float::intBitsToFloat)));
    }

    /** Offsets in the minute: evenly spaced, equal, in any order, with huge gaps (0 and the minute's last µs). */
    @Provide
    Arbitrary<Long> offsets() {
        return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(3, Arbitraries.longs().between(0, RawBlock.MINUTE_MICROS - 1)),
            net.jqwik.api.Tuple.of(2, Arbitraries.of(0L, 10_000_000L, 20_000_000L, RawBlock.MINUTE_MICROS - 1)));
    }

    @Provide
    Arbitrary<List<RawBlock.Entry>> blocks() {
        final Arbitrary<RawBlock.Entry> entry = Combinators.combine(offsets(), Arbitraries.of(true, false),
            Arbitraries.of(AgentStatus.values()), floats(), floats(), values().array(double[].class).ofSize(D))
            .as((offset, inBaseline, status, d2, cusum, v) -> new RawBlock.Entry(MINUTE * RawBlock.MINUTE_MICROS + offset, inBaseline,
                status, d2, cusum, v));
        return entry.list().ofMinSize(1).ofMaxSize(80);
    }

    @Property
    void everyAppendedEntryComesBackBitForBitInArrivalOrder(@ForAll("blocks") final List<RawBlock.Entry> entries) {
        byte[] block = null;
        for (final RawBlock.Entry e : entries) {
            block = RawBlock.append(block, D, MINUTE, e);
        }
        assertThat(RawBlock.count(block, D)).isEqualTo(entries.size());
        final List<RawBlock.Entry> back = new ArrayList<>();
        RawBlock.forEach(block, D, MINUTE, back::add);
        assertThat(back).hasSize(entries.size());
        for (int k = 0; k < entries.size(); k++) {
            assertSameBits(back.get(k), entries.get(k));
        }
        // the worst case: a 68-bit offset, 4 bits of flags, each f32 in 46 bits and each f64 in 78 (all bits differing)
        assertThat(block.length).as("never more than the uncompressed layout and each field's control bits")
            .isLessThanOrEqualTo(RawBlock.HEADER + (entries.size() * (164 + 78 * D) + 7) / 8);
    }

    @Property
    void aVersionOneBlockIsReadAndAppendedTo(@ForAll("blocks") final List<RawBlock.Entry> entries) {
        final byte[] v1 = uncompressed(entries.subList(0, entries.size() - 1));
        final List<RawBlock.Entry> back = new ArrayList<>();
        RawBlock.forEach(v1, D, MINUTE, back::add);
        assertThat(back).hasSize(entries.size() - 1);
        final byte[] v2 = RawBlock.append(v1, D, MINUTE, entries.get(entries.size() - 1));
        assertThat(v2[0]).isEqualTo((byte)RawBlock.VERSION);
        back.clear();
        RawBlock.forEach(v2, D, MINUTE, back::add);
        for (int k = 0; k < entries.size(); k++) {
            assertSameBits(back.get(k), entries.get(k));
        }
    }

    /** The write path appends to the block it last made without decoding it: the same bytes as decoding it first. */
    @Property
    void appendingToATailGivesTheBytesOfAppendingToTheBlock(@ForAll("blocks") final List<RawBlock.Entry> entries) {
        byte[] block = null;
        RawBlock.Tail tail = null;
        for (final RawBlock.Entry e : entries) {
            final RawBlock.Tail before = tail;
            final byte[] beforeBytes = before == null ? null : before.bytes().clone();
            block = RawBlock.append(block, D, MINUTE, e);
            tail = RawBlock.appendAfter(tail, D, MINUTE, e);
            assertThat(tail.bytes()).isEqualTo(block);
            assertThat(tail.count()).isEqualTo(RawBlock.count(block, D));
            if (before != null) {
                assertThat(before.bytes()).as("the tail appended to is left as it was").isEqualTo(beforeBytes);
            }
        }
        assertThat(RawBlock.tail(block, D, MINUTE).bytes()).isEqualTo(block);
    }

    @Property
    void aVersionTwoBlockIsReadAndAppendedTo(@ForAll("blocks") final List<RawBlock.Entry> entries) {
        final byte[] v2 = byteAligned(entries.subList(0, entries.size() - 1));
        final List<RawBlock.Entry> back = new ArrayList<>();
        RawBlock.forEach(v2, D, MINUTE, back::add);
        assertThat(back).hasSize(entries.size() - 1);
        for (int k = 0; k < back.size(); k++) {
            assertSameBits(back.get(k), entries.get(k));
        }
        final byte[] v3 = RawBlock.append(v2, D, MINUTE, entries.get(entries.size() - 1));
        assertThat(v3[0]).isEqualTo((byte)RawBlock.VERSION);
        back.clear();
        RawBlock.forEach(v3, D, MINUTE, back::add);
        for (int k = 0; k < entries.size(); k++) {
            assertSameBits(back.get(k), entries.get(k));
        }
    }

    /** Decoder totality: any cut, any extra byte, any flipped byte either decodes to entries or raises IllegalArgumentException. */
    @Property
    void damagedBlocksAreRefusedNeverMisreadAsSomethingElse(@ForAll("blocks") final List<RawBlock.Entry> entries,
                                                          @ForAll final int where, @ForAll final byte with) {
        byte[] block = null;
        for (final RawBlock.Entry e : entries) {
            block = RawBlock.append(block, D, MINUTE, e);
        }
        final byte[] cut = java.util.Arrays.copyOf(block, RawBlock.HEADER + Math.floorMod(where, block.length - RawBlock.HEADER));
        assertThatThrownBy(() -> RawBlock.forEach(cut, D, MINUTE, x -> { })).isInstanceOf(IllegalArgumentException.class);
        final byte[] longer = java.util.Arrays.copyOf(block, block.length + 1);
        assertThatThrownBy(() -> RawBlock.forEach(longer, D, MINUTE, x -> { })).isInstanceOf(IllegalArgumentException.class);
        final byte[] flipped = block.clone();
        flipped[Math.floorMod(where, flipped.length)] ^= (byte)(with == 0 ? 1 : with);
        try {
            RawBlock.forEach(flipped, D, MINUTE, x -> { });
        } catch (final IllegalArgumentException expected) {
            // refused: fine (the store's checksum catches it before this in practice)
        }
    }

    @Example
    void evenlySpacedReportsOfRepeatedValuesTakeAFewBytesEach() {
        byte[] block = null;
        final double[] v = {3.0, 12.5, 0.0, 40_000.0};
        for (int k = 0; k < 6; k++) {
            block = RawBlock.append(block, D, MINUTE, new RawBlock.Entry(MINUTE * RawBlock.MINUTE_MICROS + 7 + k * 10_000_000L, true,
                AgentStatus.NORMAL, 2.5f, 0f, v));
        }
        // the first entry costs its values; each later one: offset 1, flags 1, d2 1, cusum 1, values 4
        assertThat(block.length).isLessThan(RawBlock.HEADER + 60 + 5 * 8);
        assertThat(block.length).isLessThan((RawBlock.HEADER + 6 * RawBlock.entryLength(D)) / 2);
    }

    @Example
    void anObservationOutsideItsMinuteIsRefused() {
        assertThatThrownBy(() -> RawBlock.append(null, D, MINUTE, new RawBlock.Entry(MINUTE * RawBlock.MINUTE_MICROS - 1, true,
            AgentStatus.NORMAL, 1f, 0f, new double[D]))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RawBlock.append(null, D, MINUTE, new RawBlock.Entry((MINUTE + 1) * RawBlock.MINUTE_MICROS, true,
            AgentStatus.NORMAL, 1f, 0f, new double[D]))).isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertSameBits(final RawBlock.Entry got, final RawBlock.Entry want) {
        assertThat(got.tsMicros()).isEqualTo(want.tsMicros());
        assertThat(got.inBaseline()).isEqualTo(want.inBaseline());
        assertThat(got.status()).isEqualTo(want.status());
        assertThat(Float.floatToRawIntBits(got.d2())).isEqualTo(Float.floatToRawIntBits(want.d2()));
        assertThat(Float.floatToRawIntBits(got.cusum())).isEqualTo(Float.floatToRawIntBits(want.cusum()));
        for (int i = 0; i < D; i++) {
            assertThat(Double.doubleToRawLongBits(got.values()[i])).as("value %d", i).isEqualTo(Double.doubleToRawLongBits(want.values()[i]));
        }
    }

    /**
     * The version-2 layout, written here as the old code wrote it: per field a prediction from the
     * entry before, the offset as a zigzag varint of its delta of deltas, flags as a byte, and each
     * float as a control byte (leading zero bytes << 4 | bytes kept) and its kept xor bytes.
     */
    private static byte[] byteAligned(final List<RawBlock.Entry> entries) {
        final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(2);
        out.write(D);
        out.write(entries.size() & 0xFF);
        out.write(entries.size() >>> 8);
        long offset = 0;
        long delta = 0;
        long d2 = 0;
        long cusum = 0;
        final long[] values = new long[D];
        for (final RawBlock.Entry e : entries) {
            final long next = e.tsMicros() - MINUTE * RawBlock.MINUTE_MICROS;
            final long dod = next - (offset + delta);
            long z = dod << 1 ^ dod >> 63;
            while ((z & ~0x7FL) != 0) {
                out.write((int)(z & 0x7F | 0x80));
                z >>>= 7;
            }
            out.write((int)z);
            delta = next - offset;
            offset = next;
            out.write((e.inBaseline() ? 1 : 0) | e.status().ordinal() << 1);
            final long d2Bits = Float.floatToRawIntBits(e.d2()) & 0xFFFF_FFFFL;
            xorBytes(out, d2Bits ^ d2, 4);
            d2 = d2Bits;
            final long cusumBits = Float.floatToRawIntBits(e.cusum()) & 0xFFFF_FFFFL;
            xorBytes(out, cusumBits ^ cusum, 4);
            cusum = cusumBits;
            for (int i = 0; i < D; i++) {
                final long bits = Double.doubleToRawLongBits(e.values()[i]);
                xorBytes(out, bits ^ values[i], 8);
                values[i] = bits;
            }
        }
        return out.toByteArray();
    }

    private static void xorBytes(final java.io.ByteArrayOutputStream out, final long xor, final int width) {
        if (xor == 0) {
            out.write(0);
            return;
        }
        final int lead = (Long.numberOfLeadingZeros(xor) - 8 * (8 - width)) / 8;
        final int trail = Long.numberOfTrailingZeros(xor) / 8;
        final int kept = width - lead - trail;
        out.write(lead << 4 | kept);
        for (int b = kept - 1; b >= 0; b--) {
            out.write((int)(xor >>> 8 * (trail + b)) & 0xFF);
        }
    }

    /** The version-1 layout, written here as the old code wrote it. */
    private static byte[] uncompressed(final List<RawBlock.Entry> entries) {
        final int len = RawBlock.entryLength(D);
        final ByteBuffer out = ByteBuffer.allocate(RawBlock.HEADER + entries.size() * len).order(ByteOrder.LITTLE_ENDIAN);
        out.put((byte)1).put((byte)D).putShort((short)entries.size());
        for (final RawBlock.Entry e : entries) {
            out.putInt((int)(e.tsMicros() - MINUTE * RawBlock.MINUTE_MICROS));
            out.put((byte)((e.inBaseline() ? 1 : 0) | e.status().ordinal() << 1));
            out.putFloat(e.d2()).putFloat(e.cusum());
            for (final double x : e.values()) {
                out.putDouble(x);
            }
        }
        return out.array();
    }
}
