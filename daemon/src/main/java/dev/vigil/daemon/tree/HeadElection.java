package dev.vigil.daemon.tree;

import dev.vigil.wire.TreeWire;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.vigil.daemon.tree.TreeState.hex;

/**
 * What happens when a member is gone (dead, left, or replaced): a head drops it; when it is the
 * head, every member computes the medoid of the others and the winner takes over, finding the old
 * head's place one level up. A member waits one suspicion period for the head it elected, then
 * finds a place again.
 */
final class HeadElection {
    private final TreeState s;
    private final TreeNode node;

    HeadElection(final TreeState s, final TreeNode node) {
        this.s = s;
        this.node = node;
    }

    /** A member of {@code c} is gone: the head drops it; members replace a gone head. */
    void memberGone(final Cluster c, final long id, final String why, final long nowMicros) {
        if (id == s.selfId) {
            return; // whoever says so, this node is not gone from its own cluster
        }
        if (c.isHead()) {
            node.headDuties().removeMember(c, id, why, nowMicros);
        } else if (id == c.headId()) {
            elect(c, id, why, nowMicros);
        } else {
            final Member m = c.members.get(id);
            if (m != null && !m.isSuspect()) {
                m.state = TreeWire.STATE_SUSPECT;
                m.suspectSinceMicros = nowMicros;
            }
        }
    }

    /**
     * Who may head a cluster: not a node we quarantined (a head replaced for forging, a member with
     * implausible statistics) unless nobody else is left. Quarantine is what this node saw, so two
     * members may disagree; the one that does not hear from the head it chose finds its place again.
     */
    long[] eligibleHeads(final long[] ids) {
        final long[] honest = Arrays.stream(ids).filter(id -> !node.quarantine().contains(id)).toArray();
        return honest.length == 0 ? ids : honest;
    }

    /** The head of {@code c} is gone: every member computes the medoid of the rest; the winner takes over. */
    void elect(final Cluster c, final long oldHead, final String why, final long nowMicros) {
        final Map<Long, VivaldiCoordinate> coordinates = s.coordinatesOf(c);
        final List<Long> candidates = new ArrayList<>();
        for (final Member m : c.members.values()) {
            if (m.id != oldHead && (m.isAlive() || m.id == s.selfId)) {
                candidates.add(m.id);
            }
        }
        if (candidates.isEmpty()) {
            return;
        }
        final long[] ids = candidates.stream().mapToLong(Long::longValue).toArray();
        final long next = TreeRules.medoid(eligibleHeads(ids), RttFunction.predicted(coordinates::get));
        if (next != s.selfId) {
            waitFor(c, next, oldHead, why, nowMicros);
            return;
        }
        s.log.peerInfo(oldHead, null, "tree: level " + c.level + " head " + hex(oldHead) + " is gone (" + why + "); next head " + hex(next));
        s.counters.headChanges++;
        c.members.remove(oldHead);
        c.contributions.remove(oldHead);
        c.setHead(s.selfId);
        c.headAddress = s.selfAddress;
        node.headDuties().membershipChanged(c, nowMicros);
        c.changedMicros = nowMicros;
        s.log.info("tree: " + hex(s.selfId) + " takes over the level " + c.level + " cluster of " + c.members.size());
        final List<TreeNode.NodeRef> chain = c.chain;
        if (chain.isEmpty()) {
            s.root = new TreeNode.NodeRef(s.selfId, s.selfAddress);
            s.refreshTopLevels();
            return;
        }
        // replace the old head one level up: at its parent if that is someone else, else descend from the root
        final TreeNode.NodeRef parent = chain.get(0);
        if (parent.id() != oldHead) {
            node.descent().seekAt(c.level + 1, parent.address(), oldHead, nowMicros);
        } else {
            node.descent().startSeek(c.level + 1, oldHead, nowMicros);
            if (s.root != null && s.root.id() == oldHead) {
                s.root = chain.size() > 1 && chain.get(chain.size() - 1).id() != oldHead ? chain.get(chain.size() - 1) : null;
            }
        }
    }

    /** Another member is the next head: its view will come; if it does not within a suspicion period, find a place again. */
    private void waitFor(final Cluster c, final long next, final long oldHead, final String why, final long nowMicros) {
        if (c.electedHead == next) {
            if (nowMicros - c.electedAtMicros >= node.suspicion().timeoutMicros(c.members.size(), 1)) {
                // the one we elected has not taken over (it sees the cluster otherwise): find a place again
                s.log.info("tree: " + hex(s.selfId) + " heard nothing from " + hex(next) + ", elected to head level "
                    + c.level + "; finding a place again");
                node.views().dropLevel(c.level, nowMicros, true);
                if (s.mayHoldLevel(c.level)) {
                    node.descent().startSeek(c.level, 0, nowMicros);
                }
            }
            return;
        }
        s.log.peerInfo(oldHead, null, "tree: level " + c.level + " head " + hex(oldHead) + " is gone (" + why + "); next head " + hex(next));
        s.counters.headChanges++;
        c.electedHead = next;
        c.electedAtMicros = nowMicros;
        final Member old = c.members.get(oldHead);
        if (old != null) {
            old.state = TreeWire.STATE_SUSPECT;
        }
    }
}
