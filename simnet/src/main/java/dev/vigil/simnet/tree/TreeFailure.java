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

    /** An outsider (a host the fleet's CA did not certify) became a node's peer, tree member or contributor. */
    record OutsiderAdmitted(int node, int outsider, String as, double atSeconds) implements TreeFailure {
        @Override
        public String text() {
            return "node " + node + " holds outsider " + outsider + " as " + as + " at " + atSeconds + " s";
        }
    }

    /** A node's peer table broke its rules (its bound, itself, an uncertified id). */
    record PeerTable(int node, String what) implements TreeFailure {
        @Override
        public String text() {
            return "node " + node + "'s peer table " + what;
        }
    }

    /**
     * The root's fleet aggregate counted more observations than the nodes made (at any time), or, while converged,
     * not exactly theirs.
     */
    record RootCountWrong(long held, long made, boolean converged, double atSeconds) implements TreeFailure {
        @Override
        public String text() {
            return "root aggregate counts " + held + " observations at " + atSeconds + " s; the nodes made " + made
                + (converged ? " (converged: must be equal)" : " (never more)");
        }
    }

    /** The root's fleet aggregate is further from the exact reference than a converged tree allows. */
    record AggregateInexact(double error, String when) implements TreeFailure {
        @Override
        public String text() {
            return "root aggregate relative error " + error + " " + when + ", over " + TreeChecker.AGGREGATE_ERROR_MAX;
        }
    }

    /** A tree that had converged (and was not being changed) broke an invariant at a check. */
    record ConvergenceLost(double atSeconds, String watch, List<TreeProblem> problems) implements TreeFailure {
        public ConvergenceLost {
            problems = List.copyOf(problems);
        }

        @Override
        public String text() {
            final List<String> named = problems.subList(0, Math.min(NotConverged.NAMED_MAX, problems.size())).stream()
                .map(TreeProblem::text).toList();
            return "converged tree (" + watch + ") broke at " + atSeconds + " s: " + named
                + (problems.size() > NotConverged.NAMED_MAX ? " and " + (problems.size() - NotConverged.NAMED_MAX) + " more" : "");
        }
    }

    /** A node headed a cluster of more than B members after an input (a full head splits as it admits). */
    record ClusterOverB(int node, int size, int b, double atSeconds) implements TreeFailure {
        @Override
        public String text() {
            return "node " + node + " headed a cluster of " + size + " after an input at " + atSeconds + " s, over B = " + b;
        }
    }

    /** The root counted more observations than the nodes made for longer than a race between two paths takes. */
    record OverCountHeld(double sinceSeconds, long heldMaxMs, long excessMax) implements TreeFailure {
        @Override
        public String text() {
            return "root aggregate over-counted from " + sinceSeconds + " s for more than " + heldMaxMs + " ms (up to "
                + excessMax + " observations too many)";
        }
    }
}
