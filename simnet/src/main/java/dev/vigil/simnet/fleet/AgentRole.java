package dev.vigil.simnet.fleet;

/**
 * The four kinds of agent in a synthetic fleet and their typical levels at activity 1 (the
 * daily mean). Each agent's own levels are its role's times a per-agent log-normal factor (see
 * {@link AgentModel}); these numbers are the cohort centres, not what any one agent does.
 *
 * <p>Reading a row: a coder makes 24 GenAI operations a minute, 0.9 tool calls per operation
 * from a repertoire of 8 tools, sends 3,000 prompt tokens and gets 500 completion tokens per
 * operation, fails 3 % of them, waits 400 ms + 12 ms per completion token, reaches 3 distinct
 * hosts per window, sends 1,500 bytes of tool payload per call besides its prompts, switches
 * model after 4 % of operations, and is busiest at 15:00 UTC with a ±45 % daily swing.
 */
public enum AgentRole {
    //      label      share  ops/min  tools/op  repertoire  in tok  out tok  errors  lat ms  ms/tok  hosts  payload B  switch/op  rhythm amp  peak h UTC
    CODER("coder",     0.35,  24,      0.90,     8,          3_000,   500,    0.03,   400,    12,     3,     1_500,     0.04,      0.45,       15),
    SUPPORT("support", 0.30,  36,      0.35,     4,          1_200,   220,    0.01,   300,    10,     2,       600,     0.02,      0.50,       11),
    RESEARCH("research", 0.20, 12,     1.60,     6,          6_000,   900,    0.04,   600,    14,     7,       400,     0.06,      0.35,       17),
    OPS("ops",         0.15,  18,      1.30,    10,          1_500,   180,    0.05,   250,     8,     5,     3_000,     0.01,      0.15,        3);

    private final String label;
    /** Share of the fleet with this role; the shares sum to 1. */
    final double share;
    final double opsPerMin;
    final double toolCallsPerOp;
    /** Tools the agent draws its calls from; distinct_tools saturates towards it. */
    final int toolRepertoire;
    final double inputTokensPerOp;
    final double outputTokensPerOp;
    final double errorRate;
    final double latencyMsBase;
    final double latencyMsPerOutputToken;
    /** Distinct hosts per window at activity 1. */
    final double hosts;
    /** Bytes sent per tool call on top of the prompt bytes. */
    final double toolPayloadBytes;
    final double modelSwitchesPerOp;
    /** Half the peak-to-trough swing of the daily activity multiplier; at most 0.5 (multiplier 0.5..1.5). */
    final double rhythmAmplitude;
    final double rhythmPeakHourUtc;

    AgentRole(final String label, final double share, final double opsPerMin, final double toolCallsPerOp,
              final int toolRepertoire, final double inputTokensPerOp, final double outputTokensPerOp,
              final double errorRate, final double latencyMsBase, final double latencyMsPerOutputToken,
              final double hosts, final double toolPayloadBytes, final double modelSwitchesPerOp,
              final double rhythmAmplitude, final double rhythmPeakHourUtc) {
        this.label = label;
        this.share = share;
        this.opsPerMin = opsPerMin;
        this.toolCallsPerOp = toolCallsPerOp;
        this.toolRepertoire = toolRepertoire;
        this.inputTokensPerOp = inputTokensPerOp;
        this.outputTokensPerOp = outputTokensPerOp;
        this.errorRate = errorRate;
        this.latencyMsBase = latencyMsBase;
        this.latencyMsPerOutputToken = latencyMsPerOutputToken;
        this.hosts = hosts;
        this.toolPayloadBytes = toolPayloadBytes;
        this.modelSwitchesPerOp = modelSwitchesPerOp;
        this.rhythmAmplitude = rhythmAmplitude;
        this.rhythmPeakHourUtc = rhythmPeakHourUtc;
    }

    /** The role's name in {@link AgentSpec#role()}: "coder", "support", "research" or "ops". */
    public String label() {
        return label;
    }

    /** The role whose {@link #label()} is {@code label}. */
    public static AgentRole ofLabel(final String label) {
        for (final AgentRole r : values()) {
            if (r.label.equals(label)) {
                return r;
            }
        }
        throw new IllegalArgumentException("no agent role '" + label + "'");
    }
}
