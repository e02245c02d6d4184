package dev.vigil.daemon.tree;

/**
 * Tunables of the tree protocol, with units in their names.
 *
 * @param b                      cluster bound B: clusters hold [B/2, B] members (the top one may hold fewer)
 * @param joinDelayMicros        how long a new node learns coordinates before it descends the tree
 * @param seekTimeoutMicros      a descent or admission step without an answer is retried after this
 * @param seekBackoffMaxMicros   cap on the retry delay, which doubles per failed attempt
 * @param pingIntervalMicros     SWIM protocol period inside a cluster: one probe per period per level
 * @param probeTimeoutMicros     direct probe timeout before indirect probes (scaled by local health)
 * @param indirectProbes         k: members asked to probe a silent member on our behalf
 * @param suspicionMinMicros     Lifeguard's lower bound on the suspicion timeout (before the log n factor)
 * @param suspicionMaxFactor     Lifeguard's upper bound as a multiple of the lower one
 * @param viewRefreshMicros      a head re-sends its view this often even when nothing changed
 * @param flushMicros            contributions are sent at most this often per level (coalescing)
 * @param refreshMicros          an unchanged contribution is re-sent this often (soft state)
 * @param mergeDelayMicros       an underfull cluster waits this long without change before merging
 * @param dimension              features per summary
 * @param checkInvariants        check the tree's invariants after every input (tests and simnet; a violation is a bug)
 */
public record TreeConfig(
    int b,
    long joinDelayMicros,
    long seekTimeoutMicros,
    long seekBackoffMaxMicros,
    long pingIntervalMicros,
    long probeTimeoutMicros,
    int indirectProbes,
    long suspicionMinMicros,
    int suspicionMaxFactor,
    long viewRefreshMicros,
    long flushMicros,
    long refreshMicros,
    long mergeDelayMicros,
    int dimension,
    boolean checkInvariants) {

    public TreeConfig {
        // the design range is [B_MIN, B_MAX]; small test fleets and simulations may go down to B_TEST_MIN
        if (b < TreeRules.B_TEST_MIN || b > TreeRules.B_MAX) {
            throw new IllegalArgumentException("tree b must be in [" + TreeRules.B_TEST_MIN + ", " + TreeRules.B_MAX + "]: " + b);
        }
        positive(joinDelayMicros, "joinDelayMicros");
        positive(seekTimeoutMicros, "seekTimeoutMicros");
        positive(pingIntervalMicros, "pingIntervalMicros");
        if (probeTimeoutMicros <= 0 || probeTimeoutMicros >= pingIntervalMicros) {
            throw new IllegalArgumentException("probeTimeoutMicros must be in (0, pingIntervalMicros): " + probeTimeoutMicros);
        }
        if (indirectProbes < 0 || indirectProbes > 8) {
            throw new IllegalArgumentException("indirectProbes must be in [0, 8]: " + indirectProbes);
        }
        positive(suspicionMinMicros, "suspicionMinMicros");
        if (suspicionMaxFactor < 1) {
            throw new IllegalArgumentException("suspicionMaxFactor must be at least 1: " + suspicionMaxFactor);
        }
        positive(viewRefreshMicros, "viewRefreshMicros");
        positive(flushMicros, "flushMicros");
        if (refreshMicros < flushMicros) {
            throw new IllegalArgumentException("refreshMicros must be at least flushMicros");
        }
        positive(mergeDelayMicros, "mergeDelayMicros");
        if (seekBackoffMaxMicros < seekTimeoutMicros) {
            throw new IllegalArgumentException("seekBackoffMaxMicros must be at least seekTimeoutMicros");
        }
    }

    /** Defaults: B = 32, one-second SWIM period, 100 ms coalescing. */
    public static TreeConfig defaults(final int dimension) {
        return new TreeConfig(TreeRules.B_DEFAULT, 2_000_000, 1_000_000, 8_000_000, 1_000_000, 400_000, 3,
            1_000_000, 3, 3_000_000, 100_000, 10_000_000, 2_000_000, dimension, false);
    }

    public TreeConfig withB(final int newB) {
        return new TreeConfig(newB, joinDelayMicros, seekTimeoutMicros, seekBackoffMaxMicros, pingIntervalMicros,
            probeTimeoutMicros, indirectProbes, suspicionMinMicros, suspicionMaxFactor, viewRefreshMicros, flushMicros,
            refreshMicros, mergeDelayMicros, dimension, checkInvariants);
    }

    /** The same, checking the tree's invariants after every input or not. */
    public TreeConfig withInvariantChecks(final boolean check) {
        return new TreeConfig(b, joinDelayMicros, seekTimeoutMicros, seekBackoffMaxMicros, pingIntervalMicros,
            probeTimeoutMicros, indirectProbes, suspicionMinMicros, suspicionMaxFactor, viewRefreshMicros, flushMicros,
            refreshMicros, mergeDelayMicros, dimension, check);
    }

    /** The same with other join delay, SWIM period (probe timeout 40 % of it) and view refresh. */
    public TreeConfig withTiming(final long newJoinDelayMicros, final long newPingIntervalMicros, final long newViewRefreshMicros) {
        return new TreeConfig(b, newJoinDelayMicros, seekTimeoutMicros, seekBackoffMaxMicros, newPingIntervalMicros,
            newPingIntervalMicros * 2 / 5, indirectProbes, suspicionMinMicros, suspicionMaxFactor, newViewRefreshMicros,
            flushMicros, refreshMicros, mergeDelayMicros, dimension, checkInvariants);
    }

    private static void positive(final long v, final String name) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + v);
        }
    }
}
