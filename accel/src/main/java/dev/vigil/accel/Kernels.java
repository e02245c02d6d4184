package dev.vigil.accel;

/**
 * The numeric kernels Vigil may hand to an accelerator. {@link JavaKernels} is the reference; any
 * other backend ({@link OpenClKernels}) must return the same bits for exact sums and the same
 * values to 1e-12 relative for scoring and merges, which the shared contract test (accel's
 * {@code KernelsContract}) checks for each backend.
 */
public interface Kernels {
    /**
     * The most observers one {@link #combine} takes: far above any agent's real observers (its
     * home daemon plus the gateways, tool servers and proxies that see its calls); a longer list
     * is a caller's bug and is refused.
     */
    int OBSERVERS_MAX = 1024;

    /** The backend's name for status output, e.g. "java". */
    String name();

    /**
     * Adds {@code increments[off, off + len)} exactly into {@code into}; all or nothing, as
     * {@link ExactSum#add(double[], int, int)}.
     *
     * @throws IllegalArgumentException if an increment is NaN or infinite
     */
    void sum(double[] increments, int off, int len, ExactSum into);

    /**
     * Adds each segment of {@code increments} exactly into its own sum: segment s is
     * {@code [ends[s − 1], ends[s])} (segment 0 starts at 0) and goes into {@code into[s]}. All or
     * nothing: if any increment is refused, no sum changes.
     *
     * @throws IllegalArgumentException if an increment is NaN or infinite (named with its index),
     *         or the ends do not rise within increments
     */
    void sum(double[] increments, int[] ends, ExactSum[] into);

    /**
     * Squared Mahalanobis distances of a batch: observation i, {@code observations[i·d, i·d + d)},
     * against baseline {@code baselineOf[i]}, into {@code out[i]}, for i in [0, n). Each distance
     * is the forward substitution y = L⁻¹(x − μ) and the sum of y<sub>i</sub>² in index order, with
     * no fused multiply-add, as {@code Gaussian.mahalanobis2} computes it; backends agree to
     * 1e-12 relative (in practice to the bit).
     *
     * @throws IllegalArgumentException if the arrays do not fit n and the baselines
     */
    void score(Baselines baselines, double[] observations, int[] baselineOf, int n, double[] out);

    /**
     * Merges groups of sufficient statistics, each in its fixed order: group g is the parts
     * {@code [groupEnds[g − 1], groupEnds[g])} (group 0 starts at 0), merged left to right into
     * entry g of {@code out} from an empty start, with Chan et al.'s formula on the first part's
     * shift exactly as {@code Moments.merge} does (empty parts are skipped; the first non-empty
     * one is copied). Backends agree to 1e-12 relative (in practice to the bit).
     *
     * @throws IllegalArgumentException if the groups do not fit the parts and out, or a count is negative
     */
    void merge(MomentsBatch parts, int[] groupEnds, int groups, MomentsBatch out);

    /**
     * Combines the evidence of the observers {@code totals[0, observers)} on one agent.
     *
     * <ol>
     *   <li>Each total is clipped to ±{@code rule.clip()} (infinite totals too; -0.0 counts as 0.0).</li>
     *   <li>If there are at least 2f + 1 observers, the observers are ordered by clipped total, ties
     *       by index (lower first), and the first f and the last f of that order are trimmed; the
     *       result has a quorum. With fewer, nothing is trimmed and the result has no quorum: the
     *       committee must not issue a verdict on it.</li>
     *   <li>The kept clipped totals and the prior log-odds are summed exactly and rounded once.</li>
     *   <li>The posterior is {@link Sigmoid#of} that log-odds.</li>
     * </ol>
     *
     * The result does not depend on the observers' order except through which of several tied
     * observers is trimmed: the log-odds and posterior bits are the same under any permutation.
     * Indices stand for the caller's observer order; a committee passes its observers sorted by
     * node id, so ties are broken by node id.
     *
     * <p>Absent observers: only the totals passed count. An observer that sent no evidence is left
     * out (and does not count toward the quorum) unless the caller passes 0.0 for it, which counts
     * it as an observer that saw nothing unusual.
     *
     * @param totals    per-observer totals, typically {@link ExactSum#value()} of each observer's
     *                  log-likelihood ratios; ±infinity allowed (clipped), NaN refused
     * @param observers how many of {@code totals} to use, from the start; at most {@link #OBSERVERS_MAX}
     * @throws IllegalArgumentException if a total is NaN or observers is out of range
     */
    Combination combine(double[] totals, int observers, CombineRule rule);
}
