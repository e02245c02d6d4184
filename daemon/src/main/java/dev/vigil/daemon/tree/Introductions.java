package dev.vigil.daemon.tree;

import dev.vigil.wire.MessageType;
import dev.vigil.wire.TreeIntroduceRequestBody;
import dev.vigil.wire.WireWriter;
import org.agrona.DirectBuffer;

import java.util.List;

/**
 * Certificates travel with frames when the receiver may not hold ours ("introductions"): the
 * first probe or contribution to a node, and again every {@link #AGAIN_MICROS}. A member whose
 * frames we cannot verify is asked, at the address our view holds, to introduce itself again.
 */
final class Introductions {
    /** Our certificate goes with a probe or contribution to the same node again after this long. */
    static final long AGAIN_MICROS = 30_000_000;
    /** A member is asked to introduce itself at most this often. */
    static final long ASK_INTERVAL_MICROS = 1_000_000;
    /**
     * Nodes whose introduction times are remembered at most (the one introduced longest ago goes first:
     * at worst it gets our certificate again before {@link #AGAIN_MICROS}).
     */
    static final int REMEMBERED_MAX = 4096;

    private final TreeState s;
    private final TreeNode node;
    /** When our certificate last went to a node, by id. */
    private final BoundedMap<Long, Long> introducedMicros;
    /** When we last asked a member to introduce itself again, by id. */
    private final BoundedMap<Long, Long> askedMicros;
    /**
     * Members whose frames we could not verify while a request to them was still fresh, asked again later
     * (value: when first held back). Only members are held, so 4 B per level bounds it.
     */
    private final BoundedMap<Long, Long> pending;

    Introductions(final TreeState s, final TreeNode node) {
        this.s = s;
        this.node = node;
        this.introducedMicros = s.boundedMap("introduced", REMEMBERED_MAX);
        this.askedMicros = s.boundedMap("introduce-asked", REMEMBERED_MAX);
        this.pending = s.boundedMap("introduce-pending", 4 * s.config.b() * TreeState.LEVELS);
    }

    /** Whether a frame to {@code toId} now should carry our certificate; if so, that is remembered. */
    boolean shouldIntroduce(final long toId, final long nowMicros) {
        final Long at = introducedMicros.get(toId);
        if (at == null || nowMicros - at >= AGAIN_MICROS) {
            introducedMicros.remove(toId); // re-inserted as the newest
            introducedMicros.put(toId, nowMicros);
            return true;
        }
        return false;
    }

    /** {@code id} may have lost our certificate: the next frame to it carries it again. */
    void forget(final long id) {
        introducedMicros.remove(id);
    }

    /**
     * The core could not verify a tree frame from {@code senderId}: we hold no certificate for it
     * (never had it, e.g. it came into our cluster through a merge or an election, or it was
     * evicted before we listed it). If it is in one of our clusters, we ask it, at the address our
     * view holds and at most once per {@link #ASK_INTERVAL_MICROS}, to introduce itself again;
     * otherwise its contributions would go unheard until its next scheduled introduction. The
     * sender id is unverified, so the request only ever goes to a member's known address.
     */
    void onUnknownSender(final long senderId, final long nowMicros) {
        final Member member = s.memberAnywhere(senderId);
        if (member == null || member.id == s.selfId || member.address == null) {
            return;
        }
        final Long asked = askedMicros.get(senderId);
        if (asked != null && nowMicros - asked < ASK_INTERVAL_MICROS) {
            // asked a moment ago (its answer may have crossed this frame): ask again once the interval is over
            pending.putIfAbsent(senderId, nowMicros);
            return;
        }
        ask(senderId, member.address, nowMicros);
    }

    private void ask(final long id, final String address, final long nowMicros) {
        askedMicros.remove(id); // re-inserted as the newest
        askedMicros.put(id, nowMicros);
        pending.remove(id);
        s.counters.introduceRequests++;
        final WireWriter w = s.outbox.begin(TreeIntroduceRequestBody.LENGTH, true);
        TreeIntroduceRequestBody.write(w, id);
        s.outbox.send(address, MessageType.TREE_INTRODUCE_REQUEST, w);
    }

    /** Requests held back by the rate limit, sent once it allows, while the sender is still a member. */
    void tick(final long nowMicros) {
        if (pending.isEmpty()) {
            return;
        }
        for (final long id : List.copyOf(pending.keySet())) {
            final Long asked = askedMicros.get(id);
            if (asked != null && nowMicros - asked < ASK_INTERVAL_MICROS) {
                continue;
            }
            final Member member = s.memberAnywhere(id);
            if (member == null || member.address == null) {
                pending.remove(id);
            } else {
                ask(id, member.address, nowMicros);
            }
        }
    }

    /** A member cannot verify our frames: our next frame to it carries our certificate, and what it missed is sent again now. */
    void onIntroduceRequest(final long senderId, final DirectBuffer buffer, final int offset, final long nowMicros) {
        final long about = TreeIntroduceRequestBody.receiver(buffer, offset);
        if (about != s.selfId) {
            s.malformed("tree-introduce-request", senderId, "about another node");
            return;
        }
        introducedMicros.remove(senderId);
        for (final Cluster c : s.levels) {
            final Member m = c == null ? null : c.members.get(senderId);
            if (m != null && c.lastSent != null) {
                node.contributions().send(m.address, senderId, c.lastSent, nowMicros);
            }
        }
    }
}
