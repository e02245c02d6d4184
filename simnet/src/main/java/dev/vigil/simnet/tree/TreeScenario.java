package dev.vigil.simnet.tree;

import dev.vigil.crypto.NodeIds;
import dev.vigil.crypto.SignatureScheme;
import dev.vigil.daemon.core.CoreConfig;
import dev.vigil.daemon.core.NodeLog;
import dev.vigil.daemon.detect.FeatureSchema;
import dev.vigil.daemon.stats.Moments;
import dev.vigil.daemon.tree.TreeConfig;
import dev.vigil.daemon.tree.TreeNode;
import dev.vigil.daemon.tree.TreeRules;
import dev.vigil.simnet.HostStats;
import dev.vigil.simnet.SimFleet;
import dev.vigil.simnet.SimHost;
import dev.vigil.simnet.Simulator;
import dev.vigil.simnet.WorldMap;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The fleet-tree scenarios: {@code tree} (N nodes join; statistics flow to the root),
 * {@code propagation} (one leaf's change, timed to the root against the path's latency),
 * {@code churn} (nodes join, leave and crash, heads included) and {@code lying-head} (a head
 * forges its aggregate and must be replaced). Every node runs the real node core; the checker
 * reads the nodes' own tree state and holds it to the tree's invariants.
 */
public final class TreeScenario {
    private static final long CHECK_MICROS = 100_000;
    private static final int OBSERVATIONS_PER_NODE = 16;
    private static final MathContext MC = MathContext.DECIMAL128;

    /** Which of the four. */
    public enum Kind { tree, propagation, churn, lying_head }

    /** Inputs of one run. */
    public record Params(Kind kind, int nodes, long seed, int b, double loss, long startSpreadMicros, long timeLimitMicros,
                         double churnFraction, long churnMicros, int propagationSamples, long steadyMicros,
                         SignatureScheme signatures) {
        public Params {
            if (nodes < 2) {
                throw new IllegalArgumentException("tree scenarios need at least 2 nodes, got " + nodes);
            }
        }

        public static Params of(final Kind kind, final int nodes, final long seed) {
            return new Params(kind, nodes, seed, TreeRules.B_DEFAULT, 0, 5_000_000, 120_000_000, 0.10, 30_000_000, 100,
                10_000_000, SignatureScheme.ED25519);
        }

        public Params withB(final int newB) {
            return new Params(kind, nodes, seed, newB, loss, startSpreadMicros, timeLimitMicros, churnFraction, churnMicros,
                propagationSamples, steadyMicros, signatures);
        }

        public Params withSignatures(final SignatureScheme scheme) {
            return new Params(kind, nodes, seed, b, loss, startSpreadMicros, timeLimitMicros, churnFraction, churnMicros,
                propagationSamples, steadyMicros, scheme);
        }

        public Params withLoss(final double newLoss) {
            return new Params(kind, nodes, seed, b, newLoss, startSpreadMicros, timeLimitMicros, churnFraction, churnMicros,
                propagationSamples, steadyMicros, signatures);
        }

        public Params withTimeLimitMicros(final long micros) {
            return new Params(kind, nodes, seed, b, loss, startSpreadMicros, micros, churnFraction, churnMicros,
                propagationSamples, steadyMicros, signatures);
        }
    }

    private final Params params;
    private final HostStats host;
    private final SimFleet fleet;
    private final Simulator sim;
    private final int dimension = FeatureSchema.agentDefault().size();
    private final Map<Long, SimHost> byId = new HashMap<>();
    private final Map<Long, Moments> dataById = new HashMap<>();
    private final List<String> failures = new ArrayList<>();
    private BigDecimal[] sums;
    private BigDecimal[] products;
    private long totalCount;
    private java.io.PrintStream progress;
    private java.io.PrintStream trace;
    private java.util.Set<Integer> traced = java.util.Set.of();
    private final Map<String, Integer> indexByHex = new HashMap<>();
    private long nextProgressMicros;
    private int depthSeenMax;
    /** How long after convergence the steady-state wire measurement starts. */
    private static final long STEADY_SETTLE_MICROS = 20_000_000;
    /** The largest cluster below the top seen at any convergence check, join storms included. */
    private int clusterSizeSeenMax;

    private TreeScenario(final Params params, final HostStats host) {
        this.params = params;
        this.host = host;
        this.fleet = new SimFleet(params.seed(), WorldMap.defaultMap(), params.signatures());
        this.sim = fleet.sim();
        fleet.network().setLoss(params.loss());
        host.watch(fleet.network());
    }

