package dev.vigil.daemon.tree;

import dev.vigil.wire.MessageType;
import dev.vigil.wire.TreePingReqBody;
import dev.vigil.wire.TreeProbeBody;
import dev.vigil.wire.TreeSuspectBody;
import dev.vigil.wire.TreeWire;
import dev.vigil.wire.WireWriter;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;

import static dev.vigil.daemon.tree.TreeState.hex;

/**
 * SWIM failure detection inside each of our clusters: one probe per protocol period to the next
 * member of a shuffled round robin, indirect probes through k others when it is late, suspicion
 * when the period ends without an answer (see {@link Suspicion}), refutation by incarnation. Acks
 * carry coordinates, so probing also trains this node's Vivaldi coordinate. Pings that measure a
 * newly admitted member and descent candidates share the same messages at level "any".
 */
final class Swim {
    /**
     * Pings in flight to measure newly admitted members, and pings relayed for other members: each kind
     * remembered at most this many (the oldest goes first; its ack, if it ever comes, is then ignored).
     */
    static final int PROBES_TRACKED_MAX = 256;

    private final TreeState s;
    private final TreeNode node;
    private final LocalHealth health = new LocalHealth();
    /** Probes we relay for a member, by our probe id. */
    private final BoundedMap<Long, Relay> relayed;
    /** Pings a head sends a member it just admitted, to measure the round trip for splits, by probe id. */
    private final BoundedMap<Long, Measure> measuring;
    private final TreePingReqBody pingReq = new TreePingReqBody();

    Swim(final TreeState s, final TreeNode node) {
        this.s = s;
        this.node = node;
        this.relayed = s.boundedMap("relayed-probes", PROBES_TRACKED_MAX);
        this.measuring = s.boundedMap("measure-probes", PROBES_TRACKED_MAX);
    }

    /** A probe made for {@code askerId} (its own probe id {@code askerProbeId}), whose ack goes back to {@code askerAddress}. */
    private record Relay(long askerId, long askerProbeId, String askerAddress) {
    }

    /** A ping to a just-admitted member, sent at {@code sentMicros}. */
    private record Measure(long memberId, long sentMicros) {
    }

    void tick(final Cluster c, final long nowMicros) {
        if (c.probeSentMicros != TreeState.NEVER) {
            probeOutstanding(c, nowMicros);
            return;
        }
        if (nowMicros < c.nextProbeMicros || c.members.size() < 2) {
            return;
        }
        if (c.probeCursor >= c.probeOrder.size()) {
            c.probeOrder.clear();
            for (final long id : c.members.keySet()) {
                if (id != s.selfId) {
                    c.probeOrder.add(id);
                }
            }
            for (int i = c.probeOrder.size() - 1; i > 0; i--) {
                final int j = s.random.nextInt(i + 1);
                final long t = c.probeOrder.get(i);
                c.probeOrder.set(i, c.probeOrder.get(j));
                c.probeOrder.set(j, t);
            }
            c.probeCursor = 0;
        }
        if (c.probeOrder.isEmpty()) {
            return;
        }
        final Member target = c.members.get(c.probeOrder.get(c.probeCursor++));
        c.nextProbeMicros = nowMicros + s.config.pingIntervalMicros();
        if (target == null) {
            return;
        }
        c.probeTarget = target.id;
        c.probeId = s.nextProbeId();
        c.probeSentMicros = nowMicros;
        c.indirectSent = false;
        sendPing(target.address, c.level, c.probeId, 0, target.id, nowMicros);
    }

    /** Our probe is out: ask others to try once it is late, suspect the target once the period is over. */
    private void probeOutstanding(final Cluster c, final long nowMicros) {
        final long waited = nowMicros - c.probeSentMicros;
        if (!c.indirectSent && waited >= s.config.probeTimeoutMicros() * health.multiplier()) {
            c.indirectSent = true;
            final Member target = c.members.get(c.probeTarget);
            if (target != null) {
                sendIndirect(c, target);
            }
        }
        if (waited >= s.config.pingIntervalMicros() * health.multiplier()) {
            c.probeSentMicros = TreeState.NEVER;
            health.probeMissed();
            final Member target = c.members.get(c.probeTarget);
            if (target != null && target.isAlive()) {
                node.suspicion().suspect(target, s.selfId, nowMicros);
                for (final Member m : c.members.values()) {
                    if (m.id != s.selfId) {
                        sendSuspect(m.address, c.level, target.id, target.incarnation, TreeWire.STATE_SUSPECT, false);
                    }
                }
            }
        }
    }

    private void sendIndirect(final Cluster c, final Member target) {
        final List<Member> helpers = new ArrayList<>();
        for (final Member m : c.members.values()) {
            if (m.id != s.selfId && m.id != target.id && m.isAlive()) {
                helpers.add(m);
            }
        }
        for (int i = 0; i < s.config.indirectProbes() && !helpers.isEmpty(); i++) {
            final Member h = helpers.remove(s.random.nextInt(helpers.size()));
            final WireWriter w = s.outbox.begin(TreePingReqBody.length(target.address), false);
            TreePingReqBody.write(w, c.level, c.probeId, target.id, target.address);
            s.outbox.send(h.address, MessageType.TREE_PING_REQ, w);
        }
    }

