package dev.vigil.daemon.tree;

import dev.vigil.wire.MessageType;
import dev.vigil.wire.TreeAdmitBody;
import dev.vigil.wire.TreeDescendBody;
import dev.vigil.wire.TreeMember;
import dev.vigil.wire.TreeNodeRef;
import dev.vigil.wire.TreeReferBody;
import dev.vigil.wire.TreeWire;
import dev.vigil.wire.WireWriter;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;

import static dev.vigil.daemon.tree.TreeState.hex;

/**
 * Finding a place: a node descends from the root (or a bootstrap node, which names the root),
 * one level per referral, measures round trips to the heads a referral lists one level above
 * its goal, and asks the nearest to admit it. The answering side is here too: a head names the
 * members of its cluster, a node that heads nothing there says so. A placed leaf looks once,
 * shortly after placement, for a much nearer cluster (relocation).
 */
final class Descent {
    /** Candidate heads probed per descent step: the nearest by coordinate. */
    static final int CANDIDATES_PROBED = 32;
    /**
     * A newly placed node checks once, this long after, whether a much nearer cluster now exists (while
     * leaving would make its cluster underfull, it checks again as long after).
     */
    static final long RELOCATE_AFTER_MICROS = 5_000_000;
    /** How long a node that said "not a head there" is skipped in descents. */
    static final long NOT_HEAD_SKIP_MICROS = 10_000_000;
    /** Nodes that said "not a head there" remembered at most; the one that said it longest ago goes first. */
    static final int NOT_HEAD_REMEMBERED = 1024;

    private final TreeState s;
    private final TreeNode node;
    /** Nodes that answered a descent or admission with "not a head there": skipped as candidates for a while. */
    private final BoundedMap<Long, Long> notHeadMicros;
    private final TreeReferBody refer = new TreeReferBody();

    Descent(final TreeState s, final TreeNode node) {
        this.s = s;
        this.node = node;
        this.notHeadMicros = s.boundedMap("not-head", NOT_HEAD_REMEMBERED);
    }

    /** Looks for a cluster at {@code level} from the next tick on, replacing the gone head {@code replaces} (0: none). */
    void startSeek(final int level, final long replaces, final long nowMicros) {
        if (level >= TreeState.LEVELS) {
            return;
        }
        final Seek seek = new Seek(level);
        seek.replaces = replaces;
        seek.backoffMicros = s.config.seekTimeoutMicros();
        seek.deadlineMicros = nowMicros;
        s.seeks[level] = seek;
    }

    /** Asks {@code address} at once to admit us at {@code level}, and waits for its answer as a seek. */
    void seekAt(final int level, final String address, final long replaces, final long nowMicros) {
        startSeek(level, replaces, nowMicros);
        final Seek seek = s.seeks[level];
        seek.askedAddress = address;
        seek.deadlineMicros = nowMicros + s.config.seekTimeoutMicros();
        sendAdmit(address, level, replaces);
    }

    /** A placed leaf's one look for a much nearer cluster, when its time has come. */
    void maybeRelocate(final Cluster c, final long nowMicros) {
        if (c.level != 0 || c.isHead() || s.seeks[0] != null || c.relocateAtMicros == TreeState.NEVER
            || nowMicros < c.relocateAtMicros) {
            return;
        }
        if (c.members.size() - 1 < (s.config.b() + 1) / 2) {
            // leaving would make our cluster underfull (and start a merge): look again later
            c.relocateAtMicros = nowMicros + RELOCATE_AFTER_MICROS;
            return;
        }
        c.relocateAtMicros = TreeState.NEVER;
        final Seek seek = new Seek(0);
        seek.relocating = true;
        seek.backoffMicros = s.config.seekBackoffMaxMicros();
        seek.deadlineMicros = nowMicros;
        s.seeks[0] = seek;
    }

