package dev.vigil.daemon.tree;

import dev.vigil.daemon.aggregate.Summary;
import dev.vigil.wire.MessageType;
import dev.vigil.wire.TreeMember;
import dev.vigil.wire.TreeMemberList;
import dev.vigil.wire.TreeNodeRef;
import dev.vigil.wire.TreeViewBody;
import dev.vigil.wire.TreeWire;
import dev.vigil.wire.WireWriter;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.vigil.daemon.tree.TreeState.hex;

/**
 * Cluster views: a head tells its members who is in the cluster (epoch, members, head chain
 * above). {@link #accepts} decides, without changing anything, whether a view may replace what
 * this node holds at that level; {@link #apply} takes it in. Leaving a cluster, declining a
 * handed-over one and taking over a cluster handed to us live here too.
 */
final class ClusterViews {
    private final TreeState s;
    private final TreeNode node;
    private final TreeViewBody view = new TreeViewBody();

    ClusterViews(final TreeState s, final TreeNode node) {
        this.s = s;
        this.node = node;
    }

    /** A view as received: its sender, the cluster it describes, and (dissolved) where to go instead. */
    record View(long senderId, int level, long epoch, long head, int topLevel, TreeNode.NodeRef dissolvedInto,
                List<TreeNode.NodeRef> chain, List<Member> listed) {
        boolean lists(final long id) {
            for (final Member m : listed) {
                if (m.id == id) {
                    return true;
                }
            }
            return false;
        }

        String addressOf(final long id) {
            for (final Member m : listed) {
                if (m.id == id) {
                    return m.address;
                }
            }
            return null;
        }
    }

    // ---------------------------------------------------------------- out

    void sendView(final Cluster c, final String address, final boolean introduce) {
        sendViewAs(c, c.headId(), c.members.values(), c.epoch, null, address, introduce);
    }

    /** A view of {@code c}'s level naming {@code head} and {@code members}: our own, a half we hand away, or "dissolved". */
    void sendViewAs(final Cluster c, final long head, final Collection<Member> members, final long epoch,
                    final TreeNode.NodeRef dissolvedInto, final String address, final boolean introduce) {
        final List<TreeNode.NodeRef> chain = s.chainAbove(c.level);
        int length = TreeViewBody.FIXED_LENGTH;
        if (dissolvedInto != null) {
            length += TreeNodeRef.length(dissolvedInto.address());
        }
        for (final TreeNode.NodeRef ref : chain) {
            length += TreeNodeRef.length(ref.address());
        }
        for (final Member m : members) {
            length += TreeMember.length(m.address);
        }
        final WireWriter w = s.outbox.begin(length, introduce);
        // epochs count up from 1 and wrap at 2^32 on the wire; only their order within a cluster matters
        TreeViewBody.writeHeader(w, c.level, dissolvedInto != null, epoch & 0xFFFF_FFFFL, head, s.topLevel());
        if (dissolvedInto != null) {
            TreeNodeRef.write(w, dissolvedInto.id(), dissolvedInto.address());
        }
        TreeViewBody.writeChainLength(w, chain.size());
        for (final TreeNode.NodeRef ref : chain) {
            TreeNodeRef.write(w, ref.id(), ref.address());
        }
        writeMembers(w, members);
        s.outbox.send(address, MessageType.TREE_VIEW, w);
        s.counters.viewsSent++;
    }

    /** The member list of a view or refer: alive or suspect (a member we know dead is not listed as alive). */
    void writeMembers(final WireWriter w, final Collection<Member> members) {
        TreeMember.writeCount(w, members.size());
        for (final Member m : members) {
            final int coordinate = TreeMember.write(w, m.id, m.incarnation & 0xFFFF_FFFFL,
                m.isSuspect() ? TreeWire.STATE_SUSPECT : TreeWire.STATE_ALIVE, m.address);
            s.coordinateOf(m).writeTo(w.buffer(), coordinate);
        }
    }

