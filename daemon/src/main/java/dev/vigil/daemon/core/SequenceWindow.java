package dev.vigil.daemon.core;

/**
 * Anti-replay window over one sender's sequence numbers (RFC 4303 style): the highest sequence
 * accepted plus a 64-bit bitmap of the ones just below it. A sequence is fresh if it is above the
 * highest, or inside the window and not yet marked. Frames may arrive out of order by up to
 * {@link #WIDTH} sequences.
 */
final class SequenceWindow {
    static final int WIDTH = 64;

    private long highest;
    private long seen; // bit i set: sequence (highest - i) was accepted
    private boolean empty = true;

    boolean isFresh(final long sequence) {
        if (empty || sequence > highest) {
            return true;
        }
        final long behind = highest - sequence;
        return behind < WIDTH && (seen & (1L << behind)) == 0;
    }

    /** Marks {@code sequence} accepted. Only call after {@link #isFresh} said so and the frame verified. */
    void mark(final long sequence) {
        if (empty) {
            highest = sequence;
            seen = 1;
            empty = false;
        } else if (sequence > highest) {
            final long ahead = sequence - highest;
            seen = ahead >= WIDTH ? 1 : (seen << ahead) | 1;
            highest = sequence;
        } else {
            seen |= 1L << (highest - sequence);
        }
    }

    void copyFrom(final SequenceWindow other) {
        highest = other.highest;
        seen = other.seen;
        empty = other.empty;
    }
}
