package dev.vigil.simnet.tree;

import dev.vigil.daemon.tree.TreeRules;
import dev.vigil.simnet.SimHost;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * The shape of a converged tree for the report: depth against its bound, cluster sizes, and how well level-0
 * clusters group nearby nodes (mean round trip inside them against that of random pairs).
 */
final class TreeShape {
    /** Random pairs the intra-cluster round trip is compared with. */
    private static final int RANDOM_PAIRS = 100_000;

    private TreeShape() {
    }

    static void measure(final TreeRun run, final Map<String, Object> out) {
        final TreePicture p = new TreePicture(run);
        out.put("depth", p.depth());
        out.put("depth_bound", TreeRules.depthBound(p.up().size(), run.params.b()));
        out.put("cluster_size_min", p.sizeMin() == Integer.MAX_VALUE ? null : p.sizeMin());
        out.put("cluster_size_max", p.sizeMax() == 0 ? null : p.sizeMax());
        out.put("leaf_clusters", p.leafClusters().size());
        // mean RTT inside level-0 clusters over all pairs, against random pairs
        double intraSum = 0;
        long intraPairs = 0;
        for (final long[] cluster : p.leafClusters()) {
            for (int i = 0; i < cluster.length; i++) {
                for (int j = i + 1; j < cluster.length; j++) {
                    intraSum += run.rttMicros(run.hostById(cluster[i]), run.hostById(cluster[j]));
                    intraPairs++;
                }
            }
        }
        final SplittableRandom r = new SplittableRandom(run.params.seed() ^ 0x5DEECE66DL);
        double randomSum = 0;
        for (int k = 0; k < RANDOM_PAIRS; k++) {
            final SimHost a = p.up().get(r.nextInt(p.up().size()));
            final SimHost b = p.up().get(r.nextInt(p.up().size()));
            randomSum += run.rttMicros(a, b);
        }
        final double intra = intraPairs == 0 ? 0 : intraSum / intraPairs;
        final double random = randomSum / RANDOM_PAIRS;
        out.put("rtt_intra_ms", TreeRun.round(intra / 1000.0, 3));
        out.put("rtt_random_ms", TreeRun.round(random / 1000.0, 3));
        out.put("rtt_ratio_intra_random", TreeRun.round(intra / random, 4));
    }
}
