package dev.vigil.simnet.demo;

import dev.vigil.daemon.detect.DetectionConfig;
import dev.vigil.daemon.detect.Detector;
import dev.vigil.daemon.detect.FeatureSchema;
import dev.vigil.simnet.fleet.AgentSpec;
import dev.vigil.simnet.fleet.FleetParams;
import dev.vigil.simnet.fleet.SyntheticFleet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Drives a synthetic fleet straight into detectors, without HTTP: the same scoring code as the
 * daemon, for tuning, benchmarks and tests.
 *
 * <p>With {@code nodes} detectors the agents are spread the way {@code vigil demo} spreads them
 * over its daemons ({@link #nodeOf}), each detector seeing only its own agents, so each host's
 * role and host cohorts hold what that daemon's would. What this leaves out is the fleet tree's
 * hand-down of the cluster and fleet baselines: a daemon takes them on a wall-clock timer, so
 * in the demo they arrive at simulated times that vary from run to run. A cold agent is scored
 * against its role's cohort on its host before the cluster's, so the cluster's only matters
 * while that cohort holds fewer than {@code coldObservations} observations: at the defaults, the
 * run's first half hour at most (a role's single agent on a host fills 180 ten-second windows in
 * 30 minutes), before any compromise of the demo's default fleet starts (none in the first hour). The fleet baseline only adds
 * fleet-drift evidence, which never moves a CUSUM.
 */
public final class InProcessDetection {
    /** What a run produced; {@code detectors} in node order. */
    public record Result(SyntheticFleet fleet, List<Detector> detectors, Map<String, Long> alarmedMicros, long observations) {
        public Map<String, Object> score() {
            return DetectionScore.score(fleet.agents(), alarmedMicros);
        }
    }

    private InProcessDetection() {
    }

    /** The node agent {@code agentIndex} (its place in {@link SyntheticFleet#agents()}) reports to: round robin. */
    public static int nodeOf(final int agentIndex, final int nodes) {
        return agentIndex % nodes;
    }

    /** Every agent into one detector. */
    public static Result run(final FleetParams params, final DetectionConfig config) {
        return run(params, config, 1);
    }

    /** Every agent into the detector of its node ({@link #nodeOf}), one detector per node. */
    public static Result run(final FleetParams params, final DetectionConfig config, final int nodes) {
        if (nodes < 1) {
            throw new IllegalArgumentException("nodes must be at least 1, got " + nodes);
        }
        final SyntheticFleet fleet = new SyntheticFleet(params);
        final List<Detector> detectors = new ArrayList<>(nodes);
        for (int i = 0; i < nodes; i++) {
            detectors.add(new Detector(FeatureSchema.agentDefault(), config));
        }
        final Map<String, Detector> detectorOf = new HashMap<>();
        final List<AgentSpec> agents = fleet.agents();
        for (int i = 0; i < agents.size(); i++) {
            detectorOf.put(agents.get(i).id(), detectors.get(nodeOf(i, nodes)));
        }
        final long[] count = {0};
        while (fleet.hasNext()) {
            fleet.nextWindow((agent, windowEndMicros, raw, compromisedNow) -> {
                detectorOf.get(agent.id()).observe(agent.id(), agent.role(), windowEndMicros, raw);
                count[0]++;
            });
        }
        final Map<String, Long> alarmed = new TreeMap<>();
        for (final Detector detector : detectors) {
            for (final Detector.AgentSummary s : detector.agents()) {
                if (s.alarmedMicros() >= 0) {
                    alarmed.put(s.agent(), s.alarmedMicros());
                }
            }
        }
        return new Result(fleet, List.copyOf(detectors), alarmed, count[0]);
    }
}
