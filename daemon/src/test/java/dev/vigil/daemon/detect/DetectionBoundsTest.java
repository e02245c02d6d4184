package dev.vigil.daemon.detect;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The detection tunables, agent ids and features at the edges of what they accept, and the χ² quantiles. */
class DetectionBoundsTest {
    /** bucketSeconds, baselineBuckets, lagBuckets, coldObservations, agentsMax, futureSkew; the doubles at defaults. */
    private static DetectionConfig config(final int bucket, final int buckets, final int lag, final int cold, final int agents,
                                          final long skew) {
        return new DetectionConfig(bucket, buckets, lag, cold, 1.5, 4.0, Double.NEGATIVE_INFINITY, 20, 60, 0.01, 0.999, agents, skew);
    }

    private static DetectionConfig doubles(final double inflation, final double llrMax, final double llrMin, final double suspect,
                                           final double alarm, final double floor, final double quantile) {
        return new DetectionConfig(60, 1440, 60, 180, inflation, llrMax, llrMin, suspect, alarm, floor, quantile, 10, 0);
    }

    @Test
    void everyIntegerTunableIsAcceptedAtItsEdgesAndRefusedOnePast() {
        assertThatCode(() -> config(1, 2, 0, 2, 1, 0)).doesNotThrowAnyException();
        assertThatCode(() -> config(86_400, 10_080, 10_079, 2, 1, 0)).doesNotThrowAnyException();
        assertThatThrownBy(() -> config(0, 2, 0, 2, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config(86_401, 2, 0, 2, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config(1, 1, 0, 2, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config(1, 10_081, 0, 2, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config(1, 2, -1, 2, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config(1, 2, 2, 2, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config(1, 2, 0, 1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config(1, 2, 0, 2, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config(1, 2, 0, 2, 1, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyRealTunableIsRefusedAtTheEdgeItExcludes() {
        assertThatCode(() -> doubles(1.0001, 1e-9, -1e-9, 1e-9, 2e-9, 0, 0.5001)).doesNotThrowAnyException();
        assertThatCode(() -> doubles(1.5, 4, -4, 20, 60, 0.01, 0.9999)).doesNotThrowAnyException();
        assertThatThrownBy(() -> doubles(1, 4, -4, 20, 60, 0.01, 0.999)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> doubles(1.5, 0, -4, 20, 60, 0.01, 0.999)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> doubles(1.5, 4, 0, 20, 60, 0.01, 0.999)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> doubles(1.5, 4, -4, 0, 60, 0.01, 0.999)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> doubles(1.5, 4, -4, 20, 20, 0.01, 0.999)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> doubles(1.5, 4, -4, 20, 60, -1e-9, 0.999)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> doubles(1.5, 4, -4, 20, 60, 0.01, 0.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> doubles(1.5, 4, -4, 20, 60, 0.01, 1)).isInstanceOf(IllegalArgumentException.class);
        final DetectionConfig d = DetectionConfig.defaults();
        assertThat(d.bucketSeconds() * d.baselineBuckets()).as("a day").isEqualTo(86_400);
        assertThat(d.alarmAt()).isEqualTo(60.0);
    }

    @Test
    void agentIdsAndRolesArePrintableAsciiUpToTheirLength() {
        assertThat(AgentIds.isValidId("a".repeat(AgentIds.ID_LENGTH_MAX))).isTrue();
        assertThat(AgentIds.isValidId("a".repeat(AgentIds.ID_LENGTH_MAX + 1))).isFalse();
        assertThat(AgentIds.isValidRole("r".repeat(AgentIds.ROLE_LENGTH_MAX))).isTrue();
        assertThat(AgentIds.isValidRole("r".repeat(AgentIds.ROLE_LENGTH_MAX + 1))).isFalse();
        assertThat(AgentIds.isValidId(" ~")).as("0x20 and 0x7E").isTrue();
        assertThat(AgentIds.isValidId("a\u001F")).isFalse();
        assertThat(AgentIds.isValidId("a\u007F")).isFalse();
        assertThat(AgentIds.isValidId("")).isFalse();
        assertThat(AgentIds.isValidId(null)).isFalse();
        assertThat(AgentIds.isValidRole("é")).isFalse();
    }

    @Test
    void aFeatureRangeMustBeOrderedWithinTheValueBoundAndNonNegativeUnderLog() {
        final Feature.Transform id = Feature.Transform.IDENTITY;
        final Feature.Transform log = Feature.Transform.LOG1P;
        assertThatCode(() -> new Feature("f", id, "u", "s", "d", -Feature.VALUE_MAX, Feature.VALUE_MAX)).doesNotThrowAnyException();
        assertThatCode(() -> new Feature("f", log, "u", "s", "d", 0, 1)).doesNotThrowAnyException();
        assertThatThrownBy(() -> new Feature("f", id, "u", "s", "d", 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Feature("f", id, "u", "s", "d", -Feature.VALUE_MAX * 1.5, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Feature("f", id, "u", "s", "d", 0, Feature.VALUE_MAX * 1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Feature("f", log, "u", "s", "d", -1e-9, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Feature("f", log, "u", "s", "d").min()).isZero();
        assertThat(new Feature("f", id, "u", "s", "d").min()).isEqualTo(-Feature.VALUE_MAX);
        assertThat(new Feature("f", id, "u", "s", "d").max()).isEqualTo(Feature.VALUE_MAX);
        assertThat(log.apply(Math.E - 1)).isCloseTo(1.0, within(1e-15));
        assertThat(id.apply(-3.5)).isEqualTo(-3.5);
    }

    @Test
    void normalQuantilesMatchTablesInEachBranch() {
        assertThat(ChiSquare.normalQuantile(0.5)).isZero();
        assertThat(ChiSquare.normalQuantile(0.975)).isCloseTo(1.959963985, within(1e-8));
        assertThat(ChiSquare.normalQuantile(0.025)).isCloseTo(-1.959963985, within(1e-8));
        assertThat(ChiSquare.normalQuantile(0.999)).as("upper tail").isCloseTo(3.090232306, within(1e-8));
        assertThat(ChiSquare.normalQuantile(0.001)).as("lower tail").isCloseTo(-3.090232306, within(1e-8));
        assertThat(ChiSquare.normalQuantile(0.02425)).as("where the branches meet").isCloseTo(-1.972961051, within(1e-8));
        assertThat(ChiSquare.normalQuantile(1 - 0.02425)).isCloseTo(1.972961051, within(1e-8));
        assertThatThrownBy(() -> ChiSquare.normalQuantile(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChiSquare.normalQuantile(1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChiSquare.normalQuantile(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        // Wilson–Hilferty: d (1 - 2/(9d) + z sqrt(2/(9d)))³, within 1 % of the tables at these quantiles
        final double a10 = 2.0 / 90;
        assertThat(ChiSquare.quantile(10, 0.999)).isCloseTo(10 * Math.pow(1 - a10 + 3.090232306 * Math.sqrt(a10), 3), within(1e-6));
        assertThat(ChiSquare.quantile(10, 0.999)).as("table: 29.588").isCloseTo(29.588, org.assertj.core.api.Assertions.withinPercentage(1));
        assertThat(ChiSquare.quantile(4, 0.5)).isCloseTo(4 * Math.pow(1 - 2.0 / 36, 3), within(1e-12));
        assertThat(ChiSquare.quantile(4, 0.5)).as("table: 3.357").isCloseTo(3.357, org.assertj.core.api.Assertions.withinPercentage(1));
    }
}
