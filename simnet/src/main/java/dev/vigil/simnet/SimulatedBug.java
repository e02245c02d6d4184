package dev.vigil.simnet;

/**
 * A simulated node hit a bug (an exception in a handler whose input passed every check, a broken
 * tree invariant): the run stops at once, as a failed assertion would, and the command prints the
 * seed that replays it. Hostile input never raises this; it is refused and counted.
 */
public final class SimulatedBug extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int hostIndex;
    private final long atMicros;

    SimulatedBug(final int hostIndex, final long atMicros, final String message, final Throwable cause) {
        super("host " + hostIndex + " at t=" + String.format("%.6f", (atMicros - Simulator.EPOCH_MICROS) / 1e6) + " s: "
            + message, cause);
        this.hostIndex = hostIndex;
        this.atMicros = atMicros;
    }

    public int hostIndex() {
        return hostIndex;
    }

    public long atMicros() {
        return atMicros;
    }
}
