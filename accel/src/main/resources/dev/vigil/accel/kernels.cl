// Vigil's OpenCL kernels: the same arithmetic as JavaKernels, operation for operation.
// No fused multiply-add (FP_CONTRACT OFF) and no fast-math build options, so every double
// operation is IEEE-rounded exactly as in Java. Exact accumulation is integer work.
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#pragma OPENCL FP_CONTRACT OFF

#define CHUNKS 66
#define TOP 65
#define ADDS_BETWEEN_CARRIES 2047
#define CHUNK_MASK 0xFFFFFFFFL
#define SIGNIFICAND_MASK 0xFFFFFFFFFFFFFL
#define EXPONENT_SPECIAL 0x7FF
#define DIMENSION_MAX 64

// Chunks 0..64 into [0, 2^32), carries into the signed top chunk (ExactSum.propagateCarries).
static void vigil_carry(long *c) {
    long carry = 0;
    for (int i = 0; i < TOP; i++) {
        const long v = c[i] + carry;
        c[i] = v & CHUNK_MASK;
        carry = v >> 32;
    }
    c[TOP] += carry;
}

// One work item sums the slice [starts[s], ends[s]) of xs into 66 chunks (ExactSum.accumulate),
// written in canonical form to out[s * 66 ...]; refused[s] is the index of the slice's first
// NaN or infinite term, or -1.
__kernel void vigil_accumulate(__global const double *xs, __global const int *starts, __global const int *ends,
                               __global long *out, __global int *refused, const int slices) {
    const int s = get_global_id(0);
    if (s >= slices) {
        return;
    }
    long c[CHUNKS];
    for (int i = 0; i < CHUNKS; i++) {
        c[i] = 0;
    }
    int left = ADDS_BETWEEN_CARRIES;
    int bad = -1;
    const int end = ends[s];
    for (int i = starts[s]; i < end; i++) {
        const long bits = as_long(xs[i]);
        const int exponent = (int) ((bits >> 52) & EXPONENT_SPECIAL);
        if (exponent == EXPONENT_SPECIAL) {
            bad = i;
            break;
        }
        // the implicit bit unless subnormal; subnormals sit at position 0 like exponent field 1
        const long significand = (bits & SIGNIFICAND_MASK) | ((long) (((uint) (exponent + EXPONENT_SPECIAL)) >> 11) << 52);
        const int position = exponent - 1 + (int) (((uint) (exponent - 1)) >> 31);
        const int index = position >> 5;
        const int shift = position & 31;
        const long negative = bits >> 63;
        const long sgn = (significand ^ negative) - negative;
        c[index] += (long) (((ulong) sgn << shift) & CHUNK_MASK);
        c[index + 1] += sgn >> (32 - shift);
        if (--left == 0) {
            vigil_carry(c);
            left = ADDS_BETWEEN_CARRIES;
        }
    }
    vigil_carry(c);
    for (int i = 0; i < CHUNKS; i++) {
        out[(long) s * CHUNKS + i] = c[i];
    }
    refused[s] = bad;
}

// Observation o against baseline baselineOf[o]: forward substitution with the packed lower
// Cholesky factor and the sum of squares in index order (Gaussian.mahalanobis2).
__kernel void vigil_score(const int d, __global const double *observations, __global const int *baselineOf,
                          __global const double *means, __global const double *lowers, __global double *out,
                          const int n) {
    const int o = get_global_id(0);
    if (o >= n) {
        return;
    }
    const int t = d * (d + 1) / 2;
    const long x = (long) o * d;
    const long m = (long) baselineOf[o] * d;
    const long l = (long) baselineOf[o] * t;
    double work[DIMENSION_MAX];
    double sum = 0;
    for (int i = 0; i < d; i++) {
        double s = observations[x + i] - means[m + i];
        const long row = l + i * (i + 1) / 2;
        for (int k = 0; k < i; k++) {
            s -= lowers[row + k] * work[k];
        }
        const double y = s / lowers[row + i];
        work[i] = y;
        sum += y * y;
    }
    out[o] = sum;
}

// Group g merges its parts [starts[g], ends[g]) left to right into entry g (Moments.merge:
// Chan et al. on the first non-empty part's shift).
__kernel void vigil_merge(const int d, __global const long *counts, __global const double *shifts,
                          __global const double *means, __global const double *comoments,
                          __global const int *starts, __global const int *ends,
                          __global long *outCounts, __global double *outShifts, __global double *outMeans,
                          __global double *outComoments, const int groups) {
    const int g = get_global_id(0);
    if (g >= groups) {
        return;
    }
    const int t = d * (d + 1) / 2;
    const long ov = (long) g * d;
    const long ot = (long) g * t;
    long count = 0;
    double delta[DIMENSION_MAX];
    for (int i = 0; i < d; i++) {
        outShifts[ov + i] = 0;
        outMeans[ov + i] = 0;
    }
    for (int k = 0; k < t; k++) {
        outComoments[ot + k] = 0;
    }
    for (int e = starts[g]; e < ends[g]; e++) {
        const long nbCount = counts[e];
        if (nbCount == 0) {
            continue;
        }
        const long pv = (long) e * d;
        const long pt = (long) e * t;
        if (count == 0) {
            count = nbCount;
            for (int i = 0; i < d; i++) {
                outShifts[ov + i] = shifts[pv + i];
                outMeans[ov + i] = means[pv + i];
            }
            for (int k = 0; k < t; k++) {
                outComoments[ot + k] = comoments[pt + k];
            }
            continue;
        }
        const double na = (double) count;
        const double nb = (double) nbCount;
        const double n = na + nb;
        for (int i = 0; i < d; i++) {
            delta[i] = (shifts[pv + i] - outShifts[ov + i]) + (means[pv + i] - outMeans[ov + i]);
        }
        const double factor = na * nb / n;
        int k = 0;
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                outComoments[ot + k] += comoments[pt + k] + delta[i] * delta[j] * factor;
                k++;
            }
        }
        for (int i = 0; i < d; i++) {
            outMeans[ov + i] += delta[i] * (nb / n);
        }
        count += nbCount;
    }
    outCounts[g] = count;
}
