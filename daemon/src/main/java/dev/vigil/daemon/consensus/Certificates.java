package dev.vigil.daemon.consensus;

import java.util.Arrays;
import java.util.List;

/**
 * Pure checks of what other replicas prove: stable checkpoint certificates, prepared
 * certificates, whole view-changes. Each signature is verified; membership, distinctness and
 * quorum are counted against the committee the proof claims. No state changes here.
 */
final class Certificates {
    private Certificates() {
    }

    /**
     * A stable certificate of {@code committee}: 2f + 1 distinct members' checkpoints, or the
     * epoch's base (no proofs, exactly {@code baseSeq} and {@code baseDigest}).
     */
    static boolean stableValid(final StableCertificate c, final Committee committee, final Verifier verifier,
                               final long baseSeq, final byte[] baseDigest) {
        if (c.proofs().isEmpty()) {
            return baseDigest != null && c.seq() == baseSeq && Arrays.equals(c.stateDigest(), baseDigest);
        }
        if (c.proofs().size() < committee.quorum()) {
            return false;
        }
        for (final Checkpoint cp : c.proofs()) {
            // order and matching were checked by the decoder; the certificate may also have been built locally
            if (!cp.matches(c.seq(), c.stateDigest()) || cp.shard() != committee.shard() || cp.epoch() != committee.epoch()
                || committee.indexOf(cp.sender()) < 0 || !verifier.verify(cp.sender(), cp.signedBytes(), cp.signature())) {
                return false;
            }
        }
        return distinctSenders(c.proofs().stream().mapToLong(Checkpoint::sender).toArray());
    }

    /** Pre-prepare signed by its view's primary, 2f matching prepares from distinct backups, all signed. */
    static boolean preparedValid(final PreparedCertificate c, final Committee committee, final Verifier verifier) {
        final Vote pp = c.prePrepare();
        final int primary = committee.primaryIndex(pp.view());
        if (pp.kind() != MessageKind.PRE_PREPARE || !ours(pp, committee) || committee.indexOf(pp.sender()) != primary
            || !verifier.verify(pp.sender(), pp.signedBytes(), pp.signature())) {
            return false;
        }
        if (c.prepares().size() < 2 * committee.f()) {
            return false;
        }
        for (final Vote p : c.prepares()) {
            final int i = committee.indexOf(p.sender());
            if (p.kind() != MessageKind.PREPARE || !ours(p, committee) || i < 0 || i == primary || !p.matches(pp)
                || !verifier.verify(p.sender(), p.signedBytes(), p.signature())) {
                return false;
            }
        }
        return distinctSenders(c.prepares().stream().mapToLong(Vote::sender).toArray());
    }

    /** Pre-prepare signed by its view's primary and 2f + 1 matching commits from distinct members, all signed. */
    static boolean committedValid(final Vote pp, final List<Vote> commits, final Committee committee, final Verifier verifier) {
        if (pp.kind() != MessageKind.PRE_PREPARE || !ours(pp, committee) || committee.indexOf(pp.sender()) != committee.primaryIndex(pp.view())
            || commits.size() < committee.quorum() || !verifier.verify(pp.sender(), pp.signedBytes(), pp.signature())) {
            return false;
        }
        for (final Vote c : commits) {
            if (c.kind() != MessageKind.COMMIT || !ours(c, committee) || committee.indexOf(c.sender()) < 0 || !c.matches(pp)
                || !verifier.verify(c.sender(), c.signedBytes(), c.signature())) {
                return false;
            }
        }
        return distinctSenders(commits.stream().mapToLong(Vote::sender).toArray());
    }

    /** Everything a view-change proves, except its own signature (checked first, by the caller). */
    static boolean viewChangeValid(final ViewChange vc, final Committee committee, final Verifier verifier, final int window,
                                   final long baseSeq, final byte[] baseDigest) {
        if (!stableValid(vc.stable(), committee, verifier, baseSeq, baseDigest)) {
            return false;
        }
        for (final PreparedCertificate c : vc.prepared()) {
            if (c.seq() <= vc.stable().seq() || c.seq() > vc.stable().seq() + window || c.view() >= vc.newView()
                || !preparedValid(c, committee, verifier)) {
                return false;
            }
        }
        return true;
    }

    private static boolean ours(final Vote v, final Committee committee) {
        return v.shard() == committee.shard() && v.epoch() == committee.epoch();
    }

    private static boolean distinctSenders(final long[] senders) {
        final long[] sorted = senders.clone();
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                return false;
            }
        }
        return true;
    }
}
