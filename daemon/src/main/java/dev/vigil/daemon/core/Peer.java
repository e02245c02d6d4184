package dev.vigil.daemon.core;

/** One entry of the peer table. Mutable, owned by the core's thread. */
final class Peer {
    final long nodeId;
    String address;
    PeerState state = PeerState.ALIVE;
    long sinceMicros;
    long lastHeardMicros;
    /** Smoothed round trip (RFC 6298 style, gain 1/8), or -1 before the first ack. */
    long rttMicrosSmoothed = -1;
    long rttMicrosLast = -1;
    long probeId;
    long probeSentMicros = -1;
    long nextPingMicros;
    long rejoinBackoffMicros;
    long nextRejoinMicros;
    /** The peer's own network coordinate as it last told us, or null. */
    dev.vigil.daemon.tree.VivaldiCoordinate coordinate;

    Peer(final long nodeId, final String address, final long nowMicros) {
        this.nodeId = nodeId;
        this.address = address;
        this.sinceMicros = nowMicros;
        this.lastHeardMicros = nowMicros;
        this.nextPingMicros = nowMicros;
    }

    void recordRtt(final long rttMicros) {
        rttMicrosLast = rttMicros;
        rttMicrosSmoothed = rttMicrosSmoothed < 0 ? rttMicros : rttMicrosSmoothed + (rttMicros - rttMicrosSmoothed) / 8;
    }
}
