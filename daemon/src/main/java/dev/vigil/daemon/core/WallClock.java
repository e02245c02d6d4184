package dev.vigil.daemon.core;

import java.time.Instant;

/** Epoch microseconds from the wall clock and from instants, in one place (outside the core, which gets time only from its Clock). */
public final class WallClock {
    private WallClock() {
    }

    public static long micros() {
        return micros(Instant.now());
    }

    /** @throws ArithmeticException when the instant is beyond what a long of microseconds holds */
    public static long micros(final Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }
}
