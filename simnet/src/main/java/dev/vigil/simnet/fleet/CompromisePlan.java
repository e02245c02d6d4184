package dev.vigil.simnet.fleet;

/**
 * Which compromise modes a fleet's compromised agents get. Pure given its random draws.
 *
 * <p>From 7 compromised agents on, every mode is present: a coordinated group of
 * round(40 %) agents (at least 3, and small enough to leave 4 agents), then each single-agent
 * mode once, then the rest drawn uniformly from the single-agent modes. Below 7 there is no
 * group (a group of 3 would crowd out the single modes): the single modes are dealt in a
 * shuffled order, so 4 to 6 compromised agents show all four of them.
 */
final class CompromisePlan {
    static final double GROUP_SHARE = 0.4;
    static final int GROUP_SIZE_MIN = 3;
    private static final CompromiseMode[] SINGLE_MODES = {
        CompromiseMode.EXFILTRATION, CompromiseMode.RUNAWAY_LOOP, CompromiseMode.TOOL_MISUSE, CompromiseMode.SLOW_DRIFT};
    /** The smallest compromised count that has room for the group and each single mode. */
    static final int ALL_MODES_MIN = GROUP_SIZE_MIN + SINGLE_MODES.length;

    private CompromisePlan() {
    }

    /** Size of the coordinated group for {@code compromised} compromised agents; 0 for none. */
    static int groupSize(final int compromised) {
        if (compromised < ALL_MODES_MIN) {
            return 0;
        }
        final int share = (int) Math.round(GROUP_SHARE * compromised);
        return Math.max(GROUP_SIZE_MIN, Math.min(share, compromised - SINGLE_MODES.length));
    }

    /** The modes of {@code compromised} agents: the group's first, then the single-agent modes. */
    static CompromiseMode[] modes(final int compromised, final Noise noise) {
        if (compromised < 0) {
            throw new IllegalArgumentException("compromised count must be >= 0, got " + compromised);
        }
        final CompromiseMode[] modes = new CompromiseMode[compromised];
        final int group = groupSize(compromised);
        int next = 0;
        for (; next < group; next++) {
            modes[next] = CompromiseMode.COORDINATED_GROUP;
        }
        final CompromiseMode[] dealt = SINGLE_MODES.clone();
        for (int i = dealt.length - 1; i > 0; i--) {
            final int j = noise.uniformInt(0, i);
            final CompromiseMode t = dealt[i];
            dealt[i] = dealt[j];
            dealt[j] = t;
        }
        for (int k = 0; k < dealt.length && next < compromised; k++) {
            modes[next++] = dealt[k];
        }
        while (next < compromised) {
            modes[next++] = SINGLE_MODES[noise.uniformInt(0, SINGLE_MODES.length - 1)];
        }
        return modes;
    }
}
