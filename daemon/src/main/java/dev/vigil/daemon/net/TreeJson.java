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
 */
final class TreeJson {
    private TreeJson() {
    }

    /** What one tree answer is made of, gathered on the core's thread. */
    record View(TreeStatus tree, NodeStatus node) {
    }

    static Map<String, Object> of(final View v) {
        final TreeStatus t = v.tree();
        final NodeStatus s = v.node();
        // measured RTTs, where this node also has a peer link to the member
        final Map<String, Double> measuredMs = new HashMap<>();
        for (final NodeStatus.PeerView p : s.peers()) {
            if (p.rttMicrosSmoothed() >= 0) {
                measuredMs.put(p.nodeId(), StatusJson.round3(p.rttMicrosSmoothed() / 1e3));
            }
        }
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("node_id", t.nodeId());
        out.put("placed", t.placed());
        out.put("root", t.root());
        out.put("root_id", t.rootId());
        out.put("depth", t.depth());
        out.put("b", t.b());
        final TreeStatus.Level own = t.levels().isEmpty() ? null : t.levels().get(0);
        out.put("level0_head_id", own == null ? null : own.headId());
        out.put("cluster_size", own == null ? 0 : own.size());
        final List<String> chain = new ArrayList<>();
        if (own != null) {
            chain.add(own.headId());
            chain.addAll(own.headChain());
        }
        out.put("head_chain", chain);
        out.put("coordinate", StatusJson.coordinate(s.coordinate()));
        final List<Map<String, Object>> levels = new ArrayList<>();
        for (final TreeStatus.Level l : t.levels()) {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("level", l.level());
            m.put("head_id", l.headId());
            m.put("head", l.head());
            m.put("epoch", l.epoch());
            m.put("size", l.size());
            m.put("head_chain", l.headChain());
            m.put("contributors", l.contributors());
            m.put("leaves", l.leaves());
            m.put("agents", l.agents());
            final List<Map<String, Object>> members = new ArrayList<>();
            for (final TreeStatus.Member member : l.members()) {
                final Map<String, Object> mm = new LinkedHashMap<>();
                mm.put("node_id", member.nodeId());
                mm.put("address", member.address());
                mm.put("state", member.state());
                mm.put("incarnation", member.incarnation());
                final boolean self = member.nodeId().equals(t.nodeId());
                mm.put("head", member.nodeId().equals(l.headId()));
                mm.put("self", self);
                mm.put("coordinate", member.coordinate() == null ? null : StatusJson.coordinate(member.coordinate()));
                mm.put("rtt_predicted_ms", self ? null : StatusJson.round3(member.predictedRttMs()));
                mm.put("rtt_ms", measuredMs.get(member.nodeId()));
                members.add(mm);
            }
            m.put("members", members);
            levels.add(m);
        }
        out.put("levels", levels);
        final Map<String, Object> fleet = new LinkedHashMap<>();
        fleet.put("nodes", t.fleetNodes());
        fleet.put("observations", t.fleetObservations());
        out.put("fleet_baseline", fleet);
        out.put("quarantined", t.quarantined());
        final Map<String, Object> counters = new LinkedHashMap<>();
        t.counters().forEach((name, value) -> counters.put(name.replace('-', '_').toLowerCase(Locale.ROOT), value));
        out.put("counters", counters);
        out.put("refusals", t.refusals());
        return out;
    }
}
