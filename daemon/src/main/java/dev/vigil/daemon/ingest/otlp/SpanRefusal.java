package dev.vigil.daemon.ingest.otlp;

/**
 * Why a decoded span was not counted. Every refused span is reported back to the client in
 * {@code partial_success.rejected_spans} (the client must not retry it) and counted under
 * {@link #label} in {@link OtlpIngestStats#spansRefused()}.
 */
public enum SpanRefusal {
    NO_AGENT_KEY("no_agent_key", "had no agent key (set gen_ai.agent.id or gen_ai.agent.name on the span or resource,"
        + " or resource service.name)"),
    INVALID_AGENT_KEY("invalid_agent_key", "had an agent key that is not 1 to " + SpanExtractor.AGENT_LENGTH_MAX
        + " printable ASCII characters"),
    INVALID_TIME("invalid_time", "had a missing start or end time, or ended before they started"),
    FUTURE("future", "ended too far in the future for this receiver's clock"),
    LATE("late", "were late: their window was already closed and reported"),
    AGENTS_MAX("agents_max", "were for new agents beyond this receiver's agent bound"),
    OPEN_WINDOWS_MAX("open_windows_max", "needed new windows beyond this receiver's open-window bound");

    /** Stable snake_case name for counters and status output. */
    public final String label;
    final String explanation;

    SpanRefusal(final String label, final String explanation) {
        this.label = label;
        this.explanation = explanation;
    }

    /** Refused spans by reason, for one request; confined to one thread. */
    static final class Counts {
        private final int[] counts = new int[values().length];

        void add(final SpanRefusal reason, final int n) {
            assert n >= 0;
            counts[reason.ordinal()] += n;
        }

        int get(final SpanRefusal reason) {
            return counts[reason.ordinal()];
        }

        void addAll(final Counts other) {
            for (int i = 0; i < counts.length; i++) {
                counts[i] += other.counts[i];
            }
        }

        int total() {
            int sum = 0;
            for (final int c : counts) {
                sum += c;
            }
            return sum;
        }

        /** A human-readable English explanation for {@code partial_success.error_message}. */
        String message(final int received) {
            final StringBuilder b = new StringBuilder();
            b.append("refused ").append(total()).append(" of ").append(received).append(" spans: ");
            boolean first = true;
            for (final SpanRefusal r : values()) {
                if (counts[r.ordinal()] > 0) {
                    b.append(first ? "" : "; ").append(counts[r.ordinal()]).append(' ').append(r.explanation);
                    first = false;
                }
            }
            return b.toString();
        }
    }
}
