package dev.vigil.simnet.demo;

import dev.vigil.daemon.detect.DetectionConfig;
import dev.vigil.simnet.fleet.FleetParams;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's fleet (200 agents, 4 h, 5 % compromised, seed 1) through the detector at default
 * thresholds, in process: the bar {@code vigil demo} must clear, and the modes it must catch.
 */
class DemoFleetDetectionTest {
    @Test
    void defaultFleetIsDetectedWithoutFalseAlarmsIncludingSlowDriftAndTheCoordinatedGroup() {
        final Map<String, Object> score = InProcessDetection.run(FleetParams.defaults(1), DetectionConfig.defaults()).score();
        assertThat((Double)score.get("precision")).isGreaterThanOrEqualTo(0.99);
        assertThat((Double)score.get("recall")).isGreaterThanOrEqualTo(0.90);
        assertThat(score.get("false_alarms")).isEqualTo(0);
        final Map<?, ?> delays = (Map<?, ?>)score.get("delay_median_s_by_mode");
        assertThat(delays.get("slow_drift")).as("slow drift detected").isNotNull();
        assertThat(delays.get("coordinated_group")).as("coordinated group detected").isNotNull();
    }

    @Test
    void cleanAgentsRaiseNoAlarmOverTwelveHours() {
        final FleetParams d = FleetParams.defaults(2);
        final FleetParams clean = new FleetParams(2, 100, 0, d.windowSeconds(), d.startEpochMicros(), 12 * 3600, 0);
        final Map<String, Object> score = InProcessDetection.run(clean, DetectionConfig.defaults()).score();
        assertThat(score.get("false_alarms")).isEqualTo(0);
    }
}
