package dev.vigil.daemon.tree;

import dev.vigil.daemon.aggregate.Summary;
import dev.vigil.daemon.stats.Moments;
import dev.vigil.wire.MessageType;
import dev.vigil.wire.TreeAnnounceBody;
import dev.vigil.wire.TreeChallengeBody;
import dev.vigil.wire.TreeWire;
import dev.vigil.wire.WireWriter;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.vigil.daemon.tree.TreeState.hex;

/**
 * Heads can be checked: a head announces to its members what it sent up and which of their
 * versions it merged; a member holding exactly those versions recomputes the merge, and one that
 * gets other bits challenges the head to the cluster and to the parent. A majority of the other
 * members replaces the head (they elect the next medoid); the parent drops and quarantines it.
 */
final class HeadVerification {
    private final TreeState s;
    private final TreeNode node;
    /**
     * As a parent: who challenged each head that is our member one level up, and the largest cluster size its
     * challengers gave. Heads in our cluster are at most B + 1; {@link TreeWire#LIST_MAX} leaves room for heads
     * that left it, the longest-challenged going first.
     */
    private final BoundedMap<Long, ParentChallenge> parentChallenges;
    private final TreeAnnounceBody announcement = new TreeAnnounceBody();

    HeadVerification(final TreeState s, final TreeNode node) {
        this.s = s;
        this.node = node;
        this.parentChallenges = s.boundedMap("parent-challenges", TreeWire.LIST_MAX);
    }

    /** Members of a challenged head's cluster that told us, its parent, and the cluster size they reported. */
    private static final class ParentChallenge {
        final Set<Long> challengers = new HashSet<>();
        int size;
    }

    /** Tells our level-{@code below.level} members what we sent up and which of their versions we merged. */
    void announce(final Cluster below, final Summary sentUp) {
        final List<Summary> used = new ArrayList<>(below.contributions.summaries());
        final List<Long> excluded = new ArrayList<>();
        final Set<Long> now = node.quarantine().exclusions(below);
        for (final Summary held : used) {
            if (now.contains(held.contributorId())) {
                excluded.add(held.contributorId());
            }
        }
        final int length = TreeAnnounceBody.length(used.size(), excluded.size(), sentUp.bodyLength());
        for (final Member m : below.members.values()) {
            if (m.id == s.selfId) {
                continue;
            }
            final WireWriter w = s.outbox.begin(length, false);
            TreeAnnounceBody.writeHeader(w, below.level, below.epoch & 0xFFFF_FFFFL, used.size());
            for (final Summary held : used) {
                TreeAnnounceBody.writeContributor(w, held.contributorId(), held.version());
            }
            TreeAnnounceBody.writeExcludedCount(w, excluded.size());
            for (final long id : excluded) {
                TreeAnnounceBody.writeExcluded(w, id);
            }
            sentUp.writeBody(w.buffer(), TreeAnnounceBody.writeSummary(w, sentUp.bodyLength()));
            s.outbox.send(m.address, MessageType.TREE_ANNOUNCE, w);
        }
        s.counters.announcements++;
    }

    void onAnnounce(final long senderId, final DirectBuffer buffer, final int offset, final int length, final long nowMicros) {
        final TreeAnnounceBody r = announcement.wrap(buffer, offset, length);
        final int level = r.level();
        final int n = r.contributorCount();
        if (level >= TreeState.LEVELS) {
            s.malformed("tree-announce", senderId, "level " + level + " is no cluster's");
            return;
        }
        final Cluster c = s.levels[level];
        if (c == null || c.headId() != senderId || c.isHead()) {
            s.counters.stale++;
            return;
        }
        final Summary claimed = Summary.readBody(buffer, r.summaryOffset(), r.summaryLength(), s.config.dimension());
        if (claimed == null || claimed.contributorId() != senderId) {
            challenge(c, 0, nowMicros);
            return;
        }
        // recompute only when we hold exactly the versions the head says it merged
        if (n != c.contributions.contributors()) {
            s.counters.verifyInconclusive++;
            return;
        }
        for (int i = 0; i < n; i++) {
            if (c.contributions.version(r.contributorId(i)) != r.contributorVersion(i)) {
                s.counters.verifyInconclusive++;
                return;
            }
        }
        final Set<Long> excluded = new HashSet<>();
        for (int i = 0; i < r.excludedCount(); i++) {
            excluded.add(r.excludedId(i));
        }
        final Moments recomputed = c.contributions.mergedExcluding(excluded::contains);
        if (sameBits(recomputed, claimed.moments())) {
            s.counters.verifyOk++;
        } else {
            s.counters.verifyMismatch++;
            challenge(c, claimed.version(), nowMicros);
        }
    }