    /** Runs the scenario; the returned report depends only on {@code params} (and, under "host", on the machine). */
    public static Map<String, Object> run(final Params params, final HostStats host) {
        return new TreeScenario(params, host).run();
    }

    /** As {@link #run(Params, HostStats)}, printing a line per simulated second to {@code progress} while converging. */
    public static Map<String, Object> run(final Params params, final HostStats host, final java.io.PrintStream progress) {
        return new TreeScenario(params, host).setProgress(progress).run();
    }

    /**
     * As {@link #run(Params, HostStats, java.io.PrintStream)}, also printing the tree log of the nodes with the given
     * indexes to {@code trace} (node ids shown as {@code n<index>}): a debugging aid for one seed's replay.
     */
    public static Map<String, Object> run(final Params params, final HostStats host, final java.io.PrintStream progress,
                                          final java.util.Set<Integer> traced, final java.io.PrintStream trace) {
        final TreeScenario scenario = new TreeScenario(params, host).setProgress(progress);
        scenario.traced = java.util.Set.copyOf(traced);
        scenario.trace = trace;
        return scenario.run();
    }

    private Map<String, Object> run() {
        sums = new BigDecimal[dimension];
        products = new BigDecimal[dimension * dimension];
        Arrays.fill(sums, BigDecimal.ZERO);
        Arrays.fill(products, BigDecimal.ZERO);
        for (int i = 0; i < params.nodes(); i++) {
            addNode(i == 0, 0);
        }
        final List<SimHost> initial = new ArrayList<>(fleet.hosts());
        for (final SimHost h : initial) {
            final long at = h.index() == 0 ? 0 : fleet.random().nextLong(params.startSpreadMicros());
            sim.schedule(at, h::start);
        }
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("scenario", params.kind().name().replace('_', '-'));
        out.put("nodes", params.nodes());
        out.put("seed", params.seed());
        out.put("b", params.b());
        out.put("signatures", params.signatures() == SignatureScheme.ED25519 ? "ed25519" : "simulated");
        final long convergedAt = runUntilConverged(Simulator.EPOCH_MICROS + params.timeLimitMicros());
        out.put("converged", convergedAt >= 0);
        out.put("converge_sim_s", convergedAt < 0 ? null : seconds(convergedAt - Simulator.EPOCH_MICROS));
        if (convergedAt >= 0) {
            host.sampleLive(); // the converged fleet's own footprint, garbage collected
            shape(out);
            out.put("aggregate_rel_error", aggregateRelativeError());
            steadyState(out);
            out.put("aggregate_rel_error_steady", aggregateRelativeError());
            switch (params.kind()) {
                case propagation -> propagation(out);
                case churn -> churn(out);
                case lying_head -> lyingHead(out);
                default -> { }
            }
        }
        out.put("cluster_size_seen_max", clusterSizeSeenMax);
        out.put("state_bytes_per_node_max", stateBytesMax());
        final Map<String, Long> counters = new LinkedHashMap<>();
        for (final SimHost h : fleet.hosts()) {
            if (h.isUp()) {
                h.core().tree().counters().snapshot().forEach((k, v) -> counters.merge(k, v, Long::sum));
            }
        }
        out.put("tree_counters", counters);
        // what the nodes refused lately, by kind (the peer's id left out)
        final Map<String, Integer> refusals = new java.util.TreeMap<>();
        for (final SimHost h : fleet.hosts()) {
            if (h.isUp()) {
                for (final String r : h.core().tree().refusals()) {
                    refusals.merge(HEX_ID.matcher(r).replaceAll("N").replaceAll("[0-9]+", "#"), 1, Integer::sum);
                }
            }
        }
        out.put("tree_refusals_recent", refusals);
        out.put("max_frame_bytes", fleet.network().frameBytesMax());
        out.put("max_frame_type", fleet.network().frameTypeMax());
        out.put("sim_s", seconds(sim.elapsedMicros()));
        out.put("events", sim.eventsRun());
        out.put("invariants_failed", List.copyOf(failures));
        host.sample();
        return out;
    }

    // ---------------------------------------------------------------- fleet and data

