package dev.vigil.accel;

import java.util.List;

/**
 * What {@link Kernels#combine} decided for one agent. Observers are named by their index in the
 * array the caller passed; each list is in ascending index order.
 *
 * @param logOdds     the exact sum of the kept (clipped) totals and the prior, rounded once;
 *                    ±infinity only if that rounding overflows, never NaN
 * @param posterior   {@link Sigmoid#of}(logOdds), in [0, 1]
 * @param quorum      whether there were at least 2f + 1 observers. Without it nothing was trimmed,
 *                    and a committee must not issue a verdict on this result
 * @param kept        the observers whose totals were summed
 * @param trimmedLow  the f observers with the lowest totals (empty without a quorum)
 * @param trimmedHigh the f observers with the highest totals (empty without a quorum)
 */
public record Combination(double logOdds, double posterior, boolean quorum,
                          List<Integer> kept, List<Integer> trimmedLow, List<Integer> trimmedHigh) {
    public Combination {
        kept = List.copyOf(kept);
        trimmedLow = List.copyOf(trimmedLow);
        trimmedHigh = List.copyOf(trimmedHigh);
        if (Double.isNaN(logOdds) || !(posterior >= 0 && posterior <= 1)) {
            throw new IllegalStateException("combination with log-odds " + logOdds + " and posterior " + posterior);
        }
        if (trimmedLow.size() != trimmedHigh.size() || (!quorum && !trimmedLow.isEmpty())) {
            throw new IllegalStateException("trimmed " + trimmedLow + " low and " + trimmedHigh + " high, quorum " + quorum);
        }
    }

    /** Observers passed to combine: kept and trimmed. */
    public int observers() {
        return kept.size() + trimmedLow.size() + trimmedHigh.size();
    }
}
