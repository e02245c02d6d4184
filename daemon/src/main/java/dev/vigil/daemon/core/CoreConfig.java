package dev.vigil.daemon.core;

import java.util.List;

/**
 * The core's tunables, all with units in their names. The daemon builds this from the node's
 * YAML file; simnet and tests build it directly.
 *
 * @param advertiseAddress    the address other nodes use to reach this node ("host:port")
 * @param bootstrap           addresses to join through; empty for the first node of a fleet
 * @param peersMax            hard bound on the peer table; joiners beyond it are redirected
 * @param peersTarget         how many peers the node seeks by itself (it accepts up to peersMax)
 * @param tickMicros          period of the core's housekeeping timer
 * @param pingIntervalMicros  how often each peer is probed
 * @param suspectAfterMicros  silence after which a peer is suspect
 * @param deadAfterMicros     silence after which a peer is dead
 * @param forgetAfterMicros   how long a dead peer keeps its slot before it is dropped
 * @param joinRetryMicrosMin  first delay between join attempts; doubles on each failure
 * @param joinRetryMicrosMax  cap on that delay
 * @param clockSkewMicrosMax  frames stamped further than this from our clock are refused
 * @param trustedMax          bound on remembered node certificates (peers always fit)
 * @param knownMax            bound on the address book of other nodes
 * @param schemaHash          the fleet's feature schema hash; frames with another are refused
 * @param reassembly          bounds on consensus messages carried in fragments
 */
public record CoreConfig(
    String advertiseAddress,
    List<String> bootstrap,
    int peersMax,
    int peersTarget,
    long tickMicros,
    long pingIntervalMicros,
    long suspectAfterMicros,
    long deadAfterMicros,
    long forgetAfterMicros,
    long joinRetryMicrosMin,
    long joinRetryMicrosMax,
    long clockSkewMicrosMax,
    int trustedMax,
    int knownMax,
    int schemaHash,
    ReassemblyConfig reassembly) {

    /** A config with the default {@link ReassemblyConfig}. */
    public CoreConfig(
        final String advertiseAddress, final List<String> bootstrap, final int peersMax, final int peersTarget,
        final long tickMicros, final long pingIntervalMicros, final long suspectAfterMicros, final long deadAfterMicros,
        final long forgetAfterMicros, final long joinRetryMicrosMin, final long joinRetryMicrosMax,
        final long clockSkewMicrosMax, final int trustedMax, final int knownMax, final int schemaHash) {
        this(advertiseAddress, bootstrap, peersMax, peersTarget, tickMicros, pingIntervalMicros, suspectAfterMicros,
            deadAfterMicros, forgetAfterMicros, joinRetryMicrosMin, joinRetryMicrosMax, clockSkewMicrosMax, trustedMax, knownMax,
            schemaHash, ReassemblyConfig.defaults());
    }

    /** The same config joining through these addresses too (after the configured ones, duplicates dropped). */
    public CoreConfig withExtraBootstrap(final List<String> extra) {
        final java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>(bootstrap);
        all.addAll(extra);
        return new CoreConfig(advertiseAddress, List.copyOf(all), peersMax, peersTarget, tickMicros, pingIntervalMicros,
            suspectAfterMicros, deadAfterMicros, forgetAfterMicros, joinRetryMicrosMin, joinRetryMicrosMax, clockSkewMicrosMax,
            trustedMax, knownMax, schemaHash, reassembly);
    }

    /** The same config with other bounds on fragmented consensus messages. */
    public CoreConfig withReassembly(final ReassemblyConfig bounds) {
        return new CoreConfig(advertiseAddress, bootstrap, peersMax, peersTarget, tickMicros, pingIntervalMicros,
            suspectAfterMicros, deadAfterMicros, forgetAfterMicros, joinRetryMicrosMin, joinRetryMicrosMax, clockSkewMicrosMax,
            trustedMax, knownMax, schemaHash, bounds);
    }

    public CoreConfig {
        bootstrap = List.copyOf(bootstrap);
        require(peersMax >= 1 && peersMax <= 256, "peersMax must be in [1, 256]: " + peersMax);
        require(peersTarget >= 1 && peersTarget <= peersMax, "peersTarget must be in [1, peersMax]: " + peersTarget);
        require(tickMicros > 0, "tickMicros must be positive");
        require(pingIntervalMicros >= tickMicros, "pingIntervalMicros must be at least one tick");
        require(suspectAfterMicros > pingIntervalMicros, "suspectAfterMicros must exceed pingIntervalMicros");
        require(deadAfterMicros > suspectAfterMicros, "deadAfterMicros must exceed suspectAfterMicros");
        require(forgetAfterMicros >= deadAfterMicros, "forgetAfterMicros must be at least deadAfterMicros");
        require(joinRetryMicrosMin > 0 && joinRetryMicrosMax >= joinRetryMicrosMin, "join retry bounds must be positive and ordered");
        require(clockSkewMicrosMax > 0, "clockSkewMicrosMax must be positive");
        require(trustedMax >= 2 * peersMax, "trustedMax must be at least twice peersMax");
        require(knownMax >= 1, "knownMax must be positive");
        require(reassembly != null, "reassembly bounds are required");
    }

    /** Defaults for a node at {@code advertiseAddress} joining through {@code bootstrap}, with the default feature schema. */
    public static CoreConfig defaults(final String advertiseAddress, final List<String> bootstrap) {
        return new CoreConfig(
            advertiseAddress, bootstrap,
            8, 4,
            100_000, 1_000_000, 3_000_000, 6_000_000, 600_000_000,
            500_000, 10_000_000,
            30_000_000,
            1024, 64,
            dev.vigil.daemon.detect.FeatureSchema.agentDefault().hash());
    }

    /** A copy with different liveness timing (tests and simnet use short timeouts). */
    public CoreConfig withLiveness(
        final long tickMicros, final long pingIntervalMicros, final long suspectAfterMicros, final long deadAfterMicros) {
        return new CoreConfig(
            advertiseAddress, bootstrap, peersMax, peersTarget, tickMicros, pingIntervalMicros, suspectAfterMicros,
            deadAfterMicros, Math.max(forgetAfterMicros, deadAfterMicros), joinRetryMicrosMin, joinRetryMicrosMax,
            clockSkewMicrosMax, trustedMax, knownMax, schemaHash, reassembly);
    }

    private static void require(final boolean condition, final String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
