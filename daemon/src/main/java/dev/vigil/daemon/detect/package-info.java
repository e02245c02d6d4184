/**
 * Detection on one node: the feature schema, per-agent baselines over sliding time buckets,
 * cohort baselines, scoring of each observation as a clipped log-likelihood ratio, CUSUM
 * accumulation and the agent state machine (normal → suspect → alarmed) with its evidence.
 * Deterministic: time comes from observation timestamps, never from a clock.
 */
package dev.vigil.daemon.detect;
