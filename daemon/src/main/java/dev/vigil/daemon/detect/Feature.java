package dev.vigil.daemon.detect;

/**
 * One behavioural feature of an agent over a window.
 *
 * @param name        snake_case name used in JSON ingest and reports
 * @param transform   applied to the raw value before statistics (heavy-tailed counts are log-scaled)
 * @param unit        unit of the raw value
 * @param source      the OpenTelemetry attribute(s) it is computed from
 * @param description what it measures
 */
public record Feature(String name, Transform transform, String unit, String source, String description) {
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
