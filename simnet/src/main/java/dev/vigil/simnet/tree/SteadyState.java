package dev.vigil.simnet.tree;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a converged tree costs on the wire: bytes per node per second by message type, measured once the moves a
 * fresh tree still makes are over (relocations 8 s after placement, merges). From then on the tree is held to every
 * invariant at every check (see {@link TreeChecker}).
 */
final class SteadyState {
    /** How long after convergence the measurement starts. */
    private static final long SETTLE_MICROS = 20_000_000;

    private SteadyState() {
    }

    static void measure(final TreeRun run, final TreeChecker checker, final Map<String, Object> out) {
        // a fresh tree still moves nodes (break before make: a moving node is out for a moment): safety only
        checker.watch(TreeChecker.Watch.SAFETY);
        run.sim.runFor(SETTLE_MICROS);
        checker.watch(TreeChecker.Watch.CONVERGED);
        final Map<String, long[]> before = run.fleet.network().framesByType(); // a snapshot: [frames, bytes] by type
        final int up = run.upHosts().size();
        run.sim.runFor(run.params.steadyMicros());
        final Map<String, long[]> after = run.fleet.network().framesByType();
        final Map<String, Object> byType = new LinkedHashMap<>();
        long total = 0;
        final double perNodeSecond = up * (run.params.steadyMicros() / 1e6);
        for (final Map.Entry<String, long[]> e : after.entrySet()) {
            final long[] b = before.getOrDefault(e.getKey(), new long[2]);
            final long bytes = e.getValue()[1] - b[1];
            if (bytes > 0) {
                byType.put(e.getKey(), TreeRun.round(bytes / perNodeSecond, 1));
                total += bytes;
            }
        }
        out.put("wire_bytes_per_node_s", TreeRun.round(total / perNodeSecond, 1));
        out.put("wire_window_after_converge_s", List.of(TreeRun.seconds(SETTLE_MICROS),
            TreeRun.seconds(SETTLE_MICROS + run.params.steadyMicros())));
        out.put("wire_bytes_per_node_s_by_type", byType);
    }
}
