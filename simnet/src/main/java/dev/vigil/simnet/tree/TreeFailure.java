package dev.vigil.simnet.tree;

import java.util.List;

/**
 * A broken invariant or a phase that did not reach its goal: one line of the report's {@code invariants_failed}
 * ({@link #text()}, which {@link TreeRun#fail} follows with the seed that replays it).
 */
sealed interface TreeFailure {
    String text();

    /** The tree did not converge by the time limit; the first {@link #NAMED_MAX} problems are named. */
    record NotConverged(double atSeconds, List<TreeProblem> problems) implements TreeFailure {
        static final int NAMED_MAX = 5;

        public NotConverged {
            problems = List.copyOf(problems);
        }

        @Override
        public String text() {
            final List<String> named = problems.subList(0, Math.min(NAMED_MAX, problems.size())).stream().map(TreeProblem::text).toList();
            return "not converged after " + atSeconds + " s: " + named
                + (problems.size() > NAMED_MAX ? " and " + (problems.size() - NAMED_MAX) + " more" : "");
        }
    }

    /** The tree got deeper than its bound plus the one level of slack allowed while splits settle. */
    record DepthUnsafe(int depth, int up, int bound) implements TreeFailure {
        @Override
        public String text() {
            return "depth " + depth + " with " + up + " nodes, over the bound " + bound + " + 1";
        }
    }

    /** The root's fleet aggregate, read for the report, does not count the observations the nodes made. */
    record FleetCountWrong(long held, long made) implements TreeFailure {
        @Override
        public String text() {
            return "root aggregate count " + held + " != " + made;
        }
    }

    /** Propagation: a node's change did not reach the root's aggregate in time. */
    record ChangeNotAtRoot(int node, long withinS) implements TreeFailure {
        @Override
        public String text() {
            return "a change at node " + node + " did not reach the root within " + withinS + " s";
        }
    }

    /** Lying head: no head other than the root to make lie. */
    record NoLiar() implements TreeFailure {
        @Override
        public String text() {
            return "no head other than the root to make lie";
        }
    }

    /** Lying head: the liar still heads or belongs to a cluster an honest node keeps. */
    record LiarKept(int liar, long withinS) implements TreeFailure {
        @Override
        public String text() {
            return "lying head " + liar + " was not replaced within " + withinS + " s";
        }
    }

    /**
     * Lying head: after the liar's replacement the fleet aggregate counts more than the nodes made, or fewer than they
     * made without the liar's own observations (which may still count: the liar can rejoin as an ordinary member).
     */
    record ForgedCount(long count, long made, long liarOwn) implements TreeFailure {
        @Override
        public String text() {
            return "fleet aggregate after replacing the liar counts " + count + " observations; the nodes made " + made
                + " (the liar " + liarOwn + ")";
        }
    }
}