    private SimHost addNode(final boolean founder, final long startAtMicros) {
        final String bootstrap = SimFleet.addressOf(0);
        final SimHost h = fleet.addHost(address -> CoreConfig.defaults(address, founder ? List.of() : List.of(bootstrap)));
        h.setTreeConfig(TreeConfig.defaults(dimension).withB(params.b()));
        final Moments data = dataFor(h.index());
        dataById.put(h.nodeId(), data);
        byId.put(h.nodeId(), h);
        h.setOnStart(core -> core.publishLocalSummary(dataById.get(h.nodeId()), 1 + h.index() % 7));
        indexByHex.put(NodeIds.toHex(h.nodeId()), h.index());
        if (trace != null && traced.contains(h.index())) {
            h.setLog(traceLog(h.index()));
        } else if (progress != null) {
            h.setLog(new NodeLog() {
                @Override
                public void info(final String message) {
                }

                @Override
                public void warn(final String message) {
                    if (message.contains("internal error")) {
                        progress.printf("%9.3f n%-6d %s%n", seconds(sim.elapsedMicros()), h.index(), message);
                    }
                }
            });
        }
        return h;
    }

    private static final java.util.regex.Pattern HEX_ID = java.util.regex.Pattern.compile("\\b[0-9a-f]{16}\\b");

    private NodeLog traceLog(final int index) {
        return new NodeLog() {
            @Override
            public void info(final String message) {
                final String named = HEX_ID.matcher(message).replaceAll(m -> {
                    final Integer i = indexByHex.get(m.group());
                    return i == null ? m.group() : "n" + i;
                });
                trace.printf("%9.3f n%-6d %s%n", seconds(sim.elapsedMicros()), index, named);
            }

            @Override
            public void warn(final String message) {
                info("WARN " + message);
            }

            @Override
            public boolean debugEnabled() {
                return true;
            }

            @Override
            public void debug(final String message) {
                info("  " + message);
            }
        };
    }

    /** Each node's statistics: observations on very different scales, summed exactly for the reference. */
    private Moments dataFor(final int index) {
        final Moments m = new Moments(dimension);
        for (final double[] x : observationsOf(index)) {
            m.add(x);
            addExact(x, 1);
        }
        return m;
    }

    /** Node {@code index}'s observations, drawn from the seed (so a departed node's can be taken out of the reference again). */
    private double[][] observationsOf(final int index) {
        final SplittableRandom r = new SplittableRandom(params.seed() * 0x9E3779B97F4A7C15L + index);
        final double[][] out = new double[OBSERVATIONS_PER_NODE][dimension];
        for (final double[] x : out) {
            for (int i = 0; i < dimension; i++) {
                x[i] = Math.exp(i * 0.8 + r.nextGaussian()) + (i % 3 == 0 ? 1e6 : 0);
            }
        }
        return out;
    }

    private void addExact(final double[] x, final int sign) {
        final BigDecimal[] b = new BigDecimal[dimension];
        for (int i = 0; i < dimension; i++) {
            b[i] = new BigDecimal(x[i]);
            sums[i] = sign > 0 ? sums[i].add(b[i]) : sums[i].subtract(b[i]);
        }
        for (int i = 0; i < dimension; i++) {
            for (int j = i; j < dimension; j++) {
                final BigDecimal p = b[i].multiply(b[j]);
                products[i * dimension + j] = sign > 0 ? products[i * dimension + j].add(p) : products[i * dimension + j].subtract(p);
            }
        }
        totalCount += sign;
    }

    private List<SimHost> upHosts() {
        final List<SimHost> up = new ArrayList<>();
        for (final SimHost h : fleet.hosts()) {
            if (h.isUp()) {
                up.add(h);
            }
        }
        return up;
    }

    // ---------------------------------------------------------------- convergence and invariants

    /** A consistent picture of the tree from the nodes' own state: what the invariants are checked on. */
    private final class Picture {
        final List<SimHost> up = upHosts();
        final List<TreeProblem> problems = new ArrayList<>();
        SimHost root;
        int depth;
        int sizeMin = Integer.MAX_VALUE;
        int sizeMax;
        final List<long[]> leafClusters = new ArrayList<>();

