package dev.vigil.simnet.verdicts;

import dev.vigil.accel.JavaKernels;
import dev.vigil.accel.Kernels;
import dev.vigil.daemon.cli.Progress;
import dev.vigil.daemon.consensus.KeySigner;
import dev.vigil.daemon.consensus.Request;
import dev.vigil.daemon.consensus.evidence.Decision;
import dev.vigil.daemon.consensus.evidence.EvidenceBatch;
import dev.vigil.daemon.consensus.evidence.EvidenceResult;
import dev.vigil.daemon.consensus.evidence.EvidenceState;
import dev.vigil.daemon.detect.DetectionConfig;
import dev.vigil.daemon.detect.Detector;
import dev.vigil.daemon.detect.FeatureSchema;
import dev.vigil.daemon.verdict.Excursions;
import dev.vigil.daemon.verdict.FleetVerdicts;
import dev.vigil.daemon.verdict.VerdictConfig;
import dev.vigil.simnet.Simulator;
import dev.vigil.simnet.demo.DetectionScore;
import dev.vigil.simnet.fleet.AgentSpec;
import dev.vigil.simnet.fleet.FleetParams;
import dev.vigil.simnet.fleet.ObservedAgent;
import dev.vigil.simnet.fleet.SyntheticFleet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * {@code vigil simnet --scenario fleet-detect}: the synthetic fleet (agents with their home hosts
 * and a gateway tier of observers) over N nodes running the daemon's fleet verdicts, some home
 * hosts lying (half hide their compromised agents, half frame their clean ones; optionally the
 * hiding ones are the homes of compromised agents first). Every observer
 * scores what it sees with the daemon's detector; its scores become evidence, committees decide,
 * certificates flood the tree. Scored against the labels, and against a centralised detector: the
 * same evidence state, in one process, fed every observer's honest evidence (no liars, no network).
 *
 * <p>Layout: the last {@code gateways} nodes are the gateway hosts; agents' homes are spread over
 * the others; the root's committee directory lists the first {@value #CANDIDATES} nodes; liars are
 * drawn from home nodes that are not candidates, so an agent has at most one lying observer (its
 * home) and no committee a lying member: the byzantine scenario covers lying members.
 */
public final class FleetDetect {
    static final int CANDIDATES = 64;
    static final long TICK_MICROS = 500_000;
    /** Before the first window: time for the directory to reach every node and the committees to start. */
    static final long SETTLE_MICROS = 60_000_000;
    /**
     * A hidden agent counts as seen by two honest observers when both their detectors alarmed at
     * least this long before the fleet's end: the time its evidence needs to become a verdict.
     */
    static final long SEEN_MARGIN_MICROS = 900_000_000;

    /** A deliberate fault for tests that show the checks can fail: the gateways frame too, so an agent may have two lying observers. */
    public enum Bug { NONE, GATEWAYS_FRAME }

    /** @param compromisedFraction share of agents compromised (0 for a clean fleet: false verdicts per agent-day) */
    /**
     * @param compromisedFraction share of agents compromised (0 for a clean fleet: false verdicts per agent-day)
     * @param hideCompromised     the hiding liars are the homes of compromised agents first (a compromised host hiding
     *                            its own compromised agent), not drawn at random like the framing ones
     */
    public record Params(int nodes, long seed, double liarsFraction, long hours, int agents, double compromisedFraction, Bug bug,
                         boolean hideCompromised) {
        public Params(final int nodes, final long seed, final double liarsFraction, final long hours, final int agents) {
            this(nodes, seed, liarsFraction, hours, agents, 0.05, Bug.NONE, false);
        }

        public Params {
            if (nodes < 80) {
                throw new IllegalArgumentException("fleet-detect needs at least 80 nodes (64 candidates, 12 gateway hosts and homes), got " + nodes);
            }
            if (!(liarsFraction >= 0 && liarsFraction <= 0.5)) {
                throw new IllegalArgumentException("--liars must be in [0, 50] percent, got " + liarsFraction * 100);
            }
        }
    }

