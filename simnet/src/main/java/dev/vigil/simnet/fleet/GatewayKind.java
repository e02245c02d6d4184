package dev.vigil.simnet.fleet;

import dev.vigil.daemon.detect.FeatureSchema;

import java.util.List;

/**
 * The kinds of host besides an agent's home that see telemetry naming it (DESIGN §9): each sees
 * the part of the agent's behaviour that passes through it, in the default schema, and nothing
 * else. A feature a kind cannot see is 0 in its view (see {@link SyntheticFleet}, Observers).
 */
public enum GatewayKind {
    /** Model calls: their rate, tokens per call, latency, the model API's errors, model switches. */
    LLM_GATEWAY("llm-gateway", List.of(FeatureSchema.OPS_PER_MIN, FeatureSchema.INPUT_TOKENS_PER_OP,
        FeatureSchema.OUTPUT_TOKENS_PER_OP, FeatureSchema.ERROR_RATE, FeatureSchema.LATENCY_MS_MEAN,
        FeatureSchema.MODEL_SWITCHES)),
    /** An MCP/tool server: tool calls, which tools, tool errors. */
    TOOL_SERVER("tool-server", List.of(FeatureSchema.TOOL_CALLS_PER_MIN, FeatureSchema.DISTINCT_TOOLS,
        FeatureSchema.ERROR_RATE)),
    /** An egress proxy: bytes sent out and the hosts they went to. */
    EGRESS_PROXY("egress-proxy", List.of(FeatureSchema.DISTINCT_HOSTS, FeatureSchema.BYTES_OUT));

    private final String label;
    private final List<String> features;
    private final boolean[] sees;

    GatewayKind(final String label, final List<String> features) {
        this.label = label;
        this.features = features;
        final FeatureSchema schema = FeatureSchema.agentDefault();
        this.sees = new boolean[schema.size()];
        for (final String f : features) {
            final int i = schema.indexOf(f);
            if (i < 0) {
                throw new IllegalStateException("gateway kind " + label + ": the default schema lacks " + f);
            }
            sees[i] = true;
        }
    }

    /** The kebab-case label, also the prefix of its hosts' ids ("llm-gateway-00"). */
    public String label() {
        return label;
    }

    /** Names of the features this kind sees, in the schema's order. */
    public List<String> features() {
        return features;
    }

    /** Whether this kind sees feature {@code index} of the default schema. */
    public boolean sees(final int index) {
        return sees[index];
    }
}
