package dev.vigil.simnet.tree;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The report's {@code invariants_failed} lines read as they always have: scripts and people grep them. */
class TreeFailureTest {
    @Test
    void aFailureToConvergeNamesTheFirstFiveProblemsAndCountsTheRest() {
        final List<TreeProblem> problems = new ArrayList<>(List.of(new TreeProblem.NodesMissing(242, 300)));
        for (final int node : new int[] {1, 4, 6, 9, 11, 12}) {
            problems.add(new TreeProblem.Unplaced(node));
        }
        assertThat(new TreeFailure.NotConverged(4.0, problems).text()).isEqualTo("not converged after 4.0 s: [only 242 of 300 "
            + "nodes up, node 1 has no cluster, node 4 has no cluster, node 6 has no cluster, node 9 has no cluster] and 2 more");
        assertThat(new TreeFailure.NotConverged(60.0, List.of(new TreeProblem.RootCoverage(145, 150))).text())
            .isEqualTo("not converged after 60.0 s: [root aggregate covers 145 of 150 nodes]");
    }

    @Test
    void everyOtherFailureReadsAsBefore() {
        assertThat(new TreeFailure.DepthUnsafe(6, 120, 4).text()).isEqualTo("depth 6 with 120 nodes, over the bound 4 + 1");
        assertThat(new TreeFailure.FleetCountWrong(1904, 1920).text()).isEqualTo("root aggregate count 1904 != 1920");
        assertThat(new TreeFailure.ChangeNotAtRoot(37, 10).text()).isEqualTo("a change at node 37 did not reach the root within 10 s");
        assertThat(new TreeFailure.NoLiar().text()).isEqualTo("no head other than the root to make lie");
        assertThat(new TreeFailure.LiarKept(3, 60).text()).isEqualTo("lying head 3 was not replaced within 60 s");
        assertThat(new TreeFailure.ForgedCount(2080, 1920, 16).text())
            .isEqualTo("fleet aggregate after replacing the liar counts 2080 observations; the nodes made 1920 (the liar 16)");
    }

    @Test
    void theContinuousChecksReadAsTheyAreGrepped() {
        assertThat(new TreeFailure.OutsiderAdmitted(8, 40, "peer", 1.47).text()).isEqualTo("node 8 holds outsider 40 as peer at 1.47 s");
        assertThat(new TreeFailure.PeerTable(3, "holds 70 peers, bound 64").text()).isEqualTo("node 3's peer table holds 70 peers, bound 64");
        assertThat(new TreeFailure.RootCountWrong(7680, 768, true, 31.2).text())
            .isEqualTo("root aggregate counts 7680 observations at 31.2 s; the nodes made 768 (converged: must be equal)");
        assertThat(new TreeFailure.RootCountWrong(784, 768, false, 4.5).text())
            .isEqualTo("root aggregate counts 784 observations at 4.5 s; the nodes made 768 (never more)");
        assertThat(new TreeFailure.AggregateInexact(3e-9, "after churn").text())
            .isEqualTo("root aggregate relative error 3.0E-9 after churn, over 1.0E-12");
        assertThat(new TreeFailure.ClusterOverB(12, 9, 8, 2.25).text())
            .isEqualTo("node 12 headed a cluster of 9 after an input at 2.25 s, over B = 8");
        assertThat(new TreeFailure.OverCountHeld(9.25, 1000, 16).text())
            .isEqualTo("root aggregate over-counted from 9.25 s for more than 1000 ms (up to 16 observations too many)");
        assertThat(new TreeFailure.ConvergenceLost(30.1, "converged", List.of(new TreeProblem.Unplaced(39))).text())
            .isEqualTo("converged tree (converged) broke at 30.1 s: [node 39 has no cluster]");
    }
}
