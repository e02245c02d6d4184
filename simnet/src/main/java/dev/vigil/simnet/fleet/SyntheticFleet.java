package dev.vigil.simnet.fleet;

import dev.vigil.daemon.detect.FeatureSchema;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * A seeded synthetic fleet of AI agents: one raw feature vector per agent per window, in the
 * order of {@link FeatureSchema#agentDefault()}, with labelled compromises. Same
 * {@link FleetParams} ⇒ the same sequence, bit for bit, on any JVM.
 *
 * <h2>Normal behaviour</h2>
 * <ul>
 *   <li><b>Roles</b> ({@link AgentRole}): coder 35 %, support 30 %, research 20 %, ops 15 % of the
 *       fleet (largest-remainder counts, shuffled over the ids). Each has its own typical levels.</li>
 *   <li><b>Idiosyncrasy</b>: each agent's level of each quantity is its role's times
 *       exp(σ·N(0,1)), σ = 0.3 (0.2 to 0.4 depending on the quantity), clipped at ±2.5σ; its tool
 *       repertoire is its role's ± round(1.5·N(0,1)), at least 2.</li>
 *   <li><b>Daily rhythm</b>: activity × (1 + a·cos(2π(h − peak)/24)), h the UTC hour of the
 *       window's midpoint; a is the role's amplitude (coder 0.45, support 0.5, research 0.35,
 *       ops 0.15) × U[0.8, 1.1], capped at 0.5, so the multiplier stays in [0.5, 1.5]; the peak
 *       is the role's (15, 11, 17, 3 h UTC) ± U[0, 1.5] h.</li>
 *   <li><b>Bursts</b>: on average 3 per agent per day an agent's activity rises U[2, 3]× for
 *       U{3..10} windows. Ops, tool calls and bytes scale together, distinct hosts with √activity;
 *       per-operation features do not move. Bursts are normal and never labelled;
 *       {@link #inBurst(int)} tells tests where they are.</li>
 *   <li><b>Correlated features</b> (per window, every noise term log-normal with median 1):
 *     <ul>
 *       <li>ops_per_min = level × rhythm × burst × LN(0.25);</li>
 *       <li>tool_calls_per_min = ops × tool calls per op × LN(0.2);</li>
 *       <li>input_tokens_per_op = level × LN(0.3); output_tokens_per_op = level × (input noise)^0.3 × LN(0.3);</li>
 *       <li>latency_ms_mean = (base + ms per token × output tokens) × LN(0.15);</li>
 *       <li>distinct_tools = round(R(1 − e^(−c/R)) × LN(0.15)), c the tool calls in the window, R the repertoire;</li>
 *       <li>distinct_hosts = max(1, round(level × √(rhythm × burst) × LN(0.2)));</li>
 *       <li>bytes_out = (ops in window × 4 B × input tokens + tool calls in window × payload × LN(0.3)) × LN(0.15);</li>
 *       <li>error_rate = min(1, level × LN(0.4)); model_switches = Poisson(ops in window × switches per op).</li>
 *     </ul>
 *     Rates are modelled as smooth quantities, not as counts of the few spans a 10 s window
 *     holds; the three count features are whole numbers.</li>
 * </ul>
 *
 * <h2>Compromises</h2>
 * {@code round(agents × compromisedFraction)} agents, chosen uniformly, get a mode by
 * {@link CompromisePlan} (with defaults: a coordinated group of 4 and 6 agents covering the four
 * single modes). A compromise starts at a window boundary drawn uniformly from
 * [start + compromiseEarliestSeconds, end − 30 min]; the coordinated group draws one start and
 * one set of magnitudes for all its agents. From its first window on, {@code compromisedNow} is
 * true. Magnitudes (see {@link CompromiseMode} and {@link Effect}):
 * <ul>
 *   <li>exfiltration: bytes_out × U[10, 50], distinct_hosts + U{3..10};</li>
 *   <li>runaway_loop: ops (so tool calls and bytes) × U[5, 20], input and output tokens per op
 *       × U[3, 10] (latency follows), error rate × U[2, 3];</li>
 *   <li>tool_misuse: tool calls per op × U[2, 4], distinct_tools + U{3..6}, error_rate → U[0.3, 0.7];</li>
 *   <li>slow_drift: linear ramp over U[2, 3] h to output tokens × U[3, 5] (latency follows),
 *       distinct_hosts + U[4, 8], bytes_out × U[5, 10], model_switches + U[1.5, 3] per window;
 *       a 10 s window moves 0.09 to 0.14 % of the way;</li>
 *   <li>coordinated_group: distinct_hosts + U{2..4}, bytes_out × U[3, 6], model_switches + U[1, 2]
 *       per window, all at one instant.</li>
 * </ul>
 *
 * <h2>Observers: the gateway tier</h2>
 * Besides its home daemon (where its exporter points: the views above, taken as the agent's
 * true behaviour), each agent is seen by {@code observersPerAgent} = r (default 2) gateway hosts
 * ({@link #observerHosts()}; r = 0 turns the tier off), {@code gatewaysPerKind} (default 4) of
 * each {@link GatewayKind}: "llm-gateway-NN", "tool-server-NN", "egress-proxy-NN".
 * <ul>
 *   <li><b>Assignment</b> (fixed for the run): in a shuffled agent order, agent at position p takes
 *       slots p·r .. p·r + r − 1 and slot q has kind q mod 3, so each agent's observers have r
 *       distinct kinds while r ≤ 3 (with r = 2: a third of the agents each llm+tool, llm+egress,
 *       tool+egress), and each kind gets ⌊nr/3⌋ or ⌈nr/3⌉ slots; each kind's slots are dealt round
 *       robin over its hosts in another shuffled order, an agent's consecutively. So every agent has
 *       exactly r distinct hosts and any two hosts' agent counts differ by at most one.</li>
 *   <li><b>Share</b> s of the agent's traffic of that kind the host carries (the rest goes through
 *       hosts that run no daemon, or other gateways): U[0.3, 0.8] per (agent, host), fixed for
 *       the run; an agent's hosts of one kind are scaled down together if theirs would sum above 1.</li>
 *   <li><b>View</b> per window, in the default schema, from the agent's home vector x of the same
 *       window; LN(σ) is the host's own per-window log-normal measurement noise, median 1,
 *       independent of the home's and of every other host's; Bin(k, s) keeps each of k events
 *       with probability s:
 *     <ul>
 *       <li>llm-gateway: ops_per_min = x·s·LN(0.10), input and output tokens per op and
 *           latency_ms_mean = x·LN(0.10) each, error_rate = min(1, e_model·LN(0.20)),
 *           model_switches = Bin(x, s);</li>
 *       <li>tool-server: tool_calls_per_min = x·s·LN(0.10), distinct_tools = round(x·s·LN(0.10)),
 *           error_rate = min(1, e_tool·LN(0.20));</li>
 *       <li>egress-proxy: bytes_out = x·s·LN(0.10), distinct_hosts = round(x·s·LN(0.10)).</li>
 *     </ul>
 *       Distinct tools and hosts are split between a kind's hosts like the traffic (tools live on
 *       servers, hosts behind proxies). e_model is the agent's error rate with a runaway loop's
 *       factor but not tool misuse's target, e_tool the other way round; for a clean agent both
 *       are its home error rate.</li>
 *   <li><b>What a host cannot see</b> is 0 in its view (raw, so 0 after log1p too). The default
 *       schema has no mark for a missing feature, and a constant 0 is the simplest honest stand-in:
 *       its baseline variance is the detector's floor alone, so it adds exactly 0 to D² and its
 *       covariances are 0. The detector still counts d = 10 in the LLR's −d·ln k and in its χ²
 *       quantiles, so an observer that sees d' < 10 features drifts further below 0 on normal
 *       behaviour and needs a larger deviation in what it sees to alarm: llm-gateway d' = 6,
 *       tool-server 3, egress-proxy 2.</li>
 *   <li><b>What the compromises show</b> where, by construction: exfiltration at the egress
 *       proxy (bytes × 10–50, hosts + s·(3–10)) and nowhere else; a runaway loop at the LLM
 *       gateway (ops × 5–20, tokens × 3–10, errors × 2–3), and through its ops also at the tool
 *       server (tool calls) and the egress proxy (bytes); tool misuse at the tool server (calls
 *       × 2–4, tools + s·(3–6), errors → 0.3–0.7) and a little at the egress proxy (tool payload
 *       bytes), never at the LLM gateway; slow drift at the LLM gateway (output tokens × 3–5,
 *       latency following, switches thinned) and the egress proxy (bytes × 5–10, hosts), not at
 *       the tool server; the coordinated group at the egress proxy (bytes × 3–6, hosts) and,
 *       thinned, in the LLM gateway's model switches.</li>
 * </ul>
 *
 * <h2>Randomness and cost</h2>
 * One {@link SplittableRandom}(seed) draws roles, the compromised set, modes, the group, and then
 * one split per agent in id order; each agent draws its levels, its compromise and all its
 * windows from its own split, so agents are independent streams. The gateway tier draws from
 * streams of its own, seeded by mixes of the seed: its assignment from one, window w's
 * measurement noise from one per window (so a window's views do not depend on whether earlier
 * windows' were asked for), and never from the home stream, so the home views are the same
 * bits with or without observers. Math that reaches output is
 * {@link StrictMath} (or correctly rounded). A window allocates the raw arrays it hands out,
 * which the consumer owns, and four arrays of the fleet's size; with observers, their views
 * and one list per gateway host besides.
 */
public final class SyntheticFleet {
    private static final FeatureSchema SCHEMA = FeatureSchema.agentDefault();
    /** Length of every raw vector: the default schema's ten features. */
    public static final int FEATURES = 10;
    public static final int OPS_PER_MIN = index(FeatureSchema.OPS_PER_MIN);
    public static final int TOOL_CALLS_PER_MIN = index(FeatureSchema.TOOL_CALLS_PER_MIN);
    public static final int DISTINCT_TOOLS = index(FeatureSchema.DISTINCT_TOOLS);
    public static final int INPUT_TOKENS_PER_OP = index(FeatureSchema.INPUT_TOKENS_PER_OP);
    public static final int OUTPUT_TOKENS_PER_OP = index(FeatureSchema.OUTPUT_TOKENS_PER_OP);
    public static final int ERROR_RATE = index(FeatureSchema.ERROR_RATE);
    public static final int LATENCY_MS_MEAN = index(FeatureSchema.LATENCY_MS_MEAN);
    public static final int DISTINCT_HOSTS = index(FeatureSchema.DISTINCT_HOSTS);
    public static final int BYTES_OUT = index(FeatureSchema.BYTES_OUT);
    public static final int MODEL_SWITCHES = index(FeatureSchema.MODEL_SWITCHES);

    private final FleetParams params;
    private final List<AgentSpec> agents;
    private final AgentModel[] models;
    private final long coordinatedGroupStartMicros;
    private final Observers observers;
    private int windowIndex;

    public SyntheticFleet(final FleetParams p) {
        this.params = p;
        final int n = p.agents();
        final SplittableRandom random = new SplittableRandom(p.seed());
        final Noise noise = new Noise(random);

        final AgentRole[] roles = assignRoles(n, noise);
        final int compromised = p.compromisedCount();
        final int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        // the first `compromised` entries of a partial Fisher-Yates shuffle: a uniform random subset
        for (int j = 0; j < compromised; j++) {
            final int k = noise.uniformInt(j, n - 1);
            final int t = order[j];
            order[j] = order[k];
            order[k] = t;
        }
        final CompromiseMode[] planned = CompromisePlan.modes(compromised, noise);
        final CompromiseMode[] modeOf = new CompromiseMode[n];
        for (int j = 0; j < compromised; j++) {
            modeOf[order[j]] = planned[j];
        }
        Effect groupEffect = null;
        long groupStart = -1;
        if (CompromisePlan.groupSize(compromised) > 0) {
            groupEffect = Effect.draw(CompromiseMode.COORDINATED_GROUP, noise);
            groupStart = startOfWindow(noise.uniformInt(p.compromiseEarliestWindow(), p.compromiseLatestWindow()));
        }
        this.coordinatedGroupStartMicros = groupStart;

        final List<AgentSpec> specs = new ArrayList<>(n);
        this.models = new AgentModel[n];
        for (int i = 0; i < n; i++) {
            final Noise agentNoise = new Noise(random.split());
            final CompromiseMode mode = modeOf[i];
            Effect effect = null;
            long start = -1;
            if (mode == CompromiseMode.COORDINATED_GROUP) {
                effect = groupEffect;
                start = groupStart;
            } else if (mode != null) {
                effect = Effect.draw(mode, agentNoise);
                start = startOfWindow(agentNoise.uniformInt(p.compromiseEarliestWindow(), p.compromiseLatestWindow()));
            }
            final AgentSpec spec = new AgentSpec(String.format(Locale.ROOT, "agent-%04d", i), roles[i].label(), mode, start);
            specs.add(spec);
            models[i] = new AgentModel(spec, roles[i], effect, agentNoise, p.windowSeconds());
        }
        this.agents = Collections.unmodifiableList(specs);
        // after every home draw, and from a stream of its own: the home views do not depend on it
        this.observers = new Observers(p);
    }

    /** Role counts proportional to the shares (largest remainder, ties by role order), shuffled over the agents. */
    private static AgentRole[] assignRoles(final int n, final Noise noise) {
        final AgentRole[] kinds = AgentRole.values();
        final int[] counts = new int[kinds.length];
        final double[] remainders = new double[kinds.length];
        int assigned = 0;
        for (int r = 0; r < kinds.length; r++) {
            final double exact = n * kinds[r].share;
            counts[r] = (int) Math.floor(exact);
            remainders[r] = exact - counts[r];
            assigned += counts[r];
        }
        while (assigned < n) {
            int best = 0;
            for (int r = 1; r < kinds.length; r++) {
                if (remainders[r] > remainders[best]) {
                    best = r;
                }
            }
            counts[best]++;
            remainders[best] = -1;
            assigned++;
        }
        final AgentRole[] roles = new AgentRole[n];
        int next = 0;
        for (int r = 0; r < kinds.length; r++) {
            for (int c = 0; c < counts[r]; c++) {
                roles[next++] = kinds[r];
            }
        }
        for (int i = n - 1; i > 0; i--) {
            final int j = noise.uniformInt(0, i);
            final AgentRole t = roles[i];
            roles[i] = roles[j];
            roles[j] = t;
        }
        return roles;
    }

    private long startOfWindow(final int window) {
        return params.startEpochMicros() + window * params.windowMicros();
    }

    private static int index(final String name) {
        final int i = SCHEMA.indexOf(name);
        if (i < 0 || i >= FEATURES || SCHEMA.size() != FEATURES) {
            throw new IllegalStateException("the synthetic fleet models the ten default features; schema lacks or moved " + name);
        }
        return i;
    }

    public FleetParams params() {
        return params;
    }

    /** Every agent, ordered by id (= index). */
    public List<AgentSpec> agents() {
        return agents;
    }

    /** The instant the coordinated group's compromise starts, or -1 when the fleet has no group. */
    public long coordinatedGroupStartMicros() {
        return coordinatedGroupStartMicros;
    }

    /** End of the next window to be generated (during {@link #nextWindow}'s callbacks: of the window being delivered). */
    public long nowMicros() {
        return startOfWindow(windowIndex) + params.windowMicros();
    }

    /** Windows generated so far. */
    public int windowsGenerated() {
        return windowIndex;
    }

    public boolean hasNext() {
        return windowIndex < params.windows();
    }

    /**
     * Generates every agent's observation for the next window, in agent order.
     *
     * @throws NoSuchElementException when the fleet's duration is used up
     */
    public void nextWindow(final ObservationConsumer out) {
        nextWindow(out, null);
    }

    /**
     * Generates the next window: every agent's home view, in agent order, to {@code home}; then, when
     * {@code observerOut} is not null, every gateway host's views, in host order, each listing the
     * agents it observes in agent order. Views cost draws of their own stream only, so asking for
     * them or not changes neither the home views nor any later window's views.
     *
     * @throws NoSuchElementException when the fleet's duration is used up
     */
    public void nextWindow(final ObservationConsumer home, final ObserverConsumer observerOut) {
        if (!hasNext()) {
            throw new NoSuchElementException("fleet of seed " + params.seed() + " has generated all its "
                + params.windows() + " windows");
        }
        final long windowMicros = params.windowMicros();
        final long startMicros = startOfWindow(windowIndex);
        final long endMicros = startMicros + windowMicros;
        final double[][] raws = new double[models.length][];
        final boolean[] labels = new boolean[models.length];
        final double[] modelErrorRates = new double[models.length];
        final double[] toolErrorRates = new double[models.length];
        for (int i = 0; i < models.length; i++) {
            raws[i] = new double[FEATURES];
            try {
                labels[i] = models[i].generate(startMicros, windowMicros, raws[i]);
            } catch (final IllegalStateException e) {
                throw new IllegalStateException("synthetic fleet seed " + params.seed() + ": " + e.getMessage(), e);
            }
            modelErrorRates[i] = models[i].modelErrorRate();
            toolErrorRates[i] = models[i].toolErrorRate();
        }
        // views first: the home consumer owns the home arrays from the moment it gets them
        final double[][][] views = observerOut == null ? null
            : observers.views(windowIndex, raws, modelErrorRates, toolErrorRates);
        for (int i = 0; i < models.length; i++) {
            home.accept(agents.get(i), endMicros, raws[i], labels[i]);
        }
        if (observerOut != null) {
            final List<ObserverHost> hosts = observers.hosts();
            for (int h = 0; h < hosts.size(); h++) {
                final int[] seen = observers.agentsOf(h);
                final List<ObservedAgent> list = new ArrayList<>(seen.length);
                for (int j = 0; j < seen.length; j++) {
                    list.add(new ObservedAgent(agents.get(seen[j]), views[h][j], labels[seen[j]]));
                }
                observerOut.accept(hosts.get(h), endMicros, Collections.unmodifiableList(list));
            }
        }
        windowIndex++;
    }

    /** Generates all remaining windows. */
    public void run(final ObservationConsumer out) {
        while (hasNext()) {
            nextWindow(out);
        }
    }

    /** Generates all remaining windows, home views and every gateway host's views. */
    public void run(final ObservationConsumer home, final ObserverConsumer observerOut) {
        while (hasNext()) {
            nextWindow(home, observerOut);
        }
    }

    /** The gateway hosts, in order: every kind's hosts by number, kinds in {@link GatewayKind} order; empty without observers. */
    public List<ObserverHost> observerHosts() {
        return observers.hosts();
    }

    /** The gateway hosts that observe agent {@code agentIndex} ({@code observersPerAgent} distinct ones), in host order. */
    public List<ObserverHost> observersOf(final int agentIndex) {
        final int[] hs = observers.hostsOf(agentIndex);
        final List<ObserverHost> out = new ArrayList<>(hs.length);
        for (final int h : hs) {
            out.add(observers.hosts().get(h));
        }
        return Collections.unmodifiableList(out);
    }

    /** The agents {@code host} observes, in agent order. */
    public List<AgentSpec> observedBy(final ObserverHost host) {
        final int[] seen = observers.agentsOf(host.index());
        final List<AgentSpec> out = new ArrayList<>(seen.length);
        for (final int a : seen) {
            out.add(agents.get(a));
        }
        return Collections.unmodifiableList(out);
    }

    /** The share of agent {@code agentIndex}'s traffic of its kind that {@code host} carries; NaN when it does not observe the agent. */
    public double share(final int agentIndex, final ObserverHost host) {
        return observers.share(agentIndex, host.index());
    }

    /**
     * Whether agent {@code agentIndex}'s latest generated window (the one being delivered, inside
     * a callback) was part of a normal burst. Ground truth for tests; bursts are never labelled.
     */
    public boolean inBurst(final int agentIndex) {
        return models[agentIndex].burstingNow();
    }

    /** Receives one agent's observation; {@code raw} is a fresh array the consumer may keep. */
    @FunctionalInterface
    public interface ObservationConsumer {
        void accept(AgentSpec agent, long windowEndMicros, double[] raw, boolean compromisedNow);
    }

    /** Receives one gateway host's views of one window; the list is unmodifiable, its arrays fresh ones the consumer may keep. */
    @FunctionalInterface
    public interface ObserverConsumer {
        void accept(ObserverHost host, long windowEndMicros, List<ObservedAgent> seen);
    }
}
