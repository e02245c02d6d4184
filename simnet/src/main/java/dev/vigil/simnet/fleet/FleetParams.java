package dev.vigil.simnet.fleet;

import dev.vigil.simnet.Simulator;

/**
 * What a {@link SyntheticFleet} generates: how many agents, how many of them compromised, the
 * observation window and the time span, and the gateway tier that also observes the agents.
 * Everything random comes from {@code seed}.
 *
 * @param seed                      the one seed every random draw of the fleet comes from
 * @param agents                    fleet size, 1 to {@value #AGENTS_MAX}
 * @param compromisedFraction       share of agents compromised, in [0, 1]; the count is rounded to nearest
 * @param windowSeconds             observation window, 1 to {@value #WINDOW_SECONDS_MAX} s
 * @param startEpochMicros          start of the first window (epoch microseconds)
 * @param durationSeconds           span generated; {@code durationSeconds / windowSeconds} whole windows
 * @param compromiseEarliestSeconds no compromise starts before {@code start + this}; compromises start
 *                                  at the latest {@value #COMPROMISE_LATEST_BEFORE_END_SECONDS} s before the end
 * @param observersPerAgent         gateway hosts that observe each agent besides its home, 0 to
 *                                  {@value #OBSERVERS_PER_AGENT_MAX}; 0 turns the gateway tier off
 * @param gatewaysPerKind           gateway hosts of each {@link GatewayKind}, 1 to {@value #GATEWAYS_PER_KIND_MAX};
 *                                  at least ⌈observersPerAgent / 3⌉, so an agent's observers of one kind are distinct hosts
 */
