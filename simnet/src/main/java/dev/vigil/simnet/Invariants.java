package dev.vigil.simnet;

import dev.vigil.crypto.NodeIds;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Safety properties checked during and after a run. Each failure is one line naming the host,
 * so together with the printed seed it replays.
 */
final class Invariants {
    private static final int FAILURES_MAX = 20;
    private final List<String> failures = new ArrayList<>();

    /**
     * Every certified host's peer table: within its bound, never itself, never an id outside {@code members}
     * (the fleet's outsiders are started for this clause to have something to refuse).
     *
     * @param members node ids certified by the fleet's CA; nobody else may ever be a peer
     */
    void checkMembership(final SimFleet fleet, final Set<Long> members, final long atMicros) {
        for (final SimHost h : fleet.hosts()) {
            if (!h.isUp() || fleet.isOutsider(h.nodeId())) {
                continue;
            }
            final long[] peers = h.core().peerIds();
            if (peers.length > h.config().peersMax()) {
                fail(atMicros, "host " + h.index() + " holds " + peers.length + " peers, bound is " + h.config().peersMax());
            }
            for (final long id : peers) {
                if (id == h.nodeId()) {
                    fail(atMicros, "host " + h.index() + " lists itself as a peer");
                }
                if (!members.contains(id)) {
                    fail(atMicros, "host " + h.index() + " lists " + NodeIds.toHex(id) + ", which the cluster CA never certified");
                }
            }
        }
    }

    void fail(final long atMicros, final String what) {
        if (failures.size() < FAILURES_MAX) {
            failures.add(String.format("t=%.3fs %s", (atMicros - Simulator.EPOCH_MICROS) / 1e6, what));
        }
    }

    List<String> failures() {
        return List.copyOf(failures);
    }
}
