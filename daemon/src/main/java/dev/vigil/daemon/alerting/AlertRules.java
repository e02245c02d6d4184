package dev.vigil.daemon.alerting;

import dev.vigil.crypto.verdict.Verdict;
import dev.vigil.crypto.verdict.VerdictCertificate;
import dev.vigil.daemon.detect.Evidence;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What Vigil tells Alertmanager, as pure functions of what the node knows.
 *
 * <ul>
 *   <li>{@value #ALARM}: this node's detector alarmed on an agent. Labels {@code agent}, {@code node}
 *       (this node's id), {@code role} (when the agent reported one), {@code mode=local},
 *       {@code severity=warning}. Resolved when the agent is back to normal (an operator release: alarms
 *       are sticky).</li>
 *   <li>{@value #VERDICT}: a fleet verdict certificate convicts an agent this node observes. Labels
 *       {@code agent}, {@code certificate} (the verdict id), {@code role} (when known here),
 *       {@code mode=fleet}, {@code severity=critical}; no {@code node}: the verdict is the fleet's, so
 *       every observer of the agent sends the same labels and Alertmanager keeps one alert. Resolved
 *       when the operator's release of that certificate reaches the node.</li>
 * </ul>
 * {@code mode} says which judgement raised the alert (the node's own detection or the fleet's
 * committee); the kind of compromise is not known to Vigil (it sees behaviour, not intent).
 * Annotations: {@code summary}, {@code description}, and the scores.
 */
public final class AlertRules {
    public static final String ALARM = "VigilAgentAlarm";
    public static final String VERDICT = "VigilVerdict";
    /** Deviating features named in an alarm's description, largest first. */
    private static final int FEATURES_SHOWN_MAX = 3;

    private AlertRules() {
    }

    public static String alarmKey(final String agent) {
        return "alarm/" + agent;
    }

    public static String verdictKey(final String certificateId) {
        return "verdict/" + certificateId;
    }

    /**
     * @param sinceMicros   when the agent was alarmed (observation time; negative: not known, now)
     * @param alarmEvidence the evidence behind the alarm, oldest first; empty when not known (read back after a restart)
     */
    public static Alert agentAlarm(final String node, final String agent, final String role, final long sinceMicros,
                                   final double cusum, final List<Evidence> alarmEvidence, final long nowMs) {
        final Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", ALARM);
        labels.put("agent", agent);
        labels.put("node", node);
        putIfKnown(labels, "role", role);
        labels.put("mode", "local");
        labels.put("severity", "warning");
        final Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("summary", "agent " + agent + (known(role) ? " (" + role + ")" : "") + " alarmed on node " + node
            + ": CUSUM " + format(cusum));
        final Evidence last = lastObservation(alarmEvidence);
        annotations.put("description", last == null
            ? "Vigil's detector on node " + node + " alarmed on agent " + agent + "; its evidence: GET /v1/agents/" + agent
            + " on that node. The alarm lasts until an operator runs `vigil agents release " + agent + "`."
            : "The agent's behaviour left its baseline: " + describe(last) + ". The alarm lasts until an operator runs"
            + " `vigil agents release " + agent + "`.");
        annotations.put("cusum", format(cusum));
        if (last != null) {
            annotations.put("evidence", describe(last));
        }
        return new Alert(alarmKey(agent), labels, annotations, sinceMicros < 0 ? nowMs : Math.min(sinceMicros / 1000, nowMs), Alert.FIRING);
    }

    /** A conviction ({@link Verdict.Kind#CONVICT}) as an alert. */
    public static Alert verdict(final VerdictCertificate certificate, final String role, final long nowMs) {
        final Verdict v = certificate.verdict();
        if (v.kind() != Verdict.Kind.CONVICT) {
            throw new IllegalArgumentException("verdict " + v.id() + " is a " + v.kind() + ", not a conviction");
        }
        final Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", VERDICT);
        labels.put("agent", v.agentId());
        labels.put("certificate", v.id());
        putIfKnown(labels, "role", role);
        labels.put("mode", "fleet");
        labels.put("severity", "critical");
        final Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("summary", "agent " + v.agentId() + (known(role) ? " (" + role + ")" : "") + " convicted by the fleet: posterior "
            + format(v.posterior()) + ", verdict " + v.id());
        annotations.put("description", "The committee of shard " + v.shard() + " (epoch " + v.epoch() + ", f = " + v.f() + ") combined "
            + v.observers().length + " observers' evidence to log-odds " + format(v.logOdds()) + " and " + certificate.signatures().size()
            + " members signed the verdict. Check it offline with `vigil verdicts verify`; release it with `vigil verdicts release "
            + v.id() + " --ca-key ca.key`.");
        annotations.put("posterior", format(v.posterior()));
        annotations.put("log_odds", format(v.logOdds()));
        annotations.put("observers", Integer.toString(v.observers().length));
        return new Alert(verdictKey(v.id()), labels, annotations, Math.min(v.issuedAtMicros() / 1000, nowMs), Alert.FIRING);
    }

    private static Evidence lastObservation(final List<Evidence> evidence) {
        for (int i = evidence.size() - 1; i >= 0; i--) {
            if ("observation".equals(evidence.get(i).kind())) {
                return evidence.get(i);
            }
        }
        return null;
    }

    private static String describe(final Evidence e) {
        final StringBuilder s = new StringBuilder("D² ").append(format(e.d2())).append(" against the ").append(e.baseline())
            .append(" baseline");
        final List<Evidence.Deviation> top = e.top();
        for (int i = 0; i < Math.min(FEATURES_SHOWN_MAX, top.size()); i++) {
            final Evidence.Deviation d = top.get(i);
            s.append(i == 0 ? "; " : ", ").append(d.feature()).append(' ').append(String.format(Locale.ROOT, "%+.1f", d.z())).append(" sd");
        }
        return s.toString();
    }

    private static boolean known(final String value) {
        return value != null && !value.isEmpty();
    }

    private static void putIfKnown(final Map<String, String> labels, final String name, final String value) {
        if (known(value)) {
            labels.put(name, value);
        }
    }

    private static String format(final double x) {
        return String.format(Locale.ROOT, "%.4g", x);
    }
}
