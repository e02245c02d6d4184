package dev.vigil.simnet.fleet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The gateway tier of a {@link SyntheticFleet}: which gateway hosts observe which agents, with
 * what share of the agent's traffic, and what each of them sees in a window. The model and its
 * numbers are on {@code SyntheticFleet}; this class holds them.
 *
 * <p>Its randomness never touches the home stream: the assignment comes from a stream seeded by
 * a mix of the fleet's seed with {@link #STREAM_SALT}, and window w's measurement noise from a
 * stream seeded by a mix of that and w, so window w's views depend only on the parameters and
 * on the agents' behaviour in window w, whichever windows a consumer asked views for before.
 */
final class Observers {
    /** Mixed into the seed so the observer streams share nothing with the home stream, SplittableRandom(seed). */
    static final long STREAM_SALT = 0x6f62_7365_7276_6572L; // "observer"
    /** An observer carries U[SHARE_MIN, SHARE_MAX] of the agent's traffic of its kind. */
    static final double SHARE_MIN = 0.3;
    static final double SHARE_MAX = 0.8;
    /** Per-window log-normal measurement noise of an observer (σ of the log), independent of every other. */
    static final double NOISE_RATE = 0.10;
    static final double NOISE_PER_OP = 0.10;
    static final double NOISE_ERROR_RATE = 0.20;
    static final double NOISE_DISTINCT = 0.10;
    /** A window's model switches are thinned one by one; a count above this is a bug in the home model. */
    private static final int SWITCHES_MAX = 1_000_000;

    private final List<ObserverHost> hosts;
    /** host index → the agents it observes, ascending, and the share of each. */
    private final int[][] agentsOf;
    private final double[][] sharesOf;
    /** agent index → the hosts that observe it, ascending. */
    private final int[][] hostsOf;
    private final long windowSeedBase;

    Observers(final FleetParams p) {
        final int n = p.agents();
        final int r = p.observersPerAgent();
        final int perKind = p.gatewaysPerKind();
        final GatewayKind[] kinds = GatewayKind.values();
        final long base = mix64(p.seed() ^ STREAM_SALT);
        this.windowSeedBase = mix64(base + 1);
        if (r == 0) {
            this.hosts = List.of();
            this.agentsOf = new int[0][];
            this.sharesOf = new double[0][];
            this.hostsOf = new int[n][0];
            return;
        }
        final List<ObserverHost> hs = new ArrayList<>(kinds.length * perKind);
        for (final GatewayKind k : kinds) {
            for (int i = 0; i < perKind; i++) {
                hs.add(new ObserverHost(String.format(Locale.ROOT, "%s-%02d", k.label(), i), k, hs.size()));
            }
        }
        this.hosts = Collections.unmodifiableList(hs);

        final Noise noise = new Noise(new SplittableRandom(base));
        // kinds: slot pos·r + j of the shuffled order gets kind (pos·r + j) mod 3, so an agent's r slots
        // have r distinct kinds while r ≤ 3 and every kind gets ⌊nr/3⌋ or ⌈nr/3⌉ of the n·r slots
        final int[] order = shuffled(n, noise);
        final int[][] kindSlots = new int[n][kinds.length];
        for (int pos = 0; pos < n; pos++) {
            for (int j = 0; j < r; j++) {
                kindSlots[order[pos]][(pos * r + j) % kinds.length]++;
            }
        }
        // hosts within a kind: its slots dealt round robin over the kind's hosts in a shuffled agent
        // order, an agent's slots consecutively, so they land on distinct hosts (at most ⌈r/3⌉ ≤ perKind)
        // and the kind's hosts' loads differ by at most one
        final int[][] chosen = new int[n][r];
        final int[] chosenCount = new int[n];
        for (int k = 0; k < kinds.length; k++) {
            final int[] dealOrder = shuffled(n, noise);
            int next = 0;
            for (final int agent : dealOrder) {
                for (int c = 0; c < kindSlots[agent][k]; c++) {
                    chosen[agent][chosenCount[agent]++] = k * perKind + next % perKind;
                    next++;
                }
            }
        }
        this.hostsOf = new int[n][];
        final double[][] shareOfSlot = new double[n][];
        final int[] load = new int[hs.size()];
        for (int a = 0; a < n; a++) {
            if (chosenCount[a] != r) {
                throw new IllegalStateException("agent " + a + " got " + chosenCount[a] + " observers, not " + r);
            }
            final int[] mine = chosen[a].clone();
            Arrays.sort(mine);
            for (int j = 1; j < r; j++) {
                if (mine[j] == mine[j - 1]) {
                    throw new IllegalStateException("agent " + a + " assigned to " + hs.get(mine[j]).id() + " twice");
                }
            }
            hostsOf[a] = mine;
            shareOfSlot[a] = shares(mine, noise);
            for (final int h : mine) {
                load[h]++;
            }
        }
        this.agentsOf = new int[hs.size()][];
        this.sharesOf = new double[hs.size()][];
        final int[] filled = new int[hs.size()];
        for (int h = 0; h < hs.size(); h++) {
            agentsOf[h] = new int[load[h]];
            sharesOf[h] = new double[load[h]];
        }
        for (int a = 0; a < n; a++) {
            for (int j = 0; j < r; j++) {
                final int h = hostsOf[a][j];
                agentsOf[h][filled[h]] = a;
                sharesOf[h][filled[h]] = shareOfSlot[a][j];
                filled[h]++;
            }
        }
    }

