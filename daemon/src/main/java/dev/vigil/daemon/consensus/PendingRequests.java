package dev.vigil.daemon.consensus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Requests this replica received and has not executed yet, in arrival order. Every replica keeps
 * them (clients send to the whole committee): the primary to batch them, the backups to time the
 * primary. Bounds: {@code pendingRequestsMax} in all and {@code pendingPerClientMax} per client;
 * at either a new request is refused ({@link Refusal#FULL}) and the client retries later, so one
 * noisy client cannot crowd out the others beyond its share.
 */
final class PendingRequests {
    record Key(long client, long requestSeq) {
    }

    static final class Entry {
        final Request request;
        final long arrivedMicros;
        /** In a pre-prepare of the current view (the primary does not propose it twice). */
        boolean proposed;

        Entry(final Request request, final long arrivedMicros) {
            this.request = request;
            this.arrivedMicros = arrivedMicros;
        }
    }

    private final LinkedHashMap<Key, Entry> byKey = new LinkedHashMap<>();
    private final Map<Long, Integer> perClient = new HashMap<>();
    private final int max;
    private final int perClientMax;

    PendingRequests(final int max, final int perClientMax) {
        this.max = max;
        this.perClientMax = perClientMax;
    }

    Entry get(final Request r) {
        return byKey.get(new Key(r.client(), r.requestSeq()));
    }

    /** @return null when added, else why not ({@link Refusal#FULL}) */
    Refusal add(final Request r, final long nowMicros) {
        if (byKey.size() >= max || perClient.getOrDefault(r.client(), 0) >= perClientMax) {
            return Refusal.FULL;
        }
        byKey.put(new Key(r.client(), r.requestSeq()), new Entry(r, nowMicros));
        perClient.merge(r.client(), 1, Integer::sum);
        return null;
    }

    /** Removes the client's requests up to {@code requestSeq} (executed, or overtaken by a later one). */
    void executed(final long client, final long requestSeq) {
        if (!perClient.containsKey(client)) {
            return;
        }
        final Iterator<Map.Entry<Key, Entry>> it = byKey.entrySet().iterator();
        while (it.hasNext()) {
            final Key k = it.next().getKey();
            if (k.client() == client && k.requestSeq() <= requestSeq) {
                it.remove();
                perClient.computeIfPresent(client, (c, n) -> n == 1 ? null : n - 1);
            }
        }
    }

    /** Removes every request the table says executed (after a state transfer): one pass. */
    void dropExecuted(final ClientTable table) {
        final Iterator<Map.Entry<Key, Entry>> it = byKey.entrySet().iterator();
        while (it.hasNext()) {
            final Key k = it.next().getKey();
            if (table.executed(k.client()) >= k.requestSeq()) {
                it.remove();
                perClient.computeIfPresent(k.client(), (c, n) -> n == 1 ? null : n - 1);
            }
        }
    }

    void clear() {
        byKey.clear();
        perClient.clear();
    }

    /** The next batch of unproposed requests in arrival order, within the bounds; marks them proposed. */
    List<Request> takeBatch(final int recordsMax, final int bytesMax) {
        final List<Request> out = new ArrayList<>();
        int bytes = 2;
        for (final Entry e : byKey.values()) {
            if (e.proposed) {
                continue;
            }
            final int size = e.request.encodedLength();
            if (out.size() == recordsMax || bytes + size > bytesMax) {
                break;
            }
            out.add(e.request);
            bytes += size;
            e.proposed = true;
        }
        return out;
    }

    void markProposed(final Batch b, final boolean proposed) {
        for (final Request r : b.requests()) {
            final Entry e = get(r);
            if (e != null && e.request.sameAs(r)) {
                e.proposed = proposed;
            }
        }
    }

    void clearProposed() {
        for (final Entry e : byKey.values()) {
            e.proposed = false;
        }
    }

    int unproposedCount() {
        int n = 0;
        for (final Entry e : byKey.values()) {
            n += e.proposed ? 0 : 1;
        }
        return n;
    }

    int unproposedBytes() {
        int n = 0;
        for (final Entry e : byKey.values()) {
            n += e.proposed ? 0 : e.request.encodedLength();
        }
        return n;
    }

    /** Arrival time of the oldest unproposed request, or {@link ReplicaEffects#NEVER}. */
    long oldestUnproposedMicros() {
        for (final Entry e : byKey.values()) {
            if (!e.proposed) {
                return e.arrivedMicros;
            }
        }
        return ReplicaEffects.NEVER;
    }

    int size() {
        return byKey.size();
    }

    boolean isEmpty() {
        return byKey.isEmpty();
    }

    int max() {
        return max;
    }

    int largestPerClient() {
        int m = 0;
        for (final int v : perClient.values()) {
            m = Math.max(m, v);
        }
        return m;
    }
}
