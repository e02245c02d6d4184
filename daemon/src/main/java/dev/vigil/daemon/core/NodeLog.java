package dev.vigil.daemon.core;

/**
 * Where the core reports events an operator cares about: one line per event, no stack traces,
 * except for {@link #bug}. The daemon sends them to SLF4J; simnet usually discards them.
 */
public interface NodeLog {
    void info(String message);

    void warn(String message);

    /**
     * A line about one peer: the message names it in {@link LogIds#peer} form; a structured sink
     * (the daemon's JSON log lines) adds the id and address as fields.
     */
    default void peerInfo(final long peerId, final String address, final String message) {
        info(message);
    }

    /** As {@link #peerInfo}, at warning level. */
    default void peerWarn(final long peerId, final String address, final String message) {
        warn(message);
    }

    /** A line about one agent: the message names it in {@link LogIds#agent} form; a structured sink adds the id as a field. */
    default void agentInfo(final String agent, final String message) {
        info(message);
    }

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
