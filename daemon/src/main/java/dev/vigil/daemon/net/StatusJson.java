package dev.vigil.daemon.net;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.vigil.daemon.cli.VersionProvider;
import dev.vigil.daemon.config.NodeConfig;
import dev.vigil.daemon.core.FrameCounters;
import dev.vigil.daemon.core.NodeStatus;
import dev.vigil.daemon.core.PeerState;
import dev.vigil.daemon.detect.Detector;
import dev.vigil.daemon.history.AgentHistory;
import dev.vigil.daemon.ingest.otlp.OtlpIngestStats;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JSON shape of {@code GET /v1/status}: snake_case keys, times in ms or s as named.
 *
 * @param otlp     null when OTLP ingest is off
 * @param alerting alerts into Alertmanager: what fires, and each Alertmanager's sent, failed, dropped and waiting
 */
record StatusJson(String nodeId, String version, String advertisedAddress, Listen listen, double uptimeS, boolean accepted,
                  ApiJson.Coordinate coordinate, List<String> bootstrap, List<Peer> peers, Frames frames, List<Refusal> refusals,
                  Transport transport, Detection detection, Storage storage, Map<String, Object> otlp, Verdicts verdicts,
                  Accel accel, dev.vigil.daemon.alerting.Alerting.Status alerting) {

    /** What one status answer is made of, gathered on the core's thread. */
    record View(NodeStatus node, Detector.Counters detection, OtlpIngestStats otlp, List<PeerLinks.LinkStats> links, String io,
                double uptimeS, NodeConfig config, SocketAddress peerListen, SocketAddress apiListen,
                AgentHistory.Counters storage, boolean storesRecovered,
                dev.vigil.daemon.history.Replication.Counters replication, Verdicts verdicts,
                dev.vigil.accel.Accel.Status accel, dev.vigil.daemon.alerting.Alerting.Status alerting) {
    }

    /**
     * Where numeric batches run: the backend asked for ({@code accel.backend}), the one running
     * ({@code java} or {@code opencl}), its device, why, from which batch sizes each kernel goes to
     * the device, and the device's work so far (batches, bytes both ways, share of device-call time
     * spent moving data). Shared by every daemon of one JVM with the same setting.
     */
    record Accel(String requested, String backend, String device, String reason, String thresholds, long batches,
                 long bytesMoved, double transferShare) {
        static Accel of(final dev.vigil.accel.Accel.Status s) {
            return new Accel(s.requested(), s.backend(), s.device(), s.reason(), s.thresholds(), s.batches(), s.bytesMoved(),
                ApiJson.round3(s.transferShare()));
        }
    }

    /**
     * Fleet verdicts on this node: the directory it holds, the committees it sits on, its side as an
     * observer, verdicts held, what it did about them, and counters (refusals by reason among them).
     */
    record Verdicts(boolean enabled, Long directoryEpoch, String directoryIssuer, Integer candidates, int f, int shards,
                    List<dev.vigil.daemon.verdict.Committeeship.SeatStatus> committees,
                    dev.vigil.daemon.verdict.Observing.Status observer, int certificatesHeld, long webhooksDelivered,
                    long webhooksFailed, long commandsRun, long commandsFailed, long responsesDropped, Map<String, Long> counters,
                    Map<String, Long> replicaRefusals, long viewChanges) {
    }

    record Listen(String peer, String api) {
    }

    /** A peer as this node sees it; the RTTs are null until measured (or, predicted, until it sent its coordinate). */
    record Peer(String nodeId, String address, String state, boolean alive, double stateForS, double lastHeardMsAgo,
                Double rttMs, Double rttLastMs, Double rttPredictedMs) {
    }

    /**
     * Frames by message type (sent, received), refusals by reason, internal errors (bugs, not bad input:
     * a handler threw on a frame that passed every check) by code location, and consensus messages carried
     * in fragments (sent, delivered, every accepted fragment by outcome, partial messages dropped by reason).
     */
    record Frames(Map<String, FrameCounters.TypeCount> sent, Map<String, FrameCounters.TypeCount> received,
                  Map<String, Long> rejected, Map<String, Long> internalErrors,
                  dev.vigil.daemon.core.ConsensusCounters.Snapshot consensus) {
    }

    /** A sender whose frames were refused. */
    record Refusal(String nodeId, String address, String reason, String detail, long frames,
                   @JsonProperty("last_s_ago") double lastSAgo) {
    }

    /** The I/O kind and the outbound links, with their drops summed. */
    record Transport(String io, long droppedQueueFull, long droppedUnreachable, List<Link> links) {
    }

    record Link(String address, boolean connected, int queued, long framesSent, long droppedQueueFull, long droppedUnreachable,
                long connectFailures) {
    }

    record Detection(String schemaHash, int features, int agents, int suspect, int alarmed, long observations, long scored,
                     long excludedFromBaseline, long refusedTooOld, long refusedAgentsFull, long evictedSilent, long alarmsRaised,
                     int fleetDrifting, long treeBaselinesRefused, long refusedStore, int restorePending, long adopted) {
    }

    record Storage(String dir, boolean recoveredAtStart, int agents, int pinned, long rawBlocks, long minuteBuckets,
                   long hourBuckets, long dayBuckets, long prunedEntries, long corruptEntries, long refusedPerMinuteBound,
                   long refusedStoreFull, Replication replication) {
    }

    record Replication(int replicas, long framesSent, long bytesSent, long payloadBytesSent, long received, long stored,
                       long refused, long held) {
    }

    static StatusJson of(final View v) {
        final NodeStatus s = v.node();
        final List<Peer> peers = new ArrayList<>();
        for (final NodeStatus.PeerView p : s.peers()) {
            peers.add(new Peer(p.nodeId(), p.address(), p.state().label, p.state() == PeerState.ALIVE,
                ApiJson.round3((s.nowMicros() - p.sinceMicros()) / 1e6),
                ApiJson.round3((s.nowMicros() - p.lastHeardMicros()) / 1e3),
                p.rttMicrosSmoothed() < 0 ? null : ApiJson.round3(p.rttMicrosSmoothed() / 1e3),
                p.rttMicrosLast() < 0 ? null : ApiJson.round3(p.rttMicrosLast() / 1e3),
                p.coordinate() == null ? null : ApiJson.round3(s.coordinate().distanceMs(p.coordinate()))));
        }
        final List<Refusal> refusals = new ArrayList<>();
        for (final NodeStatus.Refusal r : s.refusals()) {
            refusals.add(new Refusal(r.nodeId(), r.address(), r.reason(), r.detail(), r.count(),
                ApiJson.round3((s.nowMicros() - r.lastMicros()) / 1e6)));
        }
        return new StatusJson(s.nodeId(), VersionProvider.version(), s.address(),
            new Listen(String.valueOf(v.peerListen()), String.valueOf(v.apiListen())),
            ApiJson.round3(v.uptimeS()), s.accepted(), ApiJson.Coordinate.of(s.coordinate()),
            v.config().core().bootstrap(), peers, new Frames(s.frames().sent(), s.frames().received(), s.frames().rejected(),
                s.internalErrors(), s.frames().consensus()),
            refusals, transport(v), detection(v), storage(v), v.otlp() == null ? null : v.otlp().asMap(), v.verdicts(),
            Accel.of(v.accel()), v.alerting());
    }

    private static Transport transport(final View v) {
        long queueFull = 0;
        long unreachable = 0;
        final List<Link> links = new ArrayList<>();
        for (final PeerLinks.LinkStats l : v.links()) {
            queueFull += l.droppedQueueFull();
            unreachable += l.droppedUnreachable();
            links.add(new Link(l.address(), l.connected(), l.queued(), l.framesSent(), l.droppedQueueFull(),
                l.droppedUnreachable(), l.connectFailures()));
        }
        return new Transport(v.io(), queueFull, unreachable, links);
    }

    private static Detection detection(final View v) {
        final Detector.Counters c = v.detection();
        return new Detection(String.format("%08x", v.config().schema().hash()), v.config().schema().size(), c.agents(),
            c.suspect(), c.alarmed(), c.observations(), c.scored(), c.excludedFromBaseline(), c.refusedTooOld(),
            c.refusedAgentsFull(), c.evictedSilent(), c.alarmsRaised(), c.fleetDrifting(), c.treeBaselinesRefused(),
            c.refusedStore(), c.restorePending(), c.adopted());
    }

    private static Storage storage(final View v) {
        final AgentHistory.Counters h = v.storage();
        final dev.vigil.daemon.history.Replication.Counters r = v.replication();
        return new Storage(v.config().storesDir().toString(), v.storesRecovered(), h.agents(), h.pinned(), h.rawBlocks(),
            h.minuteBuckets(), h.hourBuckets(), h.dayBuckets(), h.prunedEntries(), h.corruptEntries(), h.refusedPerMinute(),
            h.refusedStoreFull(), new Replication(r.replicas(), r.framesSent(), r.bytesSent(), r.payloadBytesSent(),
                r.received(), r.stored(), r.refused(), r.held()));
    }
}