    void tick(final Seek seek, final long nowMicros) {
        if (!seek.probing.isEmpty() && nowMicros >= seek.probeDeadlineMicros) {
            finishProbing(seek, nowMicros);
            return;
        }
        if (nowMicros < seek.deadlineMicros) {
            return;
        }
        seek.probing.clear();
        seek.probeSentMicros.clear();
        seek.deadlineMicros = nowMicros + seek.backoffMicros + s.jitter(seek.backoffMicros / 4);
        seek.backoffMicros = Math.min(2 * seek.backoffMicros, s.config.seekBackoffMaxMicros());
        s.counters.seekAttempts++;
        final String target;
        final Long rootRefused = s.root == null ? null : notHeadMicros.get(s.root.id());
        if (s.root != null && s.root.id() != s.selfId && !s.isDeadOrSuspect(s.root.id())
            && (rootRefused == null || nowMicros - rootRefused > NOT_HEAD_SKIP_MICROS)) {
            target = s.root.address();
        } else if (!s.bootstrap.isEmpty()) {
            // no root, or the one we know of said it heads nothing (it restarted, or lost its place):
            // ask a bootstrap node, which names the root it knows
            target = s.bootstrap.get(s.random.nextInt(s.bootstrap.size()));
        } else {
            return;
        }
        sendDescend(target, seek.level, TreeWire.LEVEL_ANY);
        seek.askedAddress = target;
        if (s.log.debugEnabled()) {
            s.log.debug("seek level " + seek.level + ": descend from " + target + " (attempt, next in "
                + (seek.deadlineMicros - nowMicros) / 1000 + " ms)");
        }
    }

    private void sendDescend(final String address, final int wantLevel, final int askLevel) {
        final WireWriter w = s.outbox.begin(TreeDescendBody.LENGTH, true);
        s.vivaldi.coordinate().writeTo(w.buffer(), TreeDescendBody.write(w, wantLevel, askLevel));
        s.outbox.send(address, MessageType.TREE_DESCEND, w);
    }

    void onDescend(final long senderId, final String senderAddress, final DirectBuffer buffer, final int offset) {
        // the level wanted is not read: the asker decides from what we list
        final int ask = TreeDescendBody.levelAsked(buffer, offset);
        if (senderAddress == null) {
            s.malformed("tree-descend", senderId, "no address to answer");
            return;
        }
        final int top = s.topLevel();
        int level = -1;
        if (ask == TreeWire.LEVEL_ANY) {
            if (s.isRootHere()) {
                level = top;
            }
        } else if (ask < TreeState.LEVELS && s.levels[ask] != null && s.levels[ask].isHead()) {
            level = ask;
        }
        sendRefer(senderAddress, level);
    }

    /** Names the members of our cluster at {@code level} (-1: "not a head there") and the root we know. */
    void sendRefer(final String address, final int level) {
        final Cluster c = level >= 0 ? s.levels[level] : null;
        // A node that knows of no root (just restarted, say) must not name itself: a seeker would ask
        // it again and again. Id 0 says "none known"; the seeker tries elsewhere.
        // An unplaced node's idea of the root is hearsay (it may be a root that has since restarted): it
        // names none, so that seekers go on to nodes that are placed and know the root from their views.
        final TreeNode.NodeRef rootRef = s.root != null && (s.levels[0] != null || s.isRootHere()) ? s.root
            : new TreeNode.NodeRef(TreeState.NO_ROOT, s.selfAddress);
        int length = TreeReferBody.FIXED_LENGTH + TreeNodeRef.length(rootRef.address());
        if (c != null) {
            for (final Member m : c.members.values()) {
                length += TreeMember.length(m.address);
            }
        }
        final WireWriter w = s.outbox.begin(length, true);
        TreeReferBody.writeHeader(w, c != null ? TreeWire.REFER_MEMBERS : TreeWire.REFER_NOT_HEAD, c != null ? level : 0,
            s.topLevel(), rootRef.id(), rootRef.address());
        if (c == null) {
            TreeMember.writeCount(w, 0);
        } else {
            node.views().writeMembers(w, c.members.values());
        }
        s.outbox.send(address, MessageType.TREE_REFER, w);
    }

