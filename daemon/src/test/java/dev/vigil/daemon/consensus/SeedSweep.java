package dev.vigil.daemon.consensus;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/** Development aid: -Dsweep.f=1 -Dsweep.from=1 -Dsweep.count=50 runs random scenarios and prints failures. */
class SeedSweep {
    @Test
    void sweep() {
        final int f = Integer.getInteger("sweep.f", 1);
        final long from = Long.getLong("sweep.from", 1);
        final int count = Integer.getInteger("sweep.count", 0);
        final List<String> failures = new ArrayList<>();
        final long t0 = System.nanoTime();
        long steps = 0;
        for (long seed = from; seed < from + count; seed++) {
            final ConsensusSim sim = new ConsensusSim(SimScenario.random(seed, f));
            try {
                sim.run();
                steps += sim.steps;
            } catch (final AssertionError | RuntimeException e) {
                failures.add("seed " + seed + ": " + e.getMessage().lines().limit(14).reduce("", (a, b) -> a + "\n    " + b));
            }
        }
        System.out.println("SWEEP f=" + f + " seeds " + from + ".." + (from + count - 1) + ": " + failures.size() + " failures, "
            + steps + " steps, " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        failures.stream().limit(8).forEach(System.out::println);
    }
}
