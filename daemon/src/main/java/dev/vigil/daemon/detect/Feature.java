package dev.vigil.daemon.detect;

/**
 * One behavioural feature of an agent over a window.
 *
 * @param name        snake_case name used in JSON ingest and reports
 * @param transform   applied to the raw value before statistics (heavy-tailed counts are log-scaled)
 * @param unit        unit of the raw value
 * @param source      the OpenTelemetry attribute(s) it is computed from
 * @param description what it measures
 * @param min         smallest raw value accepted (counts and rates: 0)
 * @param max         largest raw value accepted (a bound that keeps squares and sums finite)
 */
public record Feature(String name, Transform transform, String unit, String source, String description, double min, double max) {
    /** Bound on any raw value: far beyond any real count, far below where squares overflow. */
    public static final double VALUE_MAX = 1e12;

    public Feature {
        if (!(min < max) || min < -VALUE_MAX || max > VALUE_MAX || (transform == Transform.LOG1P && min < 0)) {
            throw new IllegalArgumentException("feature " + name + ": need -" + VALUE_MAX + " <= min < max <= " + VALUE_MAX
                + ", and min >= 0 for log1p");
        }
    }

    /** A feature with the widest range its transform allows. */
    public Feature(final String name, final Transform transform, final String unit, final String source, final String description) {
        this(name, transform, unit, source, description, transform == Transform.LOG1P ? 0 : -VALUE_MAX, VALUE_MAX);
    }

    /** How a raw value becomes the value that statistics see. */
    public enum Transform {
        /** as is */
        IDENTITY,
        /** ln(1 + x), for non-negative heavy-tailed quantities */
        LOG1P;

        public double apply(final double raw) {
            return this == IDENTITY ? raw : Math.log1p(raw);
        }
    }
}