    void onRefer(final long senderId, final String senderAddress, final DirectBuffer buffer, final int offset, final int length,
                 final long nowMicros) {
        final TreeReferBody r = refer.wrap(buffer, offset, length);
        final int status = r.status();
        final int level = r.level();
        final int top = r.topLevel();
        final long rootId = r.rootId();
        final String rootAddress = r.rootAddress();
        final List<Member> listed = ClusterViews.members(r.members(), buffer);
        final Seek seek = activeSeekFor(senderAddress);
        if (s.log.debugEnabled()) {
            s.log.debug("refer from " + hex(senderId) + ": status " + status + " level " + level + " top " + top + " root "
                + hex(rootId) + ", " + listed.size() + " listed" + (seek == null ? " (no seek asked it)" : ""));
        }
        if (seek == null) {
            s.counters.stale++;
            return;
        }
        if (rootId != s.selfId && rootId != TreeState.NO_ROOT) {
            s.root = new TreeNode.NodeRef(rootId, rootAddress);
        }
        if (status == TreeWire.REFER_NOT_HEAD) {
            // not a head there (a parent's list can be behind): skip it for a while, go to the root it names
            notHeadMicros.remove(senderId); // a node that says so again is remembered as newest
            notHeadMicros.put(senderId, nowMicros);
            if (s.root != null && s.root.id() == senderId) {
                s.root = null; // the root we knew of heads nothing now: it restarted or lost its place
            }
            if (rootId != senderId && rootId != s.selfId && rootId != TreeState.NO_ROOT) {
                seek.askedAddress = rootAddress;
                sendDescend(rootAddress, seek.level, TreeWire.LEVEL_ANY);
                seek.deadlineMicros = nowMicros + s.config.seekTimeoutMicros();
            }
            return;
        }
        if (seek.level >= level) {
            // the sender heads the cluster we want (or is the root, which grows a level for us)
            if (seek.level == level || (rootId == senderId && seek.level == top + 1)) {
                sendAdmit(senderAddress, seek.level, seek.replaces);
                seek.askedAddress = senderAddress;
                seek.deadlineMicros = nowMicros + s.config.seekTimeoutMicros();
            }
            return;
        }
        // descend: the listed members head clusters at level - 1
        final List<Member> candidates = new ArrayList<>();
        for (final Member m : listed) {
            final Long refused = notHeadMicros.get(m.id);
            if (m.id != s.selfId && !s.isDeadOrSuspect(m.id) && (refused == null || nowMicros - refused > NOT_HEAD_SKIP_MICROS)) {
                candidates.add(m);
            }
        }
        if (candidates.isEmpty()) {
            return;
        }
        // measure round trips to the candidates and take the nearest (coordinates only order them:
        // inside a region they predict a few milliseconds at best)
        if (seek.relocating && level - 1 == seek.level && s.levels[seek.level] != null) {
            final Cluster current = s.levels[seek.level];
            boolean headListed = false;
            for (final Member m : candidates) {
                headListed |= m.id == current.headId();
            }
            if (!headListed && current.headAddress != null) {
                candidates.add(new Member(current.headId(), current.headAddress, VivaldiCoordinate.ORIGIN));
            }
        }
        startProbing(seek, candidates, level - 1, nowMicros);
    }

    private void startProbing(final Seek seek, final List<Member> candidates, final int level, final long nowMicros) {
        seek.probing.clear();
        seek.probeSentMicros.clear();
        seek.rttsMicros.clear();
        seek.probingLevel = level;
        seek.bestId = 0;
        seek.bestAddress = null;
        seek.bestRttMicros = Long.MAX_VALUE;
        final VivaldiCoordinate self = s.vivaldi.coordinate();
        candidates.sort((a, b) -> Double.compare(self.distanceMs(a.coordinate), self.distanceMs(b.coordinate)));
        for (int i = 0; i < candidates.size() && i < CANDIDATES_PROBED; i++) {
            final Member m = candidates.get(i);
            final long id = s.nextProbeId();
            seek.probing.put(id, new TreeNode.NodeRef(m.id, m.address));
            seek.probeSentMicros.put(id, nowMicros);
            node.swim().sendPing(m.address, TreeWire.LEVEL_ANY, id, 0, m.id, nowMicros);
        }
        // the nearest by coordinate is the fallback if nobody answers in time
        seek.bestId = candidates.get(0).id;
        seek.bestAddress = candidates.get(0).address;
        seek.probeDeadlineMicros = nowMicros + s.config.probeTimeoutMicros();
        seek.deadlineMicros = nowMicros + s.config.seekTimeoutMicros() + s.config.probeTimeoutMicros();
    }

    /** An ack to a probe of ours that was not a SWIM or measuring probe: one of a descent's candidates answered. */
    void onProbeAnswered(final long probeId, final long fromId, final long nowMicros) {
        for (final Seek seek : s.seeks) {
            if (seek == null) {
                continue;
            }
            final TreeNode.NodeRef ref = seek.probing.remove(probeId);
            if (ref != null && ref.id() == fromId) {
                final long rtt = nowMicros - seek.probeSentMicros.remove(probeId);
                seek.rttsMicros.put(ref.id(), rtt);
                if (rtt < seek.bestRttMicros) {
                    seek.bestRttMicros = rtt;
                    seek.bestId = ref.id();
                    seek.bestAddress = ref.address();
                }
                if (seek.probing.isEmpty()) {
                    finishProbing(seek, nowMicros);
                }
                return;
            }
        }
    }

