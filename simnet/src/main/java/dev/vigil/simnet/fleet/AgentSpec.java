package dev.vigil.simnet.fleet;

/**
 * One synthetic agent as the fleet drew it: its id, its role's label, and its compromise (what
 * and when) or none.
 *
 * @param id                    "agent-NNNN", zero-padded so that id order is index order
 * @param role                  the {@link AgentRole#label()} of the agent's role
 * @param mode                  the compromise injected into this agent, or null when it stays clean
 * @param compromiseStartMicros start of the first compromised window (a window boundary), or -1 when clean
 */
public record AgentSpec(String id, String role, CompromiseMode mode, long compromiseStartMicros) {
    public AgentSpec {
        if (id == null || role == null) {
            throw new IllegalArgumentException("an agent needs an id and a role");
        }
        if ((mode == null) != (compromiseStartMicros == -1)) {
            throw new IllegalArgumentException("agent " + id + ": a mode goes with a start time, a clean agent has -1, got "
                + mode + " at " + compromiseStartMicros);
        }
    }

    public boolean compromised() {
        return mode != null;
    }

    /** Whether the window starting at {@code windowStartMicros} is part of this agent's compromise. */
    public boolean compromisedAt(final long windowStartMicros) {
        return mode != null && windowStartMicros >= compromiseStartMicros;
    }
}
