package dev.vigil.daemon.tree;

import dev.vigil.daemon.aggregate.Summary;
import dev.vigil.daemon.stats.Moments;
import dev.vigil.wire.MessageType;
import dev.vigil.wire.TreeBaselineBody;
import dev.vigil.wire.TreeWire;
import dev.vigil.wire.WireWriter;
import org.agrona.DirectBuffer;

import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

import static dev.vigil.daemon.tree.TreeState.hex;

/**
 * Statistics up and the fleet baseline down. Every member sends its versioned contribution at a
 * level (its own summary at level 0, the merge of the cluster it heads above) to every member of
 * that cluster, so each can recompute what the head sends up; a head's merge changing makes its
 * contribution one level up dirty; the root's merge is the fleet baseline, which heads pass down.
 * Contributions are soft state: re-sent unchanged every refresh, merged by latest version.
 */
final class Contributions {
    /**
     * A head passes a new fleet baseline down at most this often (the first change after a quiet second
     * goes at once): detection needs it within seconds, and the root's merge changes with every flush.
     */
    static final long BASELINE_MIN_INTERVAL_MICROS = 1_000_000;

    private final TreeState s;
    private final TreeNode node;
    /**
     * Contributions from nodes not (yet) in our view at their level, latest per sender, in arrival order;
     * at most {@link #earlyMax()}, the one kept aside longest goes first.
     */
    private final BoundedMap<Long, Summary> early;
    private final TreeBaselineBody baseline = new TreeBaselineBody();

    Contributions(final TreeState s, final TreeNode node) {
        this.s = s;
        this.node = node;
        this.early = s.boundedMap("early-contributions", earlyMax());
    }

    /** Contributions kept aside for a view that has not come yet: at most 4 B, the oldest goes first. */
    int earlyMax() {
        return 4 * s.config.b();
    }

    int earlyHeld() {
        return early.size();
    }

    /**
     * Sends our contribution at {@code level} to the cluster: a new version when it changed (at
     * most once per flush interval), the same version again to new members and every refresh
     * interval (soft state: a lost frame is repaired without changing anything upstream).
     */
    void flush(final int level, final long nowMicros) {
        final Cluster c = s.levels[level];
        if (c == null) {
            return;
        }
        final Summary mine;
        if (c.contributionDirty || c.lastSent == null) {
            if (!c.retractionDue && nowMicros - c.changeSentMicros < s.config.flushMicros()) {
                return;
            }
            mine = contribution(level);
            if (mine == null) {
                return;
            }
            c.changeSentMicros = nowMicros;
            c.lastSent = mine;
        } else if (nowMicros - c.contributionSentMicros >= s.config.refreshMicros()) {
            // soft state: recompute, and send a new version only if the content moved without us noticing
            final Summary fresh = contribution(level);
            if (fresh != null && !fresh.sameContent(c.lastSent)) {
                s.counters.refreshCorrections++;
                mine = fresh;
                c.changeSentMicros = nowMicros;
                c.lastSent = fresh;
            } else {
                mine = c.lastSent;
            }
        } else if (c.resendNeeded) {
            mine = c.lastSent;
        } else {
            return;
        }
        c.contributionDirty = false;
        c.retractionDue = false;
        c.resendNeeded = false;
        c.contributionSentMicros = nowMicros;
        final boolean changed = c.contributions.offer(mine);
        if (s.log.debugEnabled()) {
            s.log.debug("sends its level " + level + " contribution v" + mine.version() + " to " + (c.members.size() - 1) + " members");
        }
        for (final Member m : c.members.values()) {
            if (m.id != s.selfId) {
                send(m.address, m.id, mine, nowMicros);
            }
        }
        s.counters.contributionsSent++;
        if (s.headsBelow(level)) {
            // every send, refreshes included: a member whose versions differed last time can check now
            node.verification().announce(s.levels[level - 1], mine);
        }
        if (changed) {
            changed(c, nowMicros);
        }
    }

