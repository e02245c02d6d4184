package dev.vigil.simnet.verdicts;

import dev.vigil.accel.Baselines;
import dev.vigil.accel.Combination;
import dev.vigil.accel.CombineRule;
import dev.vigil.accel.ExactSum;
import dev.vigil.accel.JavaKernels;
import dev.vigil.accel.Kernels;
import dev.vigil.accel.MomentsBatch;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fleet-detect scenario at its smallest: 80 nodes, 2 simulated hours, 10 % of hosts asked to lie
 * (4 can: only homes outside the directory's candidates lie).
 * Its checks hold (no framed agent convicted, no internal error), its report has the stable keys,
 * and a fleet where two observers of an agent frame it does get an innocent convicted, which the
 * check reports: the check can fail.
 */
class FleetDetectTest {
    @Test
    void aSmallFleetWithLyingHostsKeepsItsInvariantsAndReportsTheStableKeys() {
        final Map<String, Object> r = FleetDetect.run(new FleetDetect.Params(80, 3, 0.10, 2, 80));
        assertThat((List<?>)r.get("invariants_failed")).isEmpty();
        assertThat(r).containsKeys("verdict_precision", "verdict_recall", "central_precision", "central_recall", "false_verdicts",
            "verdict_delay_p50_s", "verdict_delay_p99_s", "invariants_failed");
        assertThat(r.get("liars")).as("liars come from homes outside the 64 candidates: 80 - 12 gateways - 64 = 4, fewer than 10 %")
            .isEqualTo(4);
        assertThat(r.get("framed_clean_convicted")).isEqualTo(0);
        assertThat((long)r.get("messages")).as("committees worked").isPositive();
    }

    /**
     * 100 nodes, 200 agents, the hiding liars the homes of compromised agents: at this seed one of
     * the hidden agents shows its compromise to both its gateways, and it is convicted anyway.
     */
    @Test
    void aCompromisedAgentHiddenByItsHomeButSeenByTwoHonestGatewaysIsConvicted() {
        final Map<String, Object> r = FleetDetect.run(new FleetDetect.Params(100, 1, 0.10, 2, 200, 0.05, FleetDetect.Bug.NONE, true));
        assertThat((List<?>)r.get("invariants_failed")).isEmpty();
        assertThat((int)r.get("hidden_by_home")).as("the hiding liars are homes of compromised agents").isEqualTo(5);
        assertThat((int)r.get("hidden_seen_by_two_honest")).isPositive();
        assertThat(r.get("hidden_seen_by_two_honest_convicted")).isEqualTo(r.get("hidden_seen_by_two_honest"));
    }

    /**
     * {@code --accel}: the kernels given reach every committee and the centralised detector (they
     * are asked for exact sums), and the report is the one Java gives, key for key (but wall time).
     */
    @Test
    void theKernelsGivenAddTheEvidenceAndTheReportIsJavasReport() {
        final FleetDetect.Params p = new FleetDetect.Params(80, 3, 0.10, 2, 80);
        final long[] segmentedSums = new long[1];
        final Kernels counting = new Kernels() {
            @Override
            public String name() {
                return "counting";
            }

            @Override
            public void sum(final double[] xs, final int off, final int len, final ExactSum into) {
                JavaKernels.INSTANCE.sum(xs, off, len, into);
            }

            @Override
            public void sum(final double[] xs, final int[] ends, final ExactSum[] into) {
                segmentedSums[0]++;
                JavaKernels.INSTANCE.sum(xs, ends, into);
            }

            @Override
            public void score(final Baselines b, final double[] xs, final int[] of, final int n, final double[] out) {
                JavaKernels.INSTANCE.score(b, xs, of, n, out);
            }

            @Override
            public void merge(final MomentsBatch parts, final int[] ends, final int groups, final MomentsBatch out) {
                JavaKernels.INSTANCE.merge(parts, ends, groups, out);
            }

            @Override
            public Combination combine(final double[] totals, final int n, final CombineRule rule) {
                return JavaKernels.INSTANCE.combine(totals, n, rule);
            }
        };

        final Map<String, Object> java = new TreeMap<>(FleetDetect.run(p));
        final Map<String, Object> given = new TreeMap<>(FleetDetect.run(p, counting));

        assertThat(segmentedSums[0]).as("evidence requests added through the kernels given").isPositive();
        java.remove("wall_s");
        given.remove("wall_s");
        assertThat(given).isEqualTo(java);
    }

    @Test
    void twoFramingObserversOfOneAgentAreBeyondFAndTheCheckSaysSo() {
        final Map<String, Object> r = FleetDetect.run(new FleetDetect.Params(80, 3, 0.10, 2, 80, 0.05, FleetDetect.Bug.GATEWAYS_FRAME, false));
        assertThat((int)r.get("framed_clean_convicted")).isPositive();
        assertThat((List<?>)r.get("invariants_failed")).isNotEmpty()
            .anySatisfy(s -> assertThat(s.toString()).contains("framing alone must never convict"));
    }
}
