package dev.vigil.simnet.demo;

import dev.vigil.daemon.detect.DetectionConfig;
import dev.vigil.daemon.detect.Detector;
import dev.vigil.daemon.detect.FeatureSchema;
import dev.vigil.simnet.fleet.FleetParams;
import dev.vigil.simnet.fleet.SyntheticFleet;

import java.util.Map;
import java.util.TreeMap;

/**
 * Drives a synthetic fleet straight into a {@link Detector}, without HTTP: the same scoring
 * code as the daemon, for tuning, benchmarks and tests.
 */
public final class InProcessDetection {
    /** What a run produced. */
    public record Result(SyntheticFleet fleet, Detector detector, Map<String, Long> alarmedMicros, long observations) {
        public Map<String, Object> score() {
            return DetectionScore.score(fleet.agents(), alarmedMicros);
        }
    }

    private InProcessDetection() {
    }

    public static Result run(final FleetParams params, final DetectionConfig config) {
        final SyntheticFleet fleet = new SyntheticFleet(params);
        final Detector detector = new Detector(FeatureSchema.agentDefault(), config);
        final long[] count = {0};
        while (fleet.hasNext()) {
            fleet.nextWindow((agent, windowEndMicros, raw, compromisedNow) -> {
                detector.observe(agent.id(), agent.role(), windowEndMicros, raw);
                count[0]++;
            });
        }
        final Map<String, Long> alarmed = new TreeMap<>();
        for (final Detector.AgentSummary s : detector.agents()) {
            if (s.alarmedMicros() >= 0) {
                alarmed.put(s.agent(), s.alarmedMicros());
            }
        }
        return new Result(fleet, detector, alarmed, count[0]);
    }
}
