package dev.vigil.daemon.tree;

import dev.vigil.wire.MessageType;
import dev.vigil.wire.TreeAdmitBody;
import dev.vigil.wire.TreeMergeBody;
import dev.vigil.wire.WireWriter;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.vigil.daemon.tree.TreeState.hex;

/**
 * What a head does for a cluster it heads ({@link Cluster#head()} holds its state): admits
 * members, sends its view, splits a cluster that outgrew B (as it admits, so a join storm never
 * grows one past B + 1), asks its parent to merge an underfull one, and, as a parent, decides
 * where an underfull child goes. The root grows and drops the top level.
 */
final class HeadDuties {
    private final TreeState s;
    private final TreeNode node;
    private final TreeMergeBody merge = new TreeMergeBody();

    HeadDuties(final TreeState s, final TreeNode node) {
        this.s = s;
        this.node = node;
    }

    void tick(final Cluster c, final long nowMicros) {
        final Cluster.HeadState head = c.head();
        final int half = (s.config.b() + 1) / 2;
        if (c.members.size() > s.config.b()) {
            split(c, nowMicros);
            return;
        }
        final boolean top = c.chain.isEmpty() && s.levels[c.level + 1 < TreeState.LEVELS ? c.level + 1 : c.level] == null;
        final boolean quiet = nowMicros - c.changedMicros >= s.config.mergeDelayMicros();
        if (top && c.level > 0 && c.members.size() == 1 && quiet) {
            // a top cluster of one: the level is not needed any more
            s.levels[c.level] = null;
            s.refreshTopLevels();
            s.levels[c.level - 1].viewChanged();
            s.log.info("tree: root " + hex(s.selfId) + " drops level " + c.level);
            return;
        }
        if (!top && c.level == 0 && c.members.size() == 1 && !s.isRootHere() && quiet) {
            // a head of nobody but itself (its members left, or replaced it): join a cluster as a member
            s.log.info("tree: " + hex(s.selfId) + " heads a level 0 cluster of one; joining another as a member");
            node.views().dropLevel(0, nowMicros, true);
            node.descent().startSeek(0, 0, nowMicros);
            return;
        }
        if (!top && c.members.size() < half && quiet && nowMicros - head.mergeRequestedMicros >= s.config.mergeDelayMicros()) {
            requestMerge(c, nowMicros);
        }
        if (head.viewDirty || nowMicros - head.viewSentMicros >= s.config.viewRefreshMicros()) {
            head.viewDirty = false;
            head.viewSentMicros = nowMicros;
            for (final Member m : c.members.values()) {
                if (m.id != s.selfId) {
                    node.views().sendView(c, m.address, false);
                }
            }
        }
    }

    /** The head changed who is in its cluster: a new epoch, a view to send, contributions of leavers dropped. */
    void membershipChanged(final Cluster c, final long nowMicros) {
        c.epoch++;
        c.viewChanged();
        c.changedMicros = nowMicros;
        c.probeOrder.clear();
        // contributions of members that left no longer count, and the contribution we send up says so at once
        if (c.forgetDeparted()) {
            node.contributions().retracted(c, nowMicros);
        }
        // a new member needs our contribution
        c.resendNeeded = true;
    }

    void onAdmit(final long senderId, final String senderAddress, final DirectBuffer buffer, final int offset,
                 final long nowMicros) {
        final int level = TreeAdmitBody.level(buffer, offset);
        final long replaces = TreeAdmitBody.replaces(buffer, offset);
        if (senderAddress == null || level >= TreeState.LEVELS) {
            s.malformed("tree-admit", senderId, senderAddress == null ? "no address to answer" : "level " + level + " is no cluster's");
            return;
        }
        VivaldiCoordinate coordinate = VivaldiCoordinate.tryReadFrom(buffer, TreeAdmitBody.coordinateOffset(offset));
        if (coordinate == null) {
            coordinate = VivaldiCoordinate.ORIGIN;
        }
        Cluster c = s.levels[level];
        if ((c == null || !c.isHead()) && s.isRootHere() && level == s.topLevel() + 1 && level < TreeState.LEVELS) {
            c = growTop(nowMicros);
        }
        if (c == null || !c.isHead()) {
            node.descent().sendRefer(senderAddress, -1);
            return;
        }
        if (level > 0 && node.quarantine().contains(senderId)) {
            // a node we quarantined (replaced for forging, or implausible) heads nothing under us again;
            // it may still join a cluster at level 0, where its own statistics are left out of our merges
            s.counters.stale++;
            s.refuse("admission of quarantined " + hex(senderId) + " at level " + level);
            return;
        }
        if (replaces != 0 && replaces != senderId && c.members.containsKey(replaces) && replaces != s.selfId) {
            removeMember(c, replaces, "replaced by " + hex(senderId), nowMicros);
        }
        Member m = c.members.get(senderId);
        if (m == null) {
            m = new Member(senderId, senderAddress, coordinate);
            c.members.put(senderId, m);
            c.contributions.readmit(senderId);
            membershipChanged(c, nowMicros);
            s.counters.admitted++;
            node.contributions().forgetEarly(c, senderId);
            node.contributions().adoptEarly(c, nowMicros);
            node.swim().measure(senderId, senderAddress, nowMicros);
            if (c.members.size() > s.config.b()) {
                // full: split now, as a B-tree node does, so a join storm never grows a cluster past B + 1
                // (its view would outgrow a frame); the new member hears from the split if it went away
                split(c, nowMicros);
                if (!c.members.containsKey(senderId)) {
                    return;
                }
            }
        } else {
            m.address = senderAddress;
            m.coordinate = coordinate;
        }
        node.views().sendView(c, m.address, true);
    }

