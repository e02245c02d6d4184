package dev.vigil.accel;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A million increments from subnormals to 1e300 with cancelling signs, summed in several random
 * orders and random batchings (pieces merged in random trees): the same bits every time, and
 * those of the exact BigDecimal sum rounded to nearest, ties to even. Many more orders at 10^3
 * to 10^4 terms run in ExactSumProperties.
 */
class ExactSumAcceptanceTest {
    private static final int TERMS = 1_000_000;
    private static final int ORDERS = 4;

    @ParameterizedTest(name = "cancelling = {0}")
    @ValueSource(booleans = {true, false})
    void aMillionMixedIncrementsGiveTheCorrectlyRoundedExactSumInEveryOrderAndBatching(final boolean cancelling) {
        final double[] xs = Increments.mixed(20260101L + (cancelling ? 1 : 0), TERMS, cancelling);
        final double expected = Reference.roundedSum(xs);

        final ExactSum inOrder = new ExactSum();
        inOrder.add(xs);
        final byte[] bytes = inOrder.toBytes();
        assertThat(Double.doubleToRawLongBits(inOrder.value())).as("in order vs BigDecimal")
            .isEqualTo(Double.doubleToRawLongBits(expected));

        final SplittableRandom random = new SplittableRandom(cancelling ? 7 : 8);
        for (int order = 0; order < ORDERS; order++) {
            final double[] shuffled = Increments.shuffled(xs, random.nextLong());
            final ExactSum batched = Batching.sumInRandomTree(shuffled, random, 64);
            assertThat(batched.toBytes()).as("order %d", order).isEqualTo(bytes);
            assertThat(Double.doubleToRawLongBits(batched.value())).as("order %d", order)
                .isEqualTo(Double.doubleToRawLongBits(expected));
        }
        if (cancelling) {
            double naive = 0;
            for (final double x : xs) {
                naive += x;
            }
            assertThat(naive).as("the data defeat a naive sum").isNotEqualTo(expected);
        }
    }
}
