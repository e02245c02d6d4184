package dev.vigil.accel;

/**
 * The logistic function σ(z) = 1 / (1 + e<sup>-z</sup>), from log-odds to a probability, the
 * same bits on every JVM and CPU: the only transcendental call is {@link StrictMath#exp} (fdlibm,
 * specified to the bit; {@code Math.exp} may be an intrinsic that differs), the rest is IEEE
 * arithmetic, which Java rounds identically everywhere.
 *
 * <p>Stable at both ends: with e = exp(-|z|) in (0, 1], t = e / (1 + e) = σ(-|z|) is computed to
 * about an ulp of t itself and never overflows; σ(z) is t for z &lt; 0 and 1 - t for z ≥ 0. So the
 * result is exactly 1.0 only where σ(z) rounds to 1 (z ≳ 54·ln 2 ≈ 37.43, where t ≤ 2<sup>-54</sup>),
 * and exactly 0.0 only where σ(z) is below half the smallest subnormal (z ≲ -1075·ln 2 ≈ -745.13),
 * up to exp's sub-ulp error at those two thresholds; the naive 1 / (1 + e<sup>-z</sup>) returns
 * 1.0 already from z ≈ 36.7. σ(±∞) is 1 and 0; NaN is refused.
 */
public final class Sigmoid {
    private Sigmoid() {
    }

    /**
     * σ(z).
     *
     * @throws IllegalArgumentException if z is NaN
     */
    public static double of(final double z) {
        if (Double.isNaN(z)) {
            throw new IllegalArgumentException("sigmoid of NaN");
        }
        final double e = StrictMath.exp(-StrictMath.abs(z));
        final double t = e / (1.0 + e);
        return z >= 0 ? 1.0 - t : t;
    }
}
