package dev.vigil.daemon.ingest.otlp;

import dev.vigil.daemon.detect.FeatureSchema;

/**
 * One agent's open window: counts, sums and two capped distinct sets, plus the start-ordered
 * sequence of model-carrying operations that {@code model_switches} needs (spans arrive in any
 * order, so the order has to be kept; it is capped at {@code modelOpsMax}, beyond which
 * operations are left out of the sequence and counted in {@link #modelOpsCapped}).
 *
 * <p>Size: about 150 bytes empty; at most {@code 2 × 8 × distinctMax + 12 × modelOpsMax} more
 * (≈ 2.5 KB at the defaults 64 and 128, ≈ 2.7 KB in all), arrays growing only as values arrive.
 */
final class AgentWindow {
    private static final long[] NO_STARTS = new long[0];
    private static final int[] NO_MODELS = new int[0];

    /** The features this aggregator can compute, by schema name. */
    enum Measure {
        OPS_PER_MIN(FeatureSchema.OPS_PER_MIN),
        TOOL_CALLS_PER_MIN(FeatureSchema.TOOL_CALLS_PER_MIN),
        DISTINCT_TOOLS(FeatureSchema.DISTINCT_TOOLS),
        INPUT_TOKENS_PER_OP(FeatureSchema.INPUT_TOKENS_PER_OP),
        OUTPUT_TOKENS_PER_OP(FeatureSchema.OUTPUT_TOKENS_PER_OP),
        ERROR_RATE(FeatureSchema.ERROR_RATE),
        LATENCY_MS_MEAN(FeatureSchema.LATENCY_MS_MEAN),
        DISTINCT_HOSTS(FeatureSchema.DISTINCT_HOSTS),
        BYTES_OUT(FeatureSchema.BYTES_OUT),
        MODEL_SWITCHES(FeatureSchema.MODEL_SWITCHES);

        final String featureName;

        Measure(final String featureName) {
            this.featureName = featureName;
        }

        /** @return the measure a schema feature names, or null when this aggregator does not know it. */
        static Measure of(final String featureName) {
            for (final Measure m : values()) {
                if (m.featureName.equals(featureName)) {
                    return m;
                }
            }
            return null;
        }
    }

    final long index;
    private String role;
    private long spans;
    private long errors;
    private long ops;
    private long toolCalls;
    private long inputTokens;
    private long outputTokens;
    private long bytesOut;
    private double latencyMsSum;
    private final DistinctSet tools;
    private final DistinctSet hosts;
    private final int modelOpsMax;
    private long[] modelStarts = NO_STARTS;
    private int[] modelHashes = NO_MODELS;
    private int modelOps;
    private int modelOpsCapped;

    AgentWindow(final long index, final int distinctMax, final int modelOpsMax) {
        this.index = index;
        this.tools = new DistinctSet(distinctMax);
        this.hosts = new DistinctSet(distinctMax);
        this.modelOpsMax = modelOpsMax;
    }

    void add(final SpanFacts f) {
        spans++;
        if (f.role() != null) {
            // The latest declaration wins; a role rarely changes within one window.
            role = f.role();
        }
        if (f.error()) {
            errors++;
        }
        if (f.isToolCall()) {
            toolCalls++;
        }
        if (f.tool() != null) {
            tools.add(DistinctSet.hash(f.tool()));
        }
        if (f.host() != null) {
            hosts.add(DistinctSet.hash(f.host()));
        }
        bytesOut = saturatingAdd(bytesOut, f.bytesOut());
        if (f.isOperation()) {
            ops++;
            inputTokens = saturatingAdd(inputTokens, f.inputTokens());
            outputTokens = saturatingAdd(outputTokens, f.outputTokens());
            latencyMsSum += f.durationMs();
            if (f.model() != null) {
                final long h = DistinctSet.hash(f.model());
                insertModelOp(f.startNanos(), (int)(h ^ h >>> 32));
            }
        }
    }

    String role() {
        return role;
    }

    long spans() {
        return spans;
    }

    int distinctCapped() {
        return tools.capped() + hosts.capped();
    }

    int modelOpsCapped() {
        return modelOpsCapped;
    }

    /** Changes of model between consecutive model-carrying operations in start order. */
    int modelSwitches() {
        int switches = 0;
        for (int i = 1; i < modelOps; i++) {
            if (modelHashes[i] != modelHashes[i - 1]) {
                switches++;
            }
        }
        return switches;
    }

    double value(final Measure m, final int windowSeconds) {
        final double perMinute = 60.0 / windowSeconds;
        return switch (m) {
            case OPS_PER_MIN -> ops * perMinute;
            case TOOL_CALLS_PER_MIN -> toolCalls * perMinute;
            case DISTINCT_TOOLS -> tools.size();
            case INPUT_TOKENS_PER_OP -> ops == 0 ? 0 : (double)inputTokens / ops;
            case OUTPUT_TOKENS_PER_OP -> ops == 0 ? 0 : (double)outputTokens / ops;
            case ERROR_RATE -> spans == 0 ? 0 : (double)errors / spans;
            case LATENCY_MS_MEAN -> ops == 0 ? 0 : latencyMsSum / ops;
            case DISTINCT_HOSTS -> hosts.size();
            case BYTES_OUT -> bytesOut;
            case MODEL_SWITCHES -> modelSwitches();
        };
    }

    /**
     * Keeps (start, model) sorted by start, ties by model hash, so the result does not depend on
     * arrival order. Spans mostly arrive in order, making this an append.
     */
    private void insertModelOp(final long startNanos, final int modelHash) {
        if (modelOps == modelOpsMax) {
            modelOpsCapped++;
            return;
        }
        if (modelOps == modelStarts.length) {
            final int grown = Math.min(modelOpsMax, Math.max(4, modelOps * 2));
            modelStarts = java.util.Arrays.copyOf(modelStarts, grown);
            modelHashes = java.util.Arrays.copyOf(modelHashes, grown);
        }
        int i = modelOps;
        while (i > 0 && (modelStarts[i - 1] > startNanos || modelStarts[i - 1] == startNanos && modelHashes[i - 1] > modelHash)) {
            modelStarts[i] = modelStarts[i - 1];
            modelHashes[i] = modelHashes[i - 1];
            i--;
        }
        modelStarts[i] = startNanos;
        modelHashes[i] = modelHash;
        modelOps++;
    }

    private static long saturatingAdd(final long a, final long b) {
        final long r = a + b;
        return r < 0 ? Long.MAX_VALUE : r;
    }
}
