package dev.vigil.daemon.core;

/** Runs an action after a delay on the thread that drives the core. */
@FunctionalInterface
public interface Scheduler {
    /** A scheduled action that may be cancelled before it runs. */
    interface Timer {
        void cancel();
    }

    Timer schedule(long delayMicros, Runnable action);
}