    /**
     * The shares of one agent's hosts: U[SHARE_MIN, SHARE_MAX] each, then scaled down where an
     * agent's hosts of one kind would carry more than all of its traffic of that kind.
     */
    private double[] shares(final int[] mine, final Noise noise) {
        final double[] s = new double[mine.length];
        final double[] sumOfKind = new double[GatewayKind.values().length];
        for (int j = 0; j < mine.length; j++) {
            s[j] = noise.uniform(SHARE_MIN, SHARE_MAX);
            sumOfKind[hosts.get(mine[j]).kind().ordinal()] += s[j];
        }
        for (int j = 0; j < mine.length; j++) {
            s[j] /= Math.max(1.0, sumOfKind[hosts.get(mine[j]).kind().ordinal()]);
        }
        return s;
    }

    private static int[] shuffled(final int n, final Noise noise) {
        final int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            final int j = noise.uniformInt(0, i);
            final int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    List<ObserverHost> hosts() {
        return hosts;
    }

    /** Indices of the agents {@code host} observes, ascending; a fresh array. */
    int[] agentsOf(final int host) {
        return agentsOf[host].clone();
    }

    /** Indices of the hosts that observe {@code agent}, ascending; a fresh array. */
    int[] hostsOf(final int agent) {
        return hostsOf[agent].clone();
    }

    /** The share of {@code agent}'s traffic of its kind that {@code host} carries, or NaN when it does not observe the agent. */
    double share(final int agent, final int host) {
        final int at = Arrays.binarySearch(agentsOf[host], agent);
        return at < 0 ? Double.NaN : sharesOf[host][at];
    }

    /**
     * Every host's views of window {@code windowIndex}: [host][position in {@link #agentsOf}],
     * each a fresh raw vector.
     *
     * @param home           every agent's home vector of the window (read, not kept)
     * @param modelErrorRate every agent's error rate of model calls in the window
     * @param toolErrorRate  every agent's error rate of tool calls in the window
     */
    double[][][] views(final int windowIndex, final double[][] home, final double[] modelErrorRate,
                       final double[] toolErrorRate) {
        final Noise noise = new Noise(new SplittableRandom(mix64(windowSeedBase + windowIndex * GOLDEN_GAMMA)));
        final double[][][] out = new double[hosts.size()][][];
        for (int h = 0; h < out.length; h++) {
            final GatewayKind kind = hosts.get(h).kind();
            out[h] = new double[agentsOf[h].length][];
            for (int j = 0; j < agentsOf[h].length; j++) {
                final int a = agentsOf[h][j];
                final double[] v = new double[SyntheticFleet.FEATURES];
                view(kind, sharesOf[h][j], home[a], modelErrorRate[a], toolErrorRate[a], noise, v);
                out[h][j] = v;
            }
        }
        return out;
    }

    /** One agent's window as a host of {@code kind} carrying {@code share} of its traffic sees it; the rest of {@code out} stays 0. */
    static void view(final GatewayKind kind, final double share, final double[] home, final double modelErrorRate,
                     final double toolErrorRate, final Noise noise, final double[] out) {
        switch (kind) {
            case LLM_GATEWAY -> {
                out[SyntheticFleet.OPS_PER_MIN] = home[SyntheticFleet.OPS_PER_MIN] * share * noise.logNormal(NOISE_RATE);
                out[SyntheticFleet.INPUT_TOKENS_PER_OP] = home[SyntheticFleet.INPUT_TOKENS_PER_OP] * noise.logNormal(NOISE_PER_OP);
                out[SyntheticFleet.OUTPUT_TOKENS_PER_OP] = home[SyntheticFleet.OUTPUT_TOKENS_PER_OP] * noise.logNormal(NOISE_PER_OP);
                out[SyntheticFleet.LATENCY_MS_MEAN] = home[SyntheticFleet.LATENCY_MS_MEAN] * noise.logNormal(NOISE_PER_OP);
                out[SyntheticFleet.ERROR_RATE] = Math.min(1.0, modelErrorRate * noise.logNormal(NOISE_ERROR_RATE));
                out[SyntheticFleet.MODEL_SWITCHES] = thinned(home[SyntheticFleet.MODEL_SWITCHES], share, noise);
            }
            case TOOL_SERVER -> {
                out[SyntheticFleet.TOOL_CALLS_PER_MIN] = home[SyntheticFleet.TOOL_CALLS_PER_MIN] * share * noise.logNormal(NOISE_RATE);
                out[SyntheticFleet.DISTINCT_TOOLS] = Math.round(home[SyntheticFleet.DISTINCT_TOOLS] * share * noise.logNormal(NOISE_DISTINCT));
                out[SyntheticFleet.ERROR_RATE] = Math.min(1.0, toolErrorRate * noise.logNormal(NOISE_ERROR_RATE));
            }
            case EGRESS_PROXY -> {
                out[SyntheticFleet.BYTES_OUT] = home[SyntheticFleet.BYTES_OUT] * share * noise.logNormal(NOISE_RATE);
                out[SyntheticFleet.DISTINCT_HOSTS] = Math.round(home[SyntheticFleet.DISTINCT_HOSTS] * share * noise.logNormal(NOISE_DISTINCT));
            }
        }
    }

    /** Binomial(count, p): each of the window's events passes through this host with probability p. */
    private static double thinned(final double count, final double p, final Noise noise) {
        if (!(count >= 0 && count <= SWITCHES_MAX && count == Math.rint(count))) {
            throw new IllegalStateException("model switches must be a whole count in [0, " + SWITCHES_MAX + "], got " + count);
        }
        int seen = 0;
        for (int i = 0; i < (int) count; i++) {
            if (noise.chance(p)) {
                seen++;
            }
        }
        return seen;
    }

    private static final long GOLDEN_GAMMA = 0x9e37_79b9_7f4a_7c15L;

    /** Stafford's mix13, SplittableRandom's own finaliser: nearby inputs give unrelated seeds. */
    static long mix64(final long z0) {
        long z = z0;
        z = (z ^ (z >>> 30)) * 0xbf58_476d_1ce4_e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d0_49bb_1331_11ebL;
        return z ^ (z >>> 31);
    }
}
