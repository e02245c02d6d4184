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
