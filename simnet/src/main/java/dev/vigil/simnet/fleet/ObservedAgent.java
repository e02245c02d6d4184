package dev.vigil.simnet.fleet;

/**
 * One agent as one observer host saw it in one window.
 *
 * @param agent          the agent its telemetry names
 * @param raw            its feature vector as that host sees it (default schema order, untransformed;
 *                       0 where the host's kind cannot see); a fresh array the consumer owns
 * @param compromisedNow the agent's label for the window (the same as in its home view)
 */
public record ObservedAgent(AgentSpec agent, double[] raw, boolean compromisedNow) {
}
