/**
 * The node core: a deterministic state machine driven by frames, timers and commands that acts
 * only through the injected {@link dev.vigil.daemon.core.NodeEnv}. No threads, no wall clock,
 * no unseeded randomness, no static mutable state; iteration that reaches the wire is ordered.
 * The daemon drives one core from one Netty event loop; simnet drives thousands from one thread.
 */
package dev.vigil.daemon.core;