    private FleetDetect() {
    }

    public static Map<String, Object> run(final Params p) {
        return run(p, JavaKernels.INSTANCE);
    }

    /**
     * @param kernels what the committees, the centralised detector and the detectors compute with
     *                ({@code vigil simnet --accel}); the report does not depend on it (exact sums,
     *                and a combination every backend makes in Java)
     */
    public static Map<String, Object> run(final Params p, final Kernels kernels) {
        return run(p, kernels, null);
    }

    /** @param progress told after every window how much of the simulated time has run, or null; the report does not depend on it */
    public static Map<String, Object> run(final Params p, final Kernels kernels, final Progress progress) {
        final long wallStart = System.nanoTime();
        final FleetParams fp = new FleetParams(p.seed(), p.agents(), p.compromisedFraction(), 10, Simulator.EPOCH_MICROS, p.hours() * 3_600, 3_600);
        final SyntheticFleet fleet = new SyntheticFleet(fp);
        final int gateways = fleet.observerHosts().size();
        final int homes = p.nodes() - gateways;
        final VerdictConfig config = VerdictConfig.defaults().withDirectoryInterval(60_000_000);
        final List<String> invariants = new ArrayList<>();
        final Map<String, Long> verdictMicros = new TreeMap<>();
        final Map<String, Integer> verdictNodes = new TreeMap<>();
        final VerdictFleet net = new VerdictFleet(p.nodes(), CANDIDATES, config, p.seed(), fp.startEpochMicros() - SETTLE_MICROS,
            (node, certificate, now) -> {
                final String agent = certificate.verdict().agentId();
                verdictMicros.merge(agent, now, Math::min);
                verdictNodes.merge(agent, 1, Integer::sum);
            }, kernels);
        final List<AgentSpec> agents = fleet.agents();
        final Map<String, Integer> homeOf = new TreeMap<>();
        for (int a = 0; a < agents.size(); a++) {
            homeOf.put(agents.get(a).id(), a % homes);
        }
        // liars: home nodes outside the candidates, half hiding and half framing; with hideCompromised
        // the hiding ones are the homes of compromised agents first (the case hiding is for)
        final SplittableRandom rng = new SplittableRandom(p.seed() ^ 0x6c69_6172L);
        final List<Integer> pool = new ArrayList<>();
        for (int i = CANDIDATES; i < homes; i++) {
            pool.add(i);
        }
        final List<Integer> compromisedHomes = new ArrayList<>();
        for (final AgentSpec a : agents) {
            final int home = homeOf.get(a.id());
            if (a.compromised() && home >= CANDIDATES && !compromisedHomes.contains(home)) {
                compromisedHomes.add(home);
            }
        }
        final int liarCount = Math.min(pool.size(), (int)Math.round(p.liarsFraction() * p.nodes()));
        final Map<Integer, FleetVerdicts.Lie> liars = new TreeMap<>();
        for (int k = 0; k < liarCount; k++) {
            final FleetVerdicts.Lie how = k % 2 == 0 ? FleetVerdicts.Lie.HIDE : FleetVerdicts.Lie.FRAME;
            final int node = how == FleetVerdicts.Lie.HIDE && p.hideCompromised() && !compromisedHomes.isEmpty()
                ? compromisedHomes.remove(rng.nextInt(compromisedHomes.size()))
                : pool.get(rng.nextInt(pool.size()));
            pool.remove(Integer.valueOf(node));
            compromisedHomes.remove(Integer.valueOf(node));
            liars.put(node, how);
            net.nodes.get(node).verdicts.lie(how);
        }
        if (p.bug() == Bug.GATEWAYS_FRAME) {
            for (int g = homes; g < p.nodes(); g++) {
                liars.put(g, FleetVerdicts.Lie.FRAME);
                net.nodes.get(g).verdicts.lie(FleetVerdicts.Lie.FRAME);
            }
        }
        // detectors: one per node; scores go to the node's fleet verdicts and to the centralised detector
        final DetectionConfig detection = DetectionConfig.defaults();
        final List<Detector> detectors = new ArrayList<>(p.nodes());
        final Central central = new Central(p.nodes(), config, kernels);
        for (int i = 0; i < p.nodes(); i++) {
            final Detector d = new Detector(FeatureSchema.agentDefault(), detection, kernels);
            final FleetVerdicts v = net.nodes.get(i).verdicts;
            final int node = i;
            d.setScoreListener((agent, llr, cusum) -> {
                v.onScore(agent, llr, cusum);
                central.onScore(node, agent, llr, cusum);
            });
            detectors.add(d);
        }
        net.runUntil(fp.startEpochMicros(), TICK_MICROS);
        final long[] observations = {0};
        final long simulatedSecondsTotal = fp.endEpochMicros() / 1_000_000L - fp.startEpochMicros() / 1_000_000L;
        while (fleet.hasNext()) {
            final long windowEnd = fleet.nowMicros() + fp.windowMicros();
            net.runUntil(windowEnd, TICK_MICROS);
            fleet.nextWindow((agent, end, raw, compromisedNow) -> {
                observations[0]++;
                detectors.get(homeOf.get(agent.id())).observe(agent.id(), agent.role(), end, raw);
            }, (host, end, seen) -> {
                final Detector d = detectors.get(homes + host.index());
                for (final ObservedAgent o : seen) {
                    observations[0]++;
                    d.observe(o.agent().id(), o.agent().role(), end, o.raw());
                }
            });
            central.flush(windowEnd);
            if (progress != null) {
                final long simulatedSeconds = (windowEnd - fp.startEpochMicros()) / 1_000_000L;
                progress.update((double)simulatedSeconds / simulatedSecondsTotal, String.format("simulated %s of %s  %,d obs",
                    Progress.duration(simulatedSeconds), Progress.duration(simulatedSecondsTotal), observations[0]));
            }
        }
        if (progress != null) {
            progress.done(String.format("simulated %s  %,d obs", Progress.duration(simulatedSecondsTotal), observations[0]));
        }
        net.runUntil(fp.endEpochMicros() + 120_000_000, TICK_MICROS);

        // what the run shows
        long internalErrors = 0;
        long evidenceBytes = 0;
        long viewChanges = 0;
        for (final VerdictFleet.Node n : net.nodes) {
            internalErrors += n.verdicts.internalErrors();
            evidenceBytes += n.verdicts.counters().evidenceBytesSent();
            viewChanges += n.verdicts.viewChanges();
        }
        if (internalErrors > 0) {
            invariants.add(internalErrors + " internal errors in fleet verdicts");
        }
        int framedConvicted = 0;
        int hidden = 0;
        int hiddenConvicted = 0;
        int hiddenSeen = 0;
        int hiddenSeenConvicted = 0;
        for (final AgentSpec a : agents) {
            final FleetVerdicts.Lie lie = liars.get(homeOf.get(a.id()));
            final Long at = verdictMicros.get(a.id());
            boolean framed = lie == FleetVerdicts.Lie.FRAME;
            for (final dev.vigil.simnet.fleet.ObserverHost h : fleet.observersOf(agents.indexOf(a))) {
                framed |= liars.get(homes + h.index()) == FleetVerdicts.Lie.FRAME;
            }
            if (!a.compromised() && framed && at != null) {
                framedConvicted++;
                invariants.add("clean agent " + a.id() + " convicted while its home host framed it (framing alone must never convict)");
            }
            if (a.compromised() && lie == FleetVerdicts.Lie.HIDE) {
                hidden++;
                final boolean convicted = at != null && at >= a.compromiseStartMicros();
                if (convicted) {
                    hiddenConvicted++;
                }
                // seen: two honest observers' own detectors alarmed on it, early enough for a verdict
                final List<String> seenBy = new ArrayList<>();
                for (final dev.vigil.simnet.fleet.ObserverHost h : fleet.observersOf(agents.indexOf(a))) {
                    final int node = homes + h.index();
                    final Detector.AgentDetail d = detectors.get(node).agent(a.id());
                    if (!liars.containsKey(node) && d != null && d.summary().alarmedMicros() >= a.compromiseStartMicros()
                        && d.summary().alarmedMicros() <= fp.endEpochMicros() - SEEN_MARGIN_MICROS) {
                        seenBy.add("node " + node + " at " + (d.summary().alarmedMicros() - fp.startEpochMicros()) / 1_000_000 + " s");
                    }
                }
                if (seenBy.size() >= 2) {
                    hiddenSeen++;
                    if (convicted) {
                        hiddenSeenConvicted++;
                    } else {
                        invariants.add("compromised agent " + a.id() + " hidden by its home and seen by two honest observers ("
                            + String.join(", ", seenBy) + ") was not convicted");
                    }
                }
            }
        }
        final Map<String, Object> verdictScore = DetectionScore.score(agents, verdictMicros);
        final Map<String, Object> centralScore = DetectionScore.score(agents, central.decidedMicros);
        final List<Double> delays = new ArrayList<>();
        for (final AgentSpec a : agents) {
            final Long at = verdictMicros.get(a.id());
            if (a.compromised() && at != null && at >= a.compromiseStartMicros()) {
                delays.add((at - a.compromiseStartMicros()) / 1e6);
            }
        }
        delays.sort(Double::compare);
        final Map<String, Long> localAlarms = new TreeMap<>();
        for (int i = 0; i < homes; i++) {
            for (final Detector.AgentSummary s : detectors.get(i).agents()) {
                if (s.alarmedMicros() >= 0) {
                    localAlarms.put(s.agent(), s.alarmedMicros());
                }
            }
        }
        final Map<String, Object> localScore = DetectionScore.score(agents, localAlarms);

        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("scenario", "fleet-detect");
        out.put("nodes", p.nodes());
        out.put("seed", p.seed());
        out.put("agents", agents.size());
        out.put("compromised", fp.compromisedCount());
        out.put("hours", p.hours());
        out.put("gateway_hosts", gateways);
        out.put("liars", liars.size());
        out.put("liars_hiding", liars.values().stream().filter(l -> l == FleetVerdicts.Lie.HIDE).count());
        out.put("liars_framing", liars.values().stream().filter(l -> l == FleetVerdicts.Lie.FRAME).count());
        out.put("hide_compromised", p.hideCompromised());
        out.put("f", config.f());
        out.put("verdict_precision", verdictScore.get("precision"));
        out.put("verdict_recall", verdictScore.get("recall"));
        out.put("central_precision", centralScore.get("precision"));
        out.put("central_recall", centralScore.get("recall"));
        out.put("local_precision", localScore.get("precision"));
        out.put("local_recall", localScore.get("recall"));
        out.put("false_verdicts", verdictScore.get("false_alarms"));
        final long cleanAgents = agents.stream().filter(a -> !a.compromised()).count();
        out.put("false_verdicts_per_clean_agent_day", cleanAgents == 0 ? null
            : (int)verdictScore.get("false_alarms") / (cleanAgents * p.hours() / 24.0));
        out.put("false_local_alarms", localScore.get("false_alarms"));
        out.put("central_false_verdicts", centralScore.get("false_alarms"));
        out.put("verdict_delay_p50_s", quantile(delays, 0.5));
        out.put("verdict_delay_p99_s", quantile(delays, 0.99));
        out.put("hidden_by_home", hidden);
        out.put("hidden_by_home_convicted", hiddenConvicted);
        out.put("hidden_seen_by_two_honest", hiddenSeen);
        out.put("hidden_seen_by_two_honest_convicted", hiddenSeenConvicted);
        out.put("framed_clean_convicted", framedConvicted);
        out.put("verdicts_detected_by_mode", verdictScore.get("detected_by_mode"));
        out.put("central_detected_by_mode", centralScore.get("detected_by_mode"));
        out.put("missed", verdictScore.get("missed"));
        out.put("false_verdict_agents", verdictScore.get("false_alarm_agents"));
        out.put("evidence_bytes_per_agent_hour", Math.round(evidenceBytes / (double)(agents.size() * p.hours())));
        out.put("messages", net.messages);
        out.put("message_bytes", net.bytes);
        out.put("view_changes", viewChanges);
        out.put("messages_by_kind", byKind(net.messagesByKind, net.bytesByKind));
        out.put("invariants_failed", invariants);
        out.put("converged", true);
        out.put("events", net.events);
        out.put("sim_s", (net.nowMicros - (fp.startEpochMicros() - SETTLE_MICROS)) / 1e6);
        out.put("wall_s", Math.round((System.nanoTime() - wallStart) / 1e7) / 100.0);
        return out;
    }

