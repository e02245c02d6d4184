package dev.vigil.simnet.demo;

import dev.vigil.daemon.detect.DetectionConfig;
import dev.vigil.daemon.detect.Detector;
import dev.vigil.daemon.detect.FeatureSchema;
import dev.vigil.simnet.fleet.AgentSpec;
import dev.vigil.simnet.fleet.FleetParams;
import dev.vigil.simnet.fleet.ObservedAgent;
import dev.vigil.simnet.fleet.ObserverHost;
import dev.vigil.simnet.fleet.SyntheticFleet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A synthetic fleet and its gateway tier straight into detectors: every agent's home view into
 * the detector of its node, spread as {@link InProcessDetection} spreads them, and every gateway
 * host's views into a detector of that host's own, so each observer keeps its own baseline of
 * each agent as it sees it and scores it with the daemon's code ({@link Detector#observe}), as
 * DESIGN §9 has it. A gateway passes the agent's role: its server-side spans carry the caller's
 * {@code gen_ai.agent.role} when the caller propagates it, and a gateway that lacks it scores a
 * cold agent against all its agents instead (only while the agent is cold). Same omission as
 * {@code InProcessDetection}: no tree hands cluster or fleet baselines down.
 */
public final class ObserverDetection {
    /** The home observers' label in {@link Probe} and in scores. */
    public static final String HOME = "home";

    /** Called after every observation a detector took, for tests that look inside a run. */
    @FunctionalInterface
    public interface Probe {
        /** @param observer {@link #HOME} or the gateway host's id */
        void observed(String observer, AgentSpec agent, long windowEndMicros, double[] raw, Detector detector);
    }

    /**
     * What a run produced.
     *
     * @param homeDetectors        in node order
     * @param gatewayDetectors     in {@link SyntheticFleet#observerHosts()} order
     * @param homeAlarmedMicros    agent id → when its home node alarmed; never-alarmed agents absent
     * @param gatewayAlarmedMicros per gateway host (same order): agent id → when that host alarmed
     */
    public record Result(SyntheticFleet fleet, List<Detector> homeDetectors, List<Detector> gatewayDetectors,
                         Map<String, Long> homeAlarmedMicros, List<Map<String, Long>> gatewayAlarmedMicros,
                         long observations) {
    }

    private ObserverDetection() {
    }

    public static Result run(final FleetParams params, final DetectionConfig config, final int nodes) {
        return run(params, config, nodes, null);
    }

    public static Result run(final FleetParams params, final DetectionConfig config, final int nodes, final Probe probe) {
        if (nodes < 1) {
            throw new IllegalArgumentException("nodes must be at least 1, got " + nodes);
        }
        final SyntheticFleet fleet = new SyntheticFleet(params);
        final List<Detector> homes = new ArrayList<>(nodes);
        for (int i = 0; i < nodes; i++) {
            homes.add(new Detector(FeatureSchema.agentDefault(), config));
        }
        final List<ObserverHost> hosts = fleet.observerHosts();
        final List<Detector> gateways = new ArrayList<>(hosts.size());
        for (int i = 0; i < hosts.size(); i++) {
            gateways.add(new Detector(FeatureSchema.agentDefault(), config));
        }
        final long[] count = {0};
        final int[] next = {0};
        final List<AgentSpec> agents = fleet.agents();
        final SyntheticFleet.ObservationConsumer home = (agent, windowEndMicros, raw, compromisedNow) -> {
            final int index = next[0]++;
            if (agents.get(index) != agent) {
                throw new IllegalStateException("home view of " + agent.id() + " delivered at position " + index);
            }
            final Detector d = homes.get(InProcessDetection.nodeOf(index, nodes));
            d.observe(agent.id(), agent.role(), windowEndMicros, raw);
            count[0]++;
            if (probe != null) {
                probe.observed(HOME, agent, windowEndMicros, raw, d);
            }
        };
        final SyntheticFleet.ObserverConsumer observers = (host, windowEndMicros, seen) -> {
            final Detector d = gateways.get(host.index());
            for (final ObservedAgent o : seen) {
                d.observe(o.agent().id(), o.agent().role(), windowEndMicros, o.raw());
                count[0]++;
                if (probe != null) {
                    probe.observed(host.id(), o.agent(), windowEndMicros, o.raw(), d);
                }
            }
        };
        while (fleet.hasNext()) {
            next[0] = 0;
            fleet.nextWindow(home, observers);
        }
        final Map<String, Long> homeAlarmed = new TreeMap<>();
        for (final Detector d : homes) {
            homeAlarmed.putAll(alarmed(d));
        }
        final List<Map<String, Long>> gatewayAlarmed = new ArrayList<>(gateways.size());
        for (final Detector d : gateways) {
            gatewayAlarmed.add(alarmed(d));
        }
        return new Result(fleet, List.copyOf(homes), List.copyOf(gateways), homeAlarmed, List.copyOf(gatewayAlarmed), count[0]);
    }

    private static Map<String, Long> alarmed(final Detector d) {
        final Map<String, Long> out = new TreeMap<>();
        for (final Detector.AgentSummary s : d.agents()) {
            if (s.alarmedMicros() >= 0) {
                out.put(s.agent(), s.alarmedMicros());
            }
        }
        return out;
    }
}
