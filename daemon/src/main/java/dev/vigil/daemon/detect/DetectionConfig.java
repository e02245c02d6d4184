package dev.vigil.daemon.detect;

/**
 * Detection tunables, units in the names. See the README's "Detection" section for the maths
 * behind the defaults and how their false-alarm rate was measured.
 *
 * @param bucketSeconds          width of a baseline bucket
 * @param baselineBuckets        buckets in the sliding baseline window (1440 × 60 s = 24 h)
 * @param lagBuckets             the agent's own baseline leaves out its most recent buckets (60 ×
 *                               60 s = 1 h), so behaviour that drifts slowly is compared with what
 *                               the agent did before the drift, not absorbed as it happens
 * @param coldObservations       an agent with fewer observations in its own (lagged) baseline is
 *                               scored against a cohort (same role on this host, else the tree's
 *                               cluster, else this host's agents, else the fleet); tree baselines
 *                               with fewer observations are refused
 * @param inflation              k of the alternative hypothesis: x ~ N(μ, k²Σ)
 * @param llrMax                 per-observation log-likelihood ratio is clipped to [llrMin, llrMax]
 * @param llrMin                 lower clip; the default, -∞, leaves the LLR its natural minimum
 *                               −d·ln k, so it stays an exact log-likelihood ratio
 * @param suspectAt              CUSUM level at which an agent becomes suspect
 * @param alarmAt                CUSUM level at which an agent is alarmed
 * @param varianceFloor          added to every feature's baseline variance (transformed units: 0.01
 *                               is a 10 % change of a log-scaled feature); see {@code Moments.inflateVariance}
 * @param excludeQuantile        observations whose D² is above this χ²_d quantile do not enter the
 *                               agent's own baseline (poisoning resistance)
 * @param agentsMax              bound on tracked agents (each costs up to about 110 KB at ten
 *                               features); at the bound the agent silent longest is forgotten if
 *                               silent for a whole window, else new agents are refused
 * @param futureSkewSecondsMax   observations stamped further in the future are refused
 */
public record DetectionConfig(
    int bucketSeconds,
    int baselineBuckets,
    int lagBuckets,
    int coldObservations,
    double inflation,
    double llrMax,
    double llrMin,
    double suspectAt,
    double alarmAt,
    double varianceFloor,
    double excludeQuantile,
    int agentsMax,
    long futureSkewSecondsMax) {

    public DetectionConfig {
        require(bucketSeconds >= 1 && bucketSeconds <= 86_400, "bucket_seconds must be in [1, 86400]");
        require(baselineBuckets >= 2 && baselineBuckets <= 10_080, "baseline_buckets must be in [2, 10080]");
        require(lagBuckets >= 0 && lagBuckets < baselineBuckets, "lag_buckets must be in [0, baseline_buckets)");
        require(coldObservations >= 2, "cold_observations must be at least 2");
        require(inflation > 1, "inflation must exceed 1");
        require(llrMax > 0 && llrMin < 0, "llr clip must straddle 0");
        require(suspectAt > 0 && alarmAt > suspectAt, "need 0 < suspect_at < alarm_at");
        require(varianceFloor >= 0, "variance_floor must be non-negative");
        require(excludeQuantile > 0.5 && excludeQuantile < 1, "exclude_quantile must be in (0.5, 1)");
        require(agentsMax >= 1, "agents_max must be positive");
        require(futureSkewSecondsMax >= 0, "future_skew_seconds_max must be non-negative");
    }

    public static DetectionConfig defaults() {
        return new DetectionConfig(60, 1440, 60, 180, 1.5, 4.0, Double.NEGATIVE_INFINITY, 20.0, 60.0, 0.01, 0.999, 10_000, 300);
    }

    private static void require(final boolean ok, final String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
