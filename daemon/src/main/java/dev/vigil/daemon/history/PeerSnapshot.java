package dev.vigil.daemon.history;

import dev.vigil.daemon.core.NodeCore;
import dev.vigil.daemon.core.NodeStatus;
import dev.vigil.daemon.tree.TreeStatus;
import dev.vigil.storage.KeyValueStore;
import dev.vigil.storage.StoreException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The addresses a restarted node joins through besides its configured bootstrap: its peers and
 * the members of its tree clusters when it last wrote them. Its old cluster is among them, so it
 * finds its place again, and a restarted founder rejoins its fleet instead of founding another.
 * Stored in the meta store as newline-separated addresses.
 */
public final class PeerSnapshot {
    private static final byte[] KEY = "membership.peers".getBytes(StandardCharsets.US_ASCII);
    /** Bound on the addresses kept (peers plus the members of every level's cluster). */
    static final int ADDRESSES_MAX = 512;

    private PeerSnapshot() {
    }

    /** @return the stored addresses other than {@code self}; empty when none or unreadable (logged by the caller) */
    public static List<String> read(final KeyValueStore meta, final String self) {
        final byte[] v = meta.get(KEY);
        if (v == null) {
            return List.of();
        }
        final List<String> out = new ArrayList<>();
        for (final String a : new String(v, StandardCharsets.US_ASCII).split("\n")) {
            if (!a.isBlank() && !a.equals(self)) {
                out.add(a.trim());
            }
        }
        return out;
    }

    /**
     * Writes the node's peers and cluster members (core thread).
     *
     * @throws StoreException when the store cannot take it
     */
    public static void write(final KeyValueStore meta, final NodeCore core, final String self) {
        final TreeSet<String> addresses = new TreeSet<>();
        for (final NodeStatus.PeerView p : core.status().peers()) {
            if (p.address() != null && !p.address().isEmpty() && !p.address().equals(self)) {
                addresses.add(p.address());
            }
        }
        for (final TreeStatus.Level l : core.tree().status().levels()) {
            for (final TreeStatus.Member m : l.members()) {
                if (m.address() != null && !m.address().isEmpty() && !m.address().equals(self)) {
                    addresses.add(m.address());
                }
            }
        }
        if (addresses.isEmpty()) {
            return;
        }
        final List<String> kept = new ArrayList<>(addresses).subList(0, Math.min(addresses.size(), ADDRESSES_MAX));
        meta.put(KEY, String.join("\n", kept).getBytes(StandardCharsets.US_ASCII));
    }
}
