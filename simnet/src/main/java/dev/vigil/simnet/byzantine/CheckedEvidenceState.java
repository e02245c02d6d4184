package dev.vigil.simnet.byzantine;

import dev.vigil.accel.JavaKernels;
import dev.vigil.daemon.consensus.ReplicatedState;
import dev.vigil.daemon.consensus.Request;
import dev.vigil.daemon.consensus.evidence.Decision;
import dev.vigil.daemon.consensus.evidence.EvidenceResult;
import dev.vigil.daemon.consensus.evidence.EvidenceState;

import java.util.ArrayList;
import java.util.List;

/**
 * A replica's {@link EvidenceState}, applied one request at a time so that every decision is
 * checked against the state it was taken in: the agent must be compromised (framing alone never
 * convicts), and the verdict's log-odds must not exceed what honest evidence alone allows. With at
 * most f liars among an agent's observers, every observer the trimming keeps lies between the
 * lowest and the highest honest total, so log-odds ≤ prior + kept × (highest honest total, clipped).
 * Requests are independent in {@link EvidenceState#apply}, so one at a time gives the same results
 * and snapshot as the batch at once. Broken invariants are kept until the driver takes them.
 */
final class CheckedEvidenceState implements ReplicatedState {
    /** Broken invariants kept between two deliveries; beyond, the rest are counted in the last line. */
    private static final int PROBLEMS_MAX = 16;
    private static final double RELATIVE_TOLERANCE = 1e-9;

    private final EvidenceState inner;
    private final EvidenceState.Config config;
    private final Population population;
    private final EvidenceStreams streams;
    private final long[] observerIds;
    private final List<String> problems = new ArrayList<>();

    CheckedEvidenceState(final EvidenceState.Config config, final Population population, final EvidenceStreams streams,
                         final long[] observerIds) {
        this.inner = new EvidenceState(config, JavaKernels.INSTANCE);
        this.config = config;
        this.population = population;
        this.streams = streams;
        this.observerIds = observerIds;
    }

    @Override
    public List<byte[]> apply(final long seq, final List<Request> requests) {
        final List<byte[]> results = new ArrayList<>(requests.size());
        for (final Request r : requests) {
            final byte[] result = inner.apply(seq, List.of(r)).get(0);
            for (final Decision d : EvidenceResult.decode(result).decisions()) {
                check(d);
            }
            results.add(result);
        }
        return results;
    }

    private void check(final Decision d) {
        final Population.Agent agent = population.agent(d.agent());
        if (agent == null || !agent.compromised()) {
            problem("verdict on clean agent " + d.agent() + " at seq " + d.seq() + " (log-odds " + d.logOdds() + ")");
            return;
        }
        double highest = Double.NEGATIVE_INFINITY;
        for (final int o : agent.observers()) {
            if (!population.observers().get(o).lying()) {
                final double total = streams.honestTotal(o, agent.id(), inner.applied(observerIds[o]));
                if (!Double.isNaN(total)) {
                    highest = Math.max(highest, Math.max(-config.rule().clip(), Math.min(config.rule().clip(), total)));
                }
            }
        }
        final double bound = config.rule().priorLogOdds() + d.kept().size() * highest;
        if (!(d.logOdds() <= bound + RELATIVE_TOLERANCE * (1 + Math.abs(bound)))) {
            problem("verdict on " + d.agent() + " at seq " + d.seq() + " with log-odds " + d.logOdds()
                + " above the " + bound + " honest evidence alone supports");
        }
    }

    private void problem(final String what) {
        if (problems.size() < PROBLEMS_MAX) {
            problems.add(what);
        }
    }

    /** The broken invariants found since the last call. */
    List<String> takeProblems() {
        final List<String> out = List.copyOf(problems);
        problems.clear();
        return out;
    }

    EvidenceState inner() {
        return inner;
    }

    @Override
    public byte[] snapshot() {
        return inner.snapshot();
    }

    @Override
    public void restore(final byte[] snapshot) {
        inner.restore(snapshot);
    }
}
