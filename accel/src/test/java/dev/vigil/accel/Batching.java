package dev.vigil.accel;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Sums an array the way replicas might: cut into random pieces, each summed apart, merged in a random tree. */
final class Batching {
    private Batching() {
    }

    static ExactSum sumInRandomTree(final double[] xs, final SplittableRandom random, final int piecesMax) {
        final int pieces = 1 + random.nextInt(Math.max(1, Math.min(piecesMax, xs.length)));
        final int[] cuts = new int[pieces + 1];
        cuts[pieces] = xs.length;
        for (int p = 1; p < pieces; p++) {
            cuts[p] = random.nextInt(xs.length + 1);
        }
        java.util.Arrays.sort(cuts);
        final List<ExactSum> sums = new ArrayList<>();
        for (int p = 0; p < pieces; p++) {
            final ExactSum sum = new ExactSum();
            if (random.nextInt(4) == 0) {
                for (int i = cuts[p]; i < cuts[p + 1]; i++) {
                    sum.add(xs[i]); // one at a time
                }
            } else {
                int i = cuts[p];
                while (i < cuts[p + 1]) { // in runs of random length
                    final int len = Math.min(cuts[p + 1] - i, 1 + random.nextInt(5000));
                    sum.add(xs, i, len);
                    i += len;
                }
            }
            sums.add(sum);
        }
        while (sums.size() > 1) {
            final ExactSum into = sums.remove(random.nextInt(sums.size()));
            final ExactSum from = sums.remove(random.nextInt(sums.size()));
            into.merge(from);
            sums.add(into);
        }
        return sums.get(0);
    }
}
