package dev.vigil.daemon.ingest;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What {@code POST /v1/observations} refused before the detector saw it: rows, by the part of the
 * row at fault, and whole bodies (not JSON, not an array, over a bound). Counted on the API's
 * thread, once per request, and read by the metrics from any thread. The reasons are a fixed set:
 * a refused row names a field the client chose (an unknown one among them), which must never
 * become a label of its own.
 */
public final class IngestRefusals {
    /** The part of a row that made it refused. */
    public enum Reason {
        /** Not an object, or a field this API does not know. */
        ROW,
        AGENT,
        ROLE,
        TS,
        FEATURES;

        /** The metrics label: {@code invalid-row}, {@code invalid-agent}, ... */
        public final String label = "invalid-" + name().toLowerCase(Locale.ROOT);

        static Reason of(final String field) {
            if (field == null) {
                return ROW;
            }
            return switch (field) {
                case "agent" -> AGENT;
                case "role" -> ROLE;
                case "ts" -> TS;
                default -> field.equals("features") || field.startsWith("features.") ? FEATURES : ROW;
            };
        }
    }

    private final AtomicLongArray rows = new AtomicLongArray(Reason.values().length);
    private final AtomicLong bodies = new AtomicLong();

    /** Counts the rows a batch's validation refused. */
    public void rowsRefused(final List<ObservationBatch.Refusal> refusals) {
        for (final ObservationBatch.Refusal r : refusals) {
            rows.incrementAndGet(Reason.of(r.field()).ordinal());
        }
    }

    /** Counts a body refused whole. */
    public void bodyRefused() {
        bodies.incrementAndGet();
    }

    public Snapshot snapshot() {
        final Map<String, Long> byReason = new LinkedHashMap<>();
        for (final Reason r : Reason.values()) {
            byReason.put(r.label, rows.get(r.ordinal()));
        }
        return new Snapshot(Collections.unmodifiableMap(byReason), bodies.get());
    }

    /** @param rowsByReason every reason's label, zeros included */
    public record Snapshot(Map<String, Long> rowsByReason, long bodies) {
    }
}
