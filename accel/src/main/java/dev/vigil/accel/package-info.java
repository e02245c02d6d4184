/**
 * Numeric kernels behind one {@link dev.vigil.accel.Kernels} interface:
 * {@link dev.vigil.accel.JavaKernels}, the reference, and {@link dev.vigil.accel.OpenClKernels}
 * (JOCL), chosen by {@link dev.vigil.accel.Accel}. Exact, order-independent summation
 * ({@link dev.vigil.accel.ExactSum}), the evidence committee's combination rule (clip, trim, exact
 * sum, prior, sigmoid), batch squared-Mahalanobis scoring and batch merges of sufficient
 * statistics. Exact sums are bit for bit the same on every JVM, CPU and backend; scores and merges
 * agree to 1e-12 relative. Imports no other Vigil module.
 */
package dev.vigil.accel;