        Picture() {
            if (up.size() < params.nodes()) {
                // not converged before the fleet is all there (a tree of the first few nodes is trivially clean)
                problems.add(new TreeProblem.NodesMissing(up.size(), params.nodes()));
            }
            final List<SimHost> roots = new ArrayList<>();
            for (final SimHost h : up) {
                if (h.core().tree().isRoot()) {
                    roots.add(h);
                }
            }
            if (roots.size() != 1) {
                problems.add(new TreeProblem.RootCount(roots.size()));
                return;
            }
            root = roots.get(0);
            final TreeNode rootTree = root.core().tree();
            final int top = rootTree.topLevel();
            depth = top + 1;
            final int half = (params.b() + 1) / 2;
            final long rootId = root.nodeId();
            for (final SimHost h : up) {
                final TreeNode t = h.core().tree();
                if (!t.isPlaced()) {
                    problems.add(new TreeProblem.Unplaced(h.index()));
                    continue;
                }
                if (t.root() == null || t.root().id() != rootId) {
                    problems.add(new TreeProblem.WrongRoot(h.index()));
                }
                // membership is mutual at every level this node is in
                for (int level = 0; level <= top; level++) {
                    final long head = t.headAt(level);
                    if (head == 0) {
                        if (level == 0 || t.headAt(level - 1) == h.nodeId() && level <= top) {
                            problems.add(new TreeProblem.NoClusterAbove(h.index(), level - 1));
                        }
                        break;
                    }
                    final SimHost headHost = byId.get(head);
                    if (headHost == null || !headHost.isUp() || headHost.core().tree().headAt(level) != head
                        || Arrays.binarySearch(sortedCopy(headHost.core().tree().membersAt(level)), h.nodeId()) < 0) {
                        problems.add(new TreeProblem.NotInHeadsView(h.index(), level));
                    }
                    if (head != h.nodeId()) {
                        if (level + 1 <= top && t.headAt(level + 1) != 0) {
                            problems.add(new TreeProblem.HeadsNothingBelow(h.index(), level));
                        }
                        break;
                    }
                    // a head: every member it lists counts it as head
                    for (final long member : t.membersAt(level)) {
                        final SimHost m = byId.get(member);
                        if (member != head && (m == null || !m.isUp() || m.core().tree().headAt(level) != head)) {
                            problems.add(new TreeProblem.ListedNotCounting(h.index(), m == null ? null : m.index(), level));
                        }
                    }
                    // its cluster's size
                    final int size = t.membersAt(level).length;
                    if (level == top) {
                        if (h != root) {
                            problems.add(new TreeProblem.TopNotRoot(h.index()));
                        }
                    } else {
                        sizeMin = Math.min(sizeMin, size);
                        sizeMax = Math.max(sizeMax, size);
                        if (size < half || size > params.b()) {
                            problems.add(new TreeProblem.ClusterSize(h.index(), level, size, half, params.b()));
                        }
                    }
                    if (level == 0) {
                        leafClusters.add(t.membersAt(0));
                    }
                }
            }
            if (up.size() > 1 && depth > TreeRules.depthBound(up.size(), params.b())) {
                problems.add(new TreeProblem.DepthOverBound(depth, TreeRules.depthBound(up.size(), params.b())));
            }
            final Moments rootAggregate = rootTree.aggregateAt(top);
            if (rootTree.leavesAt(top) == up.size()) {
                // every node counted; its latest data too? (one counted twice and another missing passes the counts)
                if (rootAggregate == null || rootAggregate.count() != totalCount) {
                    problems.add(new TreeProblem.RootAggregateCount(rootAggregate == null ? 0 : rootAggregate.count(), totalCount));
                } else {
                    final double error = relativeError(rootAggregate);
                    if (error > 1e-12) {
                        problems.add(new TreeProblem.RootAggregateError(error));
                    }
                }
            }
            if (rootTree.leavesAt(top) != up.size()) {
                problems.add(new TreeProblem.RootCoverage(rootTree.leavesAt(top), up.size()));
                // where the counts first go wrong: a cluster whose aggregate misses a member's subtree
                for (int level = 0; level <= top && problems.size() < 8; level++) {
                    for (final SimHost h : up) {
                        final TreeNode t = h.core().tree();
                        if (t.headAt(level) != h.nodeId()) {
                            continue;
                        }
                        long expected = 0;
                        for (final long m : t.membersAt(level)) {
                            final SimHost member = byId.get(m);
                            if (!member.isUp()) {
                                problems.add(new TreeProblem.MemberDown(level, h.index(), member.index()));
                                continue;
                            }
                            final long theirs = level == 0 ? 1 : member.core().tree().leavesAt(level - 1);
                            expected += theirs;
                            if (level > 0 && problems.size() < 8 && !t.describeContribution(level, m).contains("leaves " + theirs + ",")) {
                                final SimHost theirHead = byId.get(member.core().tree().headAt(level));
                                problems.add(new TreeProblem.ContributionDiffers(byId.get(m).index(), theirHead == null ? null : theirHead.index(), theirs,
                                    "" + h.core().counters().snapshot().rejected()
                                        + h.core().status().refusals().stream().filter(x -> x.nodeId().equals(NodeIds.toHex(m))).toList(),
                                    t.describeContribution(level, m), byId.get(m).core().tree().describeContribution(level, m)));
                            }
                        }
                        if (expected != t.leavesAt(level) && problems.size() < 8) {
                            problems.add(new TreeProblem.AggregateDiffers(level, h.index(), t.leavesAt(level), expected, "" + t.counters().snapshot()));
                        }
                    }
                }
            }
        }
    }