    /** Pings a member just admitted to a cluster we head, to measure its round trip (splits cut by it). */
    void measure(final long memberId, final String address, final long nowMicros) {
        final long probeId = s.nextProbeId();
        measuring.put(probeId, new Measure(memberId, nowMicros));
        sendPing(address, TreeWire.LEVEL_ANY, probeId, 0, memberId, nowMicros);
    }

    void sendPing(final String address, final int level, final long probeId, final long askedBy, final long toId,
                  final long nowMicros) {
        sendProbe(address, MessageType.TREE_PING, level, probeId, askedBy, toId, nowMicros);
    }

    private void sendProbe(final String address, final MessageType type, final int level, final long probeId,
                           final long askedBy, final long toId, final long nowMicros) {
        final WireWriter w = s.outbox.begin(TreeProbeBody.LENGTH, node.introductions().shouldIntroduce(toId, nowMicros));
        final int coordinate = TreeProbeBody.write(w, level, probeId, askedBy, s.selfIncarnation(level) & 0xFFFF_FFFFL);
        s.vivaldi.coordinate().writeTo(w.buffer(), coordinate);
        s.outbox.send(address, type, w);
    }

    void onPing(final long senderId, final String senderAddress, final DirectBuffer buffer, final int offset,
                final long nowMicros) {
        final int level = TreeProbeBody.level(buffer, offset);
        final long probeId = TreeProbeBody.probeId(buffer, offset);
        final long askedBy = TreeProbeBody.askedBy(buffer, offset);
        if (senderAddress == null) {
            s.malformed("tree-ping", senderId, "no address to answer");
            return;
        }
        if (level != TreeWire.LEVEL_ANY) {
            final Cluster c = level < TreeState.LEVELS ? s.levels[level] : null;
            // only members of our cluster at that level (directly, or through a member's ping-req) get an ack:
            // a head that still lists us after we moved must stop counting us
            final long asker = askedBy != 0 ? askedBy : senderId;
            if (c == null && askedBy == 0) {
                // We are in no cluster at that level, yet the sender counts us in one: we restarted (or
                // moved) and lost it. "I left": a member whose head we were elects another at once, a
                // head that lists us drops us. (Saying "you are not my member" instead would send the
                // whole cluster seeking, and a restarted root would leave its fleet without a top.)
                s.counters.stale++;
                sendSuspect(senderAddress, level, s.selfId, 0, TreeWire.STATE_DEAD, false);
                return;
            }
            if (c == null || !c.members.containsKey(senderId) || !c.members.containsKey(asker)) {
                s.counters.stale++;
                if (askedBy == 0) {
                    // "you are not a member of my cluster at this level": a head drops us, a stale member finds its place again
                    sendSuspect(senderAddress, level, senderId, 0, TreeWire.STATE_DEAD, false);
                }
                return;
            }
        }
        sendProbe(senderAddress, MessageType.TREE_ACK, level, probeId, askedBy, senderId, nowMicros);
    }

    void onAck(final long senderId, final DirectBuffer buffer, final int offset, final long nowMicros) {
        final int level = TreeProbeBody.level(buffer, offset);
        final long probeId = TreeProbeBody.probeId(buffer, offset);
        final long askedBy = TreeProbeBody.askedBy(buffer, offset);
        final long incarnation = TreeProbeBody.incarnation(buffer, offset);
        final VivaldiCoordinate coordinate = VivaldiCoordinate.tryReadFrom(buffer, TreeProbeBody.coordinateOffset(offset));
        if (askedBy != 0 && askedBy != s.selfId) {
            relayAck(level, probeId, incarnation, coordinate);
            return;
        }
        if (level == TreeWire.LEVEL_ANY) {
            final Measure measure = measuring.remove(probeId);
            if (measure != null && measure.memberId() == senderId) {
                for (final Cluster headed : s.levels) {
                    final Member member = headed == null ? null : headed.members.get(senderId);
                    if (member != null) {
                        member.rttMicros = nowMicros - measure.sentMicros();
                    }
                }
                return;
            }
            node.descent().onProbeAnswered(probeId, senderId, nowMicros);
            return;
        }
        if (level >= TreeState.LEVELS) {
            return;
        }
        final Cluster c = s.levels[level];
        if (c == null) {
            return;
        }
        final Member m = c.members.get(senderId);
        if (m != null) {
            if (coordinate != null) {
                m.coordinate = coordinate;
            }
            if (incarnation > m.incarnation) {
                m.incarnation = incarnation;
            }
            if (m.isSuspect() && incarnation >= m.incarnation) {
                Suspicion.clear(m);
            }
        }
        if (c.probeSentMicros != TreeState.NEVER && probeId == c.probeId) {
            final long rtt = nowMicros - c.probeSentMicros;
            if (m != null && !c.indirectSent) {
                m.rttMicros = m.rttMicros <= 0 ? rtt : (7 * m.rttMicros + rtt) / 8;
            }
            c.probeSentMicros = TreeState.NEVER;
            health.probeAnswered();
            if (coordinate != null && !c.indirectSent) {
                s.vivaldi.observe(coordinate, rtt);
            }
        }
    }

