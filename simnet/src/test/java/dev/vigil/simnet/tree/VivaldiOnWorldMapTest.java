package dev.vigil.simnet.tree;

import dev.vigil.daemon.tree.Vivaldi;
import dev.vigil.daemon.tree.VivaldiCoordinate;
import dev.vigil.simnet.WorldMap;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Vivaldi on simnet's world map: 300 hosts placed as {@code SimFleet.addHost} places them (a random
 * region, ±2° around its centre), RTT = twice the map's one-way latency plus up to 5 % seeded
 * queueing jitter. Each round every node probes its 8 fixed neighbours and 2 random others, using the
 * remote's current coordinate (as a probe ack would carry it). Half the fixed neighbours are in the
 * node's own region, as its tree cluster peers will be: Dabek et al. (§3.6) show a node that only
 * hears from distant nodes predicts its short links badly, and so it does here (uniform neighbours:
 * median 0.072 but p90 0.55, the intra-region pairs). After 200 rounds the coordinates must predict
 * every pair's RTT well and separate regions clearly enough for the tree to cluster on them.
 * Everything comes from one seed; a failure prints it.
 *
 * <p>Measured with the paper's cc = ce = 0.25: this seed gives median 0.071, p90 0.31, ratio 0.043.
 * Seeds 1..13 give median 0.060..0.081 and p90 0.26..0.38, except seed 11 (median 0.15, p90 0.77,
 * no better after 800 rounds: a stable local minimum of the 2-D embedding), so these bounds are
 * pinned to one seed, not promised for every seed. Short links stay the weak spot everywhere (intra-region median
 * relative error ~0.7, a few ms absolute), so the tree should use measured probe RTTs, not
 * coordinates, to choose among nodes of one region.
 */
class VivaldiOnWorldMapTest {

    private static final long SEED = 0x5EED_7EE5L;
    private static final int NODES = 300;
    private static final int NEIGHBOURS_FIXED = 8;
    private static final int NEIGHBOURS_FIXED_SAME_REGION = 4;
    private static final int PEERS_RANDOM_PER_ROUND = 2;
    private static final int ROUNDS = 200;

    /** Regions of the default map by continent, for the clustering assertion. */
    private static final Map<String, String> CONTINENT = Map.of(
        "us-east", "north-america", "us-west", "north-america", "sa-east", "south-america",
        "eu-west", "europe", "eu-central", "europe",
        "ap-south", "asia", "ap-southeast", "asia", "ap-northeast", "asia");

    private record Host(String region, double latitudeDeg, double longitudeDeg) {
    }

