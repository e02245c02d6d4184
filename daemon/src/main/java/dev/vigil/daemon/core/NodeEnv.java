package dev.vigil.daemon.core;

import java.util.random.RandomGenerator;

/** Everything the core may touch outside itself. */
public record NodeEnv(Clock clock, Scheduler scheduler, Transport transport, RandomGenerator random, NodeLog log) {
}