    /** The members a view or refer lists, as the receiver keeps them; a coordinate out of its bounds reads as the origin. */
    static List<Member> members(final TreeMemberList listed, final DirectBuffer buffer) {
        final List<Member> out = new ArrayList<>(listed.count());
        for (int i = 0; i < listed.count(); i++) {
            final VivaldiCoordinate coordinate = VivaldiCoordinate.tryReadFrom(buffer, listed.coordinateOffset(i));
            final Member m = new Member(listed.id(i), listed.address(i), coordinate == null ? VivaldiCoordinate.ORIGIN : coordinate);
            m.incarnation = listed.incarnation(i);
            m.state = listed.state(i);
            out.add(m);
        }
        return out;
    }

    // ---------------------------------------------------------------- in

    void onView(final long senderId, final DirectBuffer buffer, final int offset, final int length, final long nowMicros) {
        final TreeViewBody r = view.wrap(buffer, offset, length);
        final int level = r.level();
        final long epoch = r.epoch();
        final long head = r.head();
        final int top = r.topLevel();
        final TreeNode.NodeRef dissolvedInto = r.dissolved() ? new TreeNode.NodeRef(r.dissolvedIntoId(), r.dissolvedIntoAddress()) : null;
        final List<TreeNode.NodeRef> chain = new ArrayList<>(r.chainLength());
        for (int i = 0; i < r.chainLength(); i++) {
            chain.add(new TreeNode.NodeRef(r.chainId(i), r.chainAddress(i)));
        }
        final List<Member> listed = members(r.members(), buffer);
        if (level >= TreeState.LEVELS) {
            s.malformed("tree-view", senderId, "level " + level + " is no cluster's");
            return;
        }
        final View v = new View(senderId, level, epoch, head, top, dissolvedInto, chain, listed);
        if (dissolvedInto != null) {
            final Cluster current = s.levels[level];
            if (current != null && current.headId() == senderId && !current.isHead()) {
                // our head merges into another cluster: go there
                dropLevel(level, nowMicros, false);
                node.descent().seekAt(level, dissolvedInto.address(), 0, nowMicros);
            }
            return;
        }
        if (v.addressOf(head) == null) {
            s.malformed("tree-view", senderId, "a view must list its head");
            return;
        }
        final boolean accept = accepts(v);
        if (s.log.debugEnabled()) {
            final Cluster current = s.levels[level];
            s.log.debug("view level " + level + " epoch " + epoch + " from " + hex(senderId) + " head " + hex(head) + ", "
                + listed.size() + " members" + (v.lists(s.selfId) ? " incl. us" : "") + (accept ? "" : ": not accepted")
                + (listed.size() <= 8 ? " " + listed.stream().map(m -> hex(m.id)).toList() : "")
                + (current == null ? "" : " (ours: head " + hex(current.headId()) + " epoch " + current.epoch + ")"));
        }
        if (accept) {
            apply(v, nowMicros);
        } else {
            refused(v);
        }
    }

    /** Whether {@code v} may replace what this node holds at its level. Changes nothing. */
    boolean accepts(final View v) {
        final Cluster current = s.levels[v.level()];
        final boolean includesMe = v.lists(s.selfId);
        final boolean fromCurrentHead = current != null && current.headId() == v.senderId();
        final boolean seeking = s.seeks[v.level()] != null;
        if (node.quarantine().contains(v.head()) || node.quarantine().contains(v.senderId())) {
            return false; // a head replaced for lying does not get its cluster back
        }
        if (v.senderId() != v.head() && !fromCurrentHead) {
            // only a head speaks for its cluster, or our head handing it over; a head we asked to admit us
            // may split as it admits and hand us the half we landed in, to head
            return v.head() == s.selfId && includesMe && seeking && current == null;
        }
        if (current == null) {
            return includesMe && (seeking || s.mayHoldLevel(v.level()));
        }
        if (fromCurrentHead) {
            return v.epoch() >= current.epoch || v.head() != current.headId();
        }
        if (current.isHead()) {
            // a head keeps its cluster; it yields only to a rival elected in the same cluster (both listed there)
            return v.head() != s.selfId && current.members.containsKey(v.head())
                && (v.epoch() > current.epoch || v.epoch() == current.epoch && Long.compareUnsigned(v.head(), s.selfId) < 0);
        }
        return v.epoch() > current.epoch || s.isDeadOrSuspect(current.headId()) || seeking;
    }

