package dev.vigil.simnet.tree;

import dev.vigil.crypto.NodeIds;
import dev.vigil.daemon.core.NodeLog;
import dev.vigil.simnet.SimHost;
import dev.vigil.simnet.Simulator;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What a tree scenario prints beside its report, for a person replaying one seed: with {@code --progress}, once a
 * simulated second while the tree converges, what still keeps it from converging;
 * with {@code --trace}, the tree log of chosen nodes, node ids shown as {@code n<index>}. Printing changes nothing
 * in the run.
 */
final class ScenarioTrace {
    /** A node id as the nodes' logs write it. */
    static final Pattern HEX_ID = Pattern.compile("\\b[0-9a-f]{16}\\b");
    /** Below this many problems a progress line lists them all; above, one example of each kind. */
    private static final int PROBLEMS_LISTED_MAX = 10;
    private static final long PROGRESS_INTERVAL_MICROS = 1_000_000;

    private final Simulator sim;
    /** Where progress lines go, or null without {@code --progress}. */
    private final PrintStream progress;
    /** Where traced nodes' logs go, or null. */
    private final PrintStream trace;
    private final Set<Integer> traced;
    private final Map<String, Integer> indexByHex = new HashMap<>();
    private long nextProgressMicros;

    ScenarioTrace(final Simulator sim, final PrintStream progress, final Set<Integer> traced, final PrintStream trace) {
        this.sim = sim;
        this.progress = progress;
        this.traced = Set.copyOf(traced);
        this.trace = trace;
    }

    /**
     * Gives a new host the log this run wants from it: its full tree log if traced (a bug stops the run
     * through the host's own bug trap, whatever log it has).
     */
    void attach(final SimHost h) {
        indexByHex.put(NodeIds.toHex(h.nodeId()), h.index());
        if (trace != null && traced.contains(h.index())) {
            h.setLog(traceLog(h.index()));
        }
    }

    private NodeLog traceLog(final int index) {
        return new NodeLog() {
            @Override
            public void info(final String message) {
                final String named = HEX_ID.matcher(message).replaceAll(m -> {
                    final Integer i = indexByHex.get(m.group());
                    return i == null ? m.group() : "n" + i;
                });
                trace.printf("%9.3f n%-6d %s%n", TreeRun.seconds(sim.elapsedMicros()), index, named);
            }

            @Override
            public void warn(final String message) {
                info("WARN " + message);
            }

            @Override
            public boolean debugEnabled() {
                return true;
            }

            @Override
            public void debug(final String message) {
                info("  " + message);
            }
        };
    }

    /**
     * Once a simulated second while converging, with {@code --progress}: the tree's shape, the count of each kind of
     * problem, then the problems themselves when few, else one example of each kind.
     */
    void progress(final TreePicture picture) {
        if (progress == null || sim.nowMicros() < nextProgressMicros) {
            return;
        }
        nextProgressMicros = sim.nowMicros() + PROGRESS_INTERVAL_MICROS;
        final Map<String, Integer> kinds = new TreeMap<>();
        final Map<String, String> example = new TreeMap<>();
        for (final TreeProblem problem : picture.problems()) {
            kinds.merge(problem.kind(), 1, Integer::sum);
            example.putIfAbsent(problem.kind(), problem.brief());
        }
        progress.printf("t=%.1f s up=%d depth=%d sizes=[%s, %s] problems=%d %s%n", TreeRun.seconds(sim.elapsedMicros()),
            picture.up().size(), picture.depth(), picture.sizeMin() == Integer.MAX_VALUE ? "-" : picture.sizeMin(),
            picture.sizeMax() == 0 ? "-" : picture.sizeMax(), picture.problems().size(), kinds);
        if (picture.problems().size() <= PROBLEMS_LISTED_MAX) {
            picture.problems().forEach(problem -> progress.println("  " + problem.text()));
        } else {
            example.values().forEach(problem -> progress.println("  e.g. " + problem));
        }
    }
}
