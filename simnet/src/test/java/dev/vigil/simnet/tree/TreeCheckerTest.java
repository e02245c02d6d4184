package dev.vigil.simnet.tree;

import dev.vigil.crypto.SignatureScheme;
import dev.vigil.daemon.tree.TreeNode;
import dev.vigil.simnet.HostStats;
import dev.vigil.simnet.SimHost;
import dev.vigil.simnet.Simulator;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checker fails a run for what it is meant to catch, at the moment it happens, and stays quiet on the same run
 * without the fault: each case below is a fault the scenarios' once-only checks before could not see.
 */
class TreeCheckerTest {
    private static final int NODES = 40;

    /** A fleet of {@link #NODES} nodes (B = 8, simulated signatures), started, watched, converged and settled. */
    private static TreeRun settled(final long seed, final TreeChecker[] checkerOut) {
        final TreeScenario.Params params = TreeScenario.Params.of(TreeScenario.Kind.tree, NODES, seed).withB(8)
            .withSignatures(SignatureScheme.SIMULATED_INSECURE).withOutsiders(0);
        final TreeRun run = new TreeRun(params, new HostStats(), null, Set.of(), null);
        for (int i = 0; i < NODES; i++) {
            run.addNode(i == 0);
        }
        startAll(run);
        final TreeChecker checker = new TreeChecker(run);
        checker.start();
        assertThat(checker.runUntilConverged(Simulator.EPOCH_MICROS + 60_000_000)).isPositive();
        SteadyState.measure(run, checker, new HashMap<>());
        checkerOut[0] = checker;
        return run;
    }

    private static void startAll(final TreeRun run) {
        for (final SimHost h : run.fleet.hosts()) {
            run.sim.schedule(h.index() == 0 ? 0 : run.fleet.random().nextLong(2_000_000), h::start);
        }
    }

    private static SimHost levelZeroHeadOtherThanRoot(final TreeRun run) {
        final TreePicture p = new TreePicture(run);
        return p.up().stream().filter(h -> h != p.root() && h.core().tree().headAt(0) == h.nodeId()).findFirst().orElseThrow();
    }

    @Test
    void aSettledTreeLeftAloneBreaksNothing() {
        final TreeChecker[] checker = new TreeChecker[1];
        final TreeRun run = settled(3, checker);
        run.sim.runFor(10_000_000);
        assertThat(run.failures()).isEmpty();
        assertThat(checker[0].checksRun().get("every_100ms")).isGreaterThan(300);
        assertThat(checker[0].checksRun().get("per_event")).isGreaterThan(checker[0].checksRun().get("every_100ms"));
    }

    @Test
    void aNodeLostAfterConvergenceIsReportedAtTheNextCheck() {
        final TreeChecker[] checker = new TreeChecker[1];
        final TreeRun run = settled(3, checker);
        final SimHost victim = run.nodes().get(NODES - 1);
        final long crashedAt = run.sim.elapsedMicros();
        victim.crash();
        run.sim.runFor(TreeChecker.CHECK_MICROS + 1);
        assertThat(run.failures()).anySatisfy(f -> assertThat(f).startsWith("converged tree (converged) broke at "
            + TreeRun.seconds(crashedAt - crashedAt % TreeChecker.CHECK_MICROS + TreeChecker.CHECK_MICROS)));
        assertThat(checker[0].checksRun().get("broken_converged_pictures")).isEqualTo(1);
    }

    @Test
    void aHeadThatForgesItsCountAfterConvergenceIsReportedWhenTheRootTakesItIn() {
        final TreeChecker[] checker = new TreeChecker[1];
        final TreeRun run = settled(5, checker);
        final SimHost liar = levelZeroHeadOtherThanRoot(run);
        final long[] firstChange = {-1};
        run.addRootObserver((TreeNode node, long now) -> {
            if (firstChange[0] < 0) {
                firstChange[0] = now;
            }
        });
        liar.core().tree().forgeUpwardCounts(10);
        liar.core().publishLocalSummary(run.dataOf(liar), 1);
        run.sim.runFor(2_000_000);
        assertThat(firstChange[0]).isPositive();
        final String at = "at " + TreeRun.seconds(firstChange[0] - Simulator.EPOCH_MICROS) + " s";
        assertThat(run.failures()).anySatisfy(f -> assertThat(f).startsWith("root aggregate counts ").contains(at)
            .contains("(converged: must be equal)"));
    }

    @Test
    void anOutsiderTheFleetAdmitsIsReported() {
        final TreeScenario.Params params = TreeScenario.Params.of(TreeScenario.Kind.tree, 12, 7).withB(8)
            .withSignatures(SignatureScheme.SIMULATED_INSECURE).withOutsiders(0);
        final TreeRun run = new TreeRun(params, new HostStats(), null, Set.of(), null);
        for (int i = 0; i < 12; i++) {
            run.addNode(i == 0);
        }
        final SimHost impostor = run.addOutsider(true);
        startAll(run);
        final TreeChecker checker = new TreeChecker(run);
        checker.start();
        run.sim.runFor(10_000_000);
        assertThat(run.failures()).anySatisfy(f -> assertThat(f).contains("holds outsider " + impostor.index() + " as peer"));
        assertThat(run.failures()).anySatisfy(f -> assertThat(f).contains("holds outsider " + impostor.index()
            + " as tree member or contributor"));
    }

    @Test
    void anOutsiderWithAForeignCertificateStaysOut() {
        final TreeScenario.Params params = TreeScenario.Params.of(TreeScenario.Kind.tree, 12, 7).withB(8)
            .withSignatures(SignatureScheme.SIMULATED_INSECURE).withOutsiders(0);
        final TreeRun run = new TreeRun(params, new HostStats(), null, Set.of(), null);
        for (int i = 0; i < 12; i++) {
            run.addNode(i == 0);
        }
        final SimHost outsider = run.addOutsider(false);
        startAll(run);
        final TreeChecker checker = new TreeChecker(run);
        checker.start();
        assertThat(checker.runUntilConverged(Simulator.EPOCH_MICROS + 30_000_000)).isPositive();
        run.sim.runFor(5_000_000);
        assertThat(run.failures()).isEmpty();
        // it did try: the founder refused its certificate
        assertThat(run.nodes().get(0).core().counters().rejected(dev.vigil.wire.FrameStatus.BAD_CERTIFICATE)).isPositive();
        assertThat(outsider.isUp()).isTrue();
        assertThat(run.nodes().get(0).core().isPeer(outsider.nodeId())).isFalse();
    }
}
