package dev.vigil.daemon.core;

import dev.vigil.crypto.Certificate;
import dev.vigil.crypto.NodeIds;
import dev.vigil.crypto.PrivateKey;
import dev.vigil.crypto.PublicKey;
import dev.vigil.daemon.tree.TreeConfig;
import dev.vigil.daemon.tree.TreeNode;
import dev.vigil.daemon.tree.Vivaldi;
import dev.vigil.daemon.tree.VivaldiCoordinate;
import dev.vigil.wire.ConsensusFragmentBody;
import dev.vigil.wire.FrameHeader;
import dev.vigil.wire.FrameStatus;
import dev.vigil.wire.JoinBody;
import dev.vigil.wire.LeaveBody;
import dev.vigil.wire.MessageType;
import dev.vigil.wire.ProbeBody;
import dev.vigil.wire.ReplicaBody;
import dev.vigil.wire.WireWriter;
import org.agrona.concurrent.UnsafeBuffer;


/**
 * One Vigil node: every inbound frame passes its {@link FrameGate}, then goes to the membership
 * layer ({@link Membership}: peers found through bootstrap addresses and samples, probed for
 * liveness and round trip), to the fleet tree ({@link TreeNode}), to the baseline replica sink, or
 * to {@link ConsensusReassembly}, which hands whole consensus messages to the consensus sink.
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
    private final Refusals refusals;
    private final TrustStore trust;
    private final FrameGate gate;
    private final Vivaldi vivaldi;
    private final Membership membership;

    private final TreeNode tree;
    private final byte[] introduction;
    private final WireWriter treeWriter = new WireWriter();
    private boolean treeIntroduce;
    private Outbox outbox;
    private ReplicaSink replicaSink = (from, key, version, payload) -> { };
    private final ConsensusReassembly consensus;
    private ConsensusSink consensusSink = (from, message) -> { };
    /** The id of the last consensus message sent; starts at the boot time in µs, so ids increase across restarts. */
    private long consensusMessageId;
    private Scheduler.Timer tickTimer;
    private long startedMicros = -1;
    private boolean stopped;

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
        this.membership = new Membership(config, selfId, certificateBytes, advertiseBytes, env, vivaldi);
        this.tree = new TreeNode(treeConfig, selfId, config.advertiseAddress(), Membership.bootstrapAddresses(config),
            vivaldi, env.random(), env.log(), new TreeOutbox());
        final byte[] intro = new byte[JoinBody.bodyLength(certificateBytes, advertiseBytes)];
        this.introduction = java.util.Arrays.copyOf(intro,
            dev.vigil.wire.Introduction.encode(new UnsafeBuffer(intro), 0, certificateBytes, config.advertiseAddress()));
        this.trust = new TrustStore(config.trustedMax(), id -> membership.isPeer(id) || tree.knows(id));
        this.gate = new FrameGate(caKey, selfId, config.schemaHash(), config.clockSkewMicrosMax(), trust, counters);
        this.refusals = new Refusals(env.log());
        this.consensus = new ConsensusReassembly(config.reassembly(), counters.consensus(), new ConsensusEvents());
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
        consensusMessageId = now;
        membership.start(outbox, now);
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
                    + LogIds.peer(FrameHeader.sender(gate.view(), offset), null) + ": " + status);
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
            case JOIN -> membership.onJoin(senderId, sender, now);
            case JOIN_ACCEPT -> membership.onJoinAccept(senderId, sender, frame, bodyOffset, now);
            case PING -> membership.onPing(senderId, sender, FrameHeader.sequence(frame, offset), ProbeBody.probeId(frame, bodyOffset),
                VivaldiCoordinate.tryReadFrom(frame, bodyOffset + ProbeBody.COORDINATE_OFFSET), now);
            case ACK -> membership.onAck(senderId, ProbeBody.probeId(frame, bodyOffset),
                VivaldiCoordinate.tryReadFrom(frame, bodyOffset + ProbeBody.COORDINATE_OFFSET), now);
            case LEAVE -> membership.onLeave(senderId, sender, FrameHeader.sequence(frame, offset), LeaveBody.reason(frame, bodyOffset));
            case BASELINE_REPLICA -> onReplica(senderId, sender, frame, gate.bodyOffset, gate.bodyLength, now);
            case CONSENSUS -> onConsensusFragment(senderId, sender, frame, gate.bodyOffset, gate.bodyLength, now);
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
        final int told = membership.leave(now);
        stopped = true;
        if (tickTimer != null) {
            tickTimer.cancel();
        }
        env.log().info("node " + selfHex + " left the fleet (told " + told + " peers)");
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
        if (stopped || startedMicros < 0) {
            return 0;
        }
        return membership.probeNow(nodeId, count, now());
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
            membership.tick(now);
            tree.onTick(now);
            consensus.expire(now);
        } catch (final RuntimeException e) {
            internalError("the tick", e); // a bug must not stop the node's housekeeping: the next tick comes
        }
        tickTimer = env.scheduler().schedule(config.tickMicros(), this::onTick);
    }

    // ---------------------------------------------------------------- baseline replicas

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

    // ---------------------------------------------------------------- consensus messages

    /** Where whole consensus messages from other nodes go (the committee replicas); ignored by default. */
    public interface ConsensusSink {
        /** @param message the whole message, as the sender passed it to {@link #sendConsensus}; the sink owns it */
        void accept(long fromNodeId, byte[] message);
    }

    public void setConsensusSink(final ConsensusSink sink) {
        this.consensusSink = sink;
    }

    /**
     * Sends one consensus message to the node at {@code address}, split into as many frames as it
     * needs, each introduced (a committee member may not have our certificate yet) and signed. The
     * receiver puts it back together within the bounds of its {@link ReassemblyConfig}; nothing is
     * retransmitted here (the consensus layer retransmits what matters).
     *
     * @return the bytes put on the wire, all frames together, or 0 when not sent (stopped, not started)
     * @throws IllegalArgumentException when the message is empty or longer than {@code reassembly.messageBytesMax}
     */
    public int sendConsensus(final String address, final byte[] message) {
        final int messageBytesMax = config.reassembly().messageBytesMax();
        if (message.length < 1 || message.length > messageBytesMax) {
            throw new IllegalArgumentException("consensus message of " + message.length + " bytes outside [1, " + messageBytesMax + "]");
        }
        if (stopped || outbox == null) {
            return 0;
        }
        final long now = now();
        final long messageId = ++consensusMessageId;
        final int fragmentBytesMax = ConsensusFragmentBody.fragmentLengthMax(introduction.length);
        final int bodyOffset = outbox.bodyOffset() + introduction.length;
        int wireBytes = 0;
        for (int offset = 0; offset < message.length; offset += fragmentBytesMax) {
            final int n = Math.min(fragmentBytesMax, message.length - offset);
            final UnsafeBuffer b = outbox.introducedBody(introduction, ConsensusFragmentBody.bodyLength(n));
            final int length = ConsensusFragmentBody.encode(b, bodyOffset, messageId, message, offset, n);
            outbox.sendIntroduced(address, MessageType.CONSENSUS, introduction.length, length, now);
            wireBytes += FrameHeader.FRAME_LENGTH_MIN + introduction.length + length;
        }
        counters.consensus().sent(message.length);
        return wireBytes;
    }

    private void onConsensusFragment(final long senderId, final TrustStore.Trusted sender, final UnsafeBuffer frame,
                                     final int bodyOffset, final int bodyLength, final long now) {
        final ConsensusReassembly.Outcome outcome = consensus.onFragment(senderId, frame, bodyOffset, bodyLength, now);
        if (!outcome.accepted && outcome != ConsensusReassembly.Outcome.DUPLICATE) {
            refusals.consensus(senderId, sender.address, "consensus-" + outcome.label, "fragment refused (message "
                + Long.toUnsignedString(ConsensusFragmentBody.messageId(frame, bodyOffset)) + ", "
                + ConsensusFragmentBody.fragmentLength(frame, bodyOffset) + " bytes at "
                + ConsensusFragmentBody.fragmentOffset(frame, bodyOffset) + " of "
                + ConsensusFragmentBody.messageLength(frame, bodyOffset) + ")", now);
        }
    }

    /** What reassembly reports: whole messages to the sink, dropped partial messages to the refusals. */
    private final class ConsensusEvents implements ConsensusReassembly.Events {
        @Override
        public void delivered(final long senderId, final byte[] message) {
            consensusSink.accept(senderId, message);
        }

        @Override
        public void dropped(final long senderId, final long messageId, final ConsensusReassembly.Drop reason, final int heldBytes,
                            final int messageBytes) {
            final TrustStore.Trusted sender = trust.get(senderId);
            refusals.consensus(senderId, sender == null ? null : sender.address, "consensus-" + reason.label,
                "partial message dropped (message " + Long.toUnsignedString(messageId) + ", " + heldBytes + " of " + messageBytes
                    + " bytes held)", now());
        }
    }

    /** The CA-checked certificate this node holds for {@code nodeId} (a peer, a tree neighbour, a recent sender), or null. */
    public Certificate certificateOf(final long nodeId) {
        final TrustStore.Trusted t = trust.get(nodeId);
        return t == null ? null : t.certificate;
    }

    /** The peer address this node advertises. */
    public String advertiseAddress() {
        return config.advertiseAddress();
    }

    /** The node this node knows at {@code address}, or 0 (for log lines about a connection: on the core's thread only). */
    public long peerIdAt(final String address) {
        return address == null ? 0 : membership.idAt(address);
    }

    /** The address this node last knew {@code nodeId} by, or null. */
    public String addressOf(final long nodeId) {
        final TrustStore.Trusted t = trust.get(nodeId);
        return t == null ? null : t.address;
    }

    private long now() {
        return env.clock().nowMicros();
    }

    // ---------------------------------------------------------------- views

    /** A snapshot for the status API and tests. */
    public NodeStatus status() {
        final long now = now();
        final long acceptedMicros = membership.acceptedMicros();
        return new NodeStatus(
            selfHex, config.advertiseAddress(), now, startedMicros, acceptedMicros >= 0, acceptedMicros, stopped,
            vivaldi.coordinate(), membership.peerViews(), counters.snapshot(), internalErrors.snapshot(), refusals.list());
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
        return membership.isJoined();
    }

    /** Ids of the peers in the table, ascending; cheaper than {@link #status()} for checkers. */
    public long[] peerIds() {
        return membership.peerIds();
    }

    /** Ids of the peers now alive, ascending: the edges of the fleet's peer graph at this instant. */
    public long[] alivePeerIds() {
        return membership.alivePeerIds();
    }

    /** Whether {@code id} is in the peer table, alive or not. */
    public boolean isPeer(final long id) {
        return membership.isPeer(id);
    }

    public int peerCount() {
        return membership.peerCount();
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
