package dev.vigil.simnet.byzantine;

import dev.vigil.simnet.consensus.ConsensusSim;
import dev.vigil.simnet.consensus.SimNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** What the {@code byzantine} scenario checks once the run converged (the rest is checked all along). */
final class ByzantineChecks {
    private ByzantineChecks() {
    }

    static List<String> atEnd(final ConsensusSim sim, final EvidenceWorkload workload, final Population population) {
        final List<String> failed = new ArrayList<>();
        final int f = population.f();
        for (final Population.Agent a : population.agents()) {
            final boolean verdict = workload.verdicts.containsKey(a.id());
            if (a.compromised() && a.honestObservers(population) >= 2 * f + 1 && !verdict) {
                failed.add("no verdict on compromised " + a.id() + ", seen by " + a.honestObservers(population) + " honest observers");
            }
            if (!a.compromised() && verdict) {
                failed.add("verdict on clean " + a.id());
            }
        }
        byte[] digest = null;
        for (final SimNode node : sim.nodes()) {
            if (!node.honest()) {
                continue;
            }
            final byte[] d = node.replica.stateDigest();
            if (digest != null && !Arrays.equals(d, digest)) {
                failed.add("honest member " + node.index + " ends with another state digest");
            }
            digest = d;
            final CheckedEvidenceState state = (CheckedEvidenceState)node.state;
            for (final Population.Agent a : population.agents()) {
                if (state.inner().convicted(a.id()) != workload.verdicts.containsKey(a.id())) {
                    failed.add("honest member " + node.index + (state.inner().convicted(a.id()) ? " convicted " : " did not convict ")
                        + a.id() + ", unlike the verdicts delivered");
                }
            }
        }
        return failed;
    }
}
