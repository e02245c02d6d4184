package dev.vigil.daemon.history;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.vigil.daemon.detect.AgentStatus;

import java.util.List;

/**
 * An agent's history over a range, one point per step.
 *
 * @param tier       the tier the points were merged from: raw, minute, hour or day
 * @param stepMicros width of each point
 * @param pinned     whether the agent's raw data is pinned
 */
public record Series(String agent, String tier, @JsonProperty("step_us") long stepMicros, @JsonProperty("from_us") long fromMicros,
                     @JsonProperty("to_us") long toMicros, boolean pinned, List<Point> points) {
    public static final int POINTS_DEFAULT = 240;
    public static final int POINTS_MAX = 20_000;

    /**
     * One step: how many observations, each feature's mean and standard deviation (raw units;
     * null when empty), the largest D² scored, the CUSUM after the step's newest observation, and
     * the worst status reached.
     */
    public record Point(@JsonProperty("t_us") long tMicros, long count, Double[] mean, Double[] sd, @JsonProperty("d2_max") Double d2Max,
                        Double cusum, AgentStatus status) {
        static Point of(final long t, final Rollup r) {
            final int d = r.dimension();
            final Double[] mean = new Double[d];
            final Double[] sd = new Double[d];
            if (r.count() > 0) {
                for (int i = 0; i < d; i++) {
                    mean[i] = finite(r.mean(i));
                    sd[i] = finite(r.sd(i));
                }
            }
            return new Point(t, r.count(), mean, sd, r.count() == 0 ? null : finite(r.d2Max()),
                r.count() == 0 ? null : finite(r.cusum()), r.count() == 0 ? null : r.worst());
        }

        private static Double finite(final double v) {
            return Double.isFinite(v) ? v : null;
        }
    }
}
