/**
 * Detection on one node: the feature schema, per-agent baselines over sliding time buckets,
 * cohort baselines, scoring of each observation as a clipped log-likelihood ratio, CUSUM
 * accumulation and the agent state machine (normal → suspect → alarmed) with its evidence.
 * Deterministic: time comes from observation timestamps, never from a clock.
 *
 * <p>{@link dev.vigil.daemon.detect.Detector} scores and owns the state; {@code AgentState} is one
 * agent (own baseline, CUSUM, bounded scores and evidence); {@code Baselines} holds the cohort and
 * fleet-tree baselines a cold agent is scored against and the order they are tried in;
 * {@code Restoration} brings agents back after a restart (windows rebuilt from the
 * {@link dev.vigil.daemon.detect.Journal}) or adopts them from another node's replica.
 */
package dev.vigil.daemon.detect;
