package dev.vigil.simnet.tree;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --progress} groups problems by kind. Before problems were typed it derived the kind from the printed line,
 * with node indexes as N, counts as # and levels kept; these tests hold every problem's {@code kind()} and
 * {@code brief()} to that derivation, so grouped progress lines read as they did.
 */
class TreeProblemTest {
    private static final String COUNTERS = "{malformed=0, stale=37, admitted=81}";

    /** The kind as it was derived from the line: node, head and member indexes to N, other digits (not a level's) to #. */
    private static String kindOfLine(final String line) {
        return line.replaceAll("(node|head|member) [0-9]+", "$1 N").replaceAll("(?<!level )\\b[0-9]+", "#")
            .replaceAll("\\{.*", "").trim();
    }

    /** The example of a kind: the line up to the detail in braces. */
    private static String briefOfLine(final String line) {
        return line.replaceAll("\\{.*", "").trim();
    }

    private static List<TreeProblem> samples() {
        return List.of(
            new TreeProblem.NodesMissing(8, 300),
            new TreeProblem.RootCount(0),
            new TreeProblem.RootCount(12),
            new TreeProblem.Unplaced(55),
            new TreeProblem.WrongRoot(0),
            new TreeProblem.NoClusterAbove(65, 0),
            new TreeProblem.NoClusterAbove(194, 1),
            new TreeProblem.NoClusterAbove(7, -1),
            new TreeProblem.NotInHeadsView(69, 0),
            new TreeProblem.NotInHeadsView(1234, 12),
            new TreeProblem.HeadsNothingBelow(3, 0),
            new TreeProblem.HeadsNothingBelow(3, 2),
            new TreeProblem.ListedNotCounting(0, 243, 0),
            new TreeProblem.ListedNotCounting(10, null, 1),
            new TreeProblem.TopNotRoot(17),
            new TreeProblem.ClusterSize(4, 0, 9, 4, 8),
            new TreeProblem.ClusterSize(99, 3, 1, 16, 32),
            new TreeProblem.DepthOverBound(5, 4),
            new TreeProblem.RootAggregateCount(4784, 4800),
            new TreeProblem.RootAggregateCount(-3, 0),
            new TreeProblem.RootAggregateError(1.2345e-11),
            new TreeProblem.RootAggregateError(0.0625),
            new TreeProblem.RootAggregateError(3.5),
            new TreeProblem.RootAggregateError(2.0e10),
            new TreeProblem.RootAggregateError(7.0e-300),
            new TreeProblem.RootAggregateError(Double.POSITIVE_INFINITY),
            new TreeProblem.RootAggregateError(-0.25),
            new TreeProblem.RootCoverage(299, 300),
            new TreeProblem.RootCoverage(-1, 2),
            new TreeProblem.MemberDown(0, 12, 40),
            new TreeProblem.MemberDown(2, 0, 1),
            new TreeProblem.ContributionDiffers(102, 105, 4, "{unknown-sender=2, replayed=0}[]",
                "held none, last sent v1767225600649498 leaves 6", "held v1767225600649506 leaves 32"),
            new TreeProblem.ContributionDiffers(144, null, 2, "{unknown-sender=1}[Refusal[nodeId=00ab, reason=x 3]]",
                "held v1 leaves 3", "no level 1"),
            new TreeProblem.AggregateDiffers(1, 105, 32, 36, COUNTERS),
            new TreeProblem.AggregateDiffers(2, 0, 124, 121, COUNTERS));
    }

    @Test
    void everyKindIsItsLineWithNodeIndexesAndCountsHiddenAndLevelsKept() {
        for (final TreeProblem p : samples()) {
            assertThat(p.kind()).as(p.text()).isEqualTo(kindOfLine(p.text()));
        }
    }

    @Test
    void everyBriefIsItsLineWithoutTheNodesDetail() {
        for (final TreeProblem p : samples()) {
            assertThat(p.brief()).as(p.text()).isEqualTo(briefOfLine(p.text()));
        }
    }

    @Test
    void linesReadAsTheCheckerHasAlwaysWrittenThem() {
        assertThat(new TreeProblem.NoClusterAbove(65, 0).text()).isEqualTo("node 65 heads level 0 but has no level 1 cluster");
        assertThat(new TreeProblem.ListedNotCounting(10, null, 1).text())
            .isEqualTo("node 10 lists node ? at level 1, which does not count it as head");
        assertThat(new TreeProblem.AggregateDiffers(1, 105, 32, 36, COUNTERS).text())
            .isEqualTo("level 1 head 105 aggregate covers 32, its members' clusters 36 " + COUNTERS);
        assertThat(new TreeProblem.ContributionDiffers(102, null, 4, "{a=1}[]", "held none", "no level 1").text())
            .isEqualTo("member 102 (its head there: none) covers 4, head refuses {a=1}[]: head holds held none; member: no level 1");
    }
}
