package dev.vigil.daemon.tree;

import dev.vigil.wire.TreeWire;

import java.util.HashSet;
import java.util.Set;

/** One member of a cluster as this node knows it: where it is, and what SWIM says of it. */
final class Member {
    final long id;
    String address;
    VivaldiCoordinate coordinate;
    long incarnation;
    int state = TreeWire.STATE_ALIVE;
    /** Meaningful while {@link #state} is suspect. */
    long suspectSinceMicros = TreeState.NEVER;
    /** Smoothed round trip measured by this node (0: not yet). */
    long rttMicros;
    /** Members that told us they suspect it (Lifeguard counts them to confirm sooner). */
    final Set<Long> suspectors = new HashSet<>();

    Member(final long id, final String address, final VivaldiCoordinate coordinate) {
        this.id = id;
        this.address = address;
        this.coordinate = coordinate;
    }

    boolean isAlive() {
        return state == TreeWire.STATE_ALIVE;
    }

    boolean isSuspect() {
        return state == TreeWire.STATE_SUSPECT;
    }
}
