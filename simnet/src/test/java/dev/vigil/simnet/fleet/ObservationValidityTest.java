package dev.vigil.simnet.fleet;

import dev.vigil.daemon.detect.FeatureSchema;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

class ObservationValidityTest {
    private static final int[] COUNTS = {
        SyntheticFleet.DISTINCT_TOOLS, SyntheticFleet.DISTINCT_HOSTS, SyntheticFleet.MODEL_SWITCHES};

    @Test
    void featureIndicesFollowTheDefaultSchema() {
        final FeatureSchema schema = FeatureSchema.agentDefault();
        assertThat(SyntheticFleet.FEATURES).isEqualTo(schema.size());
        assertThat(SyntheticFleet.OPS_PER_MIN).isEqualTo(schema.indexOf(FeatureSchema.OPS_PER_MIN));
        assertThat(SyntheticFleet.TOOL_CALLS_PER_MIN).isEqualTo(schema.indexOf(FeatureSchema.TOOL_CALLS_PER_MIN));
        assertThat(SyntheticFleet.DISTINCT_TOOLS).isEqualTo(schema.indexOf(FeatureSchema.DISTINCT_TOOLS));
        assertThat(SyntheticFleet.INPUT_TOKENS_PER_OP).isEqualTo(schema.indexOf(FeatureSchema.INPUT_TOKENS_PER_OP));
        assertThat(SyntheticFleet.OUTPUT_TOKENS_PER_OP).isEqualTo(schema.indexOf(FeatureSchema.OUTPUT_TOKENS_PER_OP));
        assertThat(SyntheticFleet.ERROR_RATE).isEqualTo(schema.indexOf(FeatureSchema.ERROR_RATE));
        assertThat(SyntheticFleet.LATENCY_MS_MEAN).isEqualTo(schema.indexOf(FeatureSchema.LATENCY_MS_MEAN));
        assertThat(SyntheticFleet.DISTINCT_HOSTS).isEqualTo(schema.indexOf(FeatureSchema.DISTINCT_HOSTS));
        assertThat(SyntheticFleet.BYTES_OUT).isEqualTo(schema.indexOf(FeatureSchema.BYTES_OUT));
        assertThat(SyntheticFleet.MODEL_SWITCHES).isEqualTo(schema.indexOf(FeatureSchema.MODEL_SWITCHES));
    }

    @Test
    void everyDefaultObservationIsFiniteNonNegativeWithRatesAndCountsInShape() {
        final SyntheticFleet fleet = new SyntheticFleet(FleetParams.defaults(11));
        final int[] checked = new int[1];
        fleet.run((agent, end, raw, label) -> {
            assertValid(agent, raw);
            checked[0]++;
        });
        assertThat(checked[0]).isEqualTo(288_000);
    }

    @Property(tries = 20)
    void everyObservationIsValidForAnyParams(@ForAll final long seed, @ForAll @IntRange(min = 1, max = 40) final int agents,
                                             @ForAll @DoubleRange(min = 0, max = 1) final double fraction,
                                             @ForAll @IntRange(min = 1, max = 120) final int windowSeconds) {
        final FleetParams p = new FleetParams(seed, agents, fraction, windowSeconds, 0, 3 * 3_600, 3_600);
        final SyntheticFleet fleet = new SyntheticFleet(p);
        final long[] expectedEnd = {p.windowMicros()};
        while (fleet.hasNext()) {
            final int[] position = {0};
            fleet.nextWindow((agent, end, raw, label) -> {
                if (agent != fleet.agents().get(position[0]++) || end != expectedEnd[0]) {
                    fail(agent.id() + " out of order or at " + end + " instead of " + expectedEnd[0]);
                }
                assertValid(agent, raw);
            });
            assertThat(position[0]).isEqualTo(agents);
            expectedEnd[0] += p.windowMicros();
        }
    }

    /** Plain checks first: this runs per observation, and AssertJ's fluent objects are not free. */
    private static void assertValid(final AgentSpec agent, final double[] raw) {
        final String problem = problem(raw);
        if (problem != null) {
            fail(agent.id() + ": " + problem + " in " + Arrays.toString(raw));
        }
    }

    private static String problem(final double[] raw) {
        if (raw.length != SyntheticFleet.FEATURES) {
            return "length " + raw.length;
        }
        for (int i = 0; i < raw.length; i++) {
            if (!(Double.isFinite(raw[i]) && raw[i] >= 0)) {
                return "feature " + i + " not finite and non-negative";
            }
        }
        if (raw[SyntheticFleet.ERROR_RATE] > 1) {
            return "error_rate above 1";
        }
        for (final int c : COUNTS) {
            if (raw[c] != Math.rint(raw[c])) {
                return "count feature " + c + " not whole";
            }
        }
        if (raw[SyntheticFleet.DISTINCT_HOSTS] < 1) {
            return "no host (the model endpoint is always one)";
        }
        if (!(raw[SyntheticFleet.OPS_PER_MIN] > 0)) {
            return "no operations";
        }
        return null;
    }
}