    /** We probed on someone's behalf: pass the ack on to the asker, as an answer to its own probe. */
    private void relayAck(final int level, final long probeId, final long incarnation, final VivaldiCoordinate coordinate) {
        final Relay relay = relayed.remove(probeId);
        if (relay != null) {
            final WireWriter w = s.outbox.begin(TreeProbeBody.LENGTH, false);
            final int at = TreeProbeBody.write(w, level, relay.askerProbeId(), 0, incarnation);
            (coordinate != null ? coordinate : VivaldiCoordinate.ORIGIN).writeTo(w.buffer(), at);
            s.outbox.send(relay.askerAddress(), MessageType.TREE_ACK, w);
        }
    }

    void onPingReq(final long senderId, final String senderAddress, final DirectBuffer buffer, final int offset, final int length,
                   final long nowMicros) {
        final TreePingReqBody r = pingReq.wrap(buffer, offset, length);
        final int level = r.level();
        final long probeId = r.probeId();
        final long targetId = r.targetId();
        final String targetAddress = r.targetAddress();
        if (senderAddress == null) {
            s.malformed("tree-ping-req", senderId, "no address to answer");
            return;
        }
        final long ours = s.nextProbeId();
        relayed.put(ours, new Relay(senderId, probeId, senderAddress));
        sendPing(targetAddress, level, ours, senderId, targetId, nowMicros);
    }

    void sendSuspect(final String address, final int level, final long subject, final long incarnation, final int state,
                     final boolean introduce) {
        final WireWriter w = s.outbox.begin(TreeSuspectBody.LENGTH, introduce);
        TreeSuspectBody.write(w, level, subject, incarnation & 0xFFFF_FFFFL, state);
        s.outbox.send(address, MessageType.TREE_SUSPECT, w);
    }

    void onSuspect(final long senderId, final DirectBuffer buffer, final int offset, final long nowMicros) {
        final int level = TreeSuspectBody.level(buffer, offset);
        final long subject = TreeSuspectBody.subject(buffer, offset);
        final long incarnation = TreeSuspectBody.incarnation(buffer, offset);
        final int state = TreeSuspectBody.state(buffer, offset);
        if (level >= TreeState.LEVELS) {
            s.malformed("tree-suspect", senderId, "level " + level + " is no cluster's");
            return;
        }
        final Cluster c = s.levels[level];
        if (c == null || !c.members.containsKey(senderId)) {
            return;
        }
        if (subject == s.selfId) {
            aboutUs(c, senderId, incarnation, state, nowMicros);
            return;
        }
        final Member m = c.members.get(subject);
        if (m == null) {
            return;
        }
        if (state == TreeWire.STATE_DEAD && subject == senderId) {
            // the member itself says it left
            node.election().memberGone(c, subject, "left", nowMicros);
        } else if (state == TreeWire.STATE_ALIVE) {
            if (incarnation > m.incarnation) {
                m.incarnation = incarnation;
                Suspicion.clear(m);
            }
        } else if (state == TreeWire.STATE_SUSPECT && incarnation >= m.incarnation) {
            node.suspicion().suspect(m, senderId, nowMicros);
        }
    }

    /** A member says something about us: our head dropped us, a member says we are not its head, or a suspicion to refute. */
    private void aboutUs(final Cluster c, final long senderId, final long incarnation, final int state, final long nowMicros) {
        final int level = c.level;
        if (state == TreeWire.STATE_DEAD) {
            if (c.headId() == senderId && !c.isHead()) {
                // our head does not count us any more
                s.log.info("tree: " + hex(s.selfId) + " is not in " + hex(senderId) + "'s level " + level + " cluster any more");
                node.views().dropLevel(level, nowMicros, false);
                if (s.mayHoldLevel(level)) {
                    node.descent().placeAgain(level, senderId, nowMicros);
                }
            } else if (c.isHead()) {
                node.election().memberGone(c, senderId, "not in our cluster", nowMicros);
            }
            return;
        }
        if (state == TreeWire.STATE_SUSPECT) {
            // refute: a higher incarnation says we are alive
            final Member me = c.members.get(s.selfId);
            me.incarnation = Math.max(me.incarnation, incarnation) + 1;
            s.counters.refutations++;
            for (final Member m : c.members.values()) {
                if (m.id != s.selfId) {
                    sendSuspect(m.address, level, s.selfId, me.incarnation, TreeWire.STATE_ALIVE, false);
                }
            }
        }
    }
}