    private static final String[] TAGS = {"?", "replica", "directory", "evidence", "ack", "share", "certificate"};

    private static Map<String, String> byKind(final long[] count, final long[] bytes) {
        final Map<String, String> out = new LinkedHashMap<>();
        for (int k = 0; k < count.length; k++) {
            if (count[k] > 0) {
                final String name = k < 16 ? (k < TAGS.length ? TAGS[k] : "tag-" + k)
                    : "replica-" + dev.vigil.daemon.consensus.MessageKind.values()[Math.max(0, Math.min(10, k - 17))].label;
                out.put(name, count[k] + " messages, " + bytes[k] + " bytes");
            }
        }
        return out;
    }

    private static Double quantile(final List<Double> sorted, final double q) {
        if (sorted.isEmpty()) {
            return null;
        }
        final int i = (int)Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1);
        return Math.round(sorted.get(Math.max(0, i)) * 1000) / 1000.0;
    }

    /**
     * The centralised detector: every observer's honest evidence, as its excursions make it, applied
     * to one evidence state in one process, a request per observer per window (no network, no liars).
     */
    private static final class Central {
        private final Excursions[] excursions;
        private final List<List<Excursions.Pending>> pending;
        private final long[] nextDot;
        private final long[] nextRequest;
        private final KeySigner[] signers;
        private final EvidenceState state;
        final Map<String, Long> decidedMicros = new TreeMap<>();
        private long seq;
        private final double temper;

        Central(final int observers, final VerdictConfig config, final Kernels kernels) {
            this.temper = config.llrTemper();
            this.excursions = new Excursions[observers];
            this.pending = new ArrayList<>(observers);
            this.nextDot = new long[observers];
            this.nextRequest = new long[observers];
            this.signers = new KeySigner[observers];
            for (int i = 0; i < observers; i++) {
                excursions[i] = new Excursions(config.sendLevel(), config.agentsMax());
                pending.add(new ArrayList<>());
                nextDot[i] = 1;
                signers[i] = new KeySigner(VerdictFleet.key(0x63656e74L, i));
            }
            this.state = new EvidenceState(config.evidence(), kernels);
        }

        void onScore(final int observer, final String agent, final double llr, final double cusum) {
            pending.get(observer).addAll(excursions[observer].onScore(agent, llr * temper, cusum));
        }

        void flush(final long nowMicros) {
            final List<Request> requests = new ArrayList<>();
            for (int o = 0; o < pending.size(); o++) {
                final List<Excursions.Pending> p = pending.get(o);
                for (int from = 0; from < p.size(); from += EvidenceBatch.RECORDS_MAX) {
                    final List<EvidenceBatch.Record> records = new ArrayList<>();
                    for (final Excursions.Pending x : p.subList(from, Math.min(p.size(), from + EvidenceBatch.RECORDS_MAX))) {
                        records.add(new EvidenceBatch.Record(nextDot[o]++, x.agent(), x.excursion(), x.increments()));
                    }
                    requests.add(Request.signed(signers[o], 0, ++nextRequest[o], new EvidenceBatch(nowMicros, records).encode()));
                }
                p.clear();
            }
            if (requests.isEmpty()) {
                return;
            }
            for (final byte[] result : state.apply(++seq, requests)) {
                for (final Decision d : EvidenceResult.decode(result).decisions()) {
                    decidedMicros.putIfAbsent(d.agent(), nowMicros);
                }
            }
        }
    }
}