    /** As root with top level T, makes a level T+1 cluster holding only this node (its head). */
    Cluster growTop(final long nowMicros) {
        final int level = s.topLevel() + 1;
        final Cluster c = s.newClusterOfOne(level);
        c.changedMicros = nowMicros;
        s.levels[level] = c;
        s.refreshTopLevels();
        s.levels[level - 1].contributionDirty = true;
        s.log.info("tree: root " + hex(s.selfId) + " grows level " + level);
        return c;
    }

    void split(final Cluster c, final long nowMicros) {
        final int half = (s.config.b() + 1) / 2;
        final Map<Long, VivaldiCoordinate> coordinates = s.coordinatesOf(c);
        final TreeRules.Split split = c.level == 0 ? splitByMeasuredRtt(c, half, coordinates)
            : TreeRules.twoMeans(c.memberIds(), coordinates::get, half);
        final long[] keep = contains(split.first(), s.selfId) ? split.first() : split.second();
        final long[] away = keep == split.first() ? split.second() : split.first();
        final long newHead = TreeRules.medoid(node.election().eligibleHeads(away), RttFunction.predicted(coordinates::get));
        final List<Member> awayMembers = new ArrayList<>();
        for (final long id : away) {
            awayMembers.add(c.members.get(id));
        }
        // the level above: the parent's cluster, or a new top level with this node as root
        if (s.isRootHere() && (c.level + 1 >= TreeState.LEVELS || s.levels[c.level + 1] == null)) {
            growTop(nowMicros);
        }
        for (final long id : away) {
            c.members.remove(id);
        }
        membershipChanged(c, nowMicros);
        final Member newHeadMember = awayMembers.stream().filter(m -> m.id == newHead).findFirst().orElseThrow();
        final String newHeadAddress = newHeadMember.address;
        final Cluster parent = c.level + 1 < TreeState.LEVELS ? s.levels[c.level + 1] : null;
        if (parent != null && parent.isHead() && !parent.members.containsKey(newHead)) {
            // we head the level above too: the new head is a member there at once
            parent.members.put(newHead, new Member(newHead, newHeadAddress, newHeadMember.coordinate));
            parent.contributions.readmit(newHead);
            membershipChanged(parent, nowMicros);
        }
        s.log.info("tree: " + hex(s.selfId) + " splits its level " + c.level + " cluster: keeps " + keep.length
            + ", hands " + away.length + " to " + hex(newHead));
        s.counters.splits++;
        // the new head first, so it heads before its members hear of it
        node.views().sendViewAs(c, newHead, awayMembers, c.epoch, null, newHeadAddress, false);
        for (final Member m : awayMembers) {
            if (m.id != newHead) {
                node.views().sendViewAs(c, newHead, awayMembers, c.epoch, null, m.address, false);
            }
        }
        c.viewChanged();
        if (parent != null && parent.isHead() && parent.members.size() > s.config.b()) {
            // the new head filled the level above, which we head too: split it now, as admission does, so no input
            // leaves a cluster over B (the split cascades up, growing a level at the top as a B-tree does)
            split(parent, nowMicros);
        }
    }

    /**
     * A leaf split by what this head measured: members sorted by round trip from the head, cut at
     * the widest relative gap that leaves both halves legal (a region boundary, when there is one).
     * Coordinates learned in the first seconds cannot tell regions apart well enough; a measured
     * round trip can. Without a real gap (one region) it falls back to 2-means on coordinates.
     */
    private TreeRules.Split splitByMeasuredRtt(final Cluster c, final int half, final Map<Long, VivaldiCoordinate> coordinates) {
        final List<Member> sorted = new ArrayList<>(c.members.values());
        final VivaldiCoordinate self = s.vivaldi.coordinate();
        final Map<Long, Double> rttMs = new HashMap<>();
        for (final Member m : sorted) {
            rttMs.put(m.id, m.id == s.selfId ? 0.0 : m.rttMicros > 0 ? m.rttMicros / 1000.0 : self.distanceMs(m.coordinate));
        }
        sorted.sort((a, b) -> {
            final int byRtt = Double.compare(rttMs.get(a.id), rttMs.get(b.id));
            return byRtt != 0 ? byRtt : Long.compareUnsigned(a.id, b.id);
        });
        int cut = -1;
        double widest = 0;
        for (int i = half; i <= sorted.size() - half; i++) {
            final double below = rttMs.get(sorted.get(i - 1).id);
            final double above = rttMs.get(sorted.get(i).id);
            final double gap = (above + 1.0) / (below + 1.0);
            if (gap > widest) {
                widest = gap;
                cut = i;
            }
        }
        if (cut < 0 || widest < 2.0) {
            return TreeRules.twoMeans(c.memberIds(), coordinates::get, half);
        }
        final long[] near = new long[cut];
        final long[] far = new long[sorted.size() - cut];
        for (int i = 0; i < sorted.size(); i++) {
            if (i < cut) {
                near[i] = sorted.get(i).id;
            } else {
                far[i - cut] = sorted.get(i).id;
            }
        }
        return new TreeRules.Split(near, far);
    }

