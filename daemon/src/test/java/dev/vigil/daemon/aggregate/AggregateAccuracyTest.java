package dev.vigil.daemon.aggregate;

import dev.vigil.daemon.stats.Moments;
import dev.vigil.wire.FrameHeader;
import dev.vigil.wire.StatUpdateBody;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fleet-sized merge against exact decimal arithmetic over all the raw rows: 1,000 contributors
 * of ten features, each with its own data (up to 40 rows, some none), in three regimes (fleet-wide
 * offsets up to ±1e11.9 with noise down to 1e-6 and a constant feature; scales from 1e-6 to 1e6;
 * every node at its own offset). Mean within 1e-12 of max|x|, co-moments within 1e-12 of
 * sqrt(C_ii·C_jj), for one level and for two (40 heads of 25, each head's summary through the wire
 * body and back). The worst errors measured are printed.
 */
class AggregateAccuracyTest {
    private static final double RELATIVE = 1e-12;
    private static final int DIMENSION = 10;
    private static final int CONTRIBUTORS = 1000;
    private static final int GROUPS = 40;
    private static final int GROUP_SIZE = 25;

    @ParameterizedTest
    @EnumSource(Fleet.Regime.class)
    void thousandContributorsMergeToWithinOneInATrillionOfExactArithmetic(final Fleet.Regime regime) {
        final Fleet fleet = new Fleet(regime, DIMENSION, CONTRIBUTORS, 40, 20_240_601L + regime.ordinal());
        final Fleet.Exact exact = new Fleet.Exact(fleet.allRows(), DIMENSION);

        final Aggregate root = new Aggregate(DIMENSION, CONTRIBUTORS);
        for (int c = 0; c < CONTRIBUTORS; c++) {
            assertThat(root.offer(new Summary(nodeId(c), 1, 0, 3, 1, fleet.moments(c)))).isTrue();
        }
        final Moments oneLevel = root.merged();

        assertThat(oneLevel.count()).isEqualTo(exact.count);
        assertThat(root.contributors()).isEqualTo(CONTRIBUTORS);
        assertThat(root.agentCount()).isEqualTo(3L * CONTRIBUTORS);
        report(fleet, "one level", exact, oneLevel);
    }

    @ParameterizedTest
    @EnumSource(Fleet.Regime.class)
    void twoLevelsFortyHeadsOfTwentyFiveMergeToWithinOneInATrillionOfExactArithmetic(final Fleet.Regime regime) {
        final Fleet fleet = new Fleet(regime, DIMENSION, CONTRIBUTORS, 40, 20_240_701L + regime.ordinal());
        final Fleet.Exact exact = new Fleet.Exact(fleet.allRows(), DIMENSION);
        final UnsafeBuffer wire = new UnsafeBuffer(new byte[FrameHeader.FRAME_LENGTH_MAX]);

        final Aggregate root = new Aggregate(DIMENSION, GROUPS);
        for (int g = 0; g < GROUPS; g++) {
            final Aggregate head = new Aggregate(DIMENSION, GROUP_SIZE);
            for (int k = 0; k < GROUP_SIZE; k++) {
                final int c = g * GROUP_SIZE + k;
                head.offer(new Summary(nodeId(c), 1, 0, 2, 1, fleet.moments(c)));
            }
            final Summary up = head.toSummary(nodeId(g * GROUP_SIZE), 7, 1);
            final int length = up.writeBody(wire, 0);
            final Summary received = Summary.readBody(wire, 0, length, DIMENSION);
            assertThat(received).as("head %d's summary through the wire", g).isNotNull();
            assertThat(Fleet.bits(received.moments())).isEqualTo(Fleet.bits(up.moments()));
            assertThat(received.contributorCount()).isEqualTo(GROUP_SIZE);
            assertThat(root.offer(received)).isTrue();
        }
        final Moments twoLevels = root.merged();

        assertThat(twoLevels.count()).isEqualTo(exact.count);
        assertThat(root.leafCount()).isEqualTo(CONTRIBUTORS);
        assertThat(root.agentCount()).isEqualTo(2L * CONTRIBUTORS);
        assertThat(root.toSummary(1, 1, 2).contributorCount()).isEqualTo(CONTRIBUTORS);
        report(fleet, "two levels (40 x 25)", exact, twoLevels);
    }

    @Test
    void theStatUpdateFrameOfTheDefaultSchemaFitsOneKibibyte() {
        final Fleet fleet = new Fleet(Fleet.Regime.LARGE_OFFSET, DIMENSION, 1, 40, 5L);
        final Summary s = new Summary(1, 1, 0, 1, 1, fleet.moments(0));

        assertThat(FrameHeader.FRAME_LENGTH_MIN + s.bodyLength()).isEqualTo(StatUpdateBody.frameLength(DIMENSION)).isEqualTo(740);
        assertThat(s.bodyLength()).isEqualTo(StatUpdateBody.STATISTICS_OFFSET + Moments.encodedLength(DIMENSION));
    }

    /** Spreads ids over the whole u64 range, negative longs included, so the unsigned order matters. */
    static long nodeId(final int c) {
        return (c + 1) * 0x9E37_79B9_7F4A_7C15L;
    }

    private static void report(final Fleet fleet, final String what, final Fleet.Exact exact, final Moments actual) {
        final double meanError = exact.meanErrorRelative(actual);
        final double comomentError = exact.comomentErrorRelative(actual);
        System.out.printf(Locale.ROOT, "aggregate accuracy %s, %s: worst mean error %.3e of max|x|, worst co-moment error %.3e of sqrt(CiiCjj)%n",
            fleet, what, meanError, comomentError);
        assertThat(meanError).as("%s %s: mean", fleet, what).isLessThanOrEqualTo(RELATIVE);
        assertThat(comomentError).as("%s %s: co-moments", fleet, what).isLessThanOrEqualTo(RELATIVE);
    }
}
