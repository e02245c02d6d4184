package dev.vigil.simnet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vigil.crypto.SignatureScheme;
import dev.vigil.simnet.tree.TreeScenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vigil simnet}: run a scenario on the simulated network. */
@Command(name = "simnet", mixinStandardHelpOptions = true,
    description = {
        "Run a scenario with many node cores on a simulated network, in virtual time, from one seed.",
        "stdout (the report) depends only on the scenario, its options and the seed: the same seed gives",
        "byte-identical output. Host measurements (wall time, peak heap), which vary, go to stderr."})
public final class SimnetCommand implements Callable<Integer> {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--scenario", required = true, paramLabel = "NAME", description = "Scenario to run: ${COMPLETION-CANDIDATES}.",
        converter = ScenarioConverter.class)
    Scenario scenario;

    @Option(names = "--nodes", defaultValue = "100", description = "Number of nodes (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for everything random in the run (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--loss", defaultValue = "0", description = "Probability that the network drops a message (default: ${DEFAULT-VALUE}).")
    double loss;

    @Option(names = "--start-spread-s", defaultValue = "1", description = "Nodes start at random within this many virtual seconds (default: ${DEFAULT-VALUE}).")
    double startSpreadS;

    @Option(names = "--time-limit-s", defaultValue = "120", description = "Give up after this many virtual seconds (default: ${DEFAULT-VALUE}).")
    double timeLimitS;

    @Option(names = "--signatures", defaultValue = "ed25519", paramLabel = "SCHEME",
        description = "Frame and certificate signatures: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). "
            + "simulated is a cheap keyed digest, NOT SECURE, for runs too large for Ed25519.")
    Signatures signatures;

    @Option(names = "--b", defaultValue = "32", description = "Tree cluster bound B, 4..50 (tree scenarios; default: ${DEFAULT-VALUE}).")
    int b;

    @Option(names = "--outsiders", defaultValue = "2", description = "Hosts with a certificate from a CA the fleet does not "
        + "trust, started among the nodes; they must never become peers, members or contributors (default: ${DEFAULT-VALUE}).")
    int outsiders;

    @Option(names = "--storage-faults", paramLabel = "RATE", defaultValue = "" + RestartScenario.STORAGE_FAULT_RATE_DEFAULT,
        description = "restart: probability that a store write is where its process dies (before the write, or inside a "
            + "put that stores nothing or leaves the entry torn); 0 turns these crashes off (default: ${DEFAULT-VALUE}).")
    double storageFaults;

    @Option(names = "--progress", description = "Tree scenarios: print to stderr, once a simulated second, what keeps the tree from converging.")
    boolean progress;

    @Option(names = "--trace", split = ",", paramLabel = "INDEX",
        description = "Tree scenarios: print the tree log of these nodes (by index, 0 = founder) to stderr.")
    java.util.Set<Integer> trace = java.util.Set.of();

    @Option(names = "--f", defaultValue = "1", paramLabel = "F",
        description = "byzantine: faults tolerated, 1.." + dev.vigil.simnet.byzantine.ByzantineScenario.F_MAX
            + ": a committee of 3F + 1, up to F faulty members, up to F lying observers per agent (default: ${DEFAULT-VALUE}).")
    int f;

    @Option(names = "--liars", defaultValue = "0", paramLabel = "PERCENT",
        description = "fleet-detect: hosts that lie, in percent of --nodes (half hide their compromised agents, half frame clean ones; default: ${DEFAULT-VALUE}).")
    double liarsPercent;

    @Option(names = "--hide-compromised", description = "fleet-detect: the hiding liars are the homes of compromised agents "
        + "first, not drawn at random (shows whether a hidden agent that two honest observers see is still convicted).")
    boolean hideCompromised;

    @Option(names = "--hours", defaultValue = "4", paramLabel = "H", description = "fleet-detect: simulated hours of the synthetic fleet (default: ${DEFAULT-VALUE}).")
    long hours;

    @Option(names = "--compromised", defaultValue = "0.05", paramLabel = "FRACTION",
        description = "fleet-detect: share of agents compromised; 0 for a clean fleet (default: ${DEFAULT-VALUE}).")
    double compromised;

    @Option(names = "--agents", defaultValue = "0", paramLabel = "N",
        description = "fleet-detect: agents in the synthetic fleet (default: one per node, at most 10,000).")
    int agents;

    @Option(names = "--accel", defaultValue = "java", paramLabel = "auto|java|opencl",
        description = "fleet-detect: where the committees and the centralised detector add evidence, as the daemon's accel.backend "
            + "(default: ${DEFAULT-VALUE}). The report is the same on every backend; where it ran goes to stderr.")
    String accel;

    @Option(names = "--json", description = "Print the report as JSON (otherwise a short summary).")
    boolean json;

    @Option(names = "--frame-digest", description = "Also put on the stderr line the SHA-256 of every frame the simulated "
        + "network carried (send time, sender, destination, bytes) and their count: equal digests, equal wire behaviour.")
    boolean frameDigest;

    @Option(names = "--inject-bug", hidden = true, paramLabel = "TYPE@S",
        description = "Tests of the bug path: from S simulated seconds on, node 0's handler of the next frame of TYPE "
            + "(e.g. tree-view) throws, as a defect would; the run must fail with its seed.")
    String injectBug;

    private final java.io.PrintStream out;
    private final java.io.PrintStream err;

    public SimnetCommand() {
        this(System.out, System.err);
    }

    /** A command that prints its report to {@code out} and everything else to {@code err} (tests run it in-process). */
    SimnetCommand(final java.io.PrintStream out, final java.io.PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Scenarios this build knows. */
    enum Scenario {
        join, tree, propagation, churn, lying_head, restart, byzantine, fleet_detect;

        @Override
        public String toString() {
            return name().replace('_', '-');
        }
    }

    /** Accepts scenario names as printed ("lying-head"). */
    static final class ScenarioConverter implements picocli.CommandLine.ITypeConverter<Scenario> {
        @Override
        public Scenario convert(final String value) {
            return Scenario.valueOf(value.replace('-', '_'));
        }
    }

    /** Signature schemes a run may use. */
    enum Signatures {
        ed25519(SignatureScheme.ED25519), simulated(SignatureScheme.SIMULATED_INSECURE);

        final SignatureScheme scheme;

        Signatures(final SignatureScheme scheme) {
            this.scheme = scheme;
        }
    }

    @Override
    public Integer call() throws Exception {
        if (nodes < 2 || nodes > 1_000_000) {
            err.println("vigil simnet: --nodes must be in [2, 1000000], got " + nodes);
            return 2;
        }
        if (outsiders < 0 || outsiders > nodes) {
            err.println("vigil simnet: --outsiders must be in [0, --nodes], got " + outsiders);
            return 2;
        }
        if (scenario == Scenario.byzantine && (f < 1 || f > dev.vigil.simnet.byzantine.ByzantineScenario.F_MAX)) {
            err.println("vigil simnet: --f must be in [1, " + dev.vigil.simnet.byzantine.ByzantineScenario.F_MAX + "], got " + f);
            return 2;
        }
        if (scenario == Scenario.fleet_detect && (nodes < 80 || hours < 2 || hours > 24 * 31 || agents < 0 || liarsPercent < 0 || liarsPercent > 50)) {
            err.println("vigil simnet: fleet-detect needs --nodes >= 80, --hours in [2, 744], --agents >= 0, --liars in [0, 50]");
            return 2;
        }
        if (!(loss >= 0 && loss < 1) || !(storageFaults >= 0 && storageFaults < 1) || !(startSpreadS > 0) || !(timeLimitS > 0)) {
            err.println("vigil simnet: --loss and --storage-faults must be in [0, 1), --start-spread-s and --time-limit-s positive");
            return 2;
        }
        final dev.vigil.accel.Accel.Backend accelBackend;
        try {
            accelBackend = dev.vigil.accel.Accel.Backend.parse(accel);
        } catch (final IllegalArgumentException e) {
            err.println("vigil simnet: --accel must be auto, java or opencl, got '" + accel + "'");
            return 2;
        }
        final HostStats host = new HostStats();
        if (frameDigest) {
            host.recordFrames();
        }
        if (injectBug != null) {
            final int at = injectBug.indexOf('@');
            final dev.vigil.wire.MessageType type = at < 0 ? null : java.util.Arrays.stream(dev.vigil.wire.MessageType.values())
                .filter(t -> t.label.equals(injectBug.substring(0, at))).findFirst().orElse(null);
            if (type == null || !injectBug.substring(at + 1).matches("[0-9]+(\\.[0-9]+)?")) {
                err.println("vigil simnet: --inject-bug expects TYPE@SECONDS with a message type such as tree-view, got " + injectBug);
                return 2;
            }
            host.injectBug(0, Math.round(Double.parseDouble(injectBug.substring(at + 1)) * 1e6), type);
        }
        final Map<String, Object> report;
        // only fleet-detect has batches for an accelerator; selected before the run, so the whole run uses one backend
        final dev.vigil.accel.Accel kernels = scenario == Scenario.fleet_detect ? dev.vigil.accel.Accel.selected(accelBackend, "") : null;
        try {
            report = runScenario(host, kernels == null ? dev.vigil.accel.JavaKernels.INSTANCE : kernels);
            if (kernels != null) {
                accelStatus = kernels.status();
            }
        } catch (final RuntimeException bug) {
            // a node's bug (SimulatedBug: where and when) or the harness's own: the run is over either way
            err.println("vigil simnet: internal error, " + bug.getMessage());
            bug.printStackTrace(err);
            err.println("vigil simnet: scenario failed on a bug; replay with --seed " + seed);
            return 1;
        } finally {
            if (kernels != null) {
                kernels.close();
            }
        }
        return finish(report, host);
    }

    /** Where fleet-detect's batches ran, for the stderr line (it varies by host, so it stays out of the report). */
    private dev.vigil.accel.Accel.Status accelStatus;

    private Map<String, Object> runScenario(final HostStats host, final dev.vigil.accel.Kernels kernels) {
        return switch (scenario) {
            case join -> JoinScenario.run(new JoinScenario.Params(
                nodes, seed, loss, Math.round(startSpreadS * 1e6), Math.round(timeLimitS * 1e6), signatures.scheme, outsiders), host);
            case tree, propagation, churn, lying_head -> TreeScenario.run(TreeScenario.Params
                .of(TreeScenario.Kind.valueOf(scenario.name()), nodes, seed).withB(b).withSignatures(signatures.scheme)
                .withLoss(loss).withTimeLimitMicros(Math.round(timeLimitS * 1e6)).withOutsiders(outsiders), host, progress ? err : null,
                trace, err);
            case byzantine -> dev.vigil.simnet.byzantine.ByzantineScenario.run(new dev.vigil.simnet.byzantine.ByzantineScenario.Params(
                seed, f, signatures == Signatures.ed25519, dev.vigil.simnet.byzantine.ByzantineScenario.Bug.NONE));
            case fleet_detect -> dev.vigil.simnet.verdicts.FleetDetect.run(new dev.vigil.simnet.verdicts.FleetDetect.Params(
                nodes, seed, liarsPercent / 100, hours, agents > 0 ? agents : Math.min(nodes, dev.vigil.simnet.fleet.FleetParams.AGENTS_MAX),
                compromised, dev.vigil.simnet.verdicts.FleetDetect.Bug.NONE, hideCompromised), kernels,
                // a bar on a terminal's stderr only: piped, stderr stays the one JSON line of host measurements
                dev.vigil.daemon.cli.Progress.forWork(null));
            case restart -> RestartScenario.run(RestartScenario.Params.of(nodes, seed).withSignatures(signatures.scheme)
                .withTimeLimitMicros(Math.round(timeLimitS * 1e6)).withStorageFaults(storageFaults).withOutsiders(outsiders), host, trace, err);
        };
    }

    private int finish(final Map<String, Object> report, final HostStats host) throws Exception {
        final Map<String, Object> hostReport = host.report((Long)report.get("events"), (Double)report.get("sim_s"));
        if (json) {
            out.println(JSON.writeValueAsString(report));
        } else if (scenario == Scenario.fleet_detect) {
            out.printf("fleet-detect: %s nodes, %s agents (%s compromised), %s h, %s liars: verdict precision %s recall %s (central %s / %s, "
                    + "local alarms %s / %s), %s false verdicts, delay p50 %s s p99 %s s; hidden by their home %s, convicted %s%n",
                report.get("nodes"), report.get("agents"), report.get("compromised"), report.get("hours"), report.get("liars"),
                report.get("verdict_precision"), report.get("verdict_recall"), report.get("central_precision"), report.get("central_recall"),
                report.get("local_precision"), report.get("local_recall"), report.get("false_verdicts"), report.get("verdict_delay_p50_s"),
                report.get("verdict_delay_p99_s"), report.get("hidden_by_home"), report.get("hidden_by_home_convicted"));
            out.println("invariants failed: " + report.get("invariants_failed"));
        } else if (scenario == Scenario.byzantine) {
            out.printf("byzantine: f %s, seed %d, members %s, lying observers %s: %s verdicts (%s required), "
                    + "verdict time p50 %s s, max %s s, %s view changes, %s conflicting commits%n",
                report.get("f"), seed, report.get("members"), report.get("lying_observers"), report.get("verdicts"),
                report.get("verdicts_required"), report.get("verdict_time_p50_s"),
                report.get("verdict_time_max_s"), report.get("view_changes"), report.get("conflicting_commits"));
            out.println("invariants failed: " + report.get("invariants_failed"));
        } else {
            out.printf("%s: %d nodes, seed %d: %s%n", report.get("scenario"), nodes, seed,
                Boolean.TRUE.equals(report.get("converged"))
                    ? "converged after " + report.get("converge_sim_s") + " s of simulated time"
                    : "did NOT converge within " + timeLimitS + " s");
            out.printf("frames %s (%s bytes), largest frame %s bytes (%s), peers per node %s%n",
                report.get("frames_total"), report.get("bytes_total"), report.get("max_frame_bytes"),
                report.get("max_frame_type"), report.get("peers_per_node"));
            out.println("invariants failed: " + report.get("invariants_failed"));
        }
        if (scenario == Scenario.fleet_detect && accelStatus != null) {
            final Map<String, Object> accelReport = new java.util.LinkedHashMap<>();
            accelReport.put("requested", accelStatus.requested());
            accelReport.put("backend", accelStatus.backend());
            accelReport.put("device", accelStatus.device());
            accelReport.put("reason", accelStatus.reason());
            accelReport.put("device_batches", accelStatus.batches());
            hostReport.put("accel", accelReport);
        }
        err.println("{\"host\": " + new ObjectMapper().writeValueAsString(hostReport) + "}");
        final boolean ok = Boolean.TRUE.equals(report.get("converged")) && ((List<?>)report.get("invariants_failed")).isEmpty()
            && !Boolean.FALSE.equals(report.get("reconverged")) && !Boolean.FALSE.equals(report.get("liar_replaced"));
        if (!ok) {
            err.println("vigil simnet: scenario failed; replay with --seed " + seed);
        }
        return ok ? 0 : 1;
    }
}
