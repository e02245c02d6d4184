package dev.vigil.accel;

/**
 * The numeric kernels Vigil may hand to an accelerator. {@link JavaKernels} is the reference; any
 * other backend (OpenCL, to come) must return the same bits for every input, which the shared
 * contract test (accel's {@code KernelsContract}) checks for each backend.
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