    /** Once a simulated second while converging, with {@link #setProgress}: what still keeps the tree from converging. */
    private void progress(final Picture picture) {
        if (progress == null || sim.nowMicros() < nextProgressMicros) {
            return;
        }
        nextProgressMicros = sim.nowMicros() + 1_000_000;
        final Map<String, Integer> kinds = new java.util.TreeMap<>();
        final Map<String, String> example = new java.util.TreeMap<>();
        for (final TreeProblem problem : picture.problems) {
            kinds.merge(problem.kind(), 1, Integer::sum);
            example.putIfAbsent(problem.kind(), problem.brief());
        }
        progress.printf("t=%.1f s up=%d depth=%d sizes=[%s, %s] problems=%d %s%n", seconds(sim.elapsedMicros()),
            picture.up.size(), picture.depth, picture.sizeMin == Integer.MAX_VALUE ? "-" : picture.sizeMin,
            picture.sizeMax == 0 ? "-" : picture.sizeMax, picture.problems.size(), kinds);
        if (picture.problems.size() <= 10) {
            picture.problems.forEach(problem -> progress.println("  " + problem.text()));
        } else {
            example.values().forEach(problem -> progress.println("  e.g. " + problem));
        }
    }

    /** Prints a line per simulated second while the tree converges (for {@code vigil simnet --progress}). */
    private TreeScenario setProgress(final java.io.PrintStream out) {
        this.progress = out;
        return this;
    }

    private static long[] sortedCopy(final long[] ids) {
        final long[] copy = ids.clone();
        Arrays.sort(copy);
        return copy;
    }

    /** Runs until the tree has converged (all invariants hold); returns the time, or -1 at the limit. */
    private long runUntilConverged(final long untilMicros) {
        final long[] convergedAt = {-1};
        final Runnable[] check = new Runnable[1];
        check[0] = () -> {
            host.sample();
            checkSafety();
            final Picture picture = new Picture();
            clusterSizeSeenMax = Math.max(clusterSizeSeenMax, picture.sizeMax);
            progress(picture);
            if (picture.problems.isEmpty()) {
                convergedAt[0] = sim.nowMicros();
            } else {
                sim.schedule(CHECK_MICROS, check[0]);
            }
        };
        sim.schedule(CHECK_MICROS, check[0]);
        sim.runUntil(untilMicros, () -> convergedAt[0] >= 0);
        if (convergedAt[0] < 0) {
            final Picture p = new Picture();
            fail("not converged after " + seconds(sim.nowMicros() - Simulator.EPOCH_MICROS) + " s: "
                + p.problems.subList(0, Math.min(5, p.problems.size())).stream().map(TreeProblem::text).toList() + (p.problems.size() > 5 ? " and " + (p.problems.size() - 5) + " more" : ""));
        }
        return convergedAt[0];
    }

    /** What must hold at every moment, converged or not: the depth bound (with one level of slack while splits settle). */
    private void checkSafety() {
        int depth = 0;
        int up = 0;
        for (final SimHost h : fleet.hosts()) {
            if (h.isUp()) {
                up++;
                depth = Math.max(depth, h.core().tree().topLevel() + 1);
            }
        }
        depthSeenMax = Math.max(depthSeenMax, depth);
        if (up > 1 && depth > TreeRules.depthBound(up, params.b()) + 1) {
            fail("depth " + depth + " with " + up + " nodes, over the bound " + TreeRules.depthBound(up, params.b()) + " + 1");
        }
    }

    private void fail(final String what) {
        if (failures.size() < 20) {
            failures.add(what + " (seed " + params.seed() + ")");
        }
    }

    // ---------------------------------------------------------------- measurements

