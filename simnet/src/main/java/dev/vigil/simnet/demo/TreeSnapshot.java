package dev.vigil.simnet.demo;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fleet tree as the demo's daemons report it through {@code GET /v1/tree}, every node's answer
 * at one moment: whether it has formed, and its clusters as their heads see them. Pure: reads the
 * answers it is given.
 *
 * @param names         node id to the demo's name for it (node0, node1, ...)
 * @param problem       why the tree has not formed, or null when it has
 * @param formedAfterS  seconds from the first daemon's start until the tree was first seen formed, NaN if not known
 */
record TreeSnapshot(List<JsonNode> trees, Map<String, String> names, String problem, double formedAfterS) {

    /**
     * Formed: every node placed, all name the same root, exactly that node says it is the root,
     * and every node is a member of the level-0 cluster its head reports.
     */
    static TreeSnapshot of(final List<JsonNode> trees, final Map<String, String> names, final double elapsedS) {
        final String problem = problem(trees, names);
        return new TreeSnapshot(List.copyOf(trees), Map.copyOf(names), problem, problem == null ? elapsedS : Double.NaN);
    }

    private static String problem(final List<JsonNode> trees, final Map<String, String> names) {
        final Map<String, JsonNode> byId = new HashMap<>();
        trees.forEach(t -> byId.put(t.path("node_id").asText(), t));
        final Set<String> rootIds = new LinkedHashSet<>();
        final List<String> claims = new ArrayList<>();
        for (final JsonNode t : trees) {
            final String id = t.path("node_id").asText();
            if (!t.path("placed").asBoolean()) {
                return name(names, id) + " is not placed yet";
            }
            rootIds.add(t.path("root_id").asText("none"));
            if (t.path("root").asBoolean()) {
                claims.add(id);
            }
        }
        if (rootIds.size() != 1) {
            return "nodes name different roots: " + rootIds;
        }
        final String rootId = rootIds.iterator().next();
        if (claims.size() != 1 || !claims.get(0).equals(rootId)) {
            return claims.size() + " nodes say they are the root, all name " + rootId;
        }
        for (final JsonNode t : trees) {
            final String id = t.path("node_id").asText();
            final String headId = t.path("level0_head_id").asText();
            final JsonNode head = byId.get(headId);
            if (head == null) {
                return name(names, id) + "'s head " + headId + " is not one of the demo's nodes";
            }
            if (!memberIds(level(head, 0)).contains(id)) {
                return name(names, id) + " is not in its head " + name(names, headId) + "'s level-0 view";
            }
        }
        return null;
    }

    boolean formed() {
        return problem == null;
    }

    String rootId() {
        return trees.isEmpty() ? null : trees.get(0).path("root_id").asText(null);
    }

    int depth() {
        final JsonNode root = root();
        return root == null ? 0 : root.path("depth").asInt();
    }

    /** "node0 6eb0f8974290d2d1". */
    String label(final String id) {
        return names.containsKey(id) ? names.get(id) + " " + id : id;
    }

    /** The root's answer, or null while the tree has not formed. */
    JsonNode root() {
        if (!formed()) {
            return null;
        }
        for (final JsonNode t : trees) {
            if (t.path("root").asBoolean()) {
                return t;
            }
        }
        return null;
    }

    /** Whether the root's top aggregate covers this many nodes and agents, and every node holds a fleet baseline of all nodes. */
    boolean rootCovers(final int nodes, final int agents) {
        final JsonNode root = root();
        if (root == null) {
            return false;
        }
        final JsonNode top = root.path("levels").path(root.path("levels").size() - 1);
        if (top.path("leaves").asLong() != nodes || top.path("agents").asLong() != agents) {
            return false;
        }
        return trees.stream().allMatch(t -> t.path("fleet_baseline").path("nodes").asLong() == nodes);
    }

    /** Every cluster once, as its head reports it: top level first, then by head id. */
    List<JsonNode> clusters() {
        final Map<String, JsonNode> out = new LinkedHashMap<>();
        for (final JsonNode t : trees) {
            for (final JsonNode l : t.path("levels")) {
                if (l.path("head").asBoolean()) {
                    out.putIfAbsent(l.path("level").asInt() + "/" + l.path("head_id").asText(), l);
                }
            }
        }
        final List<JsonNode> sorted = new ArrayList<>(out.values());
        sorted.sort(Comparator.comparingInt((JsonNode l) -> -l.path("level").asInt()).thenComparing(l -> l.path("head_id").asText()));
        return sorted;
    }

