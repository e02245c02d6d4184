package dev.vigil.accel;

/**
 * The parameters of {@link Kernels#combine}: each observer's total is clipped to ±{@code clip}
 * (no single observer moves the log-odds by more), the {@code f} lowest and {@code f} highest are
 * trimmed (f lying observers can push neither way), and {@code priorLogOdds} is added.
 *
 * @param clip         the largest |log-likelihood ratio| one observer may contribute; finite, &gt; 0
 * @param f            observers trimmed at each end, in [0, {@link Kernels#OBSERVERS_MAX} / 2]
 * @param priorLogOdds log-odds of compromise before any evidence; finite
 */
public record CombineRule(double clip, int f, double priorLogOdds) {
    public CombineRule {
        if (!(clip > 0) || clip == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("clip must be finite and > 0, got " + clip);
        }
        if (f < 0 || f > Kernels.OBSERVERS_MAX / 2) {
            throw new IllegalArgumentException("f must be in [0, " + Kernels.OBSERVERS_MAX / 2 + "], got " + f);
        }
        if (!Double.isFinite(priorLogOdds)) {
            throw new IllegalArgumentException("prior log-odds must be finite, got " + priorLogOdds);
        }
    }

    /** Observers needed for a quorum: 2f + 1, so that f are trimmed at each end and one is left. */
    public int quorum() {
        return 2 * f + 1;
    }
}
