package dev.vigil.daemon.tree;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map with a stated bound: at the bound, the entry inserted longest ago makes room for the new
 * one and is counted, so nothing the tree remembers grows without limit and nothing is cleared
 * wholesale. Iteration is in insertion order.
 */
final class BoundedMap<K, V> extends LinkedHashMap<K, V> {
    private static final long serialVersionUID = 1L;
    private final String name;
    private final int max;
    private long evicted;

    BoundedMap(final String name, final int max) {
        if (max < 1) {
            throw new IllegalArgumentException("bound of " + name + " must be positive: " + max);
        }
        this.name = name;
        this.max = max;
    }

    @Override
    protected boolean removeEldestEntry(final Map.Entry<K, V> eldest) {
        if (size() > max) {
            evicted++;
            return true;
        }
        return false;
    }

    String name() {
        return name;
    }

    int max() {
        return max;
    }

    /** Entries that made room for newer ones so far. */
    long evicted() {
        return evicted;
    }

    TreeStatus.Bound status() {
        return new TreeStatus.Bound(name, max, size(), evicted);
    }
}