    /** A view we do not take: counted; a head that hands us a cluster or still counts us hears why. */
    private void refused(final View v) {
        s.counters.stale++;
        final Cluster current = s.levels[v.level()];
        final boolean includesMe = v.lists(s.selfId);
        if (includesMe && v.head() == s.selfId && v.senderId() != s.selfId) {
            declineHandover(v.level(), v.listed(), current);
        }
        if (includesMe && v.senderId() == v.head() && current != null && current.headId() != v.head()) {
            // a head that still counts us: we are not its member (any more)
            final String address = v.addressOf(v.senderId());
            if (address != null) {
                node.swim().sendSuspect(address, v.level(), s.selfId, s.selfIncarnation(current), TreeWire.STATE_DEAD, false);
            }
        }
    }

    /** Takes in a view that {@link #accepts} allowed. */
    void apply(final View v, final long nowMicros) {
        final int level = v.level();
        final long head = v.head();
        final Cluster current = s.levels[level];
        final boolean fromCurrentHead = current != null && current.headId() == v.senderId();
        if (current != null) {
            current.viewReceivedMicros = nowMicros;
        }
        if (!v.lists(s.selfId)) {
            if (fromCurrentHead) {
                // removed from the cluster (declared dead, replaced, or released as we asked): find a place again
                dropLevel(level, nowMicros, false);
                if (s.mayHoldLevel(level)) {
                    node.descent().placeAgain(level, v.senderId(), nowMicros);
                }
            }
            return;
        }
        Cluster c = current;
        if (c == null || c.headId() != head) {
            if (c != null && !fromCurrentHead && c.headId() != s.selfId && !s.isDeadOrSuspect(c.headId())) {
                // moving to another cluster at this level: the old head must stop counting us
                node.swim().sendSuspect(c.headAddress, level, s.selfId, s.selfIncarnation(c), TreeWire.STATE_DEAD, false);
            }
            final Cluster fresh = s.newCluster(level);
            if (c != null) {
                // keep what we know of members that stay
                for (final Summary held : c.contributions.summaries()) {
                    fresh.contributions.offer(held);
                }
            }
            c = fresh;
            s.levels[level] = c;
        }
        c.setHead(head);
        c.viewReceivedMicros = nowMicros;
        final boolean wasHead = current != null && current.isHead();
        c.epoch = v.epoch();
        c.topLevel = v.topLevel();
        c.chain = List.copyOf(v.chain());
        final Set<Long> before = Set.copyOf(c.members.keySet());
        final String headAddress = takeMembers(c, v.listed(), nowMicros);
        c.headAddress = headAddress != null ? headAddress : c.headAddress;
        if (!before.equals(c.members.keySet())) {
            c.probeOrder.clear();
            c.resendNeeded = true;
            if (c.forgetDeparted()) {
                node.contributions().retracted(c, nowMicros);
            }
        }
        // challenges stand against this head until it changes (a fresh cluster above, or setHead): its views, which it
        // sends every refresh and can send at will, must not wipe them, or a liar's members never reach a majority
        c.challengers.retainAll(c.members.keySet());
        node.contributions().adoptEarly(c, nowMicros);
        if (!v.chain().isEmpty()) {
            s.root = v.chain().get(v.chain().size() - 1);
        } else if (head != s.selfId) {
            s.root = new TreeNode.NodeRef(head, c.headAddress);
        }
        node.descent().placed(c, nowMicros);
        if (head == s.selfId && !wasHead) {
            becameHead(c, nowMicros);
        } else if (wasHead && head != s.selfId && level + 1 < TreeState.LEVELS) {
            // we yielded this cluster to a rival head: it speaks for the cluster one level up now
            s.log.info("tree: " + hex(s.selfId) + " yields its level " + level + " cluster to " + hex(head));
            dropLevel(level + 1, nowMicros, true);
            s.seeks[level + 1] = null;
            // members that took our view rather than the rival's follow us: hand them to the rival (its view, chain
            // included, from their head), or they follow a head that heads nothing until our views stop for long enough
            for (final Member m : current.members.values()) {
                if (m.id != s.selfId && m.id != head) {
                    sendView(c, m.address, false);
                }
            }
        }
        // heads below us pass the new chain on
        if (s.headsBelow(level)) {
            s.levels[level - 1].viewChanged();
        }
    }