    private void requestMerge(final Cluster c, final long nowMicros) {
        c.head().mergeRequestedMicros = nowMicros;
        final Cluster parent = s.levels[c.level + 1];
        if (parent == null) {
            return;
        }
        if (parent.isHead()) {
            decideMerge(parent, s.selfId, nowMicros);
        } else {
            sendMerge(parent.headAddress, c.level, s.selfId, s.selfAddress);
        }
    }

    private void sendMerge(final String address, final int level, final long targetId, final String targetAddress) {
        final WireWriter w = s.outbox.begin(TreeMergeBody.length(targetAddress), false);
        TreeMergeBody.write(w, level, targetId, targetAddress);
        s.outbox.send(address, MessageType.TREE_MERGE, w);
    }

    /**
     * As the head of {@code parent}, handles member {@code underfull}'s request: the nearest other
     * member (sibling head) is chosen; the one of the two that is this node absorbs the other, else
     * the underfull one moves into the sibling. The mover leaves {@code parent}.
     */
    private void decideMerge(final Cluster parent, final long underfull, final long nowMicros) {
        final Member u = parent.members.get(underfull);
        if (u == null || parent.members.size() < 2) {
            return;
        }
        final VivaldiCoordinate from = s.coordinateOf(u);
        Member best = null;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (final Member m : parent.members.values()) {
            if (m.id == underfull) {
                continue;
            }
            final double d = from.distanceMs(s.coordinateOf(m));
            if (d < bestDistance) {
                best = m;
                bestDistance = d;
            }
        }
        final Member mover = best.id == s.selfId ? u : underfull == s.selfId ? best : u;
        final Member absorber = mover == u ? best : u;
        s.counters.merges++;
        s.log.info("tree: " + hex(s.selfId) + " merges level " + (parent.level - 1) + " cluster of " + hex(mover.id)
            + " into " + hex(absorber.id));
        parent.members.remove(mover.id);
        membershipChanged(parent, nowMicros);
        if (mover.id == s.selfId) {
            dissolve(parent.level - 1, new TreeNode.NodeRef(absorber.id, absorber.address), nowMicros);
        } else {
            sendMerge(mover.address, parent.level - 1, absorber.id, absorber.address);
        }
    }

    void onMerge(final long senderId, final DirectBuffer buffer, final int offset, final int length, final long nowMicros) {
        final TreeMergeBody r = merge.wrap(buffer, offset, length);
        final int level = r.level();
        final long targetId = r.targetId();
        final String targetAddress = r.targetAddress();
        if (level + 1 >= TreeState.LEVELS) {
            s.malformed("tree-merge", senderId, "no cluster above level " + level);
            return;
        }
        final Cluster parent = s.levels[level + 1];
        if (parent == null) {
            s.counters.stale++;
            return;
        }
        if (parent.isHead() && targetId == senderId) {
            decideMerge(parent, senderId, nowMicros); // an underfull member asks us, its parent
        } else if (parent.headId() == senderId && s.levels[level] != null && s.levels[level].isHead()) {
            dissolve(level, new TreeNode.NodeRef(targetId, targetAddress), nowMicros); // our parent tells us where to go
        } else {
            s.counters.stale++;
        }
    }

    /** Hands every member of our level-{@code level} cluster to {@code into}, and joins it ourselves. */
    private void dissolve(final int level, final TreeNode.NodeRef into, final long nowMicros) {
        final Cluster c = s.levels[level];
        for (final Member m : c.members.values()) {
            if (m.id != s.selfId) {
                node.views().sendViewAs(c, s.selfId, List.of(), c.epoch + 1, into, m.address, false);
            }
        }
        s.levels[level] = null;
        for (int l = level + 1; l < TreeState.LEVELS; l++) {
            s.levels[l] = null;
            s.seeks[l] = null;
        }
        node.descent().seekAt(level, into.address(), 0, nowMicros);
    }

    void removeMember(final Cluster c, final long id, final String why, final long nowMicros) {
        final Member gone = c.members.remove(id);
        if (gone == null) {
            return;
        }
        s.counters.removed++;
        s.log.peerInfo(id, null, "tree: " + hex(s.selfId) + " drops " + hex(id) + " from its level " + c.level + " cluster: " + why);
        membershipChanged(c, nowMicros);
        // the view without it tells a member we wrongly declared dead, or one replaced, at once to find
        // a place again (it would otherwise wait for its view to time out); one frame to a dead node is lost
        node.views().sendView(c, gone.address, false);
    }

    private static boolean contains(final long[] ids, final long id) {
        for (final long x : ids) {
            if (x == id) {
                return true;
            }
        }
        return false;
    }
}
