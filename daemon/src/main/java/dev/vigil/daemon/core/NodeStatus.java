package dev.vigil.daemon.core;

import dev.vigil.daemon.tree.VivaldiCoordinate;

import java.util.List;

/**
 * What a node knows about itself at one moment; built on the core's thread, safe to hand to any
 * other thread.
 *
 * @param nodeId        16 hex digits
 * @param address       the advertised peer address
 * @param nowMicros     the node's clock when the snapshot was taken
 * @param startedMicros when the core started
 * @param accepted      whether some node has accepted this one into the fleet (a node with no
 *                      bootstrap addresses founds the fleet and is accepted from the start)
 * @param acceptedMicros when that first happened, or -1
 * @param coordinate    this node's Vivaldi network coordinate
 * @param peers         ordered by node id
 * @param internalErrors bugs caught (exceptions out of handlers for frames that passed every check, or out
 *                      of the tick), by code location
 * @param refusals      the most recent distinct refused senders, newest last
 */
public record NodeStatus(
    String nodeId,
    String address,
    long nowMicros,
    long startedMicros,
    boolean accepted,
    long acceptedMicros,
    boolean stopped,
    VivaldiCoordinate coordinate,
    List<PeerView> peers,
    FrameCounters.Snapshot frames,
    java.util.Map<String, Long> internalErrors,
    List<Refusal> refusals) {

    /** One peer as this node sees it; {@code coordinate} is the peer's own, or null before it told us. */
    public record PeerView(
        String nodeId, String address, PeerState state, long sinceMicros, long lastHeardMicros,
        long rttMicrosSmoothed, long rttMicrosLast, VivaldiCoordinate coordinate) {
    }

    /** A sender whose frames were refused for a reason worth an operator's attention. */
    public record Refusal(String nodeId, String address, String reason, String detail, long count, long lastMicros) {
    }

    public long alivePeers() {
        return peers.stream().filter(p -> p.state() == PeerState.ALIVE).count();
    }

    public PeerView peer(final String nodeIdHex) {
        return peers.stream().filter(p -> p.nodeId().equals(nodeIdHex)).findFirst().orElse(null);
    }

    public PeerState peerState(final String nodeIdHex) {
        final PeerView p = peer(nodeIdHex);
        return p == null ? null : p.state();
    }
}
