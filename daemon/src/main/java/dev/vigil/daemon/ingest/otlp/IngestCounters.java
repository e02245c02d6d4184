package dev.vigil.daemon.ingest.otlp;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The HTTP side's counters, updated from every I/O thread. The answers-by-status map holds at
 * most the dozen statuses this server writes.
 */
final class IngestCounters {
    private final ConcurrentHashMap<Integer, LongAdder> responsesByStatus = new ConcurrentHashMap<>();
    final AtomicInteger connectionsOpen = new AtomicInteger();
    final AtomicLong connectionsAccepted = new AtomicLong();
    final AtomicLong connectionsRefused = new AtomicLong();
    /** Requests handed to the windows' executor and not yet taken up there. */
    final AtomicInteger requestsPending = new AtomicInteger();
    /** Whether the pending bound has been hit since requests last got through; for logging once per episode. */
    final AtomicBoolean pendingFull = new AtomicBoolean();
    final AtomicLong spansReceived = new AtomicLong();
    /** Spans in requests answered 429 or 503 by this side (the pending bound, shutdown). */
    final AtomicLong spansThrottled = new AtomicLong();
    final AtomicLong rolesInvalid = new AtomicLong();
    final AtomicLong attributesIgnored = new AtomicLong();
    /** Spans refused before the windows (agent key, times), by {@link SpanRefusal} ordinal. */
    private final AtomicLongArray refused = new AtomicLongArray(SpanRefusal.values().length);

    void answered(final int status) {
        responsesByStatus.computeIfAbsent(status, s -> new LongAdder()).increment();
    }

    void refused(final SpanRefusal.Counts counts) {
        for (final SpanRefusal r : SpanRefusal.values()) {
            if (counts.get(r) > 0) {
                refused.addAndGet(r.ordinal(), counts.get(r));
            }
        }
    }

    long refused(final SpanRefusal reason) {
        return refused.get(reason.ordinal());
    }

    Map<Integer, Long> responsesByStatus() {
        final TreeMap<Integer, Long> copy = new TreeMap<>();
        responsesByStatus.forEach((status, n) -> copy.put(status, n.sum()));
        return Collections.unmodifiableMap(copy);
    }
}
