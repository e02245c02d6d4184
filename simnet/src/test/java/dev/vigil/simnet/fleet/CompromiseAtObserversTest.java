package dev.vigil.simnet.fleet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.vigil.simnet.fleet.SyntheticFleet.BYTES_OUT;
import static dev.vigil.simnet.fleet.SyntheticFleet.DISTINCT_TOOLS;
import static dev.vigil.simnet.fleet.SyntheticFleet.ERROR_RATE;
import static dev.vigil.simnet.fleet.SyntheticFleet.INPUT_TOKENS_PER_OP;
import static dev.vigil.simnet.fleet.SyntheticFleet.MODEL_SWITCHES;
import static dev.vigil.simnet.fleet.SyntheticFleet.OPS_PER_MIN;
import static dev.vigil.simnet.fleet.SyntheticFleet.OUTPUT_TOKENS_PER_OP;
import static dev.vigil.simnet.fleet.SyntheticFleet.TOOL_CALLS_PER_MIN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each compromise shows at the gateway kinds that carry what it changes, by at least what the
 * model guarantees, and not at the kinds that carry nothing it changes.
 *
 * <p>Compared: an observer's mean of a feature over the 30 minutes (180 windows) after the start
 * against the 30 minutes before; for slow drift the 30 minutes from 3 hours after the start (its
 * ramp is over by then) against the same before. Scale: ln for the continuous features (the model
 * is multiplicative and they are never 0), ln(1 + x) for the counts, the rate itself for error_rate.
 *
 * <p>Bound on a mean difference that the compromise did not cause, every term from the model:
 * <ul>
 *   <li>rhythm, for the features that follow activity (rates, bytes, counts): ln(1 + a·cos) moves
 *       at most a/√(1 − a²)·2π/24 = 0.151 per hour at the cap a = 0.5, times the hours between the
 *       two windows' centres (0.5; 3.5 for slow drift);</li>
 *   <li>bursts, for the same features: at most two in a half hour (three or more: probability
 *       4·10⁻⁵ at 3 a day), each moving a 180-window mean by at most 10 windows × ln 3 / 180;</li>
 *   <li>sampling: 5 standard errors of the difference of the two means (from their own spread).</li>
 * </ul>
 * A mode shows where the difference is at least its smallest magnitude minus that bound
 * (exfiltration's bytes × 10 → ln 10, …), and does not show where every feature the kind sees
 * moved by less than the bound.
 */
class CompromiseAtObserversTest {
    private static final double RHYTHM_PER_HOUR = AgentModel.RHYTHM_AMPLITUDE_MAX
        / Math.sqrt(1 - AgentModel.RHYTHM_AMPLITUDE_MAX * AgentModel.RHYTHM_AMPLITUDE_MAX) * 2 * Math.PI / 24;
    private static final double BURST_SHIFT = 2 * AgentModel.BURST_WINDOWS_MAX * Math.log(AgentModel.BURST_FACTOR_MAX) / 180;
    private static final double Z = 5;
    private static final int SPAN = 180;
    private static final int SLOW_DRIFT_FULL_AFTER_WINDOWS = 3 * 360;

    private enum Scale { LOG, LOG1P, IDENTITY }

    /** How a mode shows at a kind: feature f moves up by at least minShift on its scale. */
    private record Shows(CompromiseMode mode, GatewayKind kind, int feature, Scale scale, double minShift, boolean followsActivity) {
    }

    private static final List<Shows> SHOWS = List.of(
        new Shows(CompromiseMode.EXFILTRATION, GatewayKind.EGRESS_PROXY, BYTES_OUT, Scale.LOG, Math.log(10), true),
        new Shows(CompromiseMode.RUNAWAY_LOOP, GatewayKind.LLM_GATEWAY, OPS_PER_MIN, Scale.LOG, Math.log(5), true),
        new Shows(CompromiseMode.RUNAWAY_LOOP, GatewayKind.LLM_GATEWAY, INPUT_TOKENS_PER_OP, Scale.LOG, Math.log(3), false),
        new Shows(CompromiseMode.RUNAWAY_LOOP, GatewayKind.TOOL_SERVER, TOOL_CALLS_PER_MIN, Scale.LOG, Math.log(5), true),
        // prompt bytes × (ops × tokens) ≥ 15, tool payload bytes × ops ≥ 5
        new Shows(CompromiseMode.RUNAWAY_LOOP, GatewayKind.EGRESS_PROXY, BYTES_OUT, Scale.LOG, Math.log(5), true),
        new Shows(CompromiseMode.TOOL_MISUSE, GatewayKind.TOOL_SERVER, TOOL_CALLS_PER_MIN, Scale.LOG, Math.log(2), true),
        new Shows(CompromiseMode.SLOW_DRIFT, GatewayKind.LLM_GATEWAY, OUTPUT_TOKENS_PER_OP, Scale.LOG, Math.log(3), false),
        new Shows(CompromiseMode.SLOW_DRIFT, GatewayKind.EGRESS_PROXY, BYTES_OUT, Scale.LOG, Math.log(5), true),
        new Shows(CompromiseMode.COORDINATED_GROUP, GatewayKind.EGRESS_PROXY, BYTES_OUT, Scale.LOG, Math.log(3), true));

    /** Kinds that carry nothing the mode changes. */
    private static final Map<CompromiseMode, List<GatewayKind>> BLIND = Map.of(
        CompromiseMode.EXFILTRATION, List.of(GatewayKind.LLM_GATEWAY, GatewayKind.TOOL_SERVER),
        CompromiseMode.TOOL_MISUSE, List.of(GatewayKind.LLM_GATEWAY),
        CompromiseMode.SLOW_DRIFT, List.of(GatewayKind.TOOL_SERVER),
        CompromiseMode.COORDINATED_GROUP, List.of(GatewayKind.TOOL_SERVER));

    /** One compromised agent as one of its observers saw it: [window][feature], every window of the run. */
    private record Seen(Recorded run, int agent, ObserverHost host, double[][] views) {
        AgentSpec spec() {
            return run.fleet.agents().get(agent);
        }

        int start() {
            return (int) ((spec().compromiseStartMicros() - run.params.startEpochMicros()) / run.params.windowMicros());
        }

        /** First window compared after the start, or -1 when the run ends too early for it. */
        int afterFrom() {
            final int from = spec().mode() == CompromiseMode.SLOW_DRIFT ? start() + SLOW_DRIFT_FULL_AFTER_WINDOWS : start();
            return from + SPAN <= views.length ? from : -1;
        }

        double hoursBetweenCentres() {
            return (afterFrom() + SPAN / 2.0 - (start() - SPAN / 2.0)) * run.params.windowSeconds() / 3_600.0;
        }

        String name() {
            return spec().id() + " (" + spec().mode().label() + ", seed " + run.params.seed() + ") at " + host.id();
        }
    }

    private record Recorded(FleetParams params, SyntheticFleet fleet) {
    }

    private static final List<Seen> SEEN = new ArrayList<>();

    /** Two 12-hour fleets of 60 agents, half of them compromised, each agent observed by one host of each kind. */
    @BeforeAll
    static void record() {
        for (long seed = 1; seed <= 2; seed++) {
            final FleetParams p = new FleetParams(seed, 60, 0.5, 10, 0, 12 * 3_600, 3_600, 3, 2);
            final SyntheticFleet fleet = new SyntheticFleet(p);
            final Recorded run = new Recorded(p, fleet);
            final Map<String, double[][]> byPair = new HashMap<>();
            for (int i = 0; i < p.agents(); i++) {
                if (fleet.agents().get(i).compromised()) {
                    for (final ObserverHost h : fleet.observersOf(i)) {
                        final double[][] views = new double[p.windows()][];
                        byPair.put(fleet.agents().get(i).id() + "@" + h.id(), views);
                        SEEN.add(new Seen(run, i, h, views));
                    }
                }
            }
            while (fleet.hasNext()) {
                final int w = fleet.windowsGenerated();
                fleet.nextWindow((agent, end, raw, label) -> { }, (host, end, seen) -> {
                    for (final ObservedAgent o : seen) {
                        final double[][] views = byPair.get(o.agent().id() + "@" + host.id());
                        if (views != null) {
                            views[w] = o.raw();
                        }
                    }
                });
            }
        }
    }

    private static double value(final double raw, final Scale scale) {
        return switch (scale) {
            case LOG -> Math.log(raw);
            case LOG1P -> Math.log1p(raw);
            case IDENTITY -> raw;
        };
    }

    private static Scale scaleOf(final int feature) {
        if (feature == ERROR_RATE) {
            return Scale.IDENTITY;
        }
        return feature == DISTINCT_TOOLS || feature == MODEL_SWITCHES || feature == SyntheticFleet.DISTINCT_HOSTS
            ? Scale.LOG1P : Scale.LOG;
    }

    private static boolean followsActivity(final int feature) {
        return feature == OPS_PER_MIN || feature == TOOL_CALLS_PER_MIN || feature == DISTINCT_TOOLS
            || feature == SyntheticFleet.DISTINCT_HOSTS || feature == BYTES_OUT || feature == MODEL_SWITCHES;
    }

    /** Mean difference after − before and the bound on what the compromise did not cause. */
    private record Difference(double shift, double bound) {
    }

    private static Difference difference(final Seen s, final int feature, final Scale scale, final boolean followsActivity) {
        final double[] before = meanAndVariance(s.views, s.start() - SPAN, feature, scale);
        final double[] after = meanAndVariance(s.views, s.afterFrom(), feature, scale);
        final double se = Math.sqrt(before[1] / SPAN + after[1] / SPAN);
        final double normal = (followsActivity ? RHYTHM_PER_HOUR * s.hoursBetweenCentres() + BURST_SHIFT : 0) + Z * se;
        return new Difference(after[0] - before[0], normal);
    }

    private static double[] meanAndVariance(final double[][] views, final int from, final int feature, final Scale scale) {
        double sum = 0;
        double sumSq = 0;
        for (int w = from; w < from + SPAN; w++) {
            final double x = value(views[w][feature], scale);
            sum += x;
            sumSq += x * x;
        }
        final double mean = sum / SPAN;
        return new double[] {mean, Math.max(0, sumSq / SPAN - mean * mean) * SPAN / (SPAN - 1)};
    }

    private static List<Seen> seen(final CompromiseMode mode, final GatewayKind kind) {
        final List<Seen> out = SEEN.stream()
            .filter(s -> s.spec().mode() == mode && s.host.kind() == kind && s.start() >= SPAN && s.afterFrom() >= 0).toList();
        assertThat(out).as("observers of kind %s of agents with %s", kind.label(), mode.label()).isNotEmpty();
        return out;
    }

    @Test
    void everyModeShowsAtTheKindsThatCarryWhatItChangesByAtLeastItsSmallestMagnitude() {
        final List<String> short_ = new ArrayList<>();
        for (final Shows shows : SHOWS) {
            for (final Seen s : seen(shows.mode(), shows.kind())) {
                final Difference d = difference(s, shows.feature(), shows.scale(), shows.followsActivity());
                if (!(d.shift() >= shows.minShift() - d.bound())) {
                    short_.add(String.format("%s feature %d: %+.3f, model's minimum %.3f − %.3f", s.name(), shows.feature(),
                        d.shift(), shows.minShift(), d.bound()));
                }
            }
        }
        assertThat(short_).as("shifts below the model's minimum").isEmpty();
    }

    @Test
    void toolMisuseDrivesTheToolServersErrorRateToAThirdOrMore() {
        for (final Seen s : seen(CompromiseMode.TOOL_MISUSE, GatewayKind.TOOL_SERVER)) {
            final double[] after = meanAndVariance(s.views, s.afterFrom(), ERROR_RATE, Scale.IDENTITY);
            // target U[0.3, 0.7] × two median-1 log-normals: a mean of at least 0.3 (capping at 1 only bites above 0.7·e^{4σ})
            assertThat(after[0]).as(s.name()).isGreaterThanOrEqualTo(0.3 - Z * Math.sqrt(after[1] / SPAN));
        }
    }

    @Test
    void noModeShowsAtAKindThatCarriesNothingItChanges() {
        final List<String> moved = new ArrayList<>();
        for (final Map.Entry<CompromiseMode, List<GatewayKind>> blind : BLIND.entrySet()) {
            for (final GatewayKind kind : blind.getValue()) {
                for (final Seen s : seen(blind.getKey(), kind)) {
                    for (int f = 0; f < SyntheticFleet.FEATURES; f++) {
                        if (!kind.sees(f)) {
                            continue;
                        }
                        final Difference d = difference(s, f, scaleOf(f), followsActivity(f));
                        if (Math.abs(d.shift()) > d.bound()) {
                            moved.add(String.format("%s feature %d: %+.3f beyond ±%.3f", s.name(), f, d.shift(), d.bound()));
                        }
                    }
                }
            }
        }
        assertThat(moved).as("features that moved at a kind the mode does not reach").isEmpty();
    }

    @Test
    void theRunHasObserversOfEveryModeAtEveryKind() {
        for (final CompromiseMode m : CompromiseMode.values()) {
            for (final GatewayKind k : GatewayKind.values()) {
                assertThat(seen(m, k)).isNotEmpty();
            }
        }
    }
}
