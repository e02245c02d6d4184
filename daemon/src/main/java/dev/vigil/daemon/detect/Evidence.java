package dev.vigil.daemon.detect;

import java.util.List;

/**
 * One piece of evidence against an agent: an observation that pushed its CUSUM up, or its own
 * baseline drifting away from the fleet's, with the features that stood out most.
 *
 * @param tsMicros    when (observation timestamp; for drift, that of the observation whose refit computed it)
 * @param kind        what was scored: "observation", or "fleet-drift" (the mean of the agent's own
 *                    baseline against the fleet baseline)
 * @param baseline    what it was scored against: "own", "cohort:ROLE", "cluster", "host", "fleet"
 * @param d2          squared Mahalanobis distance
 * @param llr         clipped log-likelihood ratio added to the CUSUM (0 for drift, which adds nothing)
 * @param cusum       the CUSUM after it
 * @param top         the features with the largest standardised deviation, largest first
 */
public record Evidence(long tsMicros, String kind, String baseline, double d2, double llr, double cusum, List<Deviation> top) {
    /** A feature's value against the baseline, in baseline standard deviations. */
    public record Deviation(String feature, double value, double mean, double z) {
    }
}
