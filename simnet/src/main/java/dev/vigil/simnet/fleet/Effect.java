package dev.vigil.simnet.fleet;

/**
 * What a compromise does to an agent's generating process at full strength. Factors multiply a
 * level (1 = unchanged), additions add to a count (0 = unchanged). A mode sets the few fields it
 * is about and leaves the rest neutral.
 *
 * <p>Strength is 1 from the start window on, except with a ramp ({@code rampMicros > 0}), where it
 * grows linearly from 0 to 1 over the ramp: factor {@code f} then acts as {@code 1 + s·(f − 1)}
 * and addition {@code a} as {@code s·a}, so the drift per window is a tiny fraction of the total.
 *
 * @param opsFactor             multiplies ops_per_min (tool calls and bytes follow)
 * @param toolCallsPerOpFactor  multiplies tool calls per operation
 * @param tokensFactor          multiplies input and output tokens per operation
 * @param outputTokensFactor    multiplies output tokens per operation only
 * @param errorFactor           multiplies the error rate
 * @param errorRateTarget       when ≥ 0, the error rate moves to this level instead (before noise)
 * @param bytesFactor           multiplies bytes_out
 * @param hostsAdded            distinct hosts added per window
 * @param toolsAdded            distinct (new) tools added per window
 * @param switchesAdded         model switches added to the per-window Poisson mean
 * @param rampMicros            0 for a step change, else the time to reach full strength
 */
record Effect(double opsFactor, double toolCallsPerOpFactor, double tokensFactor, double outputTokensFactor,
              double errorFactor, double errorRateTarget, double bytesFactor, double hostsAdded, double toolsAdded,
              double switchesAdded, long rampMicros) {
    private static final long HOUR_MICROS = 3_600_000_000L;

    Effect {
        if (!(opsFactor > 0 && toolCallsPerOpFactor > 0 && tokensFactor > 0 && outputTokensFactor > 0
            && errorFactor > 0 && bytesFactor > 0)) {
            throw new IllegalArgumentException("effect factors must be positive: " + this);
        }
        if (errorRateTarget > 1 || hostsAdded < 0 || toolsAdded < 0 || switchesAdded < 0 || rampMicros < 0) {
            throw new IllegalArgumentException("effect out of range: " + this);
        }
    }

    /** Draws the magnitudes of {@code mode} (see {@link CompromiseMode}) from {@code noise}. */
    static Effect draw(final CompromiseMode mode, final Noise noise) {
        return switch (mode) {
            case EXFILTRATION -> new Effect(1, 1, 1, 1, 1, -1,
                noise.uniform(10, 50), noise.uniformInt(3, 10), 0, 0, 0);
            case RUNAWAY_LOOP -> new Effect(noise.uniform(5, 20), 1, noise.uniform(3, 10), 1,
                noise.uniform(2, 3), -1, 1, 0, 0, 0, 0);
            case TOOL_MISUSE -> new Effect(1, noise.uniform(2, 4), 1, 1, 1,
                noise.uniform(0.3, 0.7), 1, 0, noise.uniformInt(3, 6), 0, 0);
            case SLOW_DRIFT -> new Effect(1, 1, 1, noise.uniform(3, 5), 1, -1,
                noise.uniform(5, 10), noise.uniform(4, 8), 0, noise.uniform(1.5, 3),
                2 * HOUR_MICROS + (long) noise.uniform(0, HOUR_MICROS));
            case COORDINATED_GROUP -> new Effect(1, 1, 1, 1, 1, -1,
                noise.uniform(3, 6), noise.uniformInt(2, 4), 0, noise.uniform(1, 2), 0);
        };
    }

    /** Strength in [0, 1] for a window ending {@code sinceStartMicros} after the compromise began. */
    double strength(final long sinceStartMicros) {
        if (rampMicros == 0) {
            return 1;
        }
        return Math.min(1.0, (double) sinceStartMicros / rampMicros);
    }

    static double scaled(final double factor, final double strength) {
        return 1 + strength * (factor - 1);
    }
}
