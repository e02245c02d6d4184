package dev.vigil.daemon.tree;

import dev.vigil.wire.TreeWire;

import java.util.ArrayList;
import java.util.List;

/**
 * SWIM suspicion with Lifeguard's timeouts: a member that missed a probe is suspect, not dead;
 * the suspicion is confirmed after a timeout that shrinks as more members independently suspect
 * it (log-scaled by cluster size), and refuted by a higher incarnation from the member itself.
 */
final class Suspicion {
    /** Lifeguard's K: this many independent suspectors bring the timeout down to its minimum. */
    static final int CONFIRMATIONS_FOR_MIN = 3;

    private final TreeState s;
    private final TreeNode node;

    Suspicion(final TreeState s, final TreeNode node) {
        this.s = s;
        this.node = node;
    }

    /** {@code by} suspects {@code m}: a first suspicion starts the clock; later ones add confirmations. */
    void suspect(final Member m, final long by, final long nowMicros) {
        if (!m.isSuspect()) {
            m.state = TreeWire.STATE_SUSPECT;
            m.suspectSinceMicros = nowMicros;
            m.suspectors.clear();
            s.counters.suspicions++;
        }
        m.suspectors.add(by);
    }

    static void clear(final Member m) {
        m.state = TreeWire.STATE_ALIVE;
        m.suspectors.clear();
    }

    /**
     * Lifeguard: between min = suspicionMin · max(1, log10 n) and max = min · suspicionMaxFactor,
     * falling with log(confirmations) / log(K + 1).
     */
    long timeoutMicros(final int clusterSize, final int confirmations) {
        return timeoutMicros(s.config, clusterSize, confirmations);
    }

    static long timeoutMicros(final TreeConfig config, final int clusterSize, final int confirmations) {
        final double n = Math.max(2, clusterSize);
        final long min = Math.round(config.suspicionMinMicros() * Math.max(1.0, Math.log10(n)));
        final long max = min * config.suspicionMaxFactor();
        final double fraction = Math.log(Math.max(1, confirmations)) / Math.log(CONFIRMATIONS_FOR_MIN + 1);
        return Math.max(min, Math.round(max - (max - min) * Math.min(1.0, fraction)));
    }

    /** Members whose suspicion outlived its timeout are gone. */
    void expire(final Cluster c, final long nowMicros) {
        List<Long> dead = null;
        for (final Member m : c.members.values()) {
            if (m.isSuspect() && nowMicros - m.suspectSinceMicros >= timeoutMicros(c.members.size(), m.suspectors.size())) {
                if (dead == null) {
                    dead = new ArrayList<>();
                }
                dead.add(m.id);
            }
        }
        if (dead != null) {
            for (final long id : dead) {
                if (s.levels[c.level] == c && c.members.containsKey(id)) {
                    node.election().memberGone(c, id, "dead (suspicion confirmed)", nowMicros);
                }
            }
        }
    }
}
