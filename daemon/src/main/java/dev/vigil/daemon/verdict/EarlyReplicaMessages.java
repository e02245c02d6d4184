package dev.vigil.daemon.verdict;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Replica messages that name a directory epoch newer than the one this node holds: the root's new
 * directory and the first messages of the committee it forms race each other down the tree. Held
 * until that directory arrives, then handed to the new seats.
 *
 * <p>Bound: {@code max} messages; at the bound the oldest is dropped (the replicas retransmit what
 * matters) and counted.
 */
final class EarlyReplicaMessages {
    record Held(long from, FleetMessage.ReplicaMessage message) {
    }

    private final int max;
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    long dropped;

    EarlyReplicaMessages(final int max) {
        this.max = max;
    }

    void hold(final long from, final FleetMessage.ReplicaMessage m) {
        if (held.size() >= max) {
            held.poll();
            dropped++;
        }
        held.add(new Held(from, m));
    }

    /** Removes and returns, in arrival order, the messages of epochs up to {@code epoch}. */
    List<Held> takeUpTo(final long epoch) {
        final List<Held> out = new ArrayList<>();
        final Iterator<Held> it = held.iterator();
        while (it.hasNext()) {
            final Held h = it.next();
            if (h.message().epoch() <= epoch) {
                out.add(h);
                it.remove();
            }
        }
        return out;
    }

    int size() {
        return held.size();
    }
}