    /** Our summary at {@code level}: our own statistics at 0, our level-1 cluster's merge above. */
    private Summary contribution(final int level) {
        if (level == 0) {
            return new Summary(s.selfId, s.nextVersion(), 0, Math.min(s.localAgents, 0xFFFF_FFFFL), 1, s.localMoments);
        }
        final Cluster below = s.levels[level - 1];
        if (below == null || !below.isHead() || below.contributions.contributors() == 0) {
            return null;
        }
        final Set<Long> excluded = node.quarantine().exclusions(below);
        final Moments merged = below.contributions.mergedExcluding(excluded::contains);
        if (s.forgeFactor != 1.0) {
            forge(merged);
        }
        long agents = 0;
        long leaves = 0;
        for (final Summary held : below.contributions.summaries()) {
            if (!excluded.contains(held.contributorId())) {
                agents += held.agentCount();
                leaves += held.contributorCount();
            }
        }
        return new Summary(s.selfId, s.nextVersion(), level, Math.min(agents, 0xFFFF_FFFFL),
            Math.max(1, Math.min(leaves, 0xFFFF_FFFFL)), merged);
    }

    /** A lying head (fault injection): claims more observations than its cluster made, shifting the fleet's statistics. */
    private void forge(final Moments m) {
        final Moments extra = m.copy();
        final int times = (int)Math.max(1, Math.round(s.forgeFactor) - 1);
        for (int i = 0; i < times; i++) {
            m.merge(extra);
        }
    }

    void send(final String address, final long toId, final Summary summary, final long nowMicros) {
        final WireWriter w = s.outbox.begin(summary.bodyLength(), node.introductions().shouldIntroduce(toId, nowMicros));
        final int written = summary.writeBody(w.buffer(), w.position());
        w.reserve(written);
        s.outbox.send(address, MessageType.STAT_UPDATE, w);
    }

    void onContribution(final long senderId, final DirectBuffer buffer, final int bodyOffset, final int bodyLength,
                        final long nowMicros) {
        final Summary.Refusal refusal = Summary.refusal(buffer, bodyOffset, bodyLength, s.config.dimension());
        if (refusal != null) {
            s.counters.contributionsRefused++;
            if (refusal != Summary.Refusal.MALFORMED && refusal != Summary.Refusal.FEATURE_COUNT_MISMATCH) {
                node.quarantine().add(senderId, "implausible summary (" + refusal.name().toLowerCase(Locale.ROOT) + ")");
            }
            return;
        }
        final Summary summary = Summary.readBody(buffer, bodyOffset, bodyLength, s.config.dimension());
        if (summary.contributorId() != senderId || summary.level() >= TreeState.LEVELS) {
            s.counters.contributionsRefused++;
            s.refuse("stat-update from " + hex(senderId) + " claims contributor " + hex(summary.contributorId()));
            return;
        }
        final Cluster c = s.levels[summary.level()];
        if (c == null || !c.members.containsKey(senderId)) {
            // often a member's first contribution overtakes the view that lists it: keep it until the view comes
            early.put(senderId, summary);
            s.counters.stale++;
            if (s.log.debugEnabled()) {
                s.log.debug("level " + summary.level() + " contribution from " + hex(senderId) + " before its view: kept aside");
            }
            return;
        }
        if (summary.level() == 0 && summary.agentCount() == 0 && summary.moments().count() > 0) {
            node.quarantine().add(senderId, "observations without agents (count " + summary.moments().count() + ", 0 agents)");
        }
        final Summary before = c.contributions.held(senderId);
        final boolean newer = c.contributions.offer(summary);
        if (s.log.debugEnabled()) {
            s.log.debug("level " + summary.level() + " contribution from " + hex(senderId) + " v" + summary.version() + " leaves "
                + summary.contributorCount() + (newer ? "" : " (not newer)"));
        }
        if (newer && before != null && summary.contributorCount() < before.contributorCount()) {
            retracted(c, nowMicros);
        } else if (newer) {
            changed(c, nowMicros);
        }
    }

    /**
     * A head admits {@code memberId} into {@code c}: what it kept aside from that node at {@code c}'s level is stale and
     * goes. A node sends its contribution to a cluster only once the view that lists it came, and the head sends that
     * view after admitting, so anything held from before was sent to another cluster (we were a member there, or it was
     * ours before): adopting it would count the node here while the head it just left still counts it above us.
     */
    void forgetEarly(final Cluster c, final long memberId) {
        final Summary held = early.get(memberId);
        if (held != null && held.level() == c.level) {
            early.remove(memberId);
        }
    }

    /** Contributions kept aside for {@code c}'s level from nodes it now lists go into its merge. */
    void adoptEarly(final Cluster c, final long nowMicros) {
        boolean changed = false;
        final Iterator<Summary> it = early.values().iterator();
        while (it.hasNext()) {
            final Summary held = it.next();
            if (held.level() == c.level && c.members.containsKey(held.contributorId())) {
                it.remove();
                changed |= c.contributions.offer(held);
            }
        }
        if (changed) {
            changed(c, nowMicros);
        }
    }

