/**
 * Numeric kernels behind one {@link dev.vigil.accel.Kernels} interface, with
 * {@link dev.vigil.accel.JavaKernels} as the reference backend: exact, order-independent
 * summation ({@link dev.vigil.accel.ExactSum}) and the evidence committee's combination rule
 * (clip, trim, exact sum, prior, sigmoid). Results are bit for bit the same on every JVM, CPU
 * and backend. Imports no other Vigil module.
 */
package dev.vigil.accel;
