package dev.vigil.simnet.fleet;

/**
 * The kinds of compromise {@link SyntheticFleet} injects, each with the label that scenario
 * reports and the demo print. Magnitudes are documented on each constant and drawn per agent
 * (per group for {@link #COORDINATED_GROUP}) when the fleet is built.
 */
public enum CompromiseMode {
    /** bytes_out × U[10, 50] and distinct_hosts + U{3..10} from the start window; nothing else changes. */
    EXFILTRATION("exfiltration"),
    /** ops (and with them tool calls) × U[5, 20], tokens per op × U[3, 10], error rate × U[2, 3]. */
    RUNAWAY_LOOP("runaway_loop"),
    /** tool calls per op × U[2, 4], distinct_tools + U{3..6} new tools, error_rate jumps to U[0.3, 0.7]. */
    TOOL_MISUSE("tool_misuse"),
    /**
     * A poisoning attempt: output tokens per op × up to U[3, 5], distinct_hosts + up to U[4, 8],
     * bytes_out × up to U[5, 10], model_switches + up to U[1.5, 3] per window, each reached by a
     * linear ramp over U[2, 3] hours.
     */
    SLOW_DRIFT("slow_drift"),
    /**
     * At least 3 agents changing at one instant in the same direction: distinct_hosts + U{2..4},
     * bytes_out × U[3, 6], model_switches + U[1, 2] per window (one draw shared by the group).
     */
    COORDINATED_GROUP("coordinated_group");

    private final String label;

    CompromiseMode(final String label) {
        this.label = label;
    }

    /** The snake_case label used in reports and scenario files. */
    public String label() {
        return label;
    }
}
