package dev.vigil.simnet.byzantine;

import dev.vigil.daemon.consensus.Refusal;
import dev.vigil.simnet.consensus.ConsensusSim;
import dev.vigil.simnet.consensus.SimNode;
import dev.vigil.simnet.consensus.SimScenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * {@code vigil simnet --scenario byzantine}: one shard's committee of 3f + 1 real replicas
 * ordering signed evidence from a {@link Population} of observers, some lying, on the seeded
 * network of {@link ConsensusSim} (loss, duplication, reordering, replay while unfair), with up to
 * f faulty members (silent, equivocating while primary, forging, or relaying inflated evidence;
 * exactly one at f = 1)
 * and, in about two seeds of three, an honest member that crashes and restarts from its log.
 *
 * <p>Checked all along: honest replicas never deliver different batches or checkpoints at one
 * sequence number; every verdict is on a compromised agent and within what honest evidence alone
 * supports ({@link CheckedEvidenceState}); honest replicas decide identical verdicts, version-vector
 * digest included. At the end: every honest replica has the same state digest and convicted set,
 * every compromised agent seen by at least 2f + 1 honest observers has a verdict, and every
 * verdict signed by 2f + 1 honest members makes a certificate that verifies offline ({@link VerdictCertificates}).
 */
public final class ByzantineScenario {
    /** Bugs a test may switch on to see the checker fail. */
    public enum Bug { NONE, FRAMED_BY_F_PLUS_ONE }

    /**
     * @param seed    everything random follows from it
     * @param f       faults tolerated, 1 to {@link #F_MAX}
     * @param ed25519 real Ed25519 signatures (otherwise the simulated, NOT secure, scheme)
     */
    public record Params(long seed, int f, boolean ed25519, Bug bug) {
        public Params {
            if (f < 1 || f > F_MAX) {
                throw new IllegalArgumentException("f " + f + ", 1 to " + F_MAX);
            }
        }
    }

    /** Committees above 3 * 3 + 1 = 10 members are beyond what the scenario's load exercises. */
    public static final int F_MAX = 3;

    private ByzantineScenario() {
    }

    public static Map<String, Object> run(final Params p) {
        final Population drawn = Population.draw(p.seed(), p.f());
        final Population population = p.bug() == Bug.FRAMED_BY_F_PLUS_ONE ? drawn.withFramedAgent() : drawn;
        final SimScenario scenario = scenario(p);
        final EvidenceWorkload workload = new EvidenceWorkload(population, p.seed(), ConsensusSim.T0_MICROS);
        final ConsensusSim sim = new ConsensusSim(scenario, workload);
        final List<String> failed = new ArrayList<>();
        final long[] certificatesVerified = new long[1];
        final String replay = " (replay: --seed " + p.seed() + " --f " + p.f() + (p.ed25519() ? "" : " --signatures simulated")
            + (p.bug() == Bug.NONE ? "" : ", bug " + p.bug()) + ")";
        boolean converged = false;
        try {
            sim.run();
            converged = true;
            failed.addAll(ByzantineChecks.atEnd(sim, workload, population));
            failed.addAll(VerdictCertificates.check(sim, workload, certificatesVerified));
        } catch (final AssertionError e) {
            failed.add(e.getMessage().lines().findFirst().orElse(""));
        }
        failed.replaceAll(line -> line + replay);
        return ByzantineReport.of(p, scenario, population, sim, workload, converged, certificatesVerified[0], failed);
    }

    /** The network, crash and load of {@link SimScenario#random}, with this scenario's faulty members. */
    static SimScenario scenario(final Params p) {
        final SimScenario base = SimScenario.random(p.seed(), p.f());
        final SplittableRandom rng = new SplittableRandom(p.seed() ^ 0xFA_017EL);
        final int n = base.n();
        final List<ConsensusSim.Behaviour> b = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            b.add(ConsensusSim.Behaviour.HONEST);
        }
        final ConsensusSim.Behaviour[] faults = {ConsensusSim.Behaviour.SILENT, ConsensusSim.Behaviour.EQUIVOCATE,
            ConsensusSim.Behaviour.FORGE, ConsensusSim.Behaviour.INFLATE};
        // f faulty members, or f - 1 in a quarter of the runs at f >= 2 (f = 1 always has its one)
        final int faulty = p.f() > 1 && rng.nextInt(4) == 0 ? p.f() - 1 : p.f();
        for (int k = 0; k < faulty; k++) {
            // view 0's primary is faulty in about half the runs: equivocation and inflation act only from the primary
            int at = k == 0 && rng.nextBoolean() ? 0 : rng.nextInt(n);
            while (b.get(at) != ConsensusSim.Behaviour.HONEST) {
                at = rng.nextInt(n);
            }
            b.set(at, faults[rng.nextInt(faults.length)]);
        }
        SimScenario s = base.withBehaviours(b);
        if (s.crashMember() >= 0 && b.get(s.crashMember()) != ConsensusSim.Behaviour.HONEST) {
            int crash = rng.nextInt(n);
            while (b.get(crash) != ConsensusSim.Behaviour.HONEST) {
                crash = rng.nextInt(n);
            }
            s = s.withCrash(crash, s.crashAtMicros(), s.downMicros(), s.crashEffects());
        }
        return p.ed25519() ? s.withEd25519() : s;
    }

    /** Refusals by reason, summed over the honest replicas up at the end. */
    static Map<String, Long> refusals(final ConsensusSim sim) {
        final Map<String, Long> out = new TreeMap<>();
        for (final SimNode node : sim.nodes()) {
            if (node.honest() && node.replica != null) {
                for (final Refusal r : Refusal.values()) {
                    final long count = node.replica.counters().refused(r);
                    if (count > 0) {
                        out.merge(r.name().toLowerCase(java.util.Locale.ROOT), count, Long::sum);
                    }
                }
            }
        }
        return out;
    }

    static Map<String, Object> map() {
        return new LinkedHashMap<>();
    }
}
