package dev.vigil.daemon.history;

import dev.vigil.daemon.core.NodeCore;
import dev.vigil.daemon.core.NodeStatus;
import dev.vigil.daemon.tree.TreeStatus;
import dev.vigil.storage.CorruptEntryException;
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
 * Stored in the meta store as newline-separated addresses, twice: each write puts the same
 * addresses under two keys, one after the other, and a read takes the addresses of both. A
 * process killed inside one of the two puts can leave that entry torn (the snapshot before it
 * lost with it); the other still holds a snapshot, so a founder, which has no bootstrap, never
 * comes back knowing nobody.
 */
public final class PeerSnapshot {
    private static final List<byte[]> KEYS = List.of("membership.peers".getBytes(StandardCharsets.US_ASCII),
        "membership.peers.2".getBytes(StandardCharsets.US_ASCII));
    /** Bound on the addresses kept (peers plus the members of every level's cluster). */
    static final int ADDRESSES_MAX = 512;

    private PeerSnapshot() {
    }

    /**
     * @return the stored addresses other than {@code self}, sorted, at most {@value #ADDRESSES_MAX};
     *         empty when none
     * @throws CorruptEntryException when no copy is readable (the caller logs it and joins through
     *                               its configured bootstrap)
     */
    public static List<String> read(final KeyValueStore meta, final String self) {
        final TreeSet<String> addresses = new TreeSet<>();
        CorruptEntryException damaged = null;
        int readable = 0;
        for (final byte[] key : KEYS) {
            final byte[] v;
            try {
                v = meta.get(key);
            } catch (final CorruptEntryException e) {
                damaged = e;
                continue;
            }
            readable++;
            if (v == null) {
                continue;
            }
            for (final String a : new String(v, StandardCharsets.US_ASCII).split("\n")) {
                if (!a.isBlank() && !a.trim().equals(self)) {
                    addresses.add(a.trim());
                }
            }
        }
        if (readable == 0) {
            throw damaged;
        }
        return new ArrayList<>(addresses).subList(0, Math.min(addresses.size(), ADDRESSES_MAX));
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
        store(meta, new ArrayList<>(addresses).subList(0, Math.min(addresses.size(), ADDRESSES_MAX)));
    }

    /** Puts the addresses under both keys, one after the other (see the class comment). */
    static void store(final KeyValueStore meta, final List<String> addresses) {
        final byte[] v = String.join("\n", addresses).getBytes(StandardCharsets.US_ASCII);
        for (final byte[] key : KEYS) {
            meta.put(key, v);
        }
    }
}
