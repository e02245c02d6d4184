package dev.vigil.daemon.tree;

import java.util.List;
import java.util.Map;

/**
 * Where this node sits in the fleet tree, for {@code GET /v1/tree} and {@code vigil status}.
 *
 * @param depth      levels in the tree as this node knows it (top level + 1)
 * @param levels     this node's cluster at every level it belongs to, level 0 first
 * @param fleetNodes leaf nodes the fleet baseline covers (0 before one arrives)
 * @param bounds     what the tree remembers under a bound: how much it holds, and how much made room for newer entries
 */
public record TreeStatus(
    String nodeId, boolean placed, boolean root, String rootId, int depth, int b, List<Level> levels,
    long fleetNodes, long fleetObservations, List<String> quarantined, Map<String, Long> counters, List<String> refusals,
    List<Bound> bounds) {

    /** One cluster: its head, members with coordinates and predicted RTT from this node, and its aggregate's coverage. */
    public record Level(int level, String headId, boolean head, long epoch, int size, List<Member> members,
                        List<String> headChain, int contributors, long leaves, long agents) {
    }

    public record Member(String nodeId, String address, String state, long incarnation, VivaldiCoordinate coordinate,
                         double predictedRttMs) {
    }

    /** One bounded memory of the tree: its name, its bound, entries held, and entries evicted at the bound so far. */
    public record Bound(String name, int max, int size, long evicted) {
    }
}
