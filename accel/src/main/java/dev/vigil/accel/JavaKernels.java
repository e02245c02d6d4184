package dev.vigil.accel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** The plain-Java kernels: the reference every other backend must match bit for bit. */
public final class JavaKernels implements Kernels {
    public static final JavaKernels INSTANCE = new JavaKernels();

    private JavaKernels() {
    }

    @Override
    public String name() {
        return "java";
    }

    @Override
    public void sum(final double[] increments, final int off, final int len, final ExactSum into) {
        into.add(increments, off, len);
    }

    @Override
    public void sum(final double[] increments, final int[] ends, final ExactSum[] into) {
        checkSegments(increments, ends, into);
        final int refused = firstNonFinite(increments, 0, ends.length == 0 ? 0 : ends[ends.length - 1]);
        if (refused >= 0) {
            throw new IllegalArgumentException("ExactSum takes finite terms only, got " + increments[refused] + " at index " + refused);
        }
        int start = 0;
        for (int s = 0; s < ends.length; s++) {
            into[s].add(increments, start, ends[s] - start);
            start = ends[s];
        }
    }

    static void checkSegments(final double[] increments, final int[] ends, final ExactSum[] into) {
        Objects.requireNonNull(increments, "increments");
        if (ends.length != into.length) {
            throw new IllegalArgumentException("ends has " + ends.length + " segments, into " + into.length);
        }
        int previous = 0;
        for (int s = 0; s < ends.length; s++) {
            if (ends[s] < previous || ends[s] > increments.length) {
                throw new IllegalArgumentException("ends[" + s + "] = " + ends[s] + " must be in [" + previous + ", "
                    + increments.length + "]");
            }
            Objects.requireNonNull(into[s], "into[" + s + "]");
            previous = ends[s];
        }
    }

    static int firstNonFinite(final double[] xs, final int from, final int to) {
        for (int i = from; i < to; i++) {
            if (!Double.isFinite(xs[i])) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void score(final Baselines baselines, final double[] observations, final int[] baselineOf, final int n,
                      final double[] out) {
        baselines.checkScoring(observations, baselineOf, n, out);
        final int d = baselines.dimension();
        final int t = Baselines.packedLength(d);
        final double[] means = baselines.means();
        final double[] lowers = baselines.lowers();
        final double[] work = new double[d];
        for (int o = 0; o < n; o++) {
            final int x = o * d;
            final int m = baselineOf[o] * d;
            final int l = baselineOf[o] * t;
            double sum = 0;
            for (int i = 0; i < d; i++) {
                double s = observations[x + i] - means[m + i];
                final int row = l + i * (i + 1) / 2;
                for (int k = 0; k < i; k++) {
                    s -= lowers[row + k] * work[k];
                }
                final double y = s / lowers[row + i];
                work[i] = y;
                sum += y * y;
            }
            out[o] = sum;
        }
    }

    @Override
    public void merge(final MomentsBatch parts, final int[] groupEnds, final int groups, final MomentsBatch out) {
        parts.checkMerge(groupEnds, groups, out);
        final int d = parts.dimension();
        final int t = Baselines.packedLength(d);
        final long[] pc = parts.counts();
        final double[] ps = parts.shifts();
        final double[] pm = parts.means();
        final double[] pk = parts.comoments();
        final long[] oc = out.counts();
        final double[] os = out.shifts();
        final double[] om = out.means();
        final double[] ok = out.comoments();
        final double[] delta = new double[d];
        int start = 0;
        for (int g = 0; g < groups; g++) {
            final int ov = g * d;
            final int ot = g * t;
            oc[g] = 0;
            for (int e = start; e < groupEnds[g]; e++) {
                final long nbCount = pc[e];
                if (nbCount == 0) {
                    continue;
                }
                final int pv = e * d;
                final int pt = e * t;
                if (oc[g] == 0) {
                    oc[g] = nbCount;
                    System.arraycopy(ps, pv, os, ov, d);
                    System.arraycopy(pm, pv, om, ov, d);
                    System.arraycopy(pk, pt, ok, ot, t);
                    continue;
                }
                final double na = oc[g];
                final double nb = nbCount;
                final double n = na + nb;
                for (int i = 0; i < d; i++) {
                    delta[i] = (ps[pv + i] - os[ov + i]) + (pm[pv + i] - om[ov + i]);
                }
                final double factor = na * nb / n;
                int k = 0;
                for (int i = 0; i < d; i++) {
                    for (int j = i; j < d; j++) {
                        ok[ot + k] += pk[pt + k] + delta[i] * delta[j] * factor;
                        k++;
                    }
                }
                for (int i = 0; i < d; i++) {
                    om[ov + i] += delta[i] * (nb / n);
                }
                oc[g] += nbCount;
            }
            if (oc[g] == 0) {
                java.util.Arrays.fill(os, ov, ov + d, 0);
                java.util.Arrays.fill(om, ov, ov + d, 0);
                java.util.Arrays.fill(ok, ot, ot + t, 0);
            }
            start = groupEnds[g];
        }
    }

    @Override
    public Combination combine(final double[] totals, final int observers, final CombineRule rule) {
        Objects.requireNonNull(rule, "rule");
        if (observers < 0 || observers > totals.length || observers > OBSERVERS_MAX) {
            throw new IllegalArgumentException("observers must be in [0, min(" + totals.length + ", "
                + OBSERVERS_MAX + ")], got " + observers);
        }
        final double[] clipped = new double[observers];
        for (int i = 0; i < observers; i++) {
            final double total = totals[i];
            if (Double.isNaN(total)) {
                throw new IllegalArgumentException("observer " + i + "'s total is NaN");
            }
            // + 0.0 turns -0.0 into 0.0, so that the two zeros tie and fall back to the index
            clipped[i] = StrictMath.max(-rule.clip(), StrictMath.min(rule.clip(), total)) + 0.0;
        }
        final Integer[] order = new Integer[observers];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> clipped[i]).thenComparingInt(i -> i));

        final boolean quorum = observers >= rule.quorum();
        final int trim = quorum ? rule.f() : 0;
        final ExactSum sum = new ExactSum();
        for (int r = trim; r < observers - trim; r++) {
            sum.add(clipped[order[r]]);
        }
        sum.add(rule.priorLogOdds());
        final double logOdds = sum.value();
        return new Combination(logOdds, Sigmoid.of(logOdds), quorum,
            sorted(order, trim, observers - trim), sorted(order, 0, trim), sorted(order, observers - trim, observers));
    }

    private static List<Integer> sorted(final Integer[] order, final int from, final int to) {
        final List<Integer> list = new ArrayList<>(Arrays.asList(order).subList(from, to));
        list.sort(null);
        return list;
    }
}
