package dev.vigil.accel;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.TreeMap;

/**
 * Slow, obviously exact references for the tests: exact sums in BigDecimal and a correctly
 * rounded (ties to even) BigDecimal → double conversion of our own. Nothing here shares code
 * with ExactSum.
 *
 * <p>Why not {@code BigDecimal.doubleValue()}: on JDK 17 it goes through
 * {@code Double.parseDouble(toString())} for large values (JDK-8205592 replaced that in JDK 19),
 * slow on the thousand-digit decimals that subnormals expand to, and the reference should not
 * rest on the platform's parser; ReferenceTest checks the two agree.
 */
final class Reference {
    private static final BigInteger TWO = BigInteger.TWO;

    private Reference() {
    }

    /** Σ new BigDecimal(x): the plain exact sum (slow for subnormals: 5^1074 per term). */
    static BigDecimal plainSum(final double[] xs) {
        BigDecimal sum = BigDecimal.ZERO;
        for (final double x : xs) {
            sum = sum.add(new BigDecimal(x));
        }
        return sum;
    }

    /**
     * The same exact sum, fast: terms grouped by {@link Math#ulp} (one binade, or the subnormals),
     * where each is an integer multiple of that ulp; the integers are summed exactly, and only
     * one BigDecimal product per group remains.
     */
    static BigDecimal sum(final double[] xs) {
        final Map<Double, BigInteger> byUlp = new TreeMap<>();
        final Map<Double, Long> pending = new TreeMap<>();
        for (final double x : xs) {
            if (x == 0) {
                continue;
            }
            final double ulp = Math.ulp(x);
            final long multiple = (long) (x / ulp); // exact: |x / ulp| < 2^53, a power-of-two scaling
            final long before = pending.getOrDefault(ulp, 0L);
            final long after = before + multiple;
            if (((before ^ after) & (multiple ^ after)) < 0) { // overflow: flush to the BigInteger
                byUlp.merge(ulp, BigInteger.valueOf(before), BigInteger::add);
                pending.put(ulp, multiple);
            } else {
                pending.put(ulp, after);
            }
        }
        pending.forEach((ulp, m) -> byUlp.merge(ulp, BigInteger.valueOf(m), BigInteger::add));
        BigDecimal sum = BigDecimal.ZERO;
        for (final Map.Entry<Double, BigInteger> e : byUlp.entrySet()) {
            sum = sum.add(new BigDecimal(e.getValue()).multiply(new BigDecimal(e.getKey())));
        }
        return sum;
    }

    /**
     * The double nearest to v, ties to the even significand; ±infinity when v's magnitude rounds
     * to 2^1024 or beyond; +0.0 for zero (and for what rounds to zero when positive, -0.0 when
     * negative).
     */
    static double roundHalfEven(final BigDecimal v) {
        if (v.signum() == 0) {
            return 0.0;
        }
        final BigInteger unscaled = v.unscaledValue().abs();
        final BigInteger numerator;
        final BigInteger denominator;
        if (v.scale() <= 0) {
            numerator = unscaled.multiply(BigInteger.TEN.pow(-v.scale()));
            denominator = BigInteger.ONE;
        } else {
            numerator = unscaled;
            denominator = BigInteger.TEN.pow(v.scale());
        }
        // floor(log2(n/d)): n/d lies in [2^(e-1), 2^(e+1)) for e = bitLength(n) - bitLength(d)
        final int e = numerator.bitLength() - denominator.bitLength();
        final int cmp = e >= 0 ? numerator.compareTo(denominator.shiftLeft(e)) : numerator.shiftLeft(-e).compareTo(denominator);
        final int log2 = cmp < 0 ? e - 1 : e;
        final double magnitude;
        if (log2 > 1023) {
            magnitude = Double.POSITIVE_INFINITY;
        } else {
            final boolean subnormal = log2 < -1022;
            final int k = subnormal ? 1074 : 52 - log2; // q = n·2^k/d: at most 53 bits
            final BigInteger n = k >= 0 ? numerator.shiftLeft(k) : numerator;
            final BigInteger d = k >= 0 ? denominator : denominator.shiftLeft(-k);
            final BigInteger[] qr = n.divideAndRemainder(d);
            long q = qr[0].longValueExact();
            final int half = qr[1].multiply(TWO).compareTo(d);
            if (half > 0 || (half == 0 && (q & 1) == 1)) {
                q++;
            }
            final long bits = subnormal ? q : ((long) (log2 + 1022) << 52) + q;
            magnitude = bits >= Double.doubleToRawLongBits(Double.POSITIVE_INFINITY)
                ? Double.POSITIVE_INFINITY : Double.longBitsToDouble(bits);
        }
        return v.signum() < 0 ? -magnitude : magnitude;
    }

    /** The exact sum of xs, correctly rounded: what ExactSum.value() must return. */
    static double roundedSum(final double[] xs) {
        return roundHalfEven(sum(xs)) + 0.0; // ExactSum reads an exact zero as +0.0
    }
}
