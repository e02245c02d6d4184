package dev.vigil.daemon.core;

/**
 * Where the core reports events an operator cares about: one line per event, no stack traces.
 * The daemon sends them to SLF4J; simnet usually discards them.
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

    NodeLog DISCARD = new NodeLog() {
        @Override
        public void info(final String message) {
        }

        @Override
        public void warn(final String message) {
        }
    };
}
