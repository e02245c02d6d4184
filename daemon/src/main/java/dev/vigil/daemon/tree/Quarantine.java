package dev.vigil.daemon.tree;

import dev.vigil.daemon.aggregate.Summary;
import dev.vigil.daemon.core.LogIds;
import dev.vigil.daemon.stats.Moments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.vigil.daemon.tree.TreeState.hex;

/**
 * Contributors this node leaves out of its merges: those quarantined for good (implausible
 * statistics, a forged aggregate, a head replaced after challenges) and, recomputed with every
 * merge, those whose mean is an extreme outlier against their siblings'.
 */
final class Quarantine {
    /** A contributor whose mean is this many scaled MADs from its siblings' median is left out... */
    static final double OUTLIER_MADS = 50.0;
    /** ... and at least this many times the siblings' median (plus one) away from it. */
    static final double OUTLIER_TIMES = 100.0;
    /** Fewer contributors than this: no robust median to compare with, nobody is an outlier. */
    static final int OUTLIER_SIBLINGS_MIN = 8;

    /**
     * Nodes quarantined at most. Only certified nodes that misbehaved get here, so the fleet's size bounds it
     * in practice; at the bound the one quarantined longest ago is let back (and counted).
     */
    static final int QUARANTINED_MAX = 4096;

    private final TreeState s;
    /** Quarantined nodes, with why, oldest first. */
    private final BoundedMap<Long, String> quarantined;

    Quarantine(final TreeState s) {
        this.s = s;
        this.quarantined = s.boundedMap("quarantined", QUARANTINED_MAX);
    }

    boolean contains(final long id) {
        return quarantined.containsKey(id);
    }

    void add(final long id, final String why) {
        if (quarantined.putIfAbsent(id, why) == null) {
            s.counters.quarantined++;
            s.log.peerWarn(id, null, "tree: " + hex(s.selfId) + " quarantines " + LogIds.peer(id, null) + ": " + why);
            s.refuse("quarantined " + hex(id) + ": " + why);
        }
    }

    Set<Long> ids() {
        return Collections.unmodifiableSet(quarantined.keySet());
    }

    /** Contributors left out of {@code c}'s merge now. */
    Set<Long> exclusions(final Cluster c) {
        final Set<Long> out = new HashSet<>();
        for (final Summary held : c.contributions.summaries()) {
            if (quarantined.containsKey(held.contributorId())) {
                out.add(held.contributorId());
            }
        }
        out.addAll(outliers(c));
        return out;
    }

    /** {@code c}'s merge with the exclusions left out, or null while nothing is held. */
    Moments merged(final Cluster c) {
        return c.contributions.contributors() == 0 ? null : c.contributions.mergedExcluding(exclusions(c)::contains);
    }

    /**
     * Contributors whose mean is far outside their siblings' (robust z on every feature): far on a
     * robust scale AND on an absolute one. Honest nodes differ, but not by a hundred times the
     * typical value; subtler lies are the head verification's job.
     */
    private Set<Long> outliers(final Cluster c) {
        final Set<Long> out = new HashSet<>();
        final List<Summary> held = new ArrayList<>();
        for (final Summary summary : c.contributions.summaries()) {
            if (summary.moments().count() > 0) {
                held.add(summary);
            }
        }
        if (held.size() < OUTLIER_SIBLINGS_MIN) {
            return out;
        }
        final int d = s.config.dimension();
        final double[] values = new double[held.size()];
        for (int i = 0; i < d; i++) {
            for (int k = 0; k < held.size(); k++) {
                values[k] = held.get(k).moments().mean(i);
            }
            final double median = median(values.clone());
            final double[] deviations = new double[values.length];
            for (int k = 0; k < values.length; k++) {
                deviations[k] = Math.abs(values[k] - median);
            }
            final double mad = 1.4826 * median(deviations) + 1e-9 * Math.abs(median) + 1e-12;
            for (int k = 0; k < values.length; k++) {
                if (deviations[k] > OUTLIER_MADS * mad && deviations[k] > OUTLIER_TIMES * (Math.abs(median) + 1.0)
                    && out.add(held.get(k).contributorId())) {
                    s.counters.outliers++;
                }
            }
        }
        return out;
    }

    private static double median(final double[] v) {
        Arrays.sort(v);
        final int n = v.length;
        return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    }
}
