package dev.vigil.simnet.byzantine;

import dev.vigil.daemon.consensus.Delivery;
import dev.vigil.daemon.consensus.ReplicatedState;
import dev.vigil.daemon.consensus.evidence.Decision;
import dev.vigil.daemon.consensus.evidence.EvidenceBatch;
import dev.vigil.daemon.consensus.evidence.EvidenceResult;
import dev.vigil.daemon.consensus.evidence.EvidenceState;
import dev.vigil.simnet.consensus.Workload;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The {@code byzantine} scenario's workload: observers (the clients) send signed evidence batches
 * ({@link EvidenceStreams}) to a committee replicating {@link CheckedEvidenceState}. On every honest
 * delivery it takes the state's broken invariants and checks that every honest replica decides the
 * same verdict (agent, sequence number, log-odds, observers kept and trimmed, version-vector
 * digest) for each agent, and it keeps when the first honest replica delivered each verdict.
 */
final class EvidenceWorkload implements Workload {
    private final Population population;
    private final EvidenceStreams streams;
    private final EvidenceState.Config config;
    private long[] observerIds;
    /** The first verdict any honest replica delivered, per agent (at most one per agent: a convicted agent stays convicted). */
    final TreeMap<String, Decision> verdicts = new TreeMap<>();
    final TreeMap<String, Long> verdictMicros = new TreeMap<>();
    /** Over requests committed (each sequence number counted once): records applied, dropped as duplicates, refused by a bound. */
    final long[] records = new long[3];
    long requestsRefused;
    private final Set<Long> tallied = new HashSet<>();

    EvidenceWorkload(final Population population, final long seed, final long t0Micros) {
        this.population = population;
        this.streams = new EvidenceStreams(population, seed, t0Micros);
        this.config = EvidenceState.Config.defaults(population.f());
    }

    EvidenceState.Config config() {
        return config;
    }

    EvidenceStreams streams() {
        return streams;
    }

    @Override
    public ReplicatedState newState() {
        return new CheckedEvidenceState(config, population, streams, observerIds);
    }

    @Override
    public int clients() {
        return population.observers().size();
    }

    @Override
    public void bind(final long[] clientIds) {
        this.observerIds = clientIds.clone();
    }

    @Override
    public byte[] next(final int client, final long nowMicros) {
        return streams.next(client, nowMicros);
    }

    @Override
    public boolean finished(final int client) {
        return streams.finished(client);
    }

    @Override
    public boolean replays(final int client) {
        return population.observers().get(client).replays();
    }

    /** A faulty primary's forgery: every increment of the batch raised to the lie's magnitude. */
    @Override
    public byte[] inflated(final byte[] payload, final SplittableRandom rng) {
        try {
            final EvidenceBatch b = EvidenceBatch.decode(payload);
            final List<EvidenceBatch.Record> raised = new ArrayList<>();
            for (final EvidenceBatch.Record r : b.records()) {
                final double[] xs = new double[Math.max(1, r.increments().length)];
                Arrays.fill(xs, Population.LIE_MAGNITUDE);
                raised.add(new EvidenceBatch.Record(r.seq(), r.agent(), r.excursion(), xs));
            }
            return new EvidenceBatch(b.sentAtMicros(), raised).encode();
        } catch (final EvidenceBatch.Malformed | IllegalArgumentException e) {
            return Workload.super.inflated(payload, rng);
        }
    }

    @Override
    public String delivered(final int member, final Delivery delivery, final ReplicatedState state, final long nowMicros) {
        final List<String> problems = new ArrayList<>(((CheckedEvidenceState)state).takeProblems());
        final boolean first = tallied.add(delivery.seq());
        for (final Delivery.Outcome o : delivery.outcomes()) {
            if (o.status() != Delivery.Status.APPLIED) {
                continue;
            }
            final EvidenceResult r = EvidenceResult.decode(o.result());
            if (first) {
                tally(r);
            }
            for (final Decision d : r.decisions()) {
                final Decision before = verdicts.putIfAbsent(d.agent(), d);
                if (before == null) {
                    verdictMicros.put(d.agent(), nowMicros);
                } else if (!before.equals(d)) {
                    problems.add("honest replicas decided differently on " + d.agent() + ": " + before + " vs " + d
                        + " (member " + member + ")");
                }
            }
        }
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    private void tally(final EvidenceResult r) {
        if (r.refusal() != null) {
            requestsRefused++;
            return;
        }
        records[0] += r.applied();
        records[1] += r.duplicates();
        records[2] += r.refused();
    }
}