    private static boolean sameBits(final Moments a, final Moments b) {
        final byte[] x = new byte[Moments.encodedLength(a.dimension())];
        final byte[] y = new byte[Moments.encodedLength(b.dimension())];
        a.writeTo(new UnsafeBuffer(x), 0);
        b.writeTo(new UnsafeBuffer(y), 0);
        return Arrays.equals(x, y);
    }

    /** Our head sent up statistics its members' contributions do not give: say so to the cluster and the parent. */
    private void challenge(final Cluster c, final long version, final long nowMicros) {
        s.log.peerWarn(c.headId(), null, "tree: " + hex(s.selfId) + " challenges level " + c.level + " head " + hex(c.headId())
            + ": its aggregate (version " + version + ") does not match the members' contributions");
        s.counters.challengesSent++;
        c.challengers.add(s.selfId);
        for (final Member m : c.members.values()) {
            if (m.id != s.selfId && m.id != c.headId()) {
                sendChallenge(m.address, c.level, c.headId(), version, c.epoch, c.members.size());
            }
        }
        if (!c.chain.isEmpty()) {
            sendChallenge(c.chain.get(0).address(), c.level, c.headId(), version, c.epoch, c.members.size());
        }
        checkChallenges(c, nowMicros);
    }

    private void sendChallenge(final String address, final int level, final long head, final long version, final long epoch,
                               final int size) {
        final WireWriter w = s.outbox.begin(TreeChallengeBody.LENGTH, false);
        TreeChallengeBody.write(w, level, head, version, epoch & 0xFFFF_FFFFL, size);
        s.outbox.send(address, MessageType.TREE_CHALLENGE, w);
    }

    void onChallenge(final long senderId, final DirectBuffer buffer, final int offset, final long nowMicros) {
        final int level = TreeChallengeBody.level(buffer, offset);
        final long head = TreeChallengeBody.head(buffer, offset);
        final long size = TreeChallengeBody.clusterSize(buffer, offset);
        if (level >= TreeState.LEVELS || size < 1 || size > TreeWire.LIST_MAX) {
            s.malformed("tree-challenge", senderId, level >= TreeState.LEVELS ? "level " + level + " is no cluster's"
                : "cluster size " + size + " outside [1, " + TreeWire.LIST_MAX + "]");
            return;
        }
        s.counters.challengesReceived++;
        final Cluster c = s.levels[level];
        if (c != null && c.headId() == head && c.members.containsKey(senderId) && !c.isHead()) {
            c.challengers.add(senderId);
            checkChallenges(c, nowMicros);
        }
        // as the parent of the challenged head: drop it once a majority of its other members says so
        final Cluster parent = level + 1 < TreeState.LEVELS ? s.levels[level + 1] : null;
        if (parent != null && parent.isHead() && parent.members.containsKey(head) && head != s.selfId) {
            final ParentChallenge challenge = parentChallenges.computeIfAbsent(head, k -> new ParentChallenge());
            challenge.challengers.add(senderId);
            challenge.size = Math.max(challenge.size, (int)size);
            if (2 * challenge.challengers.size() > challenge.size - 1) {
                node.quarantine().add(head, "aggregate challenged by " + challenge.challengers.size() + " of its "
                    + challenge.size + " members");
                node.headDuties().removeMember(parent, head, "replaced after challenges", nowMicros);
                parentChallenges.remove(head);
            }
        }
    }

    /** A majority of the members other than the head (who never challenges itself) replaces it. */
    private void checkChallenges(final Cluster c, final long nowMicros) {
        if (2 * c.challengers.size() > c.members.size() - 1) {
            final long liar = c.headId();
            node.quarantine().add(liar, "aggregate challenged by " + c.challengers.size() + " of " + c.members.size() + " members");
            c.challengers.clear();
            c.contributions.remove(liar);
            node.election().elect(c, liar, "challenged by a majority", nowMicros);
        }
    }
}