    private void shape(final Map<String, Object> out) {
        final Picture p = new Picture();
        out.put("depth", p.depth);
        out.put("depth_bound", TreeRules.depthBound(p.up.size(), params.b()));
        out.put("cluster_size_min", p.sizeMin == Integer.MAX_VALUE ? null : p.sizeMin);
        out.put("cluster_size_max", p.sizeMax == 0 ? null : p.sizeMax);
        out.put("leaf_clusters", p.leafClusters.size());
        // mean RTT inside level-0 clusters over all pairs, against random pairs
        double intraSum = 0;
        long intraPairs = 0;
        for (final long[] cluster : p.leafClusters) {
            for (int i = 0; i < cluster.length; i++) {
                for (int j = i + 1; j < cluster.length; j++) {
                    intraSum += rttMicros(byId.get(cluster[i]), byId.get(cluster[j]));
                    intraPairs++;
                }
            }
        }
        final SplittableRandom r = new SplittableRandom(params.seed() ^ 0x5DEECE66DL);
        double randomSum = 0;
        final int samples = 100_000;
        for (int k = 0; k < samples; k++) {
            final SimHost a = p.up.get(r.nextInt(p.up.size()));
            final SimHost b = p.up.get(r.nextInt(p.up.size()));
            randomSum += rttMicros(a, b);
        }
        final double intra = intraPairs == 0 ? 0 : intraSum / intraPairs;
        final double random = randomSum / samples;
        out.put("rtt_intra_ms", round(intra / 1000.0, 3));
        out.put("rtt_random_ms", round(random / 1000.0, 3));
        out.put("rtt_ratio_intra_random", round(intra / random, 4));
    }

    private long rttMicros(final SimHost a, final SimHost b) {
        return a == b ? 0 : 2 * oneWayMicros(a, b);
    }

    private long oneWayMicros(final SimHost a, final SimHost b) {
        return fleet.network().map().latencyMicros(a.latitudeDeg(), a.longitudeDeg(), b.latitudeDeg(), b.longitudeDeg());
    }

    /** The root's fleet aggregate against the exact (BigDecimal) merge of every node's observations. */
    private double aggregateRelativeError() {
        final Picture p = new Picture();
        if (p.root == null) {
            return Double.NaN;
        }
        final TreeNode rootTree = p.root.core().tree();
        final Moments m = rootTree.aggregateAt(rootTree.topLevel());
        if (m == null || m.count() != totalCount) {
            fail("root aggregate count " + (m == null ? 0 : m.count()) + " != " + totalCount);
            return Double.NaN;
        }
        return relativeError(m);
    }

    /** The largest relative error of {@code m}'s means and covariances against the exact merge of every node's data. */
    private double relativeError(final Moments m) {
        final BigDecimal n = BigDecimal.valueOf(totalCount);
        final BigDecimal[] mean = new BigDecimal[dimension];
        double worst = 0;
        for (int i = 0; i < dimension; i++) {
            mean[i] = sums[i].divide(n, MC);
        }
        final double[] sd = new double[dimension];
        for (int i = 0; i < dimension; i++) {
            final BigDecimal cov = products[i * dimension + i].divide(n, MC).subtract(mean[i].multiply(mean[i], MC), MC);
            sd[i] = Math.sqrt(Math.max(cov.doubleValue(), 0));
        }
        for (int i = 0; i < dimension; i++) {
            worst = Math.max(worst, Math.abs(m.mean(i) - mean[i].doubleValue()) / Math.max(Math.abs(mean[i].doubleValue()), sd[i]));
            for (int j = i; j < dimension; j++) {
                final BigDecimal exact = products[i * dimension + j].divide(n, MC).subtract(mean[i].multiply(mean[j], MC), MC);
                final double got = m.comoment(i, j) / m.count();
                final double scale = Math.max(Math.abs(exact.doubleValue()), sd[i] * sd[j]);
                worst = Math.max(worst, Math.abs(got - exact.doubleValue()) / scale);
            }
        }
        return worst;
    }

    private void steadyState(final Map<String, Object> out) {
        // after the moves a fresh tree still makes (relocations 8 s after placement, merges), not during them
        sim.runFor(STEADY_SETTLE_MICROS);
        checkSafety();
        final Map<String, long[]> before = copy(fleet.network().framesByType());
        final int up = upHosts().size();
        sim.runFor(params.steadyMicros());
        checkSafety();
        final Map<String, long[]> after = fleet.network().framesByType();
        final Map<String, Object> byType = new LinkedHashMap<>();
        long total = 0;
        final double perNodeSecond = up * (params.steadyMicros() / 1e6);
        for (final Map.Entry<String, long[]> e : after.entrySet()) {
            final long[] b = before.getOrDefault(e.getKey(), new long[2]);
            final long bytes = e.getValue()[1] - b[1];
            if (bytes > 0) {
                byType.put(e.getKey(), round(bytes / perNodeSecond, 1));
                total += bytes;
            }
        }
        out.put("wire_bytes_per_node_s", round(total / perNodeSecond, 1));
        out.put("wire_window_after_converge_s", List.of(seconds(STEADY_SETTLE_MICROS),
            seconds(STEADY_SETTLE_MICROS + params.steadyMicros())));
        out.put("wire_bytes_per_node_s_by_type", byType);
    }

