package dev.vigil.daemon.ingest.otlp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An immutable snapshot of one {@link OtlpHttpServer}'s counters. Each counter is read
 * atomically, the set of them is not (a request in flight may show in one and not yet in
 * another). Once nothing is in flight:
 * {@code spansReceived == spansAccepted + sum(spansRefused) + spansThrottled}.
 *
 * @param responsesByStatus answers written, by HTTP status (200 includes partial successes)
 * @param connectionsOpen     connections open now
 * @param connectionsAccepted connections accepted since start
 * @param connectionsRefused  connections closed at once because {@code connectionsMax} were open
 * @param requestsPending     requests decoded and waiting for the windows' executor now
 * @param spansReceived       spans in successfully decoded requests
 * @param spansAccepted       spans counted into a window
 * @param spansRefused        spans refused for good (reported in {@code partial_success}), by
 *                            {@link SpanRefusal#label}, every reason present
 * @param spansThrottled      spans in requests answered 429 or 503 (the client retries them)
 * @param rolesInvalid        spans kept without their role because it was not valid
 * @param attributesIgnored   feature-source attributes of the wrong type or sign, treated as absent
 * @param windowsEmitted      observations handed to the sink
 * @param windowsOpen         windows open now
 * @param agentsTracked       agents with an open window now
 * @param windows             the aggregator's own counters, for detail
 */
public record OtlpIngestStats(Map<Integer, Long> responsesByStatus, int connectionsOpen, long connectionsAccepted,
                              long connectionsRefused, int requestsPending, long spansReceived, long spansAccepted,
                              Map<String, Long> spansRefused, long spansThrottled, long rolesInvalid, long attributesIgnored,
                              long windowsEmitted, int windowsOpen, int agentsTracked, SpanWindows.Stats windows) {

    static OtlpIngestStats of(final IngestCounters c, final SpanWindows.Stats w) {
        final Map<String, Long> refused = new LinkedHashMap<>();
        for (final SpanRefusal r : SpanRefusal.values()) {
            final long windowSide = switch (r) {
                case LATE -> w.spansLate();
                case FUTURE -> w.spansFuture();
                case AGENTS_MAX -> w.spansAgentsMax();
                case OPEN_WINDOWS_MAX -> w.spansOpenWindowsMax();
                default -> 0;
            };
            refused.put(r.label, c.refused(r) + windowSide);
        }
        return new OtlpIngestStats(c.responsesByStatus(), c.connectionsOpen.get(), c.connectionsAccepted.get(),
            c.connectionsRefused.get(), c.requestsPending.get(), c.spansReceived.get(), w.spansAccepted(),
            Collections.unmodifiableMap(refused), c.spansThrottled.get() + w.spansOverloaded(), c.rolesInvalid.get(),
            c.attributesIgnored.get(), w.windowsEmitted(), w.windowsOpen(), w.agentsTracked(), w);
    }

    public long spansRefusedTotal() {
        long sum = 0;
        for (final long n : spansRefused.values()) {
            sum += n;
        }
        return sum;
    }

    /** The snapshot as snake_case JSON-ready maps, for {@code GET /v1/status}. */
    public Map<String, Object> asMap() {
        final Map<String, Object> out = new LinkedHashMap<>();
        final Map<String, Long> responses = new LinkedHashMap<>();
        responsesByStatus.forEach((status, n) -> responses.put(Integer.toString(status), n));
        out.put("responses_by_status", responses);
        final Map<String, Object> connections = new LinkedHashMap<>();
        connections.put("open", connectionsOpen);
        connections.put("accepted", connectionsAccepted);
        connections.put("refused", connectionsRefused);
        out.put("connections", connections);
        out.put("requests_pending", requestsPending);
        final Map<String, Object> spans = new LinkedHashMap<>();
        spans.put("received", spansReceived);
        spans.put("accepted", spansAccepted);
        spans.put("refused", spansRefused);
        spans.put("throttled", spansThrottled);
        spans.put("roles_invalid", rolesInvalid);
        spans.put("attributes_ignored", attributesIgnored);
        out.put("spans", spans);
        final Map<String, Object> win = new LinkedHashMap<>();
        win.put("open", windowsOpen);
        win.put("agents", agentsTracked);
        win.put("opened", windows.windowsOpened());
        win.put("emitted", windowsEmitted);
        win.put("sink_failures", windows.sinkFailures());
        win.put("batches_overloaded", windows.batchesOverloaded());
        win.put("distinct_values_capped", windows.distinctValuesCapped());
        win.put("model_ops_capped", windows.modelOpsCapped());
        out.put("windows", win);
        return out;
    }
}
