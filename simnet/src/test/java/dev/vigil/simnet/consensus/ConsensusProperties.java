package dev.vigil.simnet.consensus;

import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/**
 * Randomized schedules ({@link SimScenario#random}): faulty members (silent, equivocating,
 * forging), loss, duplication, reordering, replay, a crash and restart (sometimes mid-step).
 * Exhaustive over fixed seed ranges, so the unit run is the same every time; a failure prints
 * the scenario and its seed. {@link ConsensusSoakTest} runs more seeds on request.
 */
class ConsensusProperties {
    @Property(tries = 200, generation = GenerationMode.EXHAUSTIVE)
    void safeAndLiveAtF1(@ForAll @LongRange(min = 1, max = 200) final long seed) {
        ChainWorkload.sim(SimScenario.random(seed, 1)).run();
    }

    @Property(tries = 50, generation = GenerationMode.EXHAUSTIVE)
    void safeAndLiveAtF2(@ForAll @LongRange(min = 1, max = 50) final long seed) {
        ChainWorkload.sim(SimScenario.random(seed, 2)).run();
    }
}