    @Test
    void coordinatesPredictWorldMapRttsAndSeparateRegions() {
        final SplittableRandom random = new SplittableRandom(SEED);
        final WorldMap map = WorldMap.defaultMap();
        final List<WorldMap.Region> regions = map.regions();

        final Host[] hosts = new Host[NODES];
        final Vivaldi[] nodes = new Vivaldi[NODES];
        for (int i = 0; i < NODES; i++) {
            // Same draws, same order as SimFleet.addHost.
            final WorldMap.Region region = regions.get(random.nextInt(regions.size()));
            final double lat = region.latitudeDeg() + (random.nextDouble() - 0.5) * 4;
            final double lon = region.longitudeDeg() + (random.nextDouble() - 0.5) * 4;
            hosts[i] = new Host(region.name(), lat, lon);
            nodes[i] = new Vivaldi(random.split());
        }
        final long[][] rttMicrosTrue = new long[NODES][NODES];
        for (int i = 0; i < NODES; i++) {
            for (int j = 0; j < NODES; j++) {
                rttMicrosTrue[i][j] = i == j ? 0 : 2 * map.latencyMicros(
                    hosts[i].latitudeDeg(), hosts[i].longitudeDeg(), hosts[j].latitudeDeg(), hosts[j].longitudeDeg());
            }
        }
        final Map<String, List<Integer>> members = new TreeMap<>();
        for (int i = 0; i < NODES; i++) {
            members.computeIfAbsent(hosts[i].region(), r -> new ArrayList<>()).add(i);
        }
        final int[][] neighbours = new int[NODES][NEIGHBOURS_FIXED];
        for (int i = 0; i < NODES; i++) {
            final List<Integer> sameRegion = members.get(hosts[i].region());
            for (int k = 0; k < NEIGHBOURS_FIXED; k++) {
                // A region holding only this node falls back to a uniform pick: the draw must terminate.
                neighbours[i][k] = k < NEIGHBOURS_FIXED_SAME_REGION && sameRegion.size() > 1
                    ? otherThan(i, sameRegion, random)
                    : otherThan(i, random);
            }
        }

        for (int round = 0; round < ROUNDS; round++) {
            for (int i = 0; i < NODES; i++) {
                for (final int peer : neighbours[i]) {
                    probe(nodes, rttMicrosTrue, i, peer, random);
                }
                for (int k = 0; k < PEERS_RANDOM_PER_ROUND; k++) {
                    probe(nodes, rttMicrosTrue, i, otherThan(i, random), random);
                }
            }
        }

        final double[] errorsRelative = new double[NODES * (NODES - 1) / 2];
        int pairs = 0;
        double intraSumMs = 0;
        int intraCount = 0;
        double interSumMs = 0;
        int interCount = 0;
        for (int i = 0; i < NODES; i++) {
            final VivaldiCoordinate a = nodes[i].coordinate();
            assertThat(a.isWithinBounds()).isTrue();
            assertThat(nodes[i].samplesRejected()).isZero();
            for (int j = i + 1; j < NODES; j++) {
                final double predictedMs = a.distanceMs(nodes[j].coordinate());
                final double trueMs = rttMicrosTrue[i][j] / 1000.0;
                errorsRelative[pairs++] = Math.abs(predictedMs - trueMs) / trueMs;
                if (hosts[i].region().equals(hosts[j].region())) {
                    intraSumMs += predictedMs;
                    intraCount++;
                } else if (!CONTINENT.get(hosts[i].region()).equals(CONTINENT.get(hosts[j].region()))) {
                    interSumMs += predictedMs;
                    interCount++;
                }
            }
        }
        Arrays.sort(errorsRelative);
        final double median = errorsRelative[pairs / 2];
        final double p90 = errorsRelative[(int) (pairs * 0.9)];
        final double ratio = (intraSumMs / intraCount) / (interSumMs / interCount);
        final String report = String.format(
            "seed %#x: %d pairs, relative error median %.4f p90 %.4f; mean predicted intra-region %.2f ms over %d pairs, "
                + "inter-continent %.2f ms over %d pairs, ratio %.4f",
            SEED, pairs, median, p90, intraSumMs / intraCount, intraCount, interSumMs / interCount, interCount, ratio);
        System.out.println(report);

        assertThat(median).as(report).isLessThan(0.15);
        assertThat(p90).as(report).isLessThan(0.5);
        assertThat(ratio).as(report).isLessThan(0.3);
    }

    private static void probe(final Vivaldi[] nodes, final long[][] rttMicrosTrue, final int from, final int to,
                              final SplittableRandom random) {
        final long base = rttMicrosTrue[from][to];
        // Queueing only ever adds delay: up to 5 % on top of the propagation RTT.
        final long jitter = random.nextLong(base / 20 + 1);
        nodes[from].observe(nodes[to].coordinate(), base + jitter);
    }

    private static int otherThan(final int self, final List<Integer> candidates, final SplittableRandom random) {
        final int pick = random.nextInt(candidates.size() - 1);
        final int selfIndex = candidates.indexOf(self);
        return candidates.get(pick >= selfIndex ? pick + 1 : pick);
    }

    private static int otherThan(final int self, final SplittableRandom random) {
        final int other = random.nextInt(NODES - 1);
        return other >= self ? other + 1 : other;
    }
}
