package dev.vigil.simnet;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Hosts killed and restarted from their stores lose nothing they acknowledged and find their place again. */
class RestartScenarioTest {
    @Test
    void killedHostsComeBackWithEverythingTheyAcknowledged() {
        final Map<String, Object> r = RestartScenario.run(RestartScenario.Params.of(24, 3), new HostStats());
        assertThat((List<?>)r.get("invariants_failed")).isEmpty();
        assertThat((Integer)r.get("restarts")).isGreaterThanOrEqualTo(5);
        final long acked = (Long)r.get("observations_acknowledged");
        assertThat(acked).isGreaterThan(24L * 4 * 10);
        assertThat(r.get("observations_restored")).isEqualTo(acked);
        assertThat(r.get("observations_in_raw")).isEqualTo(acked);
        assertThat(r.get("observations_in_minute_rollups")).isEqualTo(acked);
        assertThat(r.get("unplaced_at_end")).isEqualTo(0);
    }

    @Test
    void theSameSeedGivesTheSameRun() {
        final Map<String, Object> a = RestartScenario.run(RestartScenario.Params.of(12, 5), new HostStats());
        final Map<String, Object> b = RestartScenario.run(RestartScenario.Params.of(12, 5), new HostStats());
        assertThat(a).isEqualTo(b);
    }
}
