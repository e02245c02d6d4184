package dev.vigil.daemon.history;

import dev.vigil.daemon.detect.AgentStatus;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An hour's pack of minute rollups holds the last rollup set for each minute, whatever the order
 * they were set in; counts, timestamps and statuses exactly, the statistics within the precision
 * asked for (exactly at 52 bits); version-1 packs still read; damage refused, never misread.
 */
class MinutePackProperties {
    private static final int D = 3;
    private static final long HOUR = 491_040L; // hours since the epoch
    private static final long MINUTE_MICROS = 60_000_000L;

    @Provide
    Arbitrary<Double> values() {
        return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(5, Arbitraries.doubles().between(-1e6, 1e6)),
            net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0, 5_000).map(i -> (double)i)),
            net.jqwik.api.Tuple.of(1, Arbitraries.of(Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, 0.0, -0.0, 1e-300,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)),
            net.jqwik.api.Tuple.of(1, Arbitraries.longs().map(Double::longBitsToDouble).filter(v -> !Double.isNaN(v))));
    }

    @Property
    void eachMinuteHoldsTheLastRollupSetForItWithinThePrecision(
        @ForAll @Size(min = 1, max = 150) final List<@IntRange(min = 0, max = 59) Integer> minutes,
        @ForAll @IntRange(min = HistoryConfig.PRECISION_BITS_MIN, max = MinutePack.PRECISION_EXACT) final int bits,
        @ForAll("values") final double a, @ForAll("values") final double b, @ForAll @IntRange(min = 0, max = 59_999_999) final int at) {
        Rollup[] stored = null;
        final Map<Integer, Rollup> want = new HashMap<>();
        int k = 0;
        for (final int m : minutes) {
            final Rollup r = new Rollup(D);
            final long ts = (HOUR * 60 + m) * MINUTE_MICROS + (at + 7_919L * k) % MINUTE_MICROS;
            r.add(ts, new double[]{a + k, b, m}, k % 4 == 0 ? Double.NaN : b, a, AgentStatus.values()[k % AgentStatus.values().length]);
            if (k % 3 == 0) {
                r.add(ts, new double[]{b, a * k, -m}, a, -b, AgentStatus.NORMAL);
            }
            final byte[] pack = MinutePack.with(stored, D, bits, HOUR * 60 + m, r);
            stored = MinutePack.decode(pack, D);
            assertThat(MinutePack.count(pack, D)).isEqualTo(want.size() + (want.containsKey(m) ? 0 : 1));
            want.put(m, r);
            k++;
        }
        for (int m = 0; m < 60; m++) {
            final Rollup got = stored[m];
            if (!want.containsKey(m)) {
                assertThat(got).isNull();
                continue;
            }
            final Rollup w = want.get(m);
            assertThat(got.count()).isEqualTo(w.count());
            assertThat(got.newestTsMicros()).isEqualTo(w.newestTsMicros());
            assertThat(got.worst()).isEqualTo(w.worst());
            assertWithin(got.d2Max(), w.d2Max(), bits);
            assertWithin(got.cusum(), w.cusum(), bits);
            for (int i = 0; i < D; i++) {
                assertWithin(got.mean(i), w.mean(i), bits);
                assertWithin(got.m2[i], w.m2[i], bits);
            }
        }
    }

    /** Minutes flushed in order are appended to the pack as last made: the same bytes as re-encoding the hour. */
    @Property
    void appendingALaterMinuteGivesTheBytesOfReencoding(@ForAll @Size(min = 1, max = 60) final java.util.Set<@IntRange(min = 0, max = 59) Integer> set,
                                                         @ForAll("values") final double a,
                                                         @ForAll @IntRange(min = HistoryConfig.PRECISION_BITS_MIN, max = MinutePack.PRECISION_EXACT) final int bits) {
        final List<Integer> minutes = set.stream().sorted().toList();
        Rollup[] all = null;
        MinutePack.Packed packed = null;
        int k = 0;
        for (final int m : minutes) {
            final Rollup r = new Rollup(D);
            r.add((HOUR * 60 + m) * MINUTE_MICROS + 17 * k, new double[]{a * k, k, -a}, k % 2 == 0 ? Double.NaN : a, k, AgentStatus.NORMAL);
            final byte[] whole = MinutePack.with(all, D, bits, HOUR * 60 + m, r);
            if (packed == null) {
                packed = MinutePack.withPacked(null, D, bits, HOUR * 60 + m, r);
            } else {
                assertThat(packed.appendable(HOUR * 60 + m, bits)).isTrue();
                assertThat(packed.appendable(HOUR * 60 + m, bits - 1)).as("another precision re-encodes").isFalse();
                packed = MinutePack.append(packed, D, HOUR * 60 + m, r);
            }
            assertThat(packed.bytes()).isEqualTo(whole);
            all = MinutePack.decode(whole, D);
            k++;
        }
        assertThat(packed.appendable(HOUR * 60 + minutes.get(minutes.size() - 1), bits)).as("not the same minute again").isFalse();
    }

    /**
     * Rounded to nearest: the error is at most half a unit in the last place kept (a whole unit
     * where rounding up would overflow and the largest finite value is kept instead); 52 bits keep
     * the bits.
     */
    private static void assertWithin(final double got, final double want, final int bits) {
        if (Double.isNaN(want) || Double.isInfinite(want) || bits == MinutePack.PRECISION_EXACT) {
            assertThat(Double.doubleToLongBits(got)).isEqualTo(Double.doubleToLongBits(want));
            return;
        }
        assertThat(Double.isFinite(got)).as("a finite value stays finite").isTrue();
        final double unit = Math.ulp(want) * Math.pow(2, MinutePack.PRECISION_EXACT - bits);
        final boolean clamped = Math.abs(want) + unit / 2 > Double.MAX_VALUE;
        assertThat(Math.abs(got - want)).isLessThanOrEqualTo(clamped ? unit : unit / 2);
    }

    @Property
    void roundingIsToNearestAndIdempotent(@ForAll("values") final double v,
                                          @ForAll @IntRange(min = 1, max = MinutePack.PRECISION_EXACT) final int bits) {
        final double once = Double.longBitsToDouble(MinutePack.round(v, bits));
        assertThat(MinutePack.round(once, bits)).as("an already rounded value is kept: rewriting a pack loses nothing more")
            .isEqualTo(Double.doubleToRawLongBits(once));
        assertWithin(once, v, bits);
        assertThat(Math.signum(once) * Math.signum(v)).isNotNegative();
    }

    @Property
    void damagedPacksAreRefusedNeverMisread(@ForAll @Size(min = 1, max = 60) final List<@IntRange(min = 0, max = 59) Integer> minutes,
                                            @ForAll final int where, @ForAll final byte with) {
        Rollup[] stored = null;
        byte[] pack = null;
        for (final int m : minutes) {
            final Rollup r = new Rollup(D);
            r.add((HOUR * 60 + m) * MINUTE_MICROS + 1_000, new double[]{m, 2 * m, 0.5}, 3, 0.25, AgentStatus.NORMAL);
            pack = MinutePack.with(stored, D, 10, HOUR * 60 + m, r);
            stored = MinutePack.decode(pack, D);
        }
        final byte[] cut = java.util.Arrays.copyOf(pack, MinutePack.HEADER + Math.floorMod(where, pack.length - MinutePack.HEADER));
        assertThatThrownBy(() -> MinutePack.decode(cut, D)).isInstanceOf(IllegalArgumentException.class);
        final byte[] longer = java.util.Arrays.copyOf(pack, pack.length + 1);
        assertThatThrownBy(() -> MinutePack.decode(longer, D)).isInstanceOf(IllegalArgumentException.class);
        final byte[] whole = pack;
        assertThatThrownBy(() -> MinutePack.decode(whole, D + 1)).isInstanceOf(IllegalArgumentException.class);
        final byte[] flipped = pack.clone();
        flipped[Math.floorMod(where, flipped.length)] ^= (byte)(with == 0 ? 1 : with);
        try {
            MinutePack.decode(flipped, D);
        } catch (final IllegalArgumentException expected) {
            // refused: fine (the store's checksum catches it before this in practice)
        }
    }

    /** A pack an earlier Vigil wrote (each minute a Rollup at f32) reads, and setting a minute rewrites it in version 2. */
    @Example
    void aVersionOnePackIsReadAndRewritten() {
        final Rollup five = new Rollup(D);
        five.add((HOUR * 60 + 5) * MINUTE_MICROS + 3, new double[]{1.5, 2.5, 3.5}, 7, 0.5, AgentStatus.SUSPECT);
        final Rollup nine = new Rollup(D);
        nine.add((HOUR * 60 + 9) * MINUTE_MICROS + 4, new double[]{4.5, 5.5, 6.5}, 8, 0.25, AgentStatus.NORMAL);
        final byte[] r5 = five.encode(4);
        final byte[] r9 = nine.encode(4);
        final ByteBuffer v1 = ByteBuffer.allocate(10 + r5.length + r9.length).order(ByteOrder.LITTLE_ENDIAN);
        v1.put((byte)1).put((byte)D).putLong(1L << 5 | 1L << 9).put(r5).put(r9);
        final Rollup[] back = MinutePack.decode(v1.array(), D);
        assertThat(back[5].count()).isEqualTo(1);
        assertThat(back[5].worst()).isEqualTo(AgentStatus.SUSPECT);
        assertThat(back[9].mean(2)).isEqualTo(6.5);
        assertThat(back[6]).isNull();

        final Rollup seven = new Rollup(D);
        seven.add((HOUR * 60 + 7) * MINUTE_MICROS, new double[]{9, 9, 9}, 1, 0, AgentStatus.NORMAL);
        final byte[] v2 = MinutePack.with(back, D, 10, HOUR * 60 + 7, seven);
        assertThat(v2[0]).isEqualTo((byte)MinutePack.VERSION);
        final Rollup[] again = MinutePack.decode(v2, D);
        assertThat(again[5].newestTsMicros()).isEqualTo(five.newestTsMicros());
        assertThat(again[7].mean(0)).isEqualTo(9.0);
        assertThat(again[9].mean(1)).isEqualTo(5.5);
        assertThat(MinutePack.count(v2, D)).isEqualTo(3);
    }

    /** What the compact layout is for: an hour of regular minutes at 10 bits takes a small fraction of f32 rollups. */
    @Example
    void anHourOfSteadyMinutesIsSmall() {
        final java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        final Rollup[] minutes = new Rollup[60];
        for (int m = 0; m < 60; m++) {
            minutes[m] = new Rollup(D);
            for (int k = 0; k < 6; k++) {
                minutes[m].add((HOUR * 60 + m) * MINUTE_MICROS + k * 10_000_000L + 123, new double[]{
                    40 * (1 + 0.1 * random.nextGaussian()), 3_000 * (1 + 0.1 * random.nextGaussian()), 2 + random.nextInt(3)},
                    3 + random.nextDouble(), 0, AgentStatus.NORMAL);
            }
        }
        final byte[] pack = MinutePack.encode(minutes, D, 10);
        // f32 rollups (version 1): 60 x 48 bytes; here a count, a timestamp and a status cost about a byte, and
        // the eight statistics about 1.8 bytes each
        assertThat(pack.length).isLessThan(60 * Rollup.encodedLength(D, 4) / 2);
        assertThat(MinutePack.decode(pack, D)[59].count()).isEqualTo(6);
    }
}
