package dev.vigil.daemon.core;

import dev.vigil.crypto.NodeIds;
import dev.vigil.daemon.tree.Vivaldi;
import dev.vigil.daemon.tree.VivaldiCoordinate;
import dev.vigil.wire.JoinAcceptBody;
import dev.vigil.wire.JoinBody;
import dev.vigil.wire.LeaveBody;
import dev.vigil.wire.MessageType;
import dev.vigil.wire.ProbeBody;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The membership layer under the tree: a bounded table of peers found through the bootstrap
 * addresses and the samples other nodes hand out, each probed for liveness and round trip (which
 * trains this node's Vivaldi coordinate); silence makes a peer suspect, then dead; dead peers are
 * re-joined with backoff and forgotten after a while.
 */
final class Membership {
    /** Joins in flight remembered at most; the oldest is forgotten first. */
    static final int PENDING_JOINS_MAX = 64;

    private final CoreConfig config;
    private final long selfId;
    private final String selfHex;
    private final byte[] certificateBytes;
    private final byte[] advertiseBytes;
    private final NodeEnv env;
    private final Vivaldi vivaldi;
    private final TreeMap<Long, Peer> peers = new TreeMap<>();
    private final TreeMap<Long, String> known = new TreeMap<>();
    private final LinkedHashMap<String, Long> pendingJoins = new LinkedHashMap<>();
    private final LongArrayList sampleIds = new LongArrayList();
    private final List<String> sampleAddresses = new ArrayList<>();
    private Outbox outbox;
    private long acceptedMicros = -1;
    private long probeCounter;
    private long bootstrapBackoffMicros;
    private long nextBootstrapMicros;
    private long nextExploreMicros;

    Membership(final CoreConfig config, final long selfId, final byte[] certificateBytes, final byte[] advertiseBytes,
               final NodeEnv env, final Vivaldi vivaldi) {
        this.config = config;
        this.selfId = selfId;
        this.selfHex = NodeIds.toHex(selfId);
        this.certificateBytes = certificateBytes;
        this.advertiseBytes = advertiseBytes;
        this.env = env;
        this.vivaldi = vivaldi;
    }

    /** Starts with the node's outbox: a founder is accepted at once; everyone looks for peers. */
    void start(final Outbox outbox, final long now) {
        this.outbox = outbox;
        if (bootstrapAddresses().isEmpty()) {
            acceptedMicros = now;
            env.log().info("node " + selfHex + " (" + config.advertiseAddress() + ")" + " founds the fleet (no bootstrap addresses)");
        } else {
            env.log().info("node " + selfHex + " (" + config.advertiseAddress() + ")" + " joining through " + bootstrapAddresses());
        }
        seekPeers(now);
    }

    void tick(final long now) {
        expirePendingJoins(now);
        updateLiveness(now);
        probePeers(now);
        rejoinDeadPeers(now);
        seekPeers(now);
    }

    /** Tells every peer not known dead that this node leaves; returns how many peers the table held. */
    int leave(final long now) {
        for (final Peer p : peers.values()) {
            if (p.state != PeerState.DEAD) {
                sendLeave(p.address, LeaveBody.REASON_SHUTDOWN, now);
            }
        }
        return peers.size();
    }

    /** Probes a live peer {@code count} times now; 0 when it is not one. */
    int probeNow(final long nodeId, final int count, final long now) {
        final Peer p = peers.get(nodeId);
        if (p == null || p.state == PeerState.DEAD) {
            return 0;
        }
        for (int i = 0; i < count; i++) {
            p.probeId = ++probeCounter;
            p.probeSentMicros = now;
            sendProbe(p.address, MessageType.PING, p.probeId, now);
        }
        return count;
    }

    boolean isPeer(final long nodeId) {
        return peers.containsKey(nodeId);
    }

    long acceptedMicros() {
        return acceptedMicros;
    }

    /** Accepted into the fleet and at least one peer alive. */
    boolean isJoined() {
        return acceptedMicros >= 0 && alivePeerCount() > 0;
    }

    long[] peerIds() {
        final long[] ids = new long[peers.size()];
        int i = 0;
        for (final long id : peers.keySet()) {
            ids[i++] = id;
        }
        return ids;
    }

    /** Ids of the peers now alive, ascending. */
    long[] alivePeerIds() {
        return peers.values().stream().filter(p -> p.state == PeerState.ALIVE).mapToLong(p -> p.nodeId).toArray();
    }

    int peerCount() {
        return peers.size();
    }

    List<NodeStatus.PeerView> peerViews() {
        final List<NodeStatus.PeerView> views = new ArrayList<>(peers.size());
        for (final Peer p : peers.values()) {
            views.add(new NodeStatus.PeerView(
                NodeIds.toHex(p.nodeId), p.address, p.state, p.sinceMicros, p.lastHeardMicros,
                p.rttMicrosSmoothed, p.rttMicrosLast, p.coordinate));
        }
        return List.copyOf(views);
    }

    // ---------------------------------------------------------------- messages and timers

    void onJoin(final long senderId, final TrustStore.Trusted sender, final long now) {
        sender.leftSequence = Long.MIN_VALUE;
        rememberKnown(senderId, sender.address);
        Peer p = peers.get(senderId);
        final boolean admitted;
        if (p != null) {
            p.address = sender.address;
            heard(p, now);
            admitted = true;
        } else if (makeRoom()) {
            p = admit(senderId, sender.address, now);
            env.log().peerInfo(senderId, sender.address, LogIds.peer(senderId, sender.address) + " joined");
            admitted = true;
        } else {
            admitted = false;
        }
        sendAccept(sender.address, senderId, admitted, now);
    }

    void onJoinAccept(
        final long senderId, final TrustStore.Trusted sender, final UnsafeBuffer frame, final int bodyOffset,
        final long now) {
        sender.leftSequence = Long.MIN_VALUE;
        markAccepted(senderId, sender.address, now);
        pendingJoins.remove(sender.address);
        rememberKnown(senderId, sender.address);
        if (JoinAcceptBody.admitted(frame, bodyOffset)) {
            final Peer p = peers.get(senderId);
            if (p != null) {
                p.address = sender.address;
                heard(p, now);
            } else if (makeRoom()) {
                admit(senderId, sender.address, now);
                env.log().peerInfo(senderId, sender.address, LogIds.peer(senderId, sender.address) + " admitted us");
            } else {
                sendLeave(sender.address, LeaveBody.REASON_NO_ROOM, now);
            }
        }
        sampleIds.clear();
        sampleAddresses.clear();
        JoinAcceptBody.forEachSample(frame, bodyOffset, (id, address) -> {
            if (id != selfId && !address.equals(config.advertiseAddress())) {
                sampleIds.addLong(id);
                sampleAddresses.add(address);
            }
        });
        for (int i = 0; i < sampleIds.size(); i++) {
            rememberKnown(sampleIds.getLong(i), sampleAddresses.get(i));
        }
        int wanted = config.peersTarget() - peers.size() - pendingJoins.size();
        final int n = sampleIds.size();
        for (int i = 0; i < n && wanted > 0; i++) {
            // partial Fisher-Yates: a uniformly random order, drawn from the seeded generator
            final int j = i + env.random().nextInt(n - i);
            swap(i, j);
            final long id = sampleIds.getLong(i);
            final String address = sampleAddresses.get(i);
            if (!peers.containsKey(id) && !pendingJoins.containsKey(address)) {
                sendJoin(address, now);
                wanted--;
            }
        }
    }

    void onPing(
        final long senderId, final TrustStore.Trusted sender, final long sequence, final long probeId,
        final VivaldiCoordinate coordinate, final long now) {
        Peer p = peers.get(senderId);
        if (p == null) {
            if (sequence < sender.leftSequence || sender.address == null) {
                return; // sent before the sender left us; it is not a peer any more
            }
            if (!makeRoom()) {
                sendLeave(sender.address, LeaveBody.REASON_NO_ROOM, now);
                return;
            }
            p = admit(senderId, sender.address, now);
            env.log().peerInfo(senderId, sender.address, LogIds.peer(senderId, sender.address) + " re-admitted on probe");
        }
        heard(p, now);
        if (coordinate != null) {
            p.coordinate = coordinate;
        }
        // A peer only probes nodes whose certificate it has checked: it has accepted us, even if
        // its join-accept to us was lost.
        markAccepted(senderId, p.address, now);
        sendProbe(p.address, MessageType.ACK, probeId, now);
    }

    /** A ping or ack: the probe id and this node's current network coordinate. */
    private void sendProbe(final String address, final MessageType type, final long probeId, final long now) {
        final UnsafeBuffer body = outbox.body(ProbeBody.LENGTH);
        final int length = ProbeBody.encode(body, outbox.bodyOffset(), probeId);
        vivaldi.coordinate().writeTo(body, outbox.bodyOffset() + ProbeBody.COORDINATE_OFFSET);
        outbox.send(address, type, length, now);
    }

    private void markAccepted(final long byNodeId, final String byAddress, final long now) {
        if (acceptedMicros < 0) {
            acceptedMicros = now;
            env.log().peerInfo(byNodeId, byAddress, "node " + selfHex + " accepted into the fleet by " + LogIds.peer(byNodeId, byAddress));
        }
    }

    void onAck(final long senderId, final long probeId, final VivaldiCoordinate coordinate, final long now) {
        final Peer p = peers.get(senderId);
        if (p == null) {
            return;
        }
        heard(p, now);
        if (coordinate != null) {
            p.coordinate = coordinate;
        }
        if (p.probeSentMicros >= 0 && probeId == p.probeId) {
            final long rttMicros = now - p.probeSentMicros;
            p.recordRtt(rttMicros);
            p.probeSentMicros = -1;
            if (coordinate != null) {
                vivaldi.observe(coordinate, rttMicros);
            }
        }
    }

    void onLeave(final long senderId, final TrustStore.Trusted sender, final long sequence, final int reason) {
        sender.leftSequence = sequence;
        final Peer p = peers.remove(senderId);
        if (p != null) {
            env.log().peerInfo(senderId, p.address, LogIds.peer(senderId, p.address) + " left ("
                + (reason == LeaveBody.REASON_SHUTDOWN ? "shutdown" : "no room for us") + ")");
        }
    }

    private void updateLiveness(final long now) {
        final Iterator<Peer> it = peers.values().iterator();
        while (it.hasNext()) {
            final Peer p = it.next();
            final long silenceMicros = now - p.lastHeardMicros;
            if (p.state != PeerState.DEAD && silenceMicros > config.deadAfterMicros()) {
                transition(p, PeerState.DEAD, now);
                p.rejoinBackoffMicros = config.joinRetryMicrosMin();
                p.nextRejoinMicros = now + p.rejoinBackoffMicros;
                env.log().peerWarn(p.nodeId, p.address, LogIds.peer(p.nodeId, p.address) + " is dead: silent for "
                    + silenceMicros / 1000 + " ms");
            } else if (p.state == PeerState.ALIVE && silenceMicros > config.suspectAfterMicros()) {
                transition(p, PeerState.SUSPECT, now);
                env.log().peerInfo(p.nodeId, p.address, LogIds.peer(p.nodeId, p.address) + " is suspect: silent for "
                    + silenceMicros / 1000 + " ms");
            } else if (p.state == PeerState.DEAD && now - p.sinceMicros > config.forgetAfterMicros()) {
                it.remove();
                env.log().peerInfo(p.nodeId, p.address, LogIds.peer(p.nodeId, p.address) + " forgotten after "
                    + (now - p.sinceMicros) / 1_000_000 + " s dead");
            }
        }
    }

    private void probePeers(final long now) {
        for (final Peer p : peers.values()) {
            if (p.state != PeerState.DEAD && now >= p.nextPingMicros) {
                p.probeId = ++probeCounter;
                p.probeSentMicros = now;
                p.nextPingMicros = now + config.pingIntervalMicros();
                sendProbe(p.address, MessageType.PING, p.probeId, now);
            }
        }
    }

    private void rejoinDeadPeers(final long now) {
        for (final Peer p : peers.values()) {
            if (p.state == PeerState.DEAD && now >= p.nextRejoinMicros) {
                sendJoin(p.address, now);
                p.rejoinBackoffMicros = Math.min(2 * p.rejoinBackoffMicros, config.joinRetryMicrosMax());
                p.nextRejoinMicros = now + p.rejoinBackoffMicros;
            }
        }
    }

    /**
     * Joins through the bootstrap addresses while alone or not yet accepted; explores known nodes
     * while short of peers.
     */
    private void seekPeers(final long now) {
        final int alive = alivePeerCount();
        final List<String> bootstrap = bootstrapAddresses();
        if (alive > 0 && acceptedMicros >= 0) {
            bootstrapBackoffMicros = 0;
        } else if (!bootstrap.isEmpty() && now >= nextBootstrapMicros) {
            for (final String address : bootstrap) {
                sendJoin(address, now);
            }
            bootstrapBackoffMicros = bootstrapBackoffMicros == 0
                ? config.joinRetryMicrosMin() : Math.min(2 * bootstrapBackoffMicros, config.joinRetryMicrosMax());
            nextBootstrapMicros = now + bootstrapBackoffMicros + jitter(bootstrapBackoffMicros / 4);
        }
        if (peers.size() < config.peersTarget() && now >= nextExploreMicros && pendingJoins.isEmpty()) {
            final String candidate = randomKnownNonPeer();
            if (candidate != null) {
                sendJoin(candidate, now);
            }
            nextExploreMicros = now + config.pingIntervalMicros() + jitter(config.pingIntervalMicros());
        }
    }

    private void expirePendingJoins(final long now) {
        final long timeoutMicros = 2 * config.pingIntervalMicros();
        pendingJoins.values().removeIf(sentMicros -> now - sentMicros > timeoutMicros);
    }

    private Peer admit(final long nodeId, final String address, final long now) {
        final Peer p = new Peer(nodeId, address, now);
        // spread the first probe over one interval so peers admitted together do not ping in step
        p.nextPingMicros = now + jitter(config.pingIntervalMicros());
        peers.put(nodeId, p);
        return p;
    }

    /** @return whether the table has a free slot, freeing the longest-dead peer's slot if needed. */
    private boolean makeRoom() {
        if (peers.size() < config.peersMax()) {
            return true;
        }
        Peer oldestDead = null;
        for (final Peer p : peers.values()) {
            if (p.state == PeerState.DEAD && (oldestDead == null || p.sinceMicros < oldestDead.sinceMicros)) {
                oldestDead = p;
            }
        }
        if (oldestDead == null) {
            return false;
        }
        peers.remove(oldestDead.nodeId);
        return true;
    }

    private void heard(final Peer p, final long now) {
        p.lastHeardMicros = now;
        if (p.state != PeerState.ALIVE) {
            if (p.state == PeerState.DEAD) {
                env.log().peerInfo(p.nodeId, p.address, LogIds.peer(p.nodeId, p.address) + " is alive again");
            }
            transition(p, PeerState.ALIVE, now);
            p.nextPingMicros = Math.min(p.nextPingMicros, now + config.pingIntervalMicros());
        }
    }

    private static void transition(final Peer p, final PeerState state, final long now) {
        p.state = state;
        p.sinceMicros = now;
    }

    private void sendJoin(final String address, final long now) {
        if (pendingJoins.size() >= PENDING_JOINS_MAX) {
            pendingJoins.remove(pendingJoins.keySet().iterator().next());
        }
        pendingJoins.put(address, now);
        final int bodyLength = JoinBody.encode(
            outbox.body(JoinBody.bodyLength(certificateBytes, advertiseBytes)), outbox.bodyOffset(), certificateBytes, config.advertiseAddress());
        outbox.send(address, MessageType.JOIN, bodyLength, now);
    }

    /** The node this node knows at {@code address} (a peer first, then the address book), or 0: for log lines, O(peers + known). */
    long idAt(final String address) {
        for (final Peer p : peers.values()) {
            if (address.equals(p.address)) {
                return p.nodeId;
            }
        }
        for (final Map.Entry<Long, String> e : known.entrySet()) {
            if (address.equals(e.getValue())) {
                return e.getKey();
            }
        }
        return 0;
    }

    private void sendAccept(final String address, final long joinerId, final boolean admitted, final long now) {
        // Candidates in id order (peers first, then the address book), then a seeded random pick.
        sampleIds.clear();
        sampleAddresses.clear();
        for (final Peer p : peers.values()) {
            if (p.nodeId != joinerId && p.state == PeerState.ALIVE) {
                sampleIds.addLong(p.nodeId);
                sampleAddresses.add(p.address);
            }
        }
        for (final Map.Entry<Long, String> e : known.entrySet()) {
            if (e.getKey() != joinerId && !peers.containsKey(e.getKey())) {
                sampleIds.addLong(e.getKey());
                sampleAddresses.add(e.getValue());
            }
        }
        final int n = sampleIds.size();
        final int take = Math.min(n, JoinAcceptBody.SAMPLE_MAX);
        int bodyLengthMax = JoinAcceptBody.CERTIFICATE_OFFSET + certificateBytes.length + advertiseBytes.length;
        for (int i = 0; i < take; i++) {
            swap(i, i + env.random().nextInt(n - i));
            bodyLengthMax += JoinAcceptBody.SAMPLE_ENTRY_FIXED_LENGTH + sampleAddresses.get(i).length();
        }
        final UnsafeBuffer body = outbox.body(bodyLengthMax);
        final int bodyOffset = outbox.bodyOffset();
        int bodyLength = JoinAcceptBody.encodeStart(body, bodyOffset, admitted, certificateBytes, config.advertiseAddress());
        for (int i = 0; i < take; i++) {
            bodyLength = JoinAcceptBody.appendSample(body, bodyOffset, bodyLength, sampleIds.getLong(i), sampleAddresses.get(i));
        }
        outbox.send(address, MessageType.JOIN_ACCEPT, bodyLength, now);
    }

    private void sendLeave(final String address, final int reason, final long now) {
        outbox.send(address, MessageType.LEAVE, LeaveBody.encode(outbox.body(LeaveBody.LENGTH), outbox.bodyOffset(), reason), now);
    }

    private void swap(final int i, final int j) {
        if (i != j) {
            final long id = sampleIds.getLong(i);
            sampleIds.setLong(i, sampleIds.getLong(j));
            sampleIds.setLong(j, id);
            final String address = sampleAddresses.get(i);
            sampleAddresses.set(i, sampleAddresses.get(j));
            sampleAddresses.set(j, address);
        }
    }

    private void rememberKnown(final long nodeId, final String address) {
        if (nodeId == selfId || address == null) {
            return;
        }
        known.put(nodeId, address);
        if (known.size() > config.knownMax()) {
            int skip = env.random().nextInt(known.size());
            final Iterator<Long> it = known.keySet().iterator();
            while (skip-- > 0) {
                it.next();
            }
            it.next();
            it.remove();
        }
    }

    private String randomKnownNonPeer() {
        int candidates = 0;
        for (final Map.Entry<Long, String> e : known.entrySet()) {
            if (!peers.containsKey(e.getKey())) {
                candidates++;
            }
        }
        if (candidates == 0) {
            return null;
        }
        int pick = env.random().nextInt(candidates);
        for (final Map.Entry<Long, String> e : known.entrySet()) {
            if (!peers.containsKey(e.getKey()) && pick-- == 0) {
                return e.getValue();
            }
        }
        throw new IllegalStateException("unreachable: counted " + candidates + " candidates");
    }

    private long jitter(final long boundMicros) {
        return boundMicros <= 0 ? 0 : env.random().nextLong(boundMicros);
    }

    private int alivePeerCount() {
        int alive = 0;
        for (final Peer p : peers.values()) {
            if (p.state == PeerState.ALIVE) {
                alive++;
            }
        }
        return alive;
    }

    private List<String> bootstrapAddresses() {
        return bootstrapAddresses(config);
    }

    /** The configured bootstrap addresses other than our own. */
    static List<String> bootstrapAddresses(final CoreConfig config) {
        final List<String> addresses = new ArrayList<>(config.bootstrap().size());
        for (final String address : config.bootstrap()) {
            if (!address.equals(config.advertiseAddress())) {
                addresses.add(address);
            }
        }
        return addresses;
    }
}
