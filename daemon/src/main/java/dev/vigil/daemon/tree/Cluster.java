package dev.vigil.daemon.tree;

import dev.vigil.daemon.aggregate.Aggregate;
import dev.vigil.daemon.aggregate.Summary;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * This node's cluster at one level: who heads it, who is in it (with what SWIM knows of them), the
 * chain of heads above it, and the contributions its members sent. A time that was never set is
 * {@link TreeState#NEVER}.
 */
final class Cluster {
    final int level;
    private final long selfId;
    private long headId;
    String headAddress;
    long epoch;
    /** The tree's top level as the last view said (members only; a head knows its own). */
    int topLevel;
    final TreeMap<Long, Member> members = new TreeMap<>(Long::compareUnsigned);
    /** The heads above, parent first, root last, as the last view named them. */
    List<TreeNode.NodeRef> chain = List.of();
    final Aggregate contributions;
    long changedMicros = TreeState.NEVER;
    long viewReceivedMicros = TreeState.NEVER;
    /** When a placed member checks once whether a much nearer cluster exists. */
    long relocateAtMicros = TreeState.NEVER;

    // SWIM: one probe in flight per period, members in a shuffled round-robin order
    final List<Long> probeOrder = new ArrayList<>();
    int probeCursor;
    long probeTarget;
    long probeId;
    long probeSentMicros = TreeState.NEVER;
    boolean indirectSent;
    long nextProbeMicros = TreeState.NEVER;

    // this node's own contribution at this level
    boolean contributionDirty = true;
    long contributionSentMicros = TreeState.NEVER;
    long changeSentMicros = TreeState.NEVER;
    Summary lastSent;
    boolean resendNeeded;
    /**
     * Leaves went out of the merge this contribution is made of (a member left, a contributor below reported fewer):
     * the next flush sends at once instead of waiting out the coalescing interval, so the smaller contribution is on
     * its way up before those leaves can be counted anywhere else (see {@link Contributions#retracted}).
     */
    boolean retractionDue;

    /**
     * Members that challenged the current head's aggregate (this node included), kept while they stay members and
     * the head stays the same: every challenge is against this head, whatever version or view it sent since.
     */
    final Set<Long> challengers = new HashSet<>();
    /** The member we elected to replace a gone head (0: none), and since when we wait for its view. */
    long electedHead;
    long electedAtMicros = TreeState.NEVER;

    /** What only a head keeps; present exactly while this node heads the cluster. */
    private HeadState head;

    Cluster(final int level, final long selfId, final int dimension, final int b) {
        this.level = level;
        this.selfId = selfId;
        this.contributions = new Aggregate(dimension, Math.max(b * 2, 8));
    }

    long headId() {
        return headId;
    }

    /** Names the head; a cluster this node comes to head gets its head state, fresh. Challenges were against the old head. */
    void setHead(final long id) {
        if (id != headId) {
            challengers.clear();
        }
        headId = id;
        if (id != selfId) {
            head = null;
        } else if (head == null) {
            head = new HeadState();
        }
    }

    boolean isHead() {
        return headId == selfId;
    }

    /** The head's own state. Asking for it on a cluster this node does not head is a bug. */
    HeadState head() {
        if (head == null) {
            throw new IllegalStateException("level " + level + " cluster is headed by " + dev.vigil.crypto.NodeIds.toHex(headId)
                + ", not by this node");
        }
        return head;
    }

    /** The view changed: a head sends it at its next tick (members have nothing to send). */
    void viewChanged() {
        if (head != null) {
            head.viewDirty = true;
        }
    }

    /** A new fleet baseline to pass down: a head sends it at its next chance (members have no one below). */
    void baselineChanged() {
        if (head != null) {
            head.baselineDirty = true;
        }
    }

    long[] memberIds() {
        final long[] ids = new long[members.size()];
        int i = 0;
        for (final long id : members.keySet()) {
            ids[i++] = id;
        }
        return ids;
    }

    /** Drops contributions of nodes that are no longer members; whether any was dropped. */
    boolean forgetDeparted() {
        final List<Long> gone = new ArrayList<>();
        for (final Summary s : contributions.summaries()) {
            if (!members.containsKey(s.contributorId())) {
                gone.add(s.contributorId());
            }
        }
        for (final long id : gone) {
            contributions.remove(id);
        }
        return !gone.isEmpty();
    }

    /** The head's part of a cluster: when its view and the fleet baseline go out, and when it last asked to merge. */
    static final class HeadState {
        boolean viewDirty;
        long viewSentMicros = TreeState.NEVER;
        long mergeRequestedMicros = TreeState.NEVER;
        boolean baselineDirty;
        long baselineSentMicros = TreeState.NEVER;
    }
}
