package dev.vigil.accel;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExactSumTest {
    private static final double MAX = Double.MAX_VALUE;
    private static final double MIN = Double.MIN_VALUE;
    private static final double HALF_ULP_OF_MAX = Math.ulp(MAX) / 2; // 2^970

    private static double sum(final double... xs) {
        final ExactSum sum = new ExactSum();
        sum.add(xs);
        return sum.value();
    }

    private static ExactSum of(final double... xs) {
        final ExactSum sum = new ExactSum();
        sum.add(xs);
        return sum;
    }

    @Test
    void emptyIsPositiveZero() {
        assertThat(Double.doubleToRawLongBits(new ExactSum().value())).isZero();
        assertThat(Double.doubleToRawLongBits(sum(-0.0))).isZero();
        assertThat(Double.doubleToRawLongBits(sum(-1.5, 1.5))).isZero();
    }

    @Test
    void oneTermReadsBackAsItself() {
        final SplittableRandom random = new SplittableRandom(4);
        for (int i = 0; i < 100_000; i++) {
            final double x = Increments.term(random);
            assertThat(sum(x)).isEqualTo(x + 0.0);
        }
        for (final double x : new double[] {MIN, -MIN, MAX, -MAX, Double.MIN_NORMAL, Math.nextDown(Double.MIN_NORMAL), 1e-310, 1.0}) {
            assertThat(sum(x)).isEqualTo(x);
        }
    }

    @Test
    void hugeTermsCancelAndLeaveTheTinyOnes() {
        assertThat(sum(1e300, MIN, -1e300)).isEqualTo(MIN);
        assertThat(sum(MAX, 1e-310, -MAX, 3.0, -3.0)).isEqualTo(1e-310);
        assertThat(sum(1e300, 1.0, -1e300)).isEqualTo(1.0);
        // 2^-1074 is far below half an ulp of 2^-1000: it only makes the sum inexact
        assertThat(sum(0x1p1000, 0x1p-1000, -0x1p1000, 0x1p-1074)).isEqualTo(0x1p-1000);
    }

    @Test
    void subnormalsAddUpAcrossTheNormalBoundary() {
        final double[] xs = new double[1 << 20];
        Arrays.fill(xs, MIN);
        assertThat(sum(xs)).isEqualTo(0x1p-1054); // 2^20 · 2^-1074
        final double largestSubnormal = Math.nextDown(Double.MIN_NORMAL);
        assertThat(sum(largestSubnormal, MIN)).isEqualTo(Double.MIN_NORMAL);
        assertThat(sum(largestSubnormal, largestSubnormal)).isEqualTo(2 * largestSubnormal);
    }

    @Test
    void tiesGoToEven() {
        final double halfUlpOfOne = 0x1p-53;
        assertThat(sum(1.0, halfUlpOfOne)).isEqualTo(1.0);
        assertThat(sum(Math.nextUp(1.0), halfUlpOfOne)).isEqualTo(1.0 + 0x1p-51);
        assertThat(sum(1.0, halfUlpOfOne, MIN)).isEqualTo(Math.nextUp(1.0)); // a hair above half
        assertThat(sum(Math.nextUp(1.0), halfUlpOfOne, -MIN)).isEqualTo(Math.nextUp(1.0)); // a hair below
        assertThat(sum(-1.0, -halfUlpOfOne)).isEqualTo(-1.0);
        // the tie decided by a term 2000 binades below, far in another chunk
        assertThat(sum(0x1p60, 0x1p7, MIN, -MIN, MIN)).isEqualTo(Math.nextUp(0x1p60));
    }

    @Test
    void overflowOnlyWhenTheRoundingOverflows() {
        assertThat(sum(MAX, HALF_ULP_OF_MAX)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(sum(-MAX, -HALF_ULP_OF_MAX)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(sum(MAX, HALF_ULP_OF_MAX, -MIN)).isEqualTo(MAX);
        assertThat(sum(MAX, Math.nextDown(HALF_ULP_OF_MAX))).isEqualTo(MAX);
        assertThat(sum(MAX, MAX)).isEqualTo(Double.POSITIVE_INFINITY);
        // beyond MAX_VALUE and back: the exact sum keeps going where a double cannot
        assertThat(sum(MAX, MAX, MAX, -MAX, -MAX)).isEqualTo(MAX);
        assertThat(sum(MAX, MAX, -MAX, 1.0, -MAX)).isEqualTo(1.0);
    }

    @Test
    void carriesSurviveManyAdditionsIntoTheSameChunks() {
        // all-ones significands at every shift, far more than one carry interval of additions
        for (final int exponent : new int[] {1, 31, 32, 33, 1000, 2014, 2046}) {
            final double x = Double.longBitsToDouble(((long) exponent << 52) | ((1L << 52) - 1));
            final double[] xs = new double[3 * ExactSum.ADDS_BETWEEN_CARRIES + 7];
            Arrays.fill(xs, x);
            xs[5] = -x;
            assertThat(sum(xs)).as("exponent field %d", exponent).isEqualTo(Reference.roundedSum(xs));
            final double[] negated = Arrays.stream(xs).map(v -> -v).toArray();
            assertThat(sum(negated)).isEqualTo(-Reference.roundedSum(xs));
        }
        // up to 5·2047·MAX_VALUE and back down, then the smallest subnormal decides
        final int half = 5 * ExactSum.ADDS_BETWEEN_CARRIES;
        final double[] wave = new double[2 * half + 1];
        Arrays.fill(wave, 0, half, MAX);
        Arrays.fill(wave, half, 2 * half, -MAX);
        wave[2 * half] = MIN;
        assertThat(sum(wave)).isEqualTo(MIN);
    }

    @Test
    void nanAndInfinityAreRefusedByNameAndChangeNothing() {
        final ExactSum sum = of(1.0, 1e-300);
        final byte[] before = sum.toBytes();
        assertThatThrownBy(() -> sum.add(Double.NaN)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> sum.add(Double.NEGATIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("-Infinity");
        final double[] xs = new double[5000];
        Arrays.fill(xs, 0x1p900);
        xs[4321] = Double.POSITIVE_INFINITY;
        assertThatThrownBy(() -> sum.add(xs, 0, xs.length)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("Infinity at index 4321");
        assertThat(sum.toBytes()).isEqualTo(before);
        assertThat(sum.value()).isEqualTo(1.0);
        assertThat(ExponentBins.forThisThread().isClear()).as("the thread's bins after a refusal").isTrue();
        final double[] shortOne = {1.0, 2.0, Double.NaN};
        assertThatThrownBy(() -> sum.add(shortOne)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN at index 2");
        assertThat(sum.toBytes()).isEqualTo(before);
        sum.add(0.5);
        assertThat(sum.value()).isEqualTo(1.5);
    }

    @Test
    void bothArrayPathsAndSingleAdditionsAgree() {
        final double[] xs = Increments.mixed(5, 3 * ExactSum.BINNED_LENGTH_MIN, false);
        final ExactSum each = new ExactSum();
        for (final double x : xs) {
            each.add(x);
        }
        final ExactSum shortRuns = new ExactSum();
        for (int i = 0; i < xs.length; i += ExactSum.BINNED_LENGTH_MIN - 1) {
            shortRuns.add(xs, i, Math.min(ExactSum.BINNED_LENGTH_MIN - 1, xs.length - i));
        }
        final ExactSum binned = of(xs);
        assertThat(shortRuns.toBytes()).isEqualTo(each.toBytes());
        assertThat(binned.toBytes()).isEqualTo(each.toBytes());
        assertThat(binned.value()).isEqualTo(Reference.roundedSum(xs));
    }

    @Test
    void crossingTheBoundInsideAnArrayLeavesTheThreadsBinsClear() {
        final ExactSum sum = of(MAX);
        for (int doubling = 0; doubling < 44; doubling++) {
            sum.merge(sum); // 2^44 · MAX = 2^1068 - 2^1015
        }
        final double[] xs = new double[2 * ExactSum.BINNED_LENGTH_MIN];
        Arrays.fill(xs, MAX);
        assertThatThrownBy(() -> sum.add(xs)).isInstanceOf(ArithmeticException.class);
        // one term at a time: caught at the latest by the next read
        final ExactSum single = of(MAX);
        for (int doubling = 0; doubling < 44; doubling++) {
            single.merge(single);
        }
        single.add(MAX);
        single.add(MAX);
        assertThatThrownBy(single::value).isInstanceOf(ArithmeticException.class);
        assertThat(ExponentBins.forThisThread().isClear()).isTrue();
    }

    @Test
    void rangesAreChecked() {
        assertThatThrownBy(() -> new ExactSum().add(new double[3], 2, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> new ExactSum().add(new double[3], -1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        final ExactSum sum = new ExactSum();
        sum.add(new double[] {9, 1, 2, 9}, 1, 2);
        assertThat(sum.value()).isEqualTo(3.0);
    }

    @Test
    void holdsTwoToThe44CopiesOfMaxValueAndRefusesTwoToThe45() {
        for (final double sign : new double[] {1, -1}) {
            final ExactSum sum = of(sign * MAX);
            for (int doubling = 0; doubling < 44; doubling++) {
                sum.merge(sum);
            }
            assertThat(sum.value()).isEqualTo(sign * Double.POSITIVE_INFINITY);
            final ExactSum back = ExactSum.readFrom(sum.toBytes(), 0, sum.serializedSize());
            assertThat(back.toBytes()).isEqualTo(sum.toBytes());
            // subtracting it again (2^44 · -MAX, also by doubling) gives zero
            final ExactSum minus = of(-sign * MAX);
            for (int doubling = 0; doubling < 44; doubling++) {
                minus.merge(minus);
            }
            back.merge(minus);
            assertThat(back.toBytes()).isEqualTo(new ExactSum().toBytes());
            assertThatThrownBy(() -> sum.merge(sum)).isInstanceOf(ArithmeticException.class).hasMessageContaining("2^1068");
        }
    }

    @Test
    void theBoundIsExactlyTwoToThe1068() {
        final ExactSum low = of(-0x1p1023);
        for (int doubling = 0; doubling < 45; doubling++) {
            low.merge(low);
        }
        assertThat(low.value()).isEqualTo(Double.NEGATIVE_INFINITY); // -2^1068: inside
        final ExactSum high = of(0x1p1023);
        for (int doubling = 0; doubling < 44; doubling++) {
            high.merge(high);
        }
        final ExactSum almost = high.copy();
        almost.merge(of(0x1p1023)); // 2^1067 + 2^1023: inside
        assertThat(almost.value()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThatThrownBy(() -> high.merge(high)).isInstanceOf(ArithmeticException.class); // 2^1068: outside
    }

    @Test
    void copyAndResetAreIndependent() {
        final ExactSum a = of(1.0, 2.0);
        final ExactSum b = a.copy();
        b.add(4.0);
        assertThat(a.value()).isEqualTo(3.0);
        assertThat(b.value()).isEqualTo(7.0);
        b.reset();
        assertThat(b.toBytes()).isEqualTo(new ExactSum().toBytes());
    }

    @Test
    void encodingLayout() {
        assertThat(HexFormat.of().formatHex(new ExactSum().toBytes())).isEqualTo("01000000");
        // MIN_VALUE: S = 1, digit 0
        assertThat(HexFormat.of().formatHex(of(MIN).toBytes())).isEqualTo("0101000101000000");
        // -1.0 = -2^1074 units: bit 1074 = digit 33, bit 18
        assertThat(HexFormat.of().formatHex(of(-1.0).toBytes())).isEqualTo("0102210100000400");
        final ExactSum largest = of(-MAX); // 2^44 · -MAX - MIN: every digit from 0 to 66
        for (int doubling = 0; doubling < 44; doubling++) {
            largest.merge(largest);
        }
        largest.add(-MIN);
        assertThat(largest.serializedSize()).isEqualTo(ExactSum.SERIALIZED_BYTES_MAX);
        assertThat(ExactSum.SERIALIZED_BYTES_MAX).isEqualTo(272);
    }

    @Test
    void writesAndReadsAtOffsetsInArraysAndBuffers() {
        final ExactSum sum = of(1e300, -3e-310, 42.0);
        final byte[] bytes = new byte[400];
        final int n = sum.writeTo(bytes, 17);
        assertThat(n).isEqualTo(sum.serializedSize());
        assertThat(ExactSum.readFrom(bytes, 17, n).toBytes()).isEqualTo(sum.toBytes());

        final ByteBuffer buffer = ByteBuffer.allocate(600);
        buffer.put((byte) 7);
        sum.writeTo(buffer);
        sum.writeTo(buffer);
        buffer.flip().get();
        assertThat(ExactSum.readFrom(buffer).value()).isEqualTo(sum.value());
        assertThat(ExactSum.readFrom(buffer).value()).isEqualTo(sum.value());
        assertThat(buffer.hasRemaining()).isFalse();

        assertThatThrownBy(() -> sum.writeTo(new byte[n + 3], 4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> sum.writeTo(ByteBuffer.allocate(n - 1))).isInstanceOf(java.nio.BufferOverflowException.class);
    }

    @Test
    void malformedEncodingsAreRefusedWithAReason() {
        final byte[] good = of(-1.0).toBytes(); // 01 02 21 01 | 00 00 04 00
        assertRefused(new byte[0], "truncated header");
        assertRefused(Arrays.copyOf(good, 3), "truncated header");
        assertRefused(Arrays.copyOf(good, 7), "truncated: 7 of 8");
        assertRefused(Arrays.copyOf(good, 9), "1 bytes after");
        assertRefused(patch(good, 0, 2), "version 2");
        assertRefused(patch(good, 1, 3), "sign byte 3");
        assertRefused(patch(good, 3, 0), "nonempty");
        assertRefused(patch(good, 2, 67), "[67, 68)");
        assertRefused(patch(patch(good, 4, 0), 6, 0), "zero digit at an end");
        assertRefused(new byte[] {1, 0, 0, 1, 5, 0, 0, 0}, "zero with");
        assertRefused(new byte[] {1, 0, 3, 0}, "zero with");
        // digit 66 above 2^30: beyond the bound (positive and negative)
        assertRefused(new byte[] {1, 1, 66, 1, 0, 0, 0, 0x40}, "beyond the bound");
        assertRefused(new byte[] {1, 2, 66, 1, 1, 0, 0, 0x40}, "beyond the bound");
        // -2^2142 units (-2^1068) is the one magnitude 2^1068 allowed
        assertThat(ExactSum.readFrom(new byte[] {1, 2, 66, 1, 0, 0, 0, 0x40}, 0, 8).value()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertRefused(new byte[] {1, 2, 65, 2, 1, 0, 0, 0, 0, 0, 0, 0x40}, "beyond the bound");
    }

    private static byte[] patch(final byte[] bytes, final int at, final int value) {
        final byte[] copy = bytes.clone();
        copy[at] = (byte) value;
        return copy;
    }

    private static void assertRefused(final byte[] bytes, final String reason) {
        assertThatThrownBy(() -> ExactSum.readFrom(bytes, 0, bytes.length))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("ExactSum encoding refused")
            .hasMessageContaining(reason);
        final ByteBuffer buffer = ByteBuffer.wrap(bytes);
        if (!reason.contains("after")) {
            assertThatThrownBy(() -> ExactSum.readFrom(buffer)).isInstanceOf(IllegalArgumentException.class);
            assertThat(buffer.position()).isZero();
        }
    }
}
