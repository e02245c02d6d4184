package dev.vigil.daemon.core;

/**
 * Where the core reports events an operator cares about: one line per event, no stack traces.
 * The daemon sends them to SLF4J; simnet usually discards them.
 */
public interface NodeLog {
    void info(String message);

    void warn(String message);

    NodeLog DISCARD = new NodeLog() {
        @Override
        public void info(final String message) {
        }

        @Override
        public void warn(final String message) {
        }
    };
}
