package dev.vigil.daemon.net;

import dev.vigil.daemon.core.NodeStatus;
import dev.vigil.daemon.tree.TreeStatus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON shape of {@code GET /v1/tree}: where this node sits in the fleet tree, snake_case keys
 * like {@code /v1/status}. The top-level {@code head_chain}, {@code cluster_size} and
 * {@code level0_head_id} repeat what {@code levels} says, for operators and scripts that only
 * want the answer to "where is this node".
 *
 * @param level0HeadId null when the node is in no cluster yet
 * @param counters     the tree's counters, names in snake_case
 * @param bounds       each bounded memory of the tree: its bound, what it holds, and what was evicted at the bound
 */
record TreeJson(String nodeId, boolean placed, boolean root, String rootId, int depth, int b, String level0HeadId,
                int clusterSize, List<String> headChain, ApiJson.Coordinate coordinate, List<Level> levels,
                FleetBaseline fleetBaseline, List<String> quarantined, Map<String, Long> counters, List<String> refusals,
                List<TreeStatus.Bound> bounds) {

    /** What one tree answer is made of, gathered on the core's thread. */
    record View(TreeStatus tree, NodeStatus node) {
    }

    /** This node's cluster at one level. */
    record Level(int level, String headId, boolean head, long epoch, int size, List<String> headChain, int contributors,
                 long leaves, long agents, List<Member> members) {
    }

    /**
     * One member of a cluster.
     *
     * @param coordinate     null until the member has sent one
     * @param rttPredictedMs from the coordinates; null for this node itself
     * @param rttMs          measured, null where this node has no peer link to the member
     */
    record Member(String nodeId, String address, String state, long incarnation, boolean head, boolean self,
                  ApiJson.Coordinate coordinate, Double rttPredictedMs, Double rttMs) {
    }

    /** What the fleet baseline this node holds covers. */
    record FleetBaseline(long nodes, long observations) {
    }

    static TreeJson of(final View v) {
        final TreeStatus t = v.tree();
        final NodeStatus s = v.node();
        // measured RTTs, where this node also has a peer link to the member
        final Map<String, Double> measuredMs = new HashMap<>();
        for (final NodeStatus.PeerView p : s.peers()) {
            if (p.rttMicrosSmoothed() >= 0) {
                measuredMs.put(p.nodeId(), ApiJson.round3(p.rttMicrosSmoothed() / 1e3));
            }
        }
        final TreeStatus.Level own = t.levels().isEmpty() ? null : t.levels().get(0);
        final List<String> chain = new ArrayList<>();
        if (own != null) {
            chain.add(own.headId());
            chain.addAll(own.headChain());
        }
        final List<Level> levels = new ArrayList<>();
        for (final TreeStatus.Level l : t.levels()) {
            final List<Member> members = new ArrayList<>();
            for (final TreeStatus.Member member : l.members()) {
                final boolean self = member.nodeId().equals(t.nodeId());
                members.add(new Member(member.nodeId(), member.address(), member.state(), member.incarnation(),
                    member.nodeId().equals(l.headId()), self,
                    member.coordinate() == null ? null : ApiJson.Coordinate.of(member.coordinate()),
                    self ? null : ApiJson.round3(member.predictedRttMs()), measuredMs.get(member.nodeId())));
            }
            levels.add(new Level(l.level(), l.headId(), l.head(), l.epoch(), l.size(), l.headChain(), l.contributors(),
                l.leaves(), l.agents(), members));
        }
        final Map<String, Long> counters = new LinkedHashMap<>();
        t.counters().forEach((name, value) -> counters.put(name.replace('-', '_').toLowerCase(Locale.ROOT), value));
        return new TreeJson(t.nodeId(), t.placed(), t.root(), t.rootId(), t.depth(), t.b(),
            own == null ? null : own.headId(), own == null ? 0 : own.size(), chain, ApiJson.Coordinate.of(s.coordinate()),
            levels, new FleetBaseline(t.fleetNodes(), t.fleetObservations()), t.quarantined(), counters, t.refusals(),
            t.bounds());
    }
}
