package dev.vigil.daemon.detect;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ordered list of features a fleet measures, fixed per fleet in configuration. Its hash
 * (first 4 bytes of SHA-256 over "name:transform" lines) travels in every frame header, so nodes
 * with different schemas refuse each other's frames ({@code schema-mismatch}).
 */
public final class FeatureSchema {
    public static final int FEATURES_MAX = 16;
    /** Default window over which OTLP spans are turned into one observation. */
    public static final int WINDOW_SECONDS_DEFAULT = 10;

    /** Names of the default schema, in order; see {@link #agentDefault()}. */
    public static final String OPS_PER_MIN = "ops_per_min";
    public static final String TOOL_CALLS_PER_MIN = "tool_calls_per_min";
    public static final String DISTINCT_TOOLS = "distinct_tools";
    public static final String INPUT_TOKENS_PER_OP = "input_tokens_per_op";
    public static final String OUTPUT_TOKENS_PER_OP = "output_tokens_per_op";
    public static final String ERROR_RATE = "error_rate";
    public static final String LATENCY_MS_MEAN = "latency_ms_mean";
    public static final String DISTINCT_HOSTS = "distinct_hosts";
    public static final String BYTES_OUT = "bytes_out";
    public static final String MODEL_SWITCHES = "model_switches";

    private static final FeatureSchema AGENT_DEFAULT = new FeatureSchema(List.of(
        new Feature(OPS_PER_MIN, Feature.Transform.LOG1P, "1/min",
            "spans with gen_ai.operation.name", "GenAI operations (chat, embeddings, execute_tool, …) per minute"),
        new Feature(TOOL_CALLS_PER_MIN, Feature.Transform.LOG1P, "1/min",
            "spans with gen_ai.operation.name = execute_tool or a gen_ai.tool.name", "tool invocations per minute"),
        new Feature(DISTINCT_TOOLS, Feature.Transform.LOG1P, "count",
            "gen_ai.tool.name", "distinct tools used in the window"),
        new Feature(INPUT_TOKENS_PER_OP, Feature.Transform.LOG1P, "tokens",
            "gen_ai.usage.input_tokens", "mean input (prompt) tokens per operation"),
        new Feature(OUTPUT_TOKENS_PER_OP, Feature.Transform.LOG1P, "tokens",
            "gen_ai.usage.output_tokens", "mean output (completion) tokens per operation"),
        new Feature(ERROR_RATE, Feature.Transform.IDENTITY, "fraction",
            "error.type, or span status ERROR", "fraction of the window's spans that failed", 0, 1),
        new Feature(LATENCY_MS_MEAN, Feature.Transform.LOG1P, "ms",
            "span duration (end - start)", "mean duration of GenAI operation spans"),
        new Feature(DISTINCT_HOSTS, Feature.Transform.LOG1P, "count",
            "server.address", "distinct external hosts or peers contacted"),
        new Feature(BYTES_OUT, Feature.Transform.LOG1P, "bytes",
            "http.request.body.size (else gen_ai.request.size)", "bytes sent out by the agent in the window"),
        new Feature(MODEL_SWITCHES, Feature.Transform.LOG1P, "count",
            "gen_ai.request.model", "changes of requested model between consecutive operations")));

    private final List<Feature> features;
    private final Map<String, Integer> indexByName = new HashMap<>();
    private final int hash;

    public FeatureSchema(final List<Feature> features) {
        if (features.isEmpty() || features.size() > FEATURES_MAX) {
            throw new IllegalArgumentException("a schema has 1 to " + FEATURES_MAX + " features, got " + features.size());
        }
        final Set<String> names = new HashSet<>();
        final StringBuilder canonical = new StringBuilder();
        for (int i = 0; i < features.size(); i++) {
            final Feature f = features.get(i);
            if (!f.name().matches("[a-z][a-z0-9_]{0,62}")) {
                throw new IllegalArgumentException("feature name '" + f.name() + "' must be snake_case, at most 63 characters");
            }
            if (!names.add(f.name())) {
                throw new IllegalArgumentException("feature '" + f.name() + "' appears twice");
            }
            indexByName.put(f.name(), i);
            canonical.append(f.name()).append(':').append(f.transform().name()).append('\n');
        }
        this.features = List.copyOf(features);
        this.hash = sha256Prefix(canonical.toString());
    }

    /** The default schema for AI agents (10 features from OpenTelemetry GenAI telemetry). */
    public static FeatureSchema agentDefault() {
        return AGENT_DEFAULT;
    }

    public int size() {
        return features.size();
    }

    public Feature feature(final int i) {
        return features.get(i);
    }

    public List<Feature> features() {
        return features;
    }

    /** @return the feature's position, or -1 when the schema does not have it. */
    public int indexOf(final String name) {
        final Integer i = indexByName.get(name);
        return i == null ? -1 : i;
    }

    public int hash() {
        return hash;
    }

    /** Applies each feature's transform to a raw vector in place. */
    public void transform(final double[] raw) {
        for (int i = 0; i < features.size(); i++) {
            raw[i] = features.get(i).transform().apply(raw[i]);
        }
    }

    private static int sha256Prefix(final String s) {
        try {
            final byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return (d[0] & 0xFF) << 24 | (d[1] & 0xFF) << 16 | (d[2] & 0xFF) << 8 | (d[3] & 0xFF);
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
