package dev.vigil.simnet.consensus;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The longer property run, on request: {@code -Dconsensus.soak.seeds=N} random scenarios from
 * {@code -Dconsensus.soak.from} (default 1) at {@code -Dconsensus.soak.f} (default 1). Prints the
 * failing seeds, the totals of every counter and how restarted replicas caught up.
 */
@EnabledIfSystemProperty(named = "consensus.soak.seeds", matches = "\\d+")
class ConsensusSoakTest {
    @Test
    void manySeeds() {
        final int f = Integer.getInteger("consensus.soak.f", 1);
        final long from = Long.getLong("consensus.soak.from", 1);
        final int count = Integer.getInteger("consensus.soak.seeds", 0);
        final List<String> failures = new ArrayList<>();
        final long t0 = System.nanoTime();
        long steps = 0;
        final java.util.TreeMap<String, Long> totals = new java.util.TreeMap<>();
        int restartedCaughtUpByTransfer = 0;
        int restarts = 0;
        for (long seed = from; seed < from + count; seed++) {
            final ConsensusSim sim = ChainWorkload.sim(SimScenario.random(seed, f));
            try {
                sim.run();
                steps += sim.steps;
                for (final SimNode node : sim.nodes()) {
                    node.replica.counters().snapshot().forEach((k, v) -> totals.merge(k, v, Long::sum));
                    if (node.restarted) {
                        restarts++;
                        restartedCaughtUpByTransfer += node.replica.counters().stateTransfers() > 0 ? 1 : 0;
                    }
                }
            } catch (final AssertionError | RuntimeException e) {
                failures.add("seed " + seed + ": " + e.getMessage().lines().limit(14).reduce("", (a, b) -> a + "\n    " + b));
            }
        }
        System.out.println("SOAK f=" + f + " seeds " + from + ".." + (from + count - 1) + ": " + failures.size() + " failures, "
            + steps + " steps, " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        failures.stream().limit(8).forEach(System.out::println);
        System.out.println("restarts " + restarts + ", of which caught up by state transfer " + restartedCaughtUpByTransfer);
        totals.forEach((k, v) -> {
            if (v > 0) {
                System.out.println("  " + k + " " + v);
            }
        });
        assertThat(failures).isEmpty();
    }
}