    /**
     * Our cluster at {@code c.level} covers fewer leaves than before (members left, were handed to a new head, or a
     * contributor below reported fewer): as {@link #changed}, but the head's contribution one level up goes now, not at
     * the end of the coalescing interval. The leaves that went are about to be counted elsewhere (a relocating node is
     * admitted by its nearer head, a split's new head reports its half, their old head dropped them first): had the
     * smaller contribution to wait here up to {@link TreeConfig#flushMicros} at every level while the new one does not,
     * every merge above both would count those leaves twice until it came. At most one send per leaf that went.
     */
    void retracted(final Cluster c, final long nowMicros) {
        final int up = c.level + 1;
        if (c.isHead() && up < TreeState.LEVELS && s.levels[up] != null) {
            s.levels[up].retractionDue = true;
        }
        changed(c, nowMicros);
    }

    /** Our cluster at {@code c.level} has new statistics: a head passes them up, the root down. */
    void changed(final Cluster c, final long nowMicros) {
        if (!c.isHead()) {
            return;
        }
        final int up = c.level + 1;
        if (up < TreeState.LEVELS && s.levels[up] != null) {
            s.levels[up].contributionDirty = true;
            flush(up, nowMicros);
        } else if (s.isRootHere()) {
            s.fleet = c.contributions.contributors() == 0 ? null
                : new Summary(s.selfId, s.nextVersion(), Math.max(1, c.level + 1), Math.min(c.contributions.agentCount(), 0xFFFF_FFFFL),
                    Math.max(1, Math.min(c.contributions.leafCount(), 0xFFFF_FFFFL)),
                    c.contributions.mergedExcluding(node.quarantine().exclusions(c)::contains));
            // down through every cluster the root heads, not only the top one
            for (final Cluster headed : s.levels) {
                if (headed != null && headed.isHead()) {
                    headed.baselineChanged();
                }
            }
            if (s.observer != null) {
                s.observer.fleetChanged(node, nowMicros);
            }
        }
    }

    // ---------------------------------------------------------------- baseline down

    void flushBaseline(final Cluster c, final long nowMicros) {
        if (!c.isHead() || s.fleet == null) {
            return;
        }
        final Cluster.HeadState head = c.head();
        if (nowMicros - head.baselineSentMicros < BASELINE_MIN_INTERVAL_MICROS
            || !(head.baselineDirty || nowMicros - head.baselineSentMicros >= s.config.refreshMicros())) {
            return;
        }
        head.baselineDirty = false;
        head.baselineSentMicros = nowMicros;
        for (final Member m : c.members.values()) {
            if (m.id != s.selfId) {
                final WireWriter w = s.outbox.begin(TreeBaselineBody.length(s.fleet.bodyLength()), false);
                s.fleet.writeBody(w.buffer(), TreeBaselineBody.write(w, TreeWire.BASELINE_FLEET, c.level, s.fleet.bodyLength()));
                s.outbox.send(m.address, MessageType.TREE_BASELINE, w);
            }
        }
    }

    void onBaseline(final long senderId, final DirectBuffer buffer, final int offset, final int bodyLength, final long nowMicros) {
        final TreeBaselineBody r = baseline.wrap(buffer, offset, bodyLength);
        final int kind = r.kind();
        final int level = r.level();
        if (level >= TreeState.LEVELS || kind != TreeWire.BASELINE_FLEET) {
            s.malformed("tree-baseline", senderId, level >= TreeState.LEVELS ? "level " + level + " is no cluster's"
                : "kind " + kind + " (only the fleet baseline goes down)");
            return;
        }
        final Cluster c = s.levels[level];
        if (c == null || c.headId() != senderId) {
            s.counters.stale++;
            return;
        }
        final Summary summary = Summary.readBody(buffer, r.summaryOffset(), r.summaryLength(), s.config.dimension());
        if (summary == null) {
            s.counters.contributionsRefused++;
            return;
        }
        if (s.fleet != null && s.fleet.contributorId() == summary.contributorId() && s.fleet.version() >= summary.version()) {
            return;
        }
        s.fleet = summary;
        for (int l = 0; l < level; l++) {
            if (s.levels[l] != null && s.levels[l].isHead()) {
                s.levels[l].baselineChanged();
                flushBaseline(s.levels[l], nowMicros);
            }
        }
    }
}
