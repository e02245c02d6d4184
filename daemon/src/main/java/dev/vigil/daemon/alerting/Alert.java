package dev.vigil.daemon.alerting;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One alert as Alertmanager identifies it: by its labels (the same labels firing and resolved), with
 * annotations for people. {@code key} names it inside Vigil ({@code alarm/AGENT}, {@code verdict/ID}).
 *
 * @param startsAtMs   when what it reports began (epoch ms)
 * @param resolvedAtMs when it ended (epoch ms), or {@link #FIRING}; a firing alert's {@code endsAt}
 *                     is set when it is sent (see {@link AlertJson})
 */
public record Alert(String key, Map<String, String> labels, Map<String, String> annotations, long startsAtMs, long resolvedAtMs) {
    public static final long FIRING = -1;
    /** Alertmanager's (Prometheus's) label names. */
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    public Alert {
        labels = Collections.unmodifiableMap(new TreeMap<>(labels));
        annotations = Collections.unmodifiableMap(new TreeMap<>(annotations));
        if (key == null || key.isEmpty() || !labels.containsKey("alertname") || startsAtMs < 0
            || resolvedAtMs != FIRING && resolvedAtMs < startsAtMs) {
            throw new IllegalArgumentException("not an alert: " + key + " " + labels + " from " + startsAtMs + " to " + resolvedAtMs);
        }
        for (final Map.Entry<String, String> l : labels.entrySet()) {
            // an empty value is the label's absence to Alertmanager: leave such labels out instead
            if (!LABEL_NAME.matcher(l.getKey()).matches() || l.getValue() == null || l.getValue().isEmpty()) {
                throw new IllegalArgumentException("alert " + key + ": label '" + l.getKey() + "' = '" + l.getValue() + "'");
            }
        }
    }

    public boolean firing() {
        return resolvedAtMs == FIRING;
    }

    /** The same alert, ended at {@code atMs} (not before it began). */
    public Alert resolvedAt(final long atMs) {
        return new Alert(key, labels, annotations, startsAtMs, Math.max(atMs, startsAtMs));
    }
}