    private static Map<String, long[]> copy(final Map<String, long[]> m) {
        final Map<String, long[]> c = new LinkedHashMap<>();
        for (final Map.Entry<String, long[]> e : m.entrySet()) {
            c.put(e.getKey(), e.getValue().clone());
        }
        return c;
    }

    private long stateBytesMax() {
        long max = 0;
        for (final SimHost h : fleet.hosts()) {
            if (h.isUp()) {
                max = Math.max(max, h.core().tree().stateBytes());
            }
        }
        return max;
    }

    // ---------------------------------------------------------------- propagation

    private void propagation(final Map<String, Object> out) {
        final SplittableRandom r = new SplittableRandom(params.seed() ^ 0x2545F4914F6CDD1DL);
        final List<Double> ratios = new ArrayList<>();
        final Picture p = new Picture();
        if (p.root == null) {
            return;
        }
        final TreeNode rootTree = p.root.core().tree();
        final long[] reflectedAt = {-1};
        final long[] expected = {0};
        rootTree.setObserver((node, now) -> {
            final Moments m = node.aggregateAt(node.topLevel());
            if (reflectedAt[0] < 0 && m != null && m.count() == expected[0]) {
                reflectedAt[0] = now;
            }
        });
        final double[] extra = new double[dimension];
        for (int k = 0; k < params.propagationSamples(); k++) {
            final SimHost leaf = p.up.get(r.nextInt(p.up.size()));
            if (leaf == p.root) {
                continue;
            }
            final long pathMicros = pathLatencyMicros(leaf);
            for (int i = 0; i < dimension; i++) {
                extra[i] = 1 + r.nextDouble();
            }
            final Moments data = dataById.get(leaf.nodeId());
            data.add(extra);
            addExact(extra, 1);
            expected[0] = totalCount;
            reflectedAt[0] = -1;
            final long t0 = sim.nowMicros();
            leaf.core().publishLocalSummary(data, 1 + leaf.index() % 7);
            sim.runUntil(t0 + 10_000_000, () -> reflectedAt[0] >= 0);
            if (reflectedAt[0] < 0) {
                fail("a change at node " + leaf.index() + " did not reach the root within 10 s");
                break;
            }
            ratios.add((reflectedAt[0] - t0) / (double)pathMicros);
            sim.runFor(500_000);
        }
        rootTree.setObserver(null);
        ratios.sort(Double::compare);
        out.put("propagation_samples", ratios.size());
        out.put("propagation_ratio_p50", ratios.isEmpty() ? null : round(percentile(ratios, 0.50), 3));
        out.put("propagation_ratio_p99", ratios.isEmpty() ? null : round(percentile(ratios, 0.99), 3));
        out.put("propagation_ratio_max", ratios.isEmpty() ? null : round(ratios.get(ratios.size() - 1), 3));
        out.put("aggregate_rel_error_after", aggregateRelativeError());
    }

    /** One-way latency summed over the hops from {@code leaf} up its head chain to the root. */
    private long pathLatencyMicros(final SimHost leaf) {
        long sum = 0;
        SimHost current = leaf;
        for (int level = 0; level < 16; level++) {
            final TreeNode t = current.core().tree();
            final long head = t.headAt(level);
            if (head == 0) {
                break;
            }
            final SimHost next = byId.get(head);
            if (next != current) {
                sum += oneWayMicros(current, next);
                current = next;
            }
        }
        return sum;
    }

