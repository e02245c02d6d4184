package dev.vigil.daemon.core;

/** The core's only source of time: microseconds since the Unix epoch, never going backwards. */
@FunctionalInterface
public interface Clock {
    long nowMicros();
}