    private void finishProbing(final Seek seek, final long nowMicros) {
        for (final TreeNode.NodeRef silent : seek.probing.values()) {
            // it may have dropped our certificate from a full trust store: introduce ourselves again next time
            node.introductions().forget(silent.id());
        }
        if (s.log.debugEnabled()) {
            s.log.debug("probed level " + seek.probingLevel + " heads: " + seek.rttsMicros.size() + " answered, "
                + seek.probing.size() + " silent; best " + (seek.bestId == 0 ? "-" : hex(seek.bestId)) + " "
                + seek.bestRttMicros / 1000.0 + " ms");
        }
        seek.probing.clear();
        seek.probeSentMicros.clear();
        if (seek.bestAddress == null) {
            return;
        }
        seek.askedAddress = seek.bestAddress;
        if (seek.probingLevel != seek.level) {
            sendDescend(seek.bestAddress, seek.level, seek.probingLevel);
        } else if (seek.relocating && s.levels[seek.level] != null) {
            final Cluster current = s.levels[seek.level];
            final long headRtt = seek.rttsMicros.getOrDefault(current.headId(), Long.MAX_VALUE);
            if (current.isHead() || seek.bestId == current.headId() || 2 * seek.bestRttMicros >= headRtt) {
                s.seeks[seek.level] = null; // where we are is good enough
                return;
            }
            s.counters.relocations++;
            s.log.info("tree: " + hex(s.selfId) + " moves to " + hex(seek.bestId) + "'s level " + seek.level + " cluster ("
                + seek.bestRttMicros / 1000.0 + " ms instead of " + headRtt / 1000.0 + " ms to its head)");
            // Break before make: our head drops us first (its view without us says so, see placeAgain), and
            // only then do we ask the nearer head to admit us. Were both to hold our contribution at once,
            // every merge above the two would count our statistics twice until the old head's removal got
            // there; and the nearer head's path up is, by the rule that made us move, the faster one.
            seek.releasingFrom = current.headId();
            seek.movingTo = new TreeNode.NodeRef(seek.bestId, seek.bestAddress);
            node.swim().sendSuspect(current.headAddress, seek.level, s.selfId, s.selfIncarnation(current),
                TreeWire.STATE_DEAD, false);
        } else {
            sendAdmit(seek.bestAddress, seek.level, seek.replaces);
        }
        seek.deadlineMicros = nowMicros + s.config.seekTimeoutMicros();
    }

    private Seek activeSeekFor(final String address) {
        for (final Seek seek : s.seeks) {
            if (seek != null && address != null && address.equals(seek.askedAddress)) {
                return seek;
            }
        }
        return null;
    }

    void sendAdmit(final String address, final int level, final long replaces) {
        if (s.log.debugEnabled()) {
            s.log.debug("asks " + address + " to admit us at level " + level + (replaces != 0 ? " replacing " + hex(replaces) : ""));
        }
        final WireWriter w = s.outbox.begin(TreeAdmitBody.LENGTH, true);
        s.vivaldi.coordinate().writeTo(w.buffer(), TreeAdmitBody.write(w, level, replaces));
        s.outbox.send(address, MessageType.TREE_ADMIT, w);
    }

    /**
     * Head {@code formerHead} dropped us at {@code level}: if we are relocating and asked it to, the nearer
     * head is asked to admit us now (our statistics have left the old head's merge); otherwise we find a
     * place again from the root.
     */
    void placeAgain(final int level, final long formerHead, final long nowMicros) {
        final Seek seek = s.seeks[level];
        if (seek != null && seek.relocating && seek.releasingFrom == formerHead && seek.movingTo != null) {
            seek.releasingFrom = 0;
            seek.probing.clear();
            seek.probeSentMicros.clear();
            seek.askedAddress = seek.movingTo.address();
            seek.deadlineMicros = nowMicros + s.config.seekTimeoutMicros();
            sendAdmit(seek.movingTo.address(), level, 0);
            return;
        }
        startSeek(level, 0, nowMicros);
    }

    /** A seek for {@code level} found its cluster (a view that lists us came). */
    void placed(final Cluster c, final long nowMicros) {
        final Seek seek = s.seeks[c.level];
        if (seek == null) {
            return;
        }
        if (!seek.relocating && c.level == 0) {
            c.relocateAtMicros = nowMicros + RELOCATE_AFTER_MICROS;
        }
        s.seeks[c.level] = null;
        s.counters.joined++;
    }
}
