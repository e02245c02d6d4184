package dev.vigil.daemon.core;

import dev.vigil.crypto.Certificate;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongPredicate;

/**
 * Nodes whose certificate this node has checked, with their advertised address and anti-replay
 * window. Bounded: past {@code trustedMax} the least recently heard node that is not pinned (not
 * a peer) is forgotten, and must present its certificate again in a join.
 */
final class TrustStore {
    /** One checked node. */
    static final class Trusted {
        final Certificate certificate;
        final SequenceWindow window = new SequenceWindow();
        String address;
        /** Sequence of the sender's last leave; its earlier probes must not re-admit it. */
        long leftSequence = Long.MIN_VALUE;

        Trusted(final Certificate certificate, final String address) {
            this.certificate = certificate;
            this.address = address;
        }
    }

    private final int trustedMax;
    private final LongPredicate pinned;
    // access order: iteration starts at the least recently used entry; deterministic, not hash order
    private final LinkedHashMap<Long, Trusted> byNode = new LinkedHashMap<>(16, 0.75f, true);

    TrustStore(final int trustedMax, final LongPredicate pinned) {
        this.trustedMax = trustedMax;
        this.pinned = pinned;
    }

    /** Looks a node up and marks it recently used. */
    Trusted get(final long nodeId) {
        return byNode.get(nodeId);
    }

    /**
     * Records a node that just presented a verified certificate. A node that re-keyed (same id is
     * impossible with another key, so this only happens on re-issue) gets a fresh entry; the
     * replay window carries over so re-issuing never re-opens old sequences.
     */
    Trusted put(final Certificate certificate, final String address) {
        final Trusted previous = byNode.get(certificate.nodeId());
        if (previous != null && previous.certificate.sameEncoding(certificate.encoded(), 0, Certificate.LENGTH)) {
            if (address != null) {
                previous.address = address;
            }
            return previous;
        }
        final Trusted trusted = new Trusted(certificate, address != null ? address : previous != null ? previous.address : null);
        if (previous != null) {
            trusted.window.copyFrom(previous.window);
        }
        byNode.put(certificate.nodeId(), trusted);
        evict();
        return trusted;
    }

    int size() {
        return byNode.size();
    }

    private void evict() {
        final Iterator<Map.Entry<Long, Trusted>> it = byNode.entrySet().iterator();
        while (byNode.size() > trustedMax && it.hasNext()) {
            if (!pinned.test(it.next().getKey())) {
                it.remove();
            }
        }
    }
}
