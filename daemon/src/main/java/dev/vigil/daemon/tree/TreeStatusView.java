package dev.vigil.daemon.tree;

import dev.vigil.daemon.aggregate.Summary;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static dev.vigil.daemon.tree.TreeState.hex;

/** Read-only pictures of the tree state for operators ({@code GET /v1/tree}) and for diagnosing a run. */
final class TreeStatusView {
    private final TreeState s;
    private final TreeNode node;

    TreeStatusView(final TreeState s, final TreeNode node) {
        this.s = s;
        this.node = node;
    }

    TreeStatus status() {
        final List<TreeStatus.Level> out = new ArrayList<>();
        for (final Cluster c : s.levels) {
            if (c == null) {
                continue;
            }
            final List<TreeStatus.Member> members = new ArrayList<>();
            for (final Member m : c.members.values()) {
                members.add(new TreeStatus.Member(hex(m.id), m.address, m.isAlive() ? "alive" : "suspect", m.incarnation,
                    s.coordinateOf(m), m.id == s.selfId ? 0.0 : s.vivaldi.coordinate().distanceMs(m.coordinate)));
            }
            final List<String> chain = new ArrayList<>();
            for (final TreeNode.NodeRef ref : c.isHead() ? s.chainAbove(c.level) : c.chain) {
                chain.add(hex(ref.id()));
            }
            out.add(new TreeStatus.Level(c.level, hex(c.headId()), c.isHead(), c.epoch, c.members.size(), members, chain,
                c.contributions.contributors(), c.contributions.leafCount(), c.contributions.agentCount()));
        }
        final List<String> quarantine = new ArrayList<>();
        for (final long id : node.quarantine().ids()) {
            quarantine.add(hex(id));
        }
        Collections.sort(quarantine);
        final Summary fleet = s.fleet;
        return new TreeStatus(hex(s.selfId), s.levels[0] != null, node.isRoot(), s.root == null ? null : hex(s.root.id()),
            s.topLevel() + 1, s.config.b(), out, fleet == null ? 0 : fleet.contributorCount(),
            fleet == null ? 0 : fleet.moments().count(), quarantine, s.counters.snapshot(), s.refusals(), s.bounds());
    }

    /** What we hold of {@code id}'s contribution at {@code level}, and what we sent last there. */
    String describeContribution(final int level, final long id) {
        final Cluster c = level < TreeState.LEVELS ? s.levels[level] : null;
        if (c == null) {
            return "no level " + level;
        }
        final Summary held = c.contributions.held(id);
        return "held " + (held == null ? "none" : "v" + held.version() + " leaves " + held.contributorCount())
            + (c.lastSent == null ? "" : ", last sent v" + c.lastSent.version() + " leaves " + c.lastSent.contributorCount())
            + ", dirty " + c.contributionDirty + ", ignored older/same/conflicting/departed/full " + c.contributions.ignoredOlder()
            + "/" + c.contributions.ignoredSame() + "/" + c.contributions.ignoredConflicting() + "/"
            + c.contributions.ignoredDeparted() + "/" + c.contributions.refusedFull() + ", early " + node.contributions().earlyHeld();
    }

    /** Rough bytes of tree state this node holds (members, chains, held summaries). */
    long stateBytes() {
        long bytes = 0;
        for (final Cluster c : s.levels) {
            if (c != null) {
                bytes += 64L * c.members.size() + 40L * c.chain.size();
                for (final Summary held : c.contributions.summaries()) {
                    bytes += held.bodyLength();
                }
            }
        }
        return bytes;
    }
}
