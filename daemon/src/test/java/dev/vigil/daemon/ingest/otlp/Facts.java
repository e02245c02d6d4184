package dev.vigil.daemon.ingest.otlp;

/** Builds {@link SpanFacts} for tests; times are milliseconds after {@link #T0_NANOS}. */
final class Facts {
    /** 2023-11-14T22:13:20Z, a multiple of every window length the tests use. */
    static final long T0_SECONDS = 1_700_000_000L;
    static final long T0_NANOS = T0_SECONDS * 1_000_000_000L;
    static final long T0_MICROS = T0_SECONDS * 1_000_000L;

    private final String agent;
    private final long startNanos;
    private final long endNanos;
    private String role;
    private String operation;
    private String tool;
    private long inputTokens;
    private long outputTokens;
    private boolean error;
    private String host;
    private long bytesOut;
    private String model;

    private Facts(final String agent, final long startNanos, final long endNanos) {
        this.agent = agent;
        this.startNanos = startNanos;
        this.endNanos = endNanos;
    }

    static Facts span(final String agent, final double startMs, final double endMs) {
        return new Facts(agent, T0_NANOS + Math.round(startMs * 1e6), T0_NANOS + Math.round(endMs * 1e6));
    }

    static long micros(final double secondsAfterT0) {
        return T0_MICROS + Math.round(secondsAfterT0 * 1e6);
    }

    Facts role(final String r) {
        role = r;
        return this;
    }

    Facts op(final String name) {
        operation = name;
        return this;
    }

    Facts chat(final String m) {
        operation = "chat";
        model = m;
        return this;
    }

    Facts tool(final String name) {
        tool = name;
        return this;
    }

    Facts tokens(final long in, final long out) {
        inputTokens = in;
        outputTokens = out;
        return this;
    }

    Facts error() {
        error = true;
        return this;
    }

    Facts host(final String h) {
        host = h;
        return this;
    }

    Facts bytes(final long b) {
        bytesOut = b;
        return this;
    }

    Facts model(final String m) {
        model = m;
        return this;
    }

    SpanFacts build() {
        return new SpanFacts(agent, role, startNanos, endNanos, operation, tool, inputTokens, outputTokens, error, host, bytesOut, model);
    }
}
