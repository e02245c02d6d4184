package dev.vigil.simnet;

import dev.vigil.crypto.SignatureScheme;
import dev.vigil.daemon.core.CoreConfig;
import dev.vigil.daemon.core.FrameCounters;
import dev.vigil.wire.FrameStatus;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code join}: N nodes join through one bootstrap node. Node 0 founds the fleet at t = 0; the
 * others start at random times within the start spread, all with node 0 as their only bootstrap
 * address, and so do the outsiders: hosts whose certificate comes from a CA the fleet does not trust.
 * The run has converged at the first check (every {@value #CHECK_MICROS} µs of simulated time) at
 * which, at that one instant, every node is accepted with a live peer and the graph of live peer
 * links is strongly connected (gossip from any node can reach every other). At every check and at
 * the end, every peer table holds certified nodes only, never itself, within its bound; after every
 * input a node handles, no outsider is in its peer table.
 */
public final class JoinScenario {
    /** How often the convergence condition and invariants are checked, in virtual time. */
    private static final long CHECK_MICROS = 10_000;

    /** Inputs of one run; {@code signatures} is Ed25519 unless a run opts into the simulated scheme. */
    public record Params(
        int nodes, long seed, double loss, long startSpreadMicros, long timeLimitMicros, SignatureScheme signatures,
        int outsiders) {
        public Params {
            if (nodes < 2) {
                throw new IllegalArgumentException("join needs at least 2 nodes, got " + nodes);
            }
            if (signatures == null) {
                throw new IllegalArgumentException("signatures must be a scheme");
            }
            if (outsiders < 0) {
                throw new IllegalArgumentException("outsiders must be 0 or more, got " + outsiders);
            }
        }

        /** A run with {@code signatures} and two outsiders. */
        public Params(final int nodes, final long seed, final double loss, final long startSpreadMicros, final long timeLimitMicros,
                      final SignatureScheme signatures) {
            this(nodes, seed, loss, startSpreadMicros, timeLimitMicros, signatures, 2);
        }

        /** A run with real Ed25519 signatures and two outsiders. */
        public Params(final int nodes, final long seed, final double loss, final long startSpreadMicros, final long timeLimitMicros) {
            this(nodes, seed, loss, startSpreadMicros, timeLimitMicros, SignatureScheme.ED25519);
        }
    }

    private JoinScenario() {
    }

    /** Runs the scenario; the returned report depends only on {@code params}. */
    public static Map<String, Object> run(final Params params, final HostStats host) {
        final SimFleet fleet = new SimFleet(params.seed(), WorldMap.defaultMap(), params.signatures());
        host.watch(fleet);
        fleet.network().setLoss(params.loss());
        final String bootstrap = SimFleet.addressOf(0);
        for (int i = 0; i < params.nodes(); i++) {
            final boolean founder = i == 0;
            fleet.addHost(address -> CoreConfig.defaults(address, founder ? List.of() : List.of(bootstrap)));
        }
        for (int i = 0; i < params.outsiders(); i++) {
            fleet.addOutsider(address -> CoreConfig.defaults(address, List.of(bootstrap)));
        }
        final List<SimHost> nodes = fleet.members();
        final Set<Long> members = new HashSet<>();
        for (final SimHost h : nodes) {
            members.add(h.nodeId());
        }
        for (final SimHost h : fleet.hosts()) {
            final long startMicros = h.index() == 0 ? 0 : fleet.random().nextLong(params.startSpreadMicros());
            fleet.sim().schedule(startMicros, h::start);
        }
        final Invariants invariants = new Invariants();
        final Simulator sim = fleet.sim();
        final List<SimHost> outsiders = fleet.hosts().stream().filter(h -> fleet.isOutsider(h.nodeId())).toList();
        fleet.setAfterInput(h -> {
            if (!fleet.isOutsider(h.nodeId())) {
                for (final SimHost o : outsiders) {
                    if (h.core().isPeer(o.nodeId())) {
                        invariants.fail(sim.nowMicros(), "host " + h.index() + " took outsider " + o.index() + " as a peer");
                    }
                }
            }
        });
        final long[] convergedAt = {-1};
        final Runnable[] check = new Runnable[1];
        check[0] = () -> {
            host.sample();
            invariants.checkMembership(fleet, members, sim.nowMicros());
            if (allJoined(nodes) && connected(nodes)) {
                convergedAt[0] = sim.nowMicros();
            } else {
                sim.schedule(CHECK_MICROS, check[0]);
            }
        };
        sim.schedule(CHECK_MICROS, check[0]);
        sim.runUntil(Simulator.EPOCH_MICROS + params.timeLimitMicros(), () -> convergedAt[0] >= 0);
        invariants.checkMembership(fleet, members, sim.nowMicros());
        return report(params, fleet, nodes, convergedAt[0], invariants);
    }

    private static boolean allJoined(final List<SimHost> nodes) {
        for (final SimHost h : nodes) {
            if (!isJoined(h)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the live peer links (a lists b as alive) form a strongly connected graph over {@code nodes}: every node
     * reaches node 0 and node 0 reaches every node, following links forwards and backwards.
     */
    static boolean connected(final List<SimHost> nodes) {
        final Map<Long, Integer> index = new java.util.HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            index.put(nodes.get(i).nodeId(), i);
        }
        final List<List<Integer>> forward = new java.util.ArrayList<>();
        final List<List<Integer>> backward = new java.util.ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            forward.add(new java.util.ArrayList<>());
            backward.add(new java.util.ArrayList<>());
        }
        for (int i = 0; i < nodes.size(); i++) {
            final SimHost h = nodes.get(i);
            if (!h.isUp()) {
                return false;
            }
            for (final long id : h.core().alivePeerIds()) {
                final Integer j = index.get(id);
                if (j != null) {
                    forward.get(i).add(j);
                    backward.get(j).add(i);
                }
            }
        }
        return reachesAll(forward) && reachesAll(backward);
    }

    private static boolean reachesAll(final List<List<Integer>> edges) {
        final boolean[] seen = new boolean[edges.size()];
        final java.util.ArrayDeque<Integer> todo = new java.util.ArrayDeque<>();
        seen[0] = true;
        todo.add(0);
        int reached = 1;
        while (!todo.isEmpty()) {
            for (final int next : edges.get(todo.poll())) {
                if (!seen[next]) {
                    seen[next] = true;
                    reached++;
                    todo.add(next);
                }
            }
        }
        return reached == edges.size();
    }

    private static boolean isJoined(final SimHost h) {
        return h.isUp() && h.core().isJoined();
    }

    private static Map<String, Object> report(
        final Params params, final SimFleet fleet, final List<SimHost> nodes, final long convergedAtMicros,
        final Invariants invariants) {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("scenario", "join");
        out.put("nodes", params.nodes());
        out.put("seed", params.seed());
        out.put("outsiders", params.outsiders());
        out.put("loss", params.loss());
        out.put("signatures", params.signatures().label);
        out.put("converged", convergedAtMicros >= 0);
        out.put("converge_sim_s", convergedAtMicros < 0 ? null : seconds(convergedAtMicros - Simulator.EPOCH_MICROS));
        out.put("sim_s", seconds(fleet.sim().elapsedMicros()));
        int accepted = 0;
        int joined = 0;
        int peersMin = Integer.MAX_VALUE;
        int peersMax = 0;
        long peersSum = 0;
        final long[] rejected = new long[FrameStatus.values().length];
        for (final SimHost h : nodes) {
            if (!h.isUp()) {
                peersMin = 0;
                continue;
            }
            final var status = h.core().status();
            accepted += status.accepted() ? 1 : 0;
            joined += h.core().isJoined() ? 1 : 0;
            final int peers = status.peers().size();
            peersMin = Math.min(peersMin, peers);
            peersMax = Math.max(peersMax, peers);
            peersSum += peers;
            final FrameCounters.Snapshot frames = status.frames();
            for (final FrameStatus s : FrameStatus.values()) {
                if (!s.ok()) {
                    rejected[s.ordinal()] += frames.rejected(s);
                }
            }
        }
        out.put("accepted_nodes", accepted);
        out.put("joined_nodes", joined);
        final Map<String, Object> peers = new LinkedHashMap<>();
        peers.put("min", peersMin);
        peers.put("mean", Math.round(1000.0 * peersSum / params.nodes()) / 1000.0);
        peers.put("max", peersMax);
        out.put("peers_per_node", peers);
        final Map<String, Object> frames = new LinkedHashMap<>();
        long framesTotal = 0;
        long bytesTotal = 0;
        for (final Map.Entry<String, long[]> e : fleet.network().framesByType().entrySet()) {
            final Map<String, Object> count = new LinkedHashMap<>(); // Map.of iteration order changes between JVM runs
            count.put("frames", e.getValue()[0]);
            count.put("bytes", e.getValue()[1]);
            frames.put(e.getKey(), count);
            framesTotal += e.getValue()[0];
            bytesTotal += e.getValue()[1];
        }
        out.put("frames_by_type", frames);
        out.put("frames_total", framesTotal);
        out.put("bytes_total", bytesTotal);
        out.put("max_frame_bytes", fleet.network().frameBytesMax());
        out.put("max_frame_type", fleet.network().frameTypeMax());
        final Map<String, Object> dropped = new LinkedHashMap<>();
        dropped.put("loss", fleet.network().droppedLoss());
        dropped.put("partition", fleet.network().droppedPartition());
        dropped.put("host_down", fleet.network().droppedHostDown());
        dropped.put("unroutable", fleet.network().droppedUnroutable());
        out.put("dropped", dropped);
        final Map<String, Object> refused = new LinkedHashMap<>();
        for (final FrameStatus s : FrameStatus.values()) {
            if (!s.ok()) {
                refused.put(s.label, rejected[s.ordinal()]);
            }
        }
        out.put("rejected", refused);
        out.put("events", fleet.sim().eventsRun());
        out.put("invariants_failed", invariants.failures());
        return out;
    }

    static double seconds(final long micros) {
        return micros / 1e6;
    }
}
