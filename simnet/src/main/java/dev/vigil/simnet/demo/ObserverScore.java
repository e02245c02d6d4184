package dev.vigil.simnet.demo;

import dev.vigil.simnet.fleet.AgentSpec;
import dev.vigil.simnet.fleet.CompromiseMode;
import dev.vigil.simnet.fleet.GatewayKind;
import dev.vigil.simnet.fleet.ObserverHost;
import dev.vigil.simnet.fleet.SyntheticFleet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Local alarms against labels, per observer: for each compromise mode and each class of observer
 * (the home node, each gateway kind, and "any_gateway": at least one of the agent's gateways),
 * how many of the (agent, observer) pairs that class holds alarmed at or after the compromise
 * started (recall) and how long after (delay); and per class the false alarms, alarms on clean
 * agents, per clean (agent, observer) pair and day. An alarm before the compromise started is
 * counted apart ({@code alarmed_before_start}), neither detected nor a clean agent's false alarm.
 * Sums over every run {@link #add}ed, so several seeds pool.
 */
public final class ObserverScore {
    public static final String ANY_GATEWAY = "any_gateway";

    private final Map<CompromiseMode, Map<String, Tally>> byMode = new LinkedHashMap<>();
    private final Map<String, Clean> clean = new LinkedHashMap<>();

    private static final class Tally {
        int observed;
        int detected;
        int alarmedBeforeStart;
        final List<Double> delaysS = new ArrayList<>();
    }

    private static final class Clean {
        int observed;
        int alarmed;
        double pairDays;
    }

    public ObserverScore() {
        final List<String> classes = classes();
        for (final CompromiseMode m : CompromiseMode.values()) {
            final Map<String, Tally> row = new LinkedHashMap<>();
            classes.forEach(c -> row.put(c, new Tally()));
            byMode.put(m, row);
        }
        classes.forEach(c -> clean.put(c, new Clean()));
    }

    /** home, llm-gateway, tool-server, egress-proxy, any_gateway. */
    public static List<String> classes() {
        final List<String> out = new ArrayList<>();
        out.add(ObserverDetection.HOME);
        for (final GatewayKind k : GatewayKind.values()) {
            out.add(k.label());
        }
        out.add(ANY_GATEWAY);
        return out;
    }

    public ObserverScore add(final ObserverDetection.Result r) {
        final SyntheticFleet fleet = r.fleet();
        final double days = fleet.params().windows() * (double) fleet.params().windowSeconds() / 86_400;
        final List<AgentSpec> agents = fleet.agents();
        for (int i = 0; i < agents.size(); i++) {
            final AgentSpec a = agents.get(i);
            count(a, ObserverDetection.HOME, r.homeAlarmedMicros().get(a.id()), days);
            Long earliestGateway = null;
            for (final ObserverHost h : fleet.observersOf(i)) {
                final Long alarm = r.gatewayAlarmedMicros().get(h.index()).get(a.id());
                count(a, h.kind().label(), alarm, days);
                if (alarm != null && (earliestGateway == null || afterStartFirst(a, alarm, earliestGateway))) {
                    earliestGateway = alarm;
                }
            }
            if (!fleet.observersOf(i).isEmpty()) {
                count(a, ANY_GATEWAY, earliestGateway, days);
            }
        }
        return this;
    }

    /** For "any gateway": an alarm at or after the start beats one before it; among two on the same side, the earlier. */
    private static boolean afterStartFirst(final AgentSpec a, final long alarm, final long best) {
        if (!a.compromised()) {
            return alarm < best;
        }
        final boolean in = alarm >= a.compromiseStartMicros();
        final boolean bestIn = best >= a.compromiseStartMicros();
        return in != bestIn ? in : alarm < best;
    }

    private void count(final AgentSpec a, final String observer, final Long alarm, final double days) {
        if (!a.compromised()) {
            final Clean c = clean.get(observer);
            c.observed++;
            c.pairDays += days;
            if (alarm != null) {
                c.alarmed++;
            }
            return;
        }
        final Tally t = byMode.get(a.mode()).get(observer);
        t.observed++;
        if (alarm == null) {
            return;
        }
        if (alarm >= a.compromiseStartMicros()) {
            t.detected++;
            t.delaysS.add((alarm - a.compromiseStartMicros()) / 1e6);
        } else {
            t.alarmedBeforeStart++;
        }
    }

    /** mode → class → {observed, detected, recall, delay_median_s, delay_max_s, alarmed_before_start}. */
    public Map<String, Object> detection() {
        final Map<String, Object> out = new LinkedHashMap<>();
        for (final Map.Entry<CompromiseMode, Map<String, Tally>> mode : byMode.entrySet()) {
            final Map<String, Object> row = new LinkedHashMap<>();
            for (final Map.Entry<String, Tally> e : mode.getValue().entrySet()) {
                final Tally t = e.getValue();
                final Map<String, Object> cell = new LinkedHashMap<>();
                cell.put("observed", t.observed);
                cell.put("detected", t.detected);
                cell.put("recall", t.observed == 0 ? null : DetectionScore.round(t.detected / (double) t.observed));
                cell.put("delay_median_s", DetectionScore.median(t.delaysS));
                cell.put("delay_max_s", t.delaysS.isEmpty() ? null : DetectionScore.round(t.delaysS.stream().mapToDouble(Double::doubleValue).max().getAsDouble()));
                cell.put("alarmed_before_start", t.alarmedBeforeStart);
                row.put(e.getKey(), cell);
            }
            out.put(mode.getKey().label(), row);
        }
        return out;
    }

    /** class → {clean_observed, alarmed, per_clean_agent_day}. */
    public Map<String, Object> falseAlarms() {
        final Map<String, Object> out = new LinkedHashMap<>();
        for (final Map.Entry<String, Clean> e : clean.entrySet()) {
            final Clean c = e.getValue();
            final Map<String, Object> cell = new LinkedHashMap<>();
            cell.put("clean_observed", c.observed);
            cell.put("alarmed", c.alarmed);
            cell.put("per_clean_agent_day", c.pairDays == 0 ? null : Math.round(1e6 * c.alarmed / c.pairDays) / 1e6);
            out.put(e.getKey(), cell);
        }
        return out;
    }
}
