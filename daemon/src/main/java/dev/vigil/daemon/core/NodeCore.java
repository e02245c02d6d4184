package dev.vigil.daemon.core;

import dev.vigil.crypto.Certificate;
import dev.vigil.crypto.NodeIds;
import dev.vigil.crypto.PrivateKey;
import dev.vigil.crypto.PublicKey;
import dev.vigil.daemon.tree.TreeConfig;
import dev.vigil.daemon.tree.TreeNode;
import dev.vigil.daemon.tree.Vivaldi;
import dev.vigil.daemon.tree.VivaldiCoordinate;
import dev.vigil.wire.FrameHeader;
import dev.vigil.wire.FrameStatus;
import dev.vigil.wire.JoinAcceptBody;
import dev.vigil.wire.JoinBody;
import dev.vigil.wire.LeaveBody;
import dev.vigil.wire.MessageType;
import dev.vigil.wire.ProbeBody;
import dev.vigil.wire.ReplicaBody;
import dev.vigil.wire.WireWriter;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One Vigil node: joins the fleet through bootstrap addresses, keeps a bounded table of peers,
 * probes them for liveness and round-trip time, and leaves cleanly on shutdown.
 *
 * <p>Driven only by {@link #start()}, {@link #onFrame}, its own tick timer and
 * {@link #shutdown()}, all on one thread; acts only through its {@link NodeEnv}. Given the same
 * inputs in the same order it produces the same outputs, byte for byte.
 *
 * <p>Membership protocol, in short: a joiner sends {@code join} (its certificate and address)
 * to a bootstrap address. The receiver checks the certificate against the cluster CA, admits the
 * joiner as a peer if its table has room, and answers {@code join-accept} with its own
 * certificate and a random sample of other nodes. A joiner that was not admitted, or that wants
 * more peers, joins nodes from the sample. Peers ping each other every ping interval; silence
 * makes a peer suspect, then dead; dead peers are re-joined with backoff so a restarted node is
 * found again, and forgotten after a while. Pings and acks carry the sender's Vivaldi coordinate,
 * and each measured round trip refines this node's own.
 */
public final class NodeCore {
    private static final int PENDING_JOINS_MAX = 64;

    private final CoreConfig config;
    private final PrivateKey key;
    private final byte[] certificateBytes;
    private final byte[] advertiseBytes;
    private final long selfId;
    private final String selfHex;
    private final NodeEnv env;
    private final Hlc hlc = new Hlc();
    private final FrameCounters counters = new FrameCounters();
    private final InternalErrors internalErrors = new InternalErrors();
    private final TreeMap<Long, Peer> peers = new TreeMap<>();
    private final TreeMap<Long, String> known = new TreeMap<>();
    private final LinkedHashMap<String, Long> pendingJoins = new LinkedHashMap<>();
    private final Refusals refusals;
    private final TrustStore trust;
    private final FrameGate gate;
    private final Vivaldi vivaldi;
    private final LongArrayList sampleIds = new LongArrayList();
    private final List<String> sampleAddresses = new ArrayList<>();

    private final TreeNode tree;
    private final byte[] introduction;
    private final WireWriter treeWriter = new WireWriter();
    private boolean treeIntroduce;
    private Outbox outbox;
    private ReplicaSink replicaSink = (from, key, version, payload) -> { };
    private Scheduler.Timer tickTimer;
    private long startedMicros = -1;
    private long acceptedMicros = -1;
    private boolean stopped;
    private long probeCounter;
    private long bootstrapBackoffMicros;
    private long nextBootstrapMicros;
    private long nextExploreMicros;

    public NodeCore(
        final CoreConfig config, final PrivateKey key, final Certificate certificate, final PublicKey caKey,
        final NodeEnv env) {
        this(config, TreeConfig.defaults(dev.vigil.daemon.detect.FeatureSchema.agentDefault().size()), key, certificate, caKey, env);
    }

    public NodeCore(
        final CoreConfig config, final TreeConfig treeConfig, final PrivateKey key, final Certificate certificate,
        final PublicKey caKey, final NodeEnv env) {
        if (certificate.nodeId() != key.nodeId() || !certificate.publicKey().equals(key.publicKey())) {
            throw new IllegalArgumentException("certificate " + certificate + " is not for key " + key);
        }
        this.config = config;
        this.key = key;
        this.certificateBytes = certificate.encoded();
        this.advertiseBytes = config.advertiseAddress().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        this.selfId = key.nodeId();
        this.selfHex = NodeIds.toHex(selfId);
        this.env = env;
        this.vivaldi = new Vivaldi(env.random());
        this.tree = new TreeNode(treeConfig, selfId, config.advertiseAddress(), bootstrapAddresses(config),
            vivaldi, env.random(), env.log(), new TreeOutbox());
        final byte[] intro = new byte[JoinBody.bodyLength(certificateBytes, advertiseBytes)];
        this.introduction = java.util.Arrays.copyOf(intro,
            dev.vigil.wire.Introduction.encode(new UnsafeBuffer(intro), 0, certificateBytes, config.advertiseAddress()));
        this.trust = new TrustStore(config.trustedMax(), id -> peers.containsKey(id) || tree.knows(id));
        this.gate = new FrameGate(caKey, selfId, config.schemaHash(), config.clockSkewMicrosMax(), trust, counters);
        this.refusals = new Refusals(env.log());
    }

    // ---------------------------------------------------------------- inputs

    /** Starts the tick timer and, unless this node founds the fleet, the join. */
    public void start() {
        if (startedMicros >= 0) {
            throw new IllegalStateException("node " + selfHex + " already started");
        }
        final long now = now();
        startedMicros = now;
        outbox = new Outbox(key, config.schemaHash(), hlc, env.transport(), counters, now);
        if (bootstrapAddresses().isEmpty()) {
            acceptedMicros = now;
            env.log().info("node " + selfHex + " at " + config.advertiseAddress() + " founds the fleet (no bootstrap addresses)");
        } else {
            env.log().info("node " + selfHex + " at " + config.advertiseAddress() + " joining through " + bootstrapAddresses());
        }
        seekPeers(now);
        tree.start(now);
        tickTimer = env.scheduler().schedule(config.tickMicros(), this::onTick);
    }

    /** Writes tree message bodies into the outbox's scratch, with or without an introduction. */
    private final class TreeOutbox implements TreeNode.Outbox {
        @Override
        public WireWriter begin(final int bodyLengthMax, final boolean introduce) {
            treeIntroduce = introduce;
            if (introduce) {
                return treeWriter.wrap(outbox.introducedBody(introduction, bodyLengthMax), outbox.bodyOffset() + introduction.length);
            }
            return treeWriter.wrap(outbox.body(bodyLengthMax), outbox.bodyOffset());
        }

        @Override
        public void send(final String address, final MessageType type, final WireWriter body) {
            final long now = now();
            if (treeIntroduce) {
                outbox.sendIntroduced(address, type, introduction.length, body.length(), now);
            } else {
                outbox.send(address, type, body.length(), now);
            }
        }
    }

    /**
     * Takes in one frame as delimited by the transport. Never throws for any byte string: bad input is
     * refused and counted by reason, and a bug in a handler is counted as an internal error.
     */
    public void onFrame(final byte[] bytes, final int offset, final int length) {
        if (stopped || startedMicros < 0) {
            return;
        }
        final long now = now();
        final FrameStatus status = gate.admit(bytes, offset, length, now);
        if (!status.ok()) {
            refusals.note(status, gate.view(), offset, gate.certificateProblem, now);
            if (env.log().debugEnabled() && length >= FrameHeader.HEADER_LENGTH) {
                env.log().debug("refused a " + MessageType.of(FrameHeader.type(gate.view(), offset)) + " frame from "
                    + NodeIds.toHex(FrameHeader.sender(gate.view(), offset)) + ": " + status);
            }
            if (status == FrameStatus.UNKNOWN_SENDER) {
                final MessageType type = MessageType.of(FrameHeader.type(gate.view(), offset));
                if (type != null && type.introducible()) {
                    tree.onUnknownSender(FrameHeader.sender(gate.view(), offset), now);
                }
            }
            return;
        }
        final UnsafeBuffer frame = gate.view();
        final TrustStore.Trusted sender = gate.sender;
        hlc.observe(FrameHeader.hlc(frame, offset), now);
        final long senderId = sender.certificate.nodeId();
        final MessageType type = MessageType.of(FrameHeader.type(frame, offset));
        try {
            dispatch(type, frame, offset, senderId, sender, now);
        } catch (final RuntimeException e) {
            internalError("a " + type.label + " frame from " + NodeIds.toHex(senderId), e);
        }
    }

    /** Hands a frame that passed every check to its handler. */
    private void dispatch(final MessageType type, final UnsafeBuffer frame, final int offset, final long senderId,
                          final TrustStore.Trusted sender, final long now) {
        final int bodyOffset = FrameHeader.bodyOffset(offset);
        switch (type) {
            case JOIN -> onJoin(senderId, sender, now);
            case JOIN_ACCEPT -> onJoinAccept(senderId, sender, frame, bodyOffset, now);
            case PING -> onPing(senderId, sender, FrameHeader.sequence(frame, offset), ProbeBody.probeId(frame, bodyOffset),
                VivaldiCoordinate.tryReadFrom(frame, bodyOffset + ProbeBody.COORDINATE_OFFSET), now);
            case ACK -> onAck(senderId, ProbeBody.probeId(frame, bodyOffset),
                VivaldiCoordinate.tryReadFrom(frame, bodyOffset + ProbeBody.COORDINATE_OFFSET), now);
            case LEAVE -> onLeave(senderId, sender, FrameHeader.sequence(frame, offset), LeaveBody.reason(frame, bodyOffset));
            case BASELINE_REPLICA -> onReplica(senderId, sender, frame, gate.bodyOffset, gate.bodyLength, now);
            default -> tree.onMessage(type, senderId, sender.address, frame, gate.bodyOffset, gate.bodyLength, now);
        }
    }

    /**
     * A bug: an exception out of a handler whose input passed every check, or out of a timer. Hostile
     * input never gets here (it is refused by reason first). Counted by code location, logged with its
     * stack trace the first time at each location; the node goes on (simnet's log fails the run).
     */
    private void internalError(final String during, final RuntimeException e) {
        final String where = InternalErrors.location(e);
        if (internalErrors.record(where)) {
            env.log().bug("node " + selfHex + ": internal error handling " + during + " at " + where
                + " (counted as internal-error; later ones there are only counted)", e);
        }
    }

    /** Bugs caught so far, by code location. */
    public InternalErrors internalErrors() {
        return internalErrors;
    }

    /** Tells every reachable peer this node is leaving, then stops reacting to anything. */
    public void shutdown() {
        if (stopped || startedMicros < 0) {
            stopped = true;
            return;
        }
        final long now = now();
        tree.shutdown(now);
        for (final Peer p : peers.values()) {
            if (p.state != PeerState.DEAD) {
                sendLeave(p.address, LeaveBody.REASON_SHUTDOWN, now);
            }
        }
        stopped = true;
        if (tickTimer != null) {
            tickTimer.cancel();
        }
        env.log().info("node " + selfHex + " left the fleet (told " + peers.size() + " peers)");
    }

    /** Bound on probes one {@link #probeNow} command may send. */
    public static final int PROBE_NOW_MAX = 1024;

    /**
     * Command: probe a peer {@code count} times now, outside the probe schedule (each probe is
     * answered by an ack; only the last one is timed). Used to measure a link, e.g. by
     * {@code vigil bench loopback}.
     *
     * @return how many probes were sent: 0 when the node is stopped or {@code nodeId} is not a
     *         live peer.
     */
    public int probeNow(final long nodeId, final int count) {
        if (count < 1 || count > PROBE_NOW_MAX) {
            throw new IllegalArgumentException("probe count must be in [1, " + PROBE_NOW_MAX + "], got " + count);
        }
        final Peer p = peers.get(nodeId);
        if (stopped || startedMicros < 0 || p == null || p.state == PeerState.DEAD) {
            return 0;
        }
        final long now = now();
        for (int i = 0; i < count; i++) {
            p.probeId = ++probeCounter;
            p.probeSentMicros = now;
            sendProbe(p.address, MessageType.PING, p.probeId, now);
        }
        return count;
    }

    /** Stops reacting to anything without telling peers, as a crash would; for fault tests. */
    public void shutdownSilently() {
        stopped = true;
        if (tickTimer != null) {
            tickTimer.cancel();
        }
    }

    private void onTick() {
        if (stopped) {
            return;
        }
        final long now = now();
        try {
            expirePendingJoins(now);
            updateLiveness(now);
            probePeers(now);
            rejoinDeadPeers(now);
            seekPeers(now);
            tree.onTick(now);
        } catch (final RuntimeException e) {
            internalError("the tick", e); // a bug must not stop the node's housekeeping: the next tick comes
        }
        tickTimer = env.scheduler().schedule(config.tickMicros(), this::onTick);
    }

    // ---------------------------------------------------------------- membership

    private void onJoin(final long senderId, final TrustStore.Trusted sender, final long now) {
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
            env.log().info("peer " + NodeIds.toHex(senderId) + " at " + sender.address + " joined");
            admitted = true;
        } else {
            admitted = false;
        }
        sendAccept(sender.address, senderId, admitted, now);
    }

    private void onJoinAccept(
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
                env.log().info("peer " + NodeIds.toHex(senderId) + " at " + sender.address + " admitted us");
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

    private void onPing(
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
            env.log().info("peer " + NodeIds.toHex(senderId) + " at " + sender.address + " re-admitted on probe");
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
            env.log().info("node " + selfHex + " accepted into the fleet by " + NodeIds.toHex(byNodeId) + " at " + byAddress);
        }
    }

    private void onAck(final long senderId, final long probeId, final VivaldiCoordinate coordinate, final long now) {
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

    /** Hands a well-formed replica to the sink; a malformed one is refused and counted. */
    private void onReplica(final long senderId, final TrustStore.Trusted sender, final UnsafeBuffer frame, final int bodyOffset,
                           final int bodyLength, final long now) {
        if (!ReplicaBody.isWellFormed(frame, bodyOffset, bodyLength)) {
            refusals.malformed(senderId, sender.address, "baseline-replica body of " + bodyLength + " bytes", now);
            return;
        }
        final byte[] payload = new byte[ReplicaBody.payloadLength(frame, bodyOffset)];
        frame.getBytes(bodyOffset + ReplicaBody.PAYLOAD_OFFSET, payload);
        replicaSink.accept(senderId, ReplicaBody.agentKey(frame, bodyOffset), ReplicaBody.version(frame, bodyOffset), payload);
    }

    /** Where replicas other nodes send us go (the daemon's replica store); ignored by default. */
    public interface ReplicaSink {
        void accept(long fromNodeId, long agentKey, long version, byte[] payload);
    }

    public void setReplicaSink(final ReplicaSink sink) {
        this.replicaSink = sink;
    }

    /**
     * Sends an agent's baseline to a cluster member, introduced (the member may not have our
     * certificate yet).
     *
     * @return the frame's length in bytes, or 0 when not sent (stopped, not started)
     */
    public int sendReplica(final String address, final long agentKey, final long version, final byte[] payload) {
        if (stopped || outbox == null) {
            return 0;
        }
        final long now = now();
        final WireWriter w = new TreeOutbox().begin(ReplicaBody.bodyLength(payload.length), true);
        final int length = ReplicaBody.encode(w.buffer(), w.position(), agentKey, version, payload);
        w.reserve(length);
        outbox.sendIntroduced(address, MessageType.BASELINE_REPLICA, introduction.length, length, now);
        return FrameHeader.HEADER_LENGTH + introduction.length + length + dev.vigil.crypto.PrivateKey.SIGNATURE_LENGTH;
    }

    private void onLeave(final long senderId, final TrustStore.Trusted sender, final long sequence, final int reason) {
        sender.leftSequence = sequence;
        final Peer p = peers.remove(senderId);
        if (p != null) {
            env.log().info("peer " + NodeIds.toHex(senderId) + " at " + p.address + " left ("
                + (reason == LeaveBody.REASON_SHUTDOWN ? "shutdown" : "no room for us") + ")");
        }
    }

    // ---------------------------------------------------------------- timers

    private void updateLiveness(final long now) {
        final Iterator<Peer> it = peers.values().iterator();
        while (it.hasNext()) {
            final Peer p = it.next();
            final long silenceMicros = now - p.lastHeardMicros;
            if (p.state != PeerState.DEAD && silenceMicros > config.deadAfterMicros()) {
                transition(p, PeerState.DEAD, now);
                p.rejoinBackoffMicros = config.joinRetryMicrosMin();
                p.nextRejoinMicros = now + p.rejoinBackoffMicros;
                env.log().warn("peer " + NodeIds.toHex(p.nodeId) + " at " + p.address + " is dead: silent for "
                    + silenceMicros / 1000 + " ms");
            } else if (p.state == PeerState.ALIVE && silenceMicros > config.suspectAfterMicros()) {
                transition(p, PeerState.SUSPECT, now);
                env.log().info("peer " + NodeIds.toHex(p.nodeId) + " at " + p.address + " is suspect: silent for "
                    + silenceMicros / 1000 + " ms");
            } else if (p.state == PeerState.DEAD && now - p.sinceMicros > config.forgetAfterMicros()) {
                it.remove();
                env.log().info("peer " + NodeIds.toHex(p.nodeId) + " at " + p.address + " forgotten after "
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

    // ---------------------------------------------------------------- helpers

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
                env.log().info("peer " + NodeIds.toHex(p.nodeId) + " at " + p.address + " is alive again");
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

    private List<String> bootstrapAddresses() {
        return bootstrapAddresses(config);
    }

    private static List<String> bootstrapAddresses(final CoreConfig config) {
        final List<String> addresses = new ArrayList<>(config.bootstrap().size());
        for (final String address : config.bootstrap()) {
            if (!address.equals(config.advertiseAddress())) {
                addresses.add(address);
            }
        }
        return addresses;
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

    private long now() {
        return env.clock().nowMicros();
    }

    // ---------------------------------------------------------------- views

    /** A snapshot for the status API and tests. */
    public NodeStatus status() {
        final long now = now();
        final List<NodeStatus.PeerView> views = new ArrayList<>(peers.size());
        for (final Peer p : peers.values()) {
            views.add(new NodeStatus.PeerView(
                NodeIds.toHex(p.nodeId), p.address, p.state, p.sinceMicros, p.lastHeardMicros,
                p.rttMicrosSmoothed, p.rttMicrosLast, p.coordinate));
        }
        return new NodeStatus(
            selfHex, config.advertiseAddress(), now, startedMicros, acceptedMicros >= 0, acceptedMicros, stopped,
            vivaldi.coordinate(), List.copyOf(views), counters.snapshot(), refusals.list());
    }

    /** Counters shared with the transport, which counts frames it could not even delimit. */
    public FrameCounters counters() {
        return counters;
    }

    public long nodeId() {
        return selfId;
    }

    /** Accepted into the fleet and at least one peer alive: what the join scenario waits for. */
    public boolean isJoined() {
        return acceptedMicros >= 0 && alivePeerCount() > 0;
    }

    /** Ids of the peers in the table, ascending; cheaper than {@link #status()} for checkers. */
    public long[] peerIds() {
        final long[] ids = new long[peers.size()];
        int i = 0;
        for (final long id : peers.keySet()) {
            ids[i++] = id;
        }
        return ids;
    }

    public int peerCount() {
        return peers.size();
    }

    public boolean isStopped() {
        return stopped;
    }

    /** This node's own statistics (its agents' current window) for the tree; sent up at the next flush. */
    public void publishLocalSummary(final dev.vigil.daemon.stats.Moments moments, final long agentCount) {
        if (stopped || startedMicros < 0) {
            return;
        }
        final long now = now();
        tree.setLocalSummary(moments, agentCount, now);
    }

    /** This node's part of the fleet tree (same thread as the core). */
    public TreeNode tree() {
        return tree;
    }
}
