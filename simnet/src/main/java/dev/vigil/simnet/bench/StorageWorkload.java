package dev.vigil.simnet.bench;

import dev.vigil.daemon.detect.FeatureSchema;

import java.util.SplittableRandom;

/**
 * What the agents of {@code vigil bench storage} report every 10 s, in the default feature schema.
 *
 * <ul>
 *   <li>{@link #TELEMETRY} (the default): each feature computed the way the OTLP ingest computes
 *       it from a 10-s window of spans ({@code AgentWindow.value}), from counts drawn per window
 *       around each agent's own rates: operations and tool calls per minute are whole counts
 *       times 6, distinct tools and hosts, bytes out and model switches whole numbers, tokens per
 *       operation and the error rate ratios of whole numbers, and mean latency a sum of
 *       nanosecond durations in milliseconds over the operations (every mantissa bit used).</li>
 *   <li>{@link #RANDOM}: every feature {@code mean x (1 + 0.1 N(0,1))} around the agent's own
 *       mean, so every value has 52 random mantissa bits: the worst case for the raw tier, which
 *       keeps observations without loss.</li>
 * </ul>
 */
enum StorageWorkload {
    TELEMETRY,
    RANDOM;

    /** One agent's own rates and means, drawn once. */
    static final class Agent {
        final double[] mean;
        final double opsPerWindow;
        final double toolShare;
        final int tools;
        final double inputTokens;
        final double outputTokens;
        final double latencyMs;
        final double bytesPerOp;

        Agent(final int dimension, final SplittableRandom random) {
            mean = new double[dimension];
            for (int i = 0; i < dimension; i++) {
                mean[i] = 1 + random.nextDouble() * 100;
            }
            opsPerWindow = 2 + random.nextDouble() * 28;
            toolShare = 0.2 + random.nextDouble() * 0.6;
            tools = 1 + random.nextInt(12);
            inputTokens = 200 + random.nextDouble() * 4_000;
            outputTokens = 50 + random.nextDouble() * 800;
            latencyMs = 300 + random.nextDouble() * 3_000;
            bytesPerOp = 500 + random.nextDouble() * 20_000;
        }
    }

    /** Fills {@code x} with the agent's next observation. */
    void next(final Agent a, final double[] x, final SplittableRandom random) {
        if (this == RANDOM) {
            for (int i = 0; i < x.length; i++) {
                x[i] = a.mean[i] * (1 + 0.1 * random.nextGaussian());
            }
            return;
        }
        if (x.length != FeatureSchema.agentDefault().size()) {
            throw new IllegalStateException("the telemetry workload is for the default schema of " + FeatureSchema.agentDefault().size()
                + " features");
        }
        final long ops = Math.max(0, Math.round(a.opsPerWindow + Math.sqrt(a.opsPerWindow) * random.nextGaussian()));
        final long toolCalls = Math.min(ops, Math.max(0, Math.round(ops * a.toolShare + Math.sqrt(ops) * 0.5 * random.nextGaussian())));
        final long errors = ops > 0 && random.nextDouble() < 0.1 ? 1 + random.nextInt(2) : 0;
        final long spans = ops + toolCalls;
        final long inputTokens = Math.max(0, Math.round(ops * a.inputTokens * (1 + 0.2 * random.nextGaussian() / Math.sqrt(Math.max(1, ops)))));
        final long outputTokens = Math.max(0, Math.round(ops * a.outputTokens * (1 + 0.3 * random.nextGaussian() / Math.sqrt(Math.max(1, ops)))));
        double latencySum = 0;
        for (long k = 0; k < Math.min(ops, 4); k++) { // a few spans' own durations (ns, as received), the rest as one sum
            latencySum += Math.max(1_000_000L, Math.round(a.latencyMs * 1e6 * (1 + 0.4 * random.nextGaussian()))) / 1e6;
        }
        if (ops > 4) {
            latencySum += Math.max(1_000_000L, Math.round((ops - 4) * a.latencyMs * 1e6 * (1 + 0.2 * random.nextGaussian()))) / 1e6;
        }
        x[0] = ops * 6.0;                                                        // ops_per_min
        x[1] = toolCalls * 6.0;                                                  // tool_calls_per_min
        x[2] = Math.min(toolCalls, 1 + random.nextInt(a.tools));                 // distinct_tools
        x[3] = ops == 0 ? 0 : (double)inputTokens / ops;                         // input_tokens_per_op
        x[4] = ops == 0 ? 0 : (double)outputTokens / ops;                        // output_tokens_per_op
        x[5] = spans == 0 ? 0 : (double)Math.min(errors, spans) / spans;         // error_rate
        x[6] = ops == 0 ? 0 : latencySum / ops;                                  // latency_ms_mean
        x[7] = ops == 0 ? 0 : 1 + random.nextInt(3);                             // distinct_hosts
        x[8] = Math.max(0, Math.round(ops * a.bytesPerOp * (1 + 0.3 * random.nextGaussian()))); // bytes_out
        x[9] = ops > 1 && random.nextDouble() < 0.05 ? 1 : 0;                     // model_switches
    }
}
