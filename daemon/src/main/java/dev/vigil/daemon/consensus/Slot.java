package dev.vigil.daemon.consensus;

import java.util.Arrays;
import java.util.List;

/**
 * One sequence number in the window (h, h + L]: the votes of the current view, and what
 * survives a view change (the highest prepared certificate, the committed digest). Memory per
 * slot: one batch, 2n votes, one certificate.
 */
final class Slot {
    final long seq;
    /** The view the pre-prepare and vote arrays below belong to. */
    long votesView;
    Vote prePrepare;
    Batch batch;
    byte[] digest;
    final Vote[] prepares;
    final Vote[] commits;
    /** Prepared in {@link #votesView}: the pre-prepare and 2f matching prepares from backups. */
    boolean prepared;

    /** From the highest view this slot prepared in; what a view-change carries. */
    PreparedCertificate preparedCertificate;
    Batch preparedBatch;

    /** Final: 2f + 1 matching commits in some view; never changes once set. */
    boolean committed;
    /** The pre-prepare and the 2f + 1 commits that made it final, for replicas that lag. */
    Vote committedPrePrepare;
    List<Vote> committedProof;
    byte[] committedDigest;
    Batch committedBatch;
    boolean executed;

    Slot(final long seq, final int members, final long view) {
        this.seq = seq;
        this.prepares = new Vote[members];
        this.commits = new Vote[members];
        this.votesView = view;
    }

    /** Forgets the previous view's pre-prepare and votes; keeps the prepared certificate and the committed digest. */
    void enterView(final long view) {
        votesView = view;
        prePrepare = null;
        batch = null;
        digest = null;
        prepared = false;
        Arrays.fill(prepares, null);
        Arrays.fill(commits, null);
    }

    void accept(final Vote pp, final Batch b, final byte[] d) {
        assert pp.view() == votesView && pp.seq() == seq : "pre-prepare " + pp + " accepted into slot " + seq + " of view " + votesView;
        prePrepare = pp;
        batch = b;
        digest = d;
    }

    /** Prepares from backups (not {@code primary}) that match the accepted pre-prepare. */
    int matchingPrepares(final int primary) {
        if (digest == null) {
            return 0;
        }
        int count = 0;
        for (int i = 0; i < prepares.length; i++) {
            if (i != primary && prepares[i] != null && prepares[i].matches(votesView, seq, digest)) {
                count++;
            }
        }
        return count;
    }

    int matchingCommits() {
        if (digest == null) {
            return 0;
        }
        int count = 0;
        for (final Vote c : commits) {
            if (c != null && c.matches(votesView, seq, digest)) {
                count++;
            }
        }
        return count;
    }
}