    Map<String, Object> asMap() {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("formed", formed());
        out.put("formed_after_s", Double.isNaN(formedAfterS) ? null : Math.round(formedAfterS * 10) / 10.0);
        out.put("problem", problem);
        out.put("nodes", trees.size());
        final JsonNode root = root();
        out.put("root_id", root == null ? null : rootId());
        out.put("root_name", root == null ? null : names.get(rootId()));
        out.put("depth", root == null ? null : depth());
        out.put("b", trees.isEmpty() ? null : trees.get(0).path("b").asInt());
        final List<Map<String, Object>> clusters = new ArrayList<>();
        for (final JsonNode l : clusters()) {
            final Map<String, Object> c = new LinkedHashMap<>();
            c.put("level", l.path("level").asInt());
            c.put("head_id", l.path("head_id").asText());
            c.put("head_name", names.get(l.path("head_id").asText()));
            c.put("epoch", l.path("epoch").asLong());
            c.put("size", l.path("size").asInt());
            c.put("contributors", l.path("contributors").asInt());
            c.put("leaves", l.path("leaves").asLong());
            c.put("agents", l.path("agents").asLong());
            final List<Map<String, Object>> members = new ArrayList<>();
            for (final JsonNode m : l.path("members")) {
                final Map<String, Object> mm = new LinkedHashMap<>();
                mm.put("node_id", m.path("node_id").asText());
                mm.put("name", names.get(m.path("node_id").asText()));
                mm.put("address", m.path("address").asText());
                mm.put("state", m.path("state").asText());
                mm.put("rtt_ms_from_head", m.path("rtt_ms").isNumber() ? m.path("rtt_ms").asDouble() : null);
                mm.put("rtt_predicted_ms_from_head", m.path("rtt_predicted_ms").isNumber() ? m.path("rtt_predicted_ms").asDouble() : null);
                members.add(mm);
            }
            c.put("members", members);
            clusters.add(c);
        }
        out.put("clusters", clusters);
        final Map<String, Object> fleet = new LinkedHashMap<>();
        fleet.put("nodes", root == null ? null : root.path("fleet_baseline").path("nodes").asLong());
        fleet.put("observations", root == null ? null : root.path("fleet_baseline").path("observations").asLong());
        fleet.put("held_by_nodes", heldBy());
        out.put("fleet_baseline", fleet);
        return out;
    }

    private long heldBy() {
        final JsonNode root = root();
        if (root == null) {
            return 0;
        }
        final long covered = root.path("fleet_baseline").path("nodes").asLong();
        return covered == 0 ? 0 : trees.stream().filter(t -> t.path("fleet_baseline").path("nodes").asLong() == covered).count();
    }

    void print(final PrintStream out) {
        final JsonNode root = root();
        if (root == null) {
            out.printf("fleet tree: not formed (%s)%n", problem);
        } else {
            out.printf("fleet tree: %d node%s, depth %d (B %d), root %s%s%n", trees.size(), trees.size() == 1 ? "" : "s", depth(),
                root.path("b").asInt(), label(rootId()),
                Double.isNaN(formedAfterS) ? "" : String.format(", formed %.1f s after the first daemon started", formedAfterS));
        }
        final int depth = Math.max(1, depth());
        for (final JsonNode l : clusters()) {
            final int level = l.path("level").asInt();
            final String indent = "  ".repeat(Math.max(1, depth - level));
            out.printf("%slevel %d cluster, head %s: %d member%s, epoch %d; its aggregate covers %d node%s and %d agents%n", indent,
                level, label(l.path("head_id").asText()), l.path("size").asInt(), l.path("size").asInt() == 1 ? "" : "s",
                l.path("epoch").asLong(), l.path("leaves").asLong(), l.path("leaves").asLong() == 1 ? "" : "s", l.path("agents").asLong());
            final String headId = l.path("head_id").asText();
            final List<JsonNode> members = new ArrayList<>();
            l.path("members").forEach(members::add);
            members.sort(Comparator.comparing((JsonNode m) -> !m.path("node_id").asText().equals(headId))); // the head first
            for (final JsonNode m : members) {
                final String id = m.path("node_id").asText();
                final String what = id.equals(headId) ? "head"
                    : String.format("%s; RTT from the head %s ms measured, %.3f ms predicted", m.path("state").asText(),
                    m.path("rtt_ms").isNumber() ? String.format("%.3f", m.path("rtt_ms").asDouble()) : "-", m.path("rtt_predicted_ms").asDouble());
                out.printf("%s  %-7s %s  %-21s %s%n", indent, names.getOrDefault(id, "?"), id, m.path("address").asText(), what);
            }
        }
        if (root != null) {
            final long covered = root.path("fleet_baseline").path("nodes").asLong();
            out.println(covered == 0 ? "fleet baseline: none yet"
                : String.format("fleet baseline (the root's merge, sent down): %d node%s, %,d observations; held by %d of %d nodes",
                covered, covered == 1 ? "" : "s", root.path("fleet_baseline").path("observations").asLong(), heldBy(), trees.size()));
        }
    }

    private static JsonNode level(final JsonNode tree, final int level) {
        for (final JsonNode l : tree.path("levels")) {
            if (l.path("level").asInt() == level) {
                return l;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static Set<String> memberIds(final JsonNode level) {
        final Set<String> ids = new LinkedHashSet<>();
        level.path("members").forEach(m -> ids.add(m.path("node_id").asText()));
        return ids;
    }

    private static String name(final Map<String, String> names, final String id) {
        return names.getOrDefault(id, id);
    }
}
