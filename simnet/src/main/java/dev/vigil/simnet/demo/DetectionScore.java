package dev.vigil.simnet.demo;

import dev.vigil.simnet.fleet.AgentSpec;
import dev.vigil.simnet.fleet.CompromiseMode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Flagged agents against labels. An agent counts as flagged when it was alarmed. A compromised
 * agent is detected when its alarm came at or after its compromise started; an alarm on a clean
 * agent, or on a compromised one before its compromise began, is a false alarm.
 */
public final class DetectionScore {
    private DetectionScore() {
    }

    /**
     * @param alarmedMicros agent id → (observation) time of its alarm; agents never alarmed are absent
     */
    public static Map<String, Object> score(final List<AgentSpec> agents, final Map<String, Long> alarmedMicros) {
        int compromised = 0;
        int detected = 0;
        int falseAlarms = 0;
        final Map<CompromiseMode, List<Double>> delays = new LinkedHashMap<>();
        final Map<CompromiseMode, int[]> byMode = new LinkedHashMap<>();
        for (final CompromiseMode m : CompromiseMode.values()) {
            delays.put(m, new ArrayList<>());
            byMode.put(m, new int[2]);
        }
        final List<String> missed = new ArrayList<>();
        final List<String> falseAlarmAgents = new ArrayList<>();
        for (final AgentSpec a : agents) {
            final Long alarm = alarmedMicros.get(a.id());
            if (a.compromised()) {
                compromised++;
                byMode.get(a.mode())[0]++;
                if (alarm != null && alarm >= a.compromiseStartMicros()) {
                    detected++;
                    byMode.get(a.mode())[1]++;
                    delays.get(a.mode()).add((alarm - a.compromiseStartMicros()) / 1e6);
                } else {
                    missed.add(a.id() + " (" + a.mode().label() + ")");
                    if (alarm != null) {
                        falseAlarms++;
                        falseAlarmAgents.add(a.id() + " (alarmed before its compromise)");
                    }
                }
            } else if (alarm != null) {
                falseAlarms++;
                falseAlarmAgents.add(a.id());
            }
        }
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("agents", agents.size());
        out.put("compromised", compromised);
        out.put("flagged", detected + falseAlarms);
        out.put("detected", detected);
        out.put("false_alarms", falseAlarms);
        out.put("precision", detected + falseAlarms == 0 ? null : round((double)detected / (detected + falseAlarms)));
        out.put("recall", compromised == 0 ? null : round((double)detected / compromised));
        final Map<String, Object> medians = new LinkedHashMap<>();
        final Map<String, Object> counts = new LinkedHashMap<>();
        for (final CompromiseMode m : CompromiseMode.values()) {
            medians.put(m.label(), median(delays.get(m)));
            counts.put(m.label(), byMode.get(m)[1] + "/" + byMode.get(m)[0]);
        }
        out.put("delay_median_s_by_mode", medians);
        out.put("detected_by_mode", counts);
        out.put("missed", missed);
        out.put("false_alarm_agents", falseAlarmAgents);
        return out;
    }

    /** The median of {@code xs} rounded to 0.001, or null when there are none. */
    static Double median(final List<Double> xs) {
        if (xs.isEmpty()) {
            return null;
        }
        final List<Double> sorted = new ArrayList<>(xs);
        sorted.sort(Double::compare);
        final int n = sorted.size();
        return round(n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2);
    }

    /** {@code x} rounded to 0.001 for reports. */
    static double round(final double x) {
        return Math.round(x * 1000) / 1000.0;
    }
}
