package dev.vigil.simnet;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hosts killed between events and inside their own store writes, and restarted from their stores,
 * lose nothing they acknowledged, keep an in-flight observation whole or not at all, and find
 * their place again.
 */
class RestartScenarioTest {
    @Test
    void killedHostsComeBackWithEverythingTheyAcknowledged() {
        final Map<String, Object> r = RestartScenario.run(RestartScenario.Params.of(24, 3), new HostStats());
        assertThat((List<?>)r.get("invariants_failed")).isEmpty();
        assertThat((Integer)r.get("restarts")).isGreaterThanOrEqualTo(5);
        final long acked = (Long)r.get("observations_acknowledged");
        assertThat(acked).isGreaterThan(24L * 4 * 10);
        final long durable = acked + (Long)r.get("in_flight_wholly_stored");
        assertThat(r.get("observations_durable")).isEqualTo(durable);
        assertThat(r.get("observations_restored")).isEqualTo(durable);
        assertThat(r.get("observations_in_raw")).isEqualTo(durable);
        assertThat(r.get("observations_in_minute_rollups")).isEqualTo(durable);
        assertThat(r.get("unplaced_at_end")).isEqualTo(0);
        assertThat(r.get("signatures")).isEqualTo("simulated");
        assertThat((Long)r.get("crashes_mid_write")).isPositive();
        assertThat((Long)r.get("store_checks")).as("a store check every simulated second").isEqualTo(180L);
    }

    @Test
    void storageFaultsLandInsideObservationsWritePathsInEveryWay() {
        // without outsiders: with them this seed's tree ends split in three (trees do not merge yet, see the README),
        // which is not what this test is about; outsiders are held out in killedHostsComeBackWithEverythingTheyAcknowledged
        final Map<String, Object> r = RestartScenario.run(RestartScenario.Params.of(24, 3).withStorageFaults(0.005).withOutsiders(0),
            new HostStats());
        assertThat((List<?>)r.get("invariants_failed")).isEmpty();
        assertThat((Map<?, ?>)r.get("crashes_mid_write_by_kind")).allSatisfy((kind, n) -> assertThat((Long)n).as("" + kind).isPositive());
        final int midObservation = (Integer)r.get("crashes_mid_observation");
        assertThat(midObservation).isPositive();
        assertThat((Long)r.get("in_flight_wholly_stored") + (Long)r.get("in_flight_wholly_absent"))
            .as("every in-flight observation is looked for at its host's restart").isEqualTo(midObservation);
        assertThat((Long)r.get("in_flight_wholly_stored")).isPositive();
        assertThat((Long)r.get("in_flight_wholly_absent")).isPositive();
        assertThat((Long)r.get("entries_torn")).isPositive();
    }

    @Test
    void withoutStorageFaultsNoProcessDiesInAWrite() {
        final Map<String, Object> r = RestartScenario.run(RestartScenario.Params.of(12, 5).withStorageFaults(0), new HostStats());
        assertThat((List<?>)r.get("invariants_failed")).isEmpty();
        assertThat(r.get("crashes_mid_write")).isEqualTo(0L);
        assertThat(r.get("observations_restored")).isEqualTo(r.get("observations_acknowledged"));
        assertThat((Integer)r.get("restarts")).isEqualTo(r.get("crashes_between_events")).isPositive();
    }

    @Test
    void theSameSeedGivesTheSameRun() {
        // without outsiders: with them this seed meets the known tree invariant failure on an admit at the founder
        // (simnet README, "known tree defects"), which stops the run before it is compared
        final Map<String, Object> a = RestartScenario.run(RestartScenario.Params.of(12, 4).withOutsiders(0), new HostStats());
        final Map<String, Object> b = RestartScenario.run(RestartScenario.Params.of(12, 4).withOutsiders(0), new HostStats());
        assertThat((Long)a.get("crashes_mid_write")).as("deaths inside writes replay too").isPositive();
        assertThat(a).isEqualTo(b);
    }
}
