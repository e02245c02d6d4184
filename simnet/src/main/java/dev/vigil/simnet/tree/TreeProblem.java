package dev.vigil.simnet.tree;

/**
 * One thing that keeps the tree from having converged, as the checker finds it in the nodes' own state. Nodes are
 * named by their index in the fleet (0 is the founder).
 *
 * <p>{@link #text()} is the line a report or {@code --progress} prints. {@link #kind()} is that line with node
 * indexes shown as {@code N} and counts as {@code #}, levels kept: {@code --progress} counts the problems of each
 * kind. {@link #brief()} is the line without a node's internal detail (counters, contributions): the example
 * {@code --progress} gives of a kind.
 */
sealed interface TreeProblem {
    String text();

    String kind();

    default String brief() {
        return text();
    }

    /** A count as a kind shows it. */
    private static String count(final long n) {
        return n < 0 ? "-#" : "#";
    }

    // ---------------------------------------------------------------- the fleet and its root

    /** Not every node is up yet (a tree of the first few nodes is trivially clean, so that is no convergence). */
    record NodesMissing(int up, int total) implements TreeProblem {
        @Override
        public String text() {
            return "only " + up + " of " + total + " nodes up";
        }

        @Override
        public String kind() {
            return "only # of # nodes up";
        }
    }

    /** Not exactly one node thinks it is the root (nothing else is checked then). */
    record RootCount(int roots) implements TreeProblem {
        @Override
        public String text() {
            return roots + " roots";
        }

        @Override
        public String kind() {
            return "# roots";
        }
    }

    // ---------------------------------------------------------------- one node's place

    record Unplaced(int node) implements TreeProblem {
        @Override
        public String text() {
            return "node " + node + " has no cluster";
        }

        @Override
        public String kind() {
            return "node N has no cluster";
        }
    }

    record WrongRoot(int node) implements TreeProblem {
        @Override
        public String text() {
            return "node " + node + " names another root";
        }

        @Override
        public String kind() {
            return "node N names another root";
        }
    }

    /**
     * The node heads its cluster at {@code level} (the top excepted) but is in no cluster at {@code level + 1}.
     * {@code level} is -1 for a placed node whose level-0 cluster has no head.
     */
    record NoClusterAbove(int node, int level) implements TreeProblem {
        @Override
        public String text() {
            return "node " + node + " heads level " + level + " but has no level " + (level + 1) + " cluster";
        }

        @Override
        public String kind() {
            // a level is kept as it is, but the minus of -1 is no part of the word "level"
            return "node N heads level " + (level < 0 ? "-#" : level) + " but has no level " + (level + 1) + " cluster";
        }
    }

    /** The node's head at {@code level} is down, heads no such cluster or does not list the node. */
    record NotInHeadsView(int node, int level) implements TreeProblem {
        @Override
        public String text() {
            return "node " + node + " at level " + level + " is not in its head's view";
        }

        @Override
        public String kind() {
            return "node N at level " + level + " is not in its head's view";
        }
    }

    /** The node is a member at {@code level} without heading a cluster there, yet is in a cluster at {@code level + 1}. */
    record HeadsNothingBelow(int node, int level) implements TreeProblem {
        @Override
        public String text() {
            return "node " + node + " is in a level " + (level + 1) + " cluster but heads no level " + level + " cluster";
        }

        @Override
        public String kind() {
            return "node N is in a level " + (level + 1) + " cluster but heads no level " + level + " cluster";
        }
    }

    /**
     * Head {@code head} lists a member at {@code level} that does not name it as head there (or is down);
     * {@code member} is null for an id that is no node of the fleet.
     */
    record ListedNotCounting(int head, Integer member, int level) implements TreeProblem {
        @Override
        public String text() {
            return "node " + head + " lists node " + (member == null ? "?" : member) + " at level " + level
                + ", which does not count it as head";
        }

        @Override
        public String kind() {
            return "node N lists node " + (member == null ? "?" : "N") + " at level " + level + ", which does not count it as head";
        }
    }

    /** A node other than the root heads a cluster at the root's level. */
    record TopNotRoot(int node) implements TreeProblem {
        @Override
        public String text() {
            return "node " + node + " heads a cluster at the top level but is not the root";
        }

        @Override
        public String kind() {
            return "node N heads a cluster at the top level but is not the root";
        }
    }

    /** A cluster below the top outside [{@code min}, {@code max}] = [⌈B/2⌉, B]. */
    record ClusterSize(int node, int level, int size, int min, int max) implements TreeProblem {
        @Override
        public String text() {
            return "level " + level + " cluster of node " + node + " has " + size + " members, outside [" + min + ", " + max + "]";
        }

