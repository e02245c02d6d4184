package dev.vigil.daemon.consensus;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * PBFT's rule for what a new view proposes, as a pure function of 2f + 1 view-changes, so the
 * new primary and every backup compute the same thing. min-s is the highest stable checkpoint
 * among them; max-s the highest sequence number with a prepared certificate. For every
 * sequence number in (min-s, max-s]: the batch of the prepared certificate from the highest view
 * among the view-changes, or a null batch when none prepared it. Any batch that committed in an
 * earlier view prepared at f + 1 honest replicas, one of which is among any 2f + 1 view-changes,
 * so it is proposed again and nothing committed is lost. At most L entries (a view-change's
 * certificates lie within L of its own stable checkpoint, which is at most min-s).
 */
final class NewViewRule {
    /** One sequence number of the new view: its digest, and the certificate it came from (null: a null batch). */
    record Entry(long seq, byte[] digest, PreparedCertificate from) {
    }

    record Outcome(StableCertificate stable, List<Entry> entries) {
    }

    private NewViewRule() {
    }

    static Outcome compute(final List<ViewChange> viewChanges) {
        StableCertificate stable = null;
        for (final ViewChange vc : viewChanges) {
            if (stable == null || vc.stable().seq() > stable.seq()) {
                stable = vc.stable();
            }
        }
        final long minS = stable.seq();
        final TreeMap<Long, PreparedCertificate> best = new TreeMap<>();
        for (final ViewChange vc : viewChanges) {
            for (final PreparedCertificate c : vc.prepared()) {
                if (c.seq() > minS) {
                    best.merge(c.seq(), c, (a, b) -> b.view() > a.view() ? b : a);
                }
            }
        }
        final long maxS = best.isEmpty() ? minS : best.lastKey();
        final byte[] nullDigest = Batch.EMPTY.digest();
        final List<Entry> entries = new ArrayList<>();
        for (long s = minS + 1; s <= maxS; s++) {
            final PreparedCertificate c = best.get(s);
            entries.add(new Entry(s, c == null ? nullDigest : c.prePrepare().digest(), c));
        }
        return new Outcome(stable, entries);
    }
}