public record FleetParams(long seed, int agents, double compromisedFraction, int windowSeconds, long startEpochMicros,
                          long durationSeconds, long compromiseEarliestSeconds, int observersPerAgent,
                          int gatewaysPerKind) {
    /** Ids are "agent-NNNN": four digits keep id order equal to index order. */
    public static final int AGENTS_MAX = 10_000;
    public static final int WINDOW_SECONDS_MAX = 3_600;
    /** 31 days: generation holds nothing per window, but a longer run is a mistake rather than a scenario. */
    public static final long DURATION_SECONDS_MAX = 31L * 86_400;
    /** Every compromise has at least this long to show before the run ends. */
    public static final long COMPROMISE_LATEST_BEFORE_END_SECONDS = 30 * 60;
    /** Two gateways besides the home: three observers per agent, enough for a committee to trim one liar. */
    public static final int OBSERVERS_PER_AGENT_DEFAULT = 2;
    public static final int OBSERVERS_PER_AGENT_MAX = 6;
    /** Four hosts of each kind: 200 agents × 2 observers put 33 or 34 agents on each of the 12. */
    public static final int GATEWAYS_PER_KIND_DEFAULT = 4;
    /** Two digits in the hosts' ids. */
    public static final int GATEWAYS_PER_KIND_MAX = 64;

    public FleetParams {
        if (agents < 1 || agents > AGENTS_MAX) {
            throw new IllegalArgumentException("agents must be 1.." + AGENTS_MAX + ", got " + agents);
        }
        if (!(compromisedFraction >= 0 && compromisedFraction <= 1)) {
            throw new IllegalArgumentException("compromisedFraction must be in [0, 1], got " + compromisedFraction);
        }
        if (windowSeconds < 1 || windowSeconds > WINDOW_SECONDS_MAX) {
            throw new IllegalArgumentException("windowSeconds must be 1.." + WINDOW_SECONDS_MAX + ", got " + windowSeconds);
        }
        if (durationSeconds < windowSeconds || durationSeconds > DURATION_SECONDS_MAX) {
            throw new IllegalArgumentException("durationSeconds must be " + windowSeconds + ".." + DURATION_SECONDS_MAX
                + ", got " + durationSeconds);
        }
        if (compromiseEarliestSeconds < 0) {
            throw new IllegalArgumentException("compromiseEarliestSeconds must be >= 0, got " + compromiseEarliestSeconds);
        }
        if (observersPerAgent < 0 || observersPerAgent > OBSERVERS_PER_AGENT_MAX) {
            throw new IllegalArgumentException("observersPerAgent must be 0.." + OBSERVERS_PER_AGENT_MAX + ", got " + observersPerAgent);
        }
        if (gatewaysPerKind < 1 || gatewaysPerKind > GATEWAYS_PER_KIND_MAX) {
            throw new IllegalArgumentException("gatewaysPerKind must be 1.." + GATEWAYS_PER_KIND_MAX + ", got " + gatewaysPerKind);
        }
        final int kinds = GatewayKind.values().length;
        if (gatewaysPerKind < (observersPerAgent + kinds - 1) / kinds) {
            throw new IllegalArgumentException(observersPerAgent + " observers per agent need at least "
                + (observersPerAgent + kinds - 1) / kinds + " gateways per kind, got " + gatewaysPerKind);
        }
        final int compromised = (int) Math.round(agents * compromisedFraction);
        final long earliestWindow = (compromiseEarliestSeconds + windowSeconds - 1) / windowSeconds;
        final long latestWindow = latestWindow(durationSeconds, windowSeconds);
        if (compromised > 0 && earliestWindow > latestWindow) {
            throw new IllegalArgumentException("no window to start a compromise in: earliest " + compromiseEarliestSeconds
                + " s after the start, latest " + COMPROMISE_LATEST_BEFORE_END_SECONDS + " s before the end of "
                + durationSeconds + " s");
        }
    }

    /** With the default gateway tier: {@value #OBSERVERS_PER_AGENT_DEFAULT} observers per agent, {@value #GATEWAYS_PER_KIND_DEFAULT} gateways per kind. */
    public FleetParams(final long seed, final int agents, final double compromisedFraction, final int windowSeconds,
                       final long startEpochMicros, final long durationSeconds, final long compromiseEarliestSeconds) {
        this(seed, agents, compromisedFraction, windowSeconds, startEpochMicros, durationSeconds, compromiseEarliestSeconds,
            OBSERVERS_PER_AGENT_DEFAULT, GATEWAYS_PER_KIND_DEFAULT);
    }

    /** The defaults starting at simnet's epoch (2026-01-01T00:00Z, {@link Simulator#EPOCH_MICROS}). */
    public static FleetParams defaults(final long seed) {
        return defaults(seed, Simulator.EPOCH_MICROS);
    }

    /**
     * 200 agents, 5 % compromised (10: a coordinated group of 4 and 6 single agents), 10 s windows,
     * 4 hours from {@code startEpochMicros}, no compromise in the first hour; each agent also
     * observed by 2 of 12 gateway hosts.
     */
    public static FleetParams defaults(final long seed, final long startEpochMicros) {
        return new FleetParams(seed, 200, 0.05, 10, startEpochMicros, 4 * 3_600, 3_600);
    }

    public FleetParams withSeed(final long newSeed) {
        return new FleetParams(newSeed, agents, compromisedFraction, windowSeconds, startEpochMicros, durationSeconds,
            compromiseEarliestSeconds, observersPerAgent, gatewaysPerKind);
    }

    /** The same fleet with another gateway tier (0 observers: none); the home views do not change. */
    public FleetParams withObservers(final int newObserversPerAgent, final int newGatewaysPerKind) {
        return new FleetParams(seed, agents, compromisedFraction, windowSeconds, startEpochMicros, durationSeconds,
            compromiseEarliestSeconds, newObserversPerAgent, newGatewaysPerKind);
    }

    public long windowMicros() {
        return windowSeconds * 1_000_000L;
    }

    /** Whole windows generated; a trailing partial window is not. */
    public int windows() {
        return (int) (durationSeconds / windowSeconds);
    }

    public int compromisedCount() {
        return (int) Math.round(agents * compromisedFraction);
    }

    public long endEpochMicros() {
        return startEpochMicros + windows() * windowMicros();
    }

    /** First window index a compromise may start in. */
    int compromiseEarliestWindow() {
        return (int) ((compromiseEarliestSeconds + windowSeconds - 1) / windowSeconds);
    }

    /** Last window index a compromise may start in. */
    int compromiseLatestWindow() {
        return (int) latestWindow(durationSeconds, windowSeconds);
    }

    private static long latestWindow(final long durationSeconds, final int windowSeconds) {
        final long wholeSeconds = durationSeconds / windowSeconds * windowSeconds;
        return Math.floorDiv(wholeSeconds - COMPROMISE_LATEST_BEFORE_END_SECONDS, windowSeconds);
    }
}