        @Override
        public String kind() {
            return "level " + level + " cluster of node N has # members, outside [#, #]";
        }
    }

    // ---------------------------------------------------------------- the whole tree

    record DepthOverBound(int depth, int bound) implements TreeProblem {
        @Override
        public String text() {
            return "depth " + depth + " over the bound " + bound;
        }

        @Override
        public String kind() {
            return "depth # over the bound #";
        }
    }

    /** The root's aggregate counts every node but not every observation the nodes made. */
    record RootAggregateCount(long held, long made) implements TreeProblem {
        @Override
        public String text() {
            return "root aggregate holds " + held + " observations; the nodes made " + made;
        }

        @Override
        public String kind() {
            return "root aggregate holds " + count(held) + " observations; the nodes made " + count(made);
        }
    }

    /** The root's aggregate has every observation, but its moments differ from the exact merge by more than 1e-12. */
    record RootAggregateError(double error) implements TreeProblem {
        @Override
        public String text() {
            return "root aggregate differs from the exact merge by " + error + " (relative)";
        }

        @Override
        public String kind() {
            return "root aggregate differs from the exact merge by " + digitsHidden(error) + " (relative)";
        }

        /**
         * {@code x} as {@link Double#toString} writes it, its digits shown as {@code #} but for those of a positive
         * exponent (which follow the letter E in one word): 0.5 is #.#, 1.0E-13 is #.#E-#, 2.0E10 is #.#E10.
         */
        private static String digitsHidden(final double x) {
            if (Double.isNaN(x) || Double.isInfinite(x)) {
                return Double.toString(x);
            }
            final String s = Double.toString(x);
            final int e = s.indexOf('E');
            final String exponent = e < 0 ? "" : s.charAt(e + 1) == '-' ? "E-#" : s.substring(e);
            return (x < 0 ? "-" : "") + "#.#" + exponent;
        }
    }

    /** The root's aggregate does not cover every node that is up (the diagnosis records below then say where). */
    record RootCoverage(long covered, int up) implements TreeProblem {
        @Override
        public String text() {
            return "root aggregate covers " + covered + " of " + up + " nodes";
        }

        @Override
        public String kind() {
            return "root aggregate covers " + count(covered) + " of # nodes";
        }
    }

    // ---------------------------------------------------------------- diagnosis: where the counts first go wrong

    /** The level-{@code level} head {@code head} lists {@code member}, which is down. */
    record MemberDown(int level, int head, int member) implements TreeProblem {
        @Override
        public String text() {
            return "level " + level + " head " + head + " lists node " + member + ", which is down";
        }

        @Override
        public String kind() {
            return "level " + level + " head N lists node N, which is down";
        }
    }

    /**
     * A head's record of {@code member}'s contribution does not hold the {@code covers} nodes the member's cluster
     * below covers. {@code memberHead} is the member's own head at that level, null when it names none; the rest is
     * the nodes' detail as their tree state describes it: the head's refusal counters (a map, written {@code {...}})
     * and its recent refusals of the member, then both sides' record of the contribution.
     */
    record ContributionDiffers(int member, Integer memberHead, long covers, String headRefusals, String headHolds,
                               String memberHolds) implements TreeProblem {
        @Override
        public String text() {
            return brief() + " " + headRefusals + ": head holds " + headHolds + "; member: " + memberHolds;
        }

        @Override
        public String brief() {
            return "member " + member + " (its head there: " + (memberHead == null ? "none" : memberHead) + ") covers " + covers
                + ", head refuses";
        }

        @Override
        public String kind() {
            return "member N (its head there: " + (memberHead == null ? "none" : "#") + ") covers " + count(covers)
                + ", head refuses";
        }
    }

    /**
     * The level-{@code level} head {@code head}'s aggregate covers {@code covers} nodes, its members' clusters
     * {@code membersCover}; {@code headCounters} is the head's tree counters (a map, written {@code {...}}).
     */
    record AggregateDiffers(int level, int head, long covers, long membersCover, String headCounters) implements TreeProblem {
        @Override
        public String text() {
            return brief() + " " + headCounters;
        }

        @Override
        public String brief() {
            return "level " + level + " head " + head + " aggregate covers " + covers + ", its members' clusters " + membersCover;
        }

        @Override
        public String kind() {
            return "level " + level + " head N aggregate covers " + count(covers) + ", its members' clusters " + count(membersCover);
        }
    }
}
