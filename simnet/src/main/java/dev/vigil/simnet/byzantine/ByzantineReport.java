package dev.vigil.simnet.byzantine;

import dev.vigil.simnet.consensus.ConsensusSim;
import dev.vigil.simnet.consensus.SimScenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The {@code byzantine} scenario's report: stable keys, values that depend only on the seed and options. */
final class ByzantineReport {
    private ByzantineReport() {
    }

    static Map<String, Object> of(final ByzantineScenario.Params p, final SimScenario scenario, final Population population,
                                  final ConsensusSim sim, final EvidenceWorkload workload, final boolean converged,
                                  final long certificatesVerified, final List<String> failed) {
        final Map<String, Object> r = ByzantineScenario.map();
        r.put("scenario", "byzantine");
        r.put("seed", p.seed());
        r.put("f", p.f());
        r.put("signatures", p.ed25519() ? "ed25519" : "simulated");
        r.put("members", scenario.behaviours().stream().map(b -> b.name().toLowerCase(java.util.Locale.ROOT)).toList());
        r.put("crash_member", scenario.crashMember() < 0 ? null : scenario.crashMember());
        final Map<String, Object> network = ByzantineScenario.map();
        network.put("unfair_s", scenario.unfairMicros() / 1e6);
        network.put("drop", round3(scenario.dropRate()));
        network.put("duplicate", round3(scenario.duplicateRate()));
        network.put("replay", round3(scenario.replayRate()));
        r.put("network", network);
        r.put("observers", population.observers().size());
        r.put("lying_observers", population.observers().stream().filter(Population.Role::lying).map(Population.Role::toString).toList());
        r.put("agents", population.agents().size());
        final List<String> compromised = new ArrayList<>();
        int expected = 0;
        for (final Population.Agent a : population.agents()) {
            if (a.compromised()) {
                compromised.add(a.id());
                expected += a.honestObservers(population) >= 2 * p.f() + 1 ? 1 : 0;
            }
        }
        r.put("compromised", compromised);
        r.put("verdicts_required", expected);
        r.put("verdicts", workload.verdicts.size());
        r.put("certificates_verified", certificatesVerified);
        final List<Double> times = new ArrayList<>();
        workload.verdictMicros.forEach((agent, at) -> {
            final Long first = workload.streams().firstIncriminatingMicros.get(agent);
            if (first != null) {
                times.add((at - first) / 1e6);
            }
        });
        times.sort(null);
        r.put("verdict_time_p50_s", times.isEmpty() ? null : times.get((times.size() - 1) / 2));
        r.put("verdict_time_max_s", times.isEmpty() ? null : times.get(times.size() - 1));
        r.put("view_changes", sim.viewMax());
        r.put("conflicting_commits", sim.conflictingCommits());
        r.put("committed_seq_max", sim.decidedMax());
        r.put("refused", ByzantineScenario.refusals(sim));
        final Map<String, Object> records = ByzantineScenario.map();
        records.put("applied", workload.records[0]);
        records.put("duplicate", workload.records[1]);
        records.put("refused", workload.records[2]);
        records.put("requests_refused", workload.requestsRefused);
        r.put("evidence", records);
        r.put("messages", sim.messagesSent());
        r.put("events", sim.steps());
        r.put("sim_s", (sim.now() - ConsensusSim.T0_MICROS) / 1e6);
        r.put("converged", converged);
        r.put("invariants_failed", List.copyOf(failed));
        return r;
    }

    private static double round3(final double x) {
        return Math.round(x * 1000) / 1000.0;
    }
}
