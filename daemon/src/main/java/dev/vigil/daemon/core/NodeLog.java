package dev.vigil.daemon.core;

/**
 * Where the core reports events an operator cares about: one line per event, no stack traces,
 * except for {@link #bug}. The daemon sends them to SLF4J; simnet usually discards them.
 */
public interface NodeLog {
    void info(String message);

    void warn(String message);

    /** Whether {@link #debug} lines are wanted; callers test it before building a line. */
    default boolean debugEnabled() {
        return false;
    }

    /** Protocol detail for tracing one node (simnet's --trace, the daemon's debug level). */
    default void debug(final String message) {
    }

    /**
     * A defect in Vigil itself (not bad input), with its stack trace: logged once per code location.
     * The daemon logs it and goes on; simnet fails the run.
     */
    default void bug(final String message, final Throwable cause) {
        warn(message + ": " + cause);
    }

    NodeLog DISCARD = new NodeLog() {
        @Override
        public void info(final String message) {
        }

        @Override
        public void warn(final String message) {
        }
    };
}
