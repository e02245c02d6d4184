package dev.vigil.daemon.consensus;

import java.util.Map;
import java.util.TreeMap;

/**
 * Replicated: per client, the highest request sequence number executed and the consensus
 * sequence number it executed at. A request at or below a client's entry is a duplicate. Part of
 * every checkpoint, so all replicas hold the same table.
 *
 * <p>Bound: {@code clientsMax} clients. At the bound the client executed least recently (lowest
 * consensus sequence, ties by lower id) is evicted, the same on every replica; a replay of that
 * client's old request would then execute again, so the state machine keeps its own dedup (the
 * evidence state machine's version vector) as the second line.
 */
final class ClientTable {
    private final TreeMap<Long, long[]> byClient = new TreeMap<>(Long::compareUnsigned);
    private final int max;
    private long evicted;

    ClientTable(final int max) {
        this.max = max;
    }

    /** @return the client's highest executed request sequence number, or -1 */
    long executed(final long client) {
        final long[] e = byClient.get(client);
        return e == null ? -1 : e[0];
    }

    void record(final long client, final long requestSeq, final long atSeq) {
        final long[] e = byClient.get(client);
        if (e != null) {
            e[0] = Math.max(e[0], requestSeq);
            e[1] = atSeq;
            return;
        }
        if (byClient.size() >= max) {
            Long oldest = null;
            long oldestAt = Long.MAX_VALUE;
            for (final Map.Entry<Long, long[]> c : byClient.entrySet()) {
                if (c.getValue()[1] < oldestAt) {
                    oldest = c.getKey();
                    oldestAt = c.getValue()[1];
                }
            }
            byClient.remove(oldest);
            evicted++;
        }
        byClient.put(client, new long[] {requestSeq, atSeq});
    }

    int size() {
        return byClient.size();
    }

    int max() {
        return max;
    }

    long evicted() {
        return evicted;
    }

    Iterable<Map.Entry<Long, long[]>> entries() {
        return byClient.entrySet();
    }

    void clear() {
        byClient.clear();
    }

    void put(final long client, final long requestSeq, final long atSeq) {
        byClient.put(client, new long[] {requestSeq, atSeq});
    }
}
