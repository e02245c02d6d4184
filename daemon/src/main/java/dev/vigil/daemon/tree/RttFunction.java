package dev.vigil.daemon.tree;

/**
 * Round-trip time between two nodes in microseconds, as the tree rules consume it: measured by
 * probes, or predicted from coordinates ({@link #predicted}). Must be pure (same answer for the same
 * pair while a rule runs) and never negative; it need not be symmetric.
 */
@FunctionalInterface
public interface RttFunction {

    long rttMicros(long fromId, long toId);

    /** RTT predicted from Vivaldi coordinates (position distance plus both heights), rounded to 1 µs. */
    static RttFunction predicted(final java.util.function.Function<Long, VivaldiCoordinate> coordinates) {
        return (fromId, toId) -> Math.round(coordinates.apply(fromId).distanceMs(coordinates.apply(toId)) * 1000.0);
    }
}
