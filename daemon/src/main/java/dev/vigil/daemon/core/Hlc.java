package dev.vigil.daemon.core;

/**
 * Hybrid logical clock packed in a long: 48 bits of physical milliseconds, 16 bits of logical
 * counter. Stamps are strictly increasing per node and never behind any stamp the node has
 * accepted, so they order causally related events across nodes while staying close to real time.
 */
public final class Hlc {
    static final int LOGICAL_BITS = 16;

    private long last;

    /** A stamp for an event happening now (a frame being sent). */
    public long tick(final long nowMicros) {
        last = Math.max(last + 1, physical(nowMicros));
        return last;
    }

    /** Takes in a stamp from an accepted frame. */
    public void observe(final long remoteStamp, final long nowMicros) {
        last = Math.max(Math.max(last, remoteStamp) + 1, physical(nowMicros));
    }

    public long last() {
        return last;
    }

    public static long physicalMicros(final long stamp) {
        return (stamp >>> LOGICAL_BITS) * 1000L;
    }

    private static long physical(final long nowMicros) {
        return (nowMicros / 1000L) << LOGICAL_BITS;
    }
}
