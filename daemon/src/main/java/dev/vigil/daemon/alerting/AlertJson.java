package dev.vigil.daemon.alerting;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of Alertmanager's {@code POST /api/v2/alerts}: a JSON array of alerts with {@code labels},
 * {@code annotations}, {@code startsAt} and {@code endsAt} in RFC 3339. A firing alert ends
 * {@code validForMs} after it is sent unless sent again (Prometheus gives 4 resend intervals), so an
 * alert whose resolution never arrives, or whose daemon died, still ends in Alertmanager.
 */
final class AlertJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AlertJson() {
    }

    static String body(final List<Alert> alerts, final long nowMs, final long validForMs) {
        final List<Map<String, Object>> out = new ArrayList<>(alerts.size());
        for (final Alert a : alerts) {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("labels", a.labels());
            m.put("annotations", a.annotations());
            m.put("startsAt", Instant.ofEpochMilli(a.startsAtMs()).toString());
            m.put("endsAt", Instant.ofEpochMilli(a.firing() ? Math.max(nowMs, a.startsAtMs()) + validForMs : a.resolvedAtMs()).toString());
            out.add(m);
        }
        try {
            return MAPPER.writeValueAsString(out);
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException("alerts did not serialise", e);
        }
    }
}
