package dev.vigil.simnet;

import java.util.SplittableRandom;

/**
 * Where one simulated host's process may die inside its own writes. Each store write of the
 * running process ({@link SimStore#put}, {@link SimStore#remove}) asks {@link #draw}; with
 * probability {@code rate} the process dies there, and then in one of three ways, equally likely:
 * <ul>
 *   <li>{@link Kind#BEFORE_WRITE}: before the write began, i.e. between two writes: nothing of it
 *       is stored;</li>
 *   <li>{@link Kind#PUT_LOST}: inside a put, with nothing of it reaching the store (the old value,
 *       if any, stays);</li>
 *   <li>{@link Kind#PUT_TORN}: inside a put that got part of the way: the entry holds a prefix of
 *       the new bytes over the old ones, fails its checksum, and the old value is gone too.</li>
 * </ul>
 * A remove is a crash point only before it: it takes effect whole or not at all. Only the writes
 * of a running process inside the fault window can die ({@link #arm}, {@link #disarm}); the
 * draws come from the host's own generator split from the run's seed, so a seed replays every
 * crash at the same write.
 */
public final class CrashPoints {
    /** How a process died in a write. */
    public enum Kind {
        BEFORE_WRITE("before a write"), PUT_LOST("inside a put (lost)"), PUT_TORN("inside a put (torn)");

        final String label;

        Kind(final String label) {
            this.label = label;
        }
    }

    private final SplittableRandom random;
    private final double rate;
    private boolean armed;
    private final long[] crashes = new long[Kind.values().length];

    /** @param rate probability that one write is where the process dies; 0 for never */
    public CrashPoints(final SplittableRandom random, final double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("storage fault rate must be in [0, 1), got " + rate);
        }
        this.random = random;
        this.rate = rate;
    }

    /** From now on the process may die in its writes. */
    public void arm() {
        armed = true;
    }

    /** No write dies until {@link #arm}: the process is gone, or the fault window is over. */
    public void disarm() {
        armed = false;
    }

    public boolean armed() {
        return armed;
    }

    /**
     * Asked before every write. Draws nothing while disarmed, so turning faults off leaves the
     * rest of the run's draws alone.
     *
     * @param put whether the write is a put (a remove can only die before it)
     * @return how the process dies in this write, or null when it does not
     */
    Kind draw(final boolean put) {
        if (!armed || rate == 0 || random.nextDouble() >= rate) {
            return null;
        }
        final Kind k = put ? Kind.values()[random.nextInt(Kind.values().length)] : Kind.BEFORE_WRITE;
        crashes[k.ordinal()]++;
        armed = false; // the process is dead: nothing more of it writes
        return k;
    }

    /** For a torn put: how many bytes of the new value landed, in [0, {@code length}). */
    int tornPrefix(final int length) {
        return random.nextInt(length);
    }

    /** Crashes of this kind so far. */
    public long crashes(final Kind kind) {
        return crashes[kind.ordinal()];
    }
}
