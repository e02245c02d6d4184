package dev.vigil.daemon.history;

import dev.vigil.daemon.detect.FeatureSchema;

import java.util.Locale;

/** Rows of {@code POST /v1/observations} for the daemon's tests: every default feature at one level. */
public final class Rows {
    private Rows() {
    }

    /** One row of role "worker": {@code error_rate} 0.1, every other feature {@code level}. */
    public static String row(final String agent, final long tsMicros, final double level) {
        return row(agent, "worker", tsMicros, level);
    }

    /** One row of {@code role}: {@code error_rate} 0.1, every other feature {@code level}. */
    public static String row(final String agent, final String role, final long tsMicros, final double level) {
        final StringBuilder f = new StringBuilder("{");
        for (final var feature : FeatureSchema.agentDefault().features()) {
            f.append(f.length() == 1 ? "" : ",").append('"').append(feature.name()).append("\":")
                .append(feature.name().equals(FeatureSchema.ERROR_RATE) ? "0.1" : String.format(Locale.ROOT, "%.1f", level));
        }
        return "{\"agent\":\"" + agent + "\",\"role\":\"" + role + "\",\"ts\":" + String.format(Locale.ROOT, "%.6f", tsMicros / 1e6)
            + ",\"features\":" + f.append('}') + "}";
    }
}