    /**
     * Replaces {@code c}'s members with the listed ones, keeping what we measured and suspected
     * ourselves (the head's word can only raise an incarnation); returns the head's address as listed.
     */
    private String takeMembers(final Cluster c, final List<Member> listed, final long nowMicros) {
        String headAddress = null;
        final Map<Long, Member> previous = new HashMap<>(c.members);
        c.members.clear();
        for (final Member m : listed) {
            c.members.put(m.id, m);
            final Member known = previous.get(m.id);
            if (known == null) {
                c.contributions.readmit(m.id);
            } else {
                m.rttMicros = known.rttMicros;
                m.incarnation = Math.max(m.incarnation, known.incarnation);
                if (m.isSuspect() && known.isSuspect()) {
                    m.suspectSinceMicros = known.suspectSinceMicros;
                    m.suspectors.addAll(known.suspectors);
                }
            }
            if (m.isSuspect() && m.suspectSinceMicros == TreeState.NEVER) {
                m.suspectSinceMicros = nowMicros; // a suspicion we hear of runs its full timeout here
            }
            if (m.id == c.headId()) {
                headAddress = m.address;
            }
            if (m.id == s.selfId) {
                m.address = s.selfAddress;
                Suspicion.clear(m); // we know we are alive; our probes' acks refute it to the others
            }
        }
        return headAddress;
    }

    /**
     * A view names this node head of a cluster it will not take (it already belongs elsewhere at that
     * level): the members it lists, other than our own members, hear that we left, so they elect a head
     * among themselves at once rather than wait for views that never come.
     */
    private void declineHandover(final int level, final List<Member> listed, final Cluster current) {
        final long incarnation = current == null ? 0 : s.selfIncarnation(current);
        for (final Member m : listed) {
            if (m.id != s.selfId && (current == null || !current.members.containsKey(m.id))) {
                // they may never have heard from us: the frame carries our certificate
                node.swim().sendSuspect(m.address, level, s.selfId, incarnation, TreeWire.STATE_DEAD, true);
            }
        }
        s.log.info("tree: " + hex(s.selfId) + " declines to head a level " + level + " cluster of " + listed.size()
            + " (it is placed elsewhere at that level)");
    }

    /** Handed a cluster (by a split): take it over and find a place one level up. */
    private void becameHead(final Cluster c, final long nowMicros) {
        c.headAddress = s.selfAddress;
        c.viewChanged();
        c.changedMicros = nowMicros;
        s.log.info("tree: " + hex(s.selfId) + " heads a level " + c.level + " cluster of " + c.members.size());
        if (c.chain.isEmpty()) {
            s.root = new TreeNode.NodeRef(s.selfId, s.selfAddress);
            s.refreshTopLevels();
        } else {
            node.descent().seekAt(c.level + 1, c.chain.get(0).address(), 0, nowMicros);
        }
    }

    /** Forgets this node's cluster at {@code level} and (as its head had) every level above it. */
    void dropLevel(final int level, final long nowMicros, final boolean tell) {
        final Cluster c = s.levels[level];
        if (c == null) {
            return;
        }
        if (tell) {
            leave(c);
        }
        s.levels[level] = null;
        if (c.isHead() && level + 1 < TreeState.LEVELS && s.levels[level + 1] != null) {
            dropLevel(level + 1, nowMicros, tell);
        }
        if (level + 1 < TreeState.LEVELS) {
            s.seeks[level + 1] = null;
        }
    }

    /** Tells every other member of {@code c} that we left it. */
    void leave(final Cluster c) {
        for (final Member m : c.members.values()) {
            if (m.id != s.selfId) {
                node.swim().sendSuspect(m.address, c.level, s.selfId, s.selfIncarnation(c), TreeWire.STATE_DEAD, false);
            }
        }
    }
}