    private static double percentile(final List<Double> sorted, final double q) {
        final int i = (int)Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    // ---------------------------------------------------------------- churn

    private void churn(final Map<String, Object> out) {
        final int replaced = Math.max(1, (int)Math.round(params.churnFraction() * params.nodes()));
        final long spacing = Math.max(1, params.churnMicros() / replaced);
        final SplittableRandom r = new SplittableRandom(params.seed() ^ 0xC2B2AE3D27D4EB4FL);
        int crashes = 0;
        int leaves = 0;
        int headsHit = 0;
        for (int k = 0; k < replaced; k++) {
            final List<SimHost> up = upHosts();
            // every third victim is a head (the root included), the rest anyone but the founder's bootstrap host
            SimHost victim = null;
            if (k % 3 == 0) {
                final List<SimHost> heads = new ArrayList<>();
                for (final SimHost h : up) {
                    if (h.index() != 0 && h.core().tree().headAt(0) == h.nodeId()) {
                        heads.add(h);
                    }
                }
                if (!heads.isEmpty()) {
                    victim = heads.get(r.nextInt(heads.size()));
                    headsHit++;
                }
            }
            while (victim == null || victim.index() == 0) {
                victim = up.get(r.nextInt(up.size()));
            }
            subtractExact(victim);
            if (r.nextBoolean()) {
                victim.crash();
                crashes++;
            } else {
                victim.stop();
                leaves++;
            }
            final SimHost fresh = addNode(false, 0);
            fresh.start();
            sim.runFor(spacing);
            checkSafety();
        }
        out.put("churn_replaced", replaced);
        out.put("churn_crashes", crashes);
        out.put("churn_leaves", leaves);
        out.put("churn_heads_hit", headsHit);
        final long start = sim.nowMicros();
        final long again = runUntilConverged(start + params.timeLimitMicros());
        out.put("reconverged", again >= 0);
        out.put("reconverge_sim_s", again < 0 ? null : seconds(again - start));
        if (again >= 0) {
            final Map<String, Object> after = new LinkedHashMap<>();
            shape(after);
            out.put("after", after);
            out.put("aggregate_rel_error_after", aggregateRelativeError());
        }
        out.put("depth_seen_max", depthSeenMax);
    }

    /** Takes a departed node's observations out of the exact reference. */
    private void subtractExact(final SimHost departed) {
        for (final double[] x : observationsOf(departed.index())) {
            addExact(x, -1);
        }
    }

    // ---------------------------------------------------------------- lying head

    private void lyingHead(final Map<String, Object> out) {
        final Picture p = new Picture();
        SimHost liar = null;
        for (final SimHost h : p.up) {
            final TreeNode t = h.core().tree();
            if (h != p.root && t.headAt(0) == h.nodeId() && (liar == null || h.index() < liar.index())) {
                liar = h;
            }
        }
        if (liar == null) {
            fail("no head other than the root to make lie");
            return;
        }
        out.put("liar", liar.index());
        final long t0 = sim.nowMicros();
        liar.core().tree().forgeUpwardCounts(10);
        // make the liar's cluster send fresh statistics so the forgery goes up at once
        liar.core().publishLocalSummary(dataById.get(liar.nodeId()), 1 + liar.index() % 7);
        final long liarId = liar.nodeId();
        final long[] replacedAt = {-1};
        final Runnable[] check = new Runnable[1];
        check[0] = () -> {
            if (liarReplaced(liarId)) {
                replacedAt[0] = sim.nowMicros();
            } else {
                sim.schedule(CHECK_MICROS, check[0]);
            }
        };
        sim.schedule(CHECK_MICROS, check[0]);
        sim.runUntil(t0 + 60_000_000, () -> replacedAt[0] >= 0);
        out.put("liar_replaced", replacedAt[0] >= 0);
        out.put("detect_sim_s", replacedAt[0] < 0 ? null : seconds(replacedAt[0] - t0));
        if (replacedAt[0] < 0) {
            fail("lying head " + liar.index() + " was not replaced within 60 s");
            return;
        }
        // settle: the fleet aggregate must hold no forged observations. The liar's own statistics may
        // still count (it can rejoin as an ordinary member); its inflated aggregate must not.
        sim.runFor(10_000_000);
        final long liarOwn = dataById.get(liarId).count();
        final Picture after = new Picture();
        final TreeNode rootTree = after.root == null ? null : after.root.core().tree();
        final Moments fleetMoments = rootTree == null ? null : rootTree.aggregateAt(rootTree.topLevel());
        final long count = fleetMoments == null ? 0 : fleetMoments.count();
        out.put("fleet_count_after", count);
        out.put("true_count", totalCount);
        if (count > totalCount || count < totalCount - liarOwn) {
            fail("fleet aggregate after replacing the liar counts " + count + " observations; the nodes made " + totalCount
                + " (the liar " + liarOwn + ")");
        }
    }

    /** The liar heads no cluster any honest node follows, and no honest head keeps it as a member above level 0. */
    private boolean liarReplaced(final long liarId) {
        for (final SimHost h : fleet.hosts()) {
            if (!h.isUp() || h.nodeId() == liarId) {
                continue;
            }
            final TreeNode t = h.core().tree();
            for (int level = 0; level < 16; level++) {
                if (t.headAt(level) == liarId) {
                    return false;
                }
                if (level > 0 && t.headAt(level) == h.nodeId()
                    && Arrays.stream(t.membersAt(level)).anyMatch(id -> id == liarId)) {
                    return false;
                }
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- helpers

    private static double seconds(final long micros) {
        return micros / 1e6;
    }

    private static double round(final double x, final int digits) {
        final double f = Math.pow(10, digits);
        return Math.round(x * f) / f;
    }
}
