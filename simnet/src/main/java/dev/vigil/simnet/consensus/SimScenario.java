package dev.vigil.simnet.consensus;

import dev.vigil.daemon.consensus.ConsensusConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One randomized run of {@link ConsensusSim}: committee size, who is faulty and how, the
 * network's misbehaviour while unfair, a crash and restart, the load. Everything follows from the seed.
 *
 * @param behaviours   one per member, in committee order (member 0 is view 0's primary)
 * @param unfairMicros until then the network drops, duplicates, replays and delays widely; after, it only delays a little
 * @param crashMember  an honest member that crashes (and restarts), or -1
 * @param crashEffects the crash happens after this many effects of one of its steps (0: between steps)
 * @param clients      clients of a workload that takes its count from the scenario
 * @param requestsPerClient requests each of them sends, for such a workload
 * @param ed25519      real Ed25519 keys instead of the simulated (fast, not secure) scheme
 */
public record SimScenario(long seed, int f, ConsensusConfig config, List<ConsensusSim.Behaviour> behaviours, int clients,
                   int requestsPerClient, long unfairMicros, double dropRate, double duplicateRate, double replayRate,
                   long delayMaxMicrosUnfair, long delayMaxMicrosFair, int crashMember, long crashAtMicros, long downMicros,
                   int crashEffects, long endMicros, boolean ed25519) {

    public static ConsensusConfig testConfig(final int f) {
        return ConsensusConfig.defaults().withF(f).withCheckpointSeqs(8).withBatching(4, 32 * 1024, 2_000)
            .withTimeouts(150_000, 3_000_000, 50_000, 100_000).withPending(256, 8, 64).withInvariantChecks(true);
    }

    /** No faults at all: every member honest, a reliable network. */
    public static SimScenario calm(final long seed, final int f) {
        final List<ConsensusSim.Behaviour> b = new ArrayList<>();
        for (int i = 0; i < 3 * f + 1; i++) {
            b.add(ConsensusSim.Behaviour.HONEST);
        }
        return new SimScenario(seed, f, testConfig(f), b, 3, 10, 0, 0, 0, 0, 5_000, 5_000, -1, 0, 0, 0, 60_000_000, false);
    }

    public static SimScenario random(final long seed, final int f) {
        final SplittableRandom rng = new SplittableRandom(seed ^ 0x5CE9A210L);
        final int n = 3 * f + 1;
        final List<ConsensusSim.Behaviour> b = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            b.add(ConsensusSim.Behaviour.HONEST);
        }
        // the faults every workload meets; INFLATE is a workload's own choice (it changes the payloads)
        final ConsensusSim.Behaviour[] faults = {ConsensusSim.Behaviour.HONEST, ConsensusSim.Behaviour.SILENT,
            ConsensusSim.Behaviour.EQUIVOCATE, ConsensusSim.Behaviour.FORGE};
        for (int k = 0; k < f; k++) {
            // the primary of view 0 is faulty in about half the runs, so equivocation and silence hit the primary
            int at = k == 0 && rng.nextBoolean() ? 0 : rng.nextInt(n);
            while (b.get(at) != ConsensusSim.Behaviour.HONEST) {
                at = rng.nextInt(n);
            }
            b.set(at, faults[1 + rng.nextInt(faults.length - 1)]);
        }
        int crash = -1;
        if (rng.nextInt(3) > 0) {
            crash = rng.nextInt(n);
            while (b.get(crash) != ConsensusSim.Behaviour.HONEST) {
                crash = rng.nextInt(n);
            }
        }
        final long unfair = 500_000 + rng.nextLong(1_500_000);
        return new SimScenario(seed, f, testConfig(f), b, 2 + rng.nextInt(4), 6 + rng.nextInt(10), unfair,
            rng.nextDouble() * 0.15, rng.nextDouble() * 0.1, rng.nextDouble() * 0.05, 5_000 + rng.nextLong(40_000), 5_000,
            crash, rng.nextLong(unfair + 500_000), 50_000 + rng.nextLong(600_000), rng.nextInt(4) == 0 ? 1 + rng.nextInt(6) : 0,
            240_000_000, false);
    }

    public SimScenario withBehaviour(final int member, final ConsensusSim.Behaviour b) {
        final List<ConsensusSim.Behaviour> all = new ArrayList<>(behaviours);
        all.set(member, b);
        return new SimScenario(seed, f, config, all, clients, requestsPerClient, unfairMicros, dropRate, duplicateRate, replayRate,
            delayMaxMicrosUnfair, delayMaxMicrosFair, crashMember, crashAtMicros, downMicros, crashEffects, endMicros, ed25519);
    }

    public SimScenario withBehaviours(final List<ConsensusSim.Behaviour> all) {
        if (all.size() != n()) {
            throw new IllegalArgumentException(all.size() + " behaviours for " + n() + " members");
        }
        return new SimScenario(seed, f, config, List.copyOf(all), clients, requestsPerClient, unfairMicros, dropRate, duplicateRate, replayRate,
            delayMaxMicrosUnfair, delayMaxMicrosFair, crashMember, crashAtMicros, downMicros, crashEffects, endMicros, ed25519);
    }

    public SimScenario withCrash(final int member, final long atMicros, final long forMicros, final int afterEffects) {
        return new SimScenario(seed, f, config, behaviours, clients, requestsPerClient, unfairMicros, dropRate, duplicateRate, replayRate,
            delayMaxMicrosUnfair, delayMaxMicrosFair, member, atMicros, forMicros, afterEffects, endMicros, ed25519);
    }

    public SimScenario withLoad(final int clientCount, final int requestsEach) {
        return new SimScenario(seed, f, config, behaviours, clientCount, requestsEach, unfairMicros, dropRate, duplicateRate, replayRate,
            delayMaxMicrosUnfair, delayMaxMicrosFair, crashMember, crashAtMicros, downMicros, crashEffects, endMicros, ed25519);
    }

    public SimScenario withConfig(final ConsensusConfig c) {
        return new SimScenario(seed, f, c, behaviours, clients, requestsPerClient, unfairMicros, dropRate, duplicateRate, replayRate,
            delayMaxMicrosUnfair, delayMaxMicrosFair, crashMember, crashAtMicros, downMicros, crashEffects, endMicros, ed25519);
    }

    public SimScenario withEd25519() {
        return new SimScenario(seed, f, config, behaviours, clients, requestsPerClient, unfairMicros, dropRate, duplicateRate, replayRate,
            delayMaxMicrosUnfair, delayMaxMicrosFair, crashMember, crashAtMicros, downMicros, crashEffects, endMicros, true);
    }

    public int n() {
        return 3 * f + 1;
    }

    @Override
    public String toString() {
        return "seed " + seed + ", f " + f + ", " + behaviours + ", " + clients + " clients x " + requestsPerClient
            + ", unfair " + unfairMicros / 1000 + " ms (drop " + String.format("%.3f", dropRate) + ", dup "
            + String.format("%.3f", duplicateRate) + ", replay " + String.format("%.3f", replayRate) + ", delay <= "
            + delayMaxMicrosUnfair / 1000 + " ms)" + (crashMember < 0 ? "" : ", crash member " + crashMember + " at "
            + crashAtMicros / 1000 + " ms for " + downMicros / 1000 + " ms" + (crashEffects > 0 ? " after " + crashEffects
            + " effects of a step" : "")) + (ed25519 ? ", Ed25519" : "");
    }
}
