package dev.vigil.daemon.consensus;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a new view proposes, as a pure function of 2f + 1 view-changes. */
class NewViewRuleTest {
    private static final OneReplica X = new OneReplica(1, 1, ConsensusConfig.defaults().withCheckpointSeqs(8));

    private static PreparedCertificate prepared(final long view, final long seq, final Batch b) {
        final List<Vote> prepares = new ArrayList<>();
        for (int m = 0; m < 4 && prepares.size() < 2; m++) {
            if (m != X.committee.primaryIndex(view)) {
                prepares.add(X.vote(MessageKind.PREPARE, m, view, seq, b.digest()));
            }
        }
        prepares.sort((a, c) -> Long.compareUnsigned(a.sender(), c.sender()));
        return new PreparedCertificate(X.proposal(view, seq, b).header(), prepares);
    }

    private static ViewChange vc(final int member, final long newView, final StableCertificate stable,
                                 final List<PreparedCertificate> certs) {
        final List<Batch> bodies = new ArrayList<>();
        certs.forEach(c -> bodies.add(Batch.EMPTY));
        return ViewChange.signed(X.committee, X.members[member], newView, stable, certs, bodies);
    }

    private static StableCertificate stableAt(final long seq) {
        if (seq == 0) {
            return StableCertificate.base(0, new byte[32]);
        }
        final byte[] d = new byte[32];
        final List<Checkpoint> proofs = new ArrayList<>();
        for (int m = 0; m < 3; m++) {
            proofs.add(Checkpoint.signed(X.committee, X.members[m], seq, d));
        }
        proofs.sort((a, b) -> Long.compareUnsigned(a.sender(), b.sender()));
        return new StableCertificate(seq, d, proofs);
    }

    @Test
    void theCertificateFromTheHighestViewWinsAndGapsGetNullBatches() {
        final Batch older = new Batch(List.of(X.request(1)));
        final Batch newer = new Batch(List.of(X.request(2)));
        final Batch third = new Batch(List.of(X.request(3)));
        final NewViewRule.Outcome o = NewViewRule.compute(List.of(
            vc(0, 5, stableAt(0), List.of(prepared(1, 1, older), prepared(1, 4, third))),
            vc(2, 5, stableAt(0), List.of(prepared(3, 1, newer))),
            vc(3, 5, stableAt(0), List.of())));
        assertThat(o.stable().seq()).isZero();
        assertThat(o.entries()).extracting(NewViewRule.Entry::seq).containsExactly(1L, 2L, 3L, 4L);
        assertThat(o.entries().get(0).digest()).as("view 3 beats view 1 at seq 1").isEqualTo(newer.digest());
        assertThat(o.entries().get(1).digest()).isEqualTo(Batch.EMPTY.digest());
        assertThat(o.entries().get(2).digest()).isEqualTo(Batch.EMPTY.digest());
        assertThat(o.entries().get(3).digest()).isEqualTo(third.digest());
    }

    @Test
    void theHighestStableCheckpointIsMinSAndNothingAtOrBelowItIsProposed() {
        final Batch b = new Batch(List.of(X.request(1)));
        final NewViewRule.Outcome o = NewViewRule.compute(List.of(
            vc(0, 2, stableAt(8), List.of(prepared(1, 9, b))),
            vc(2, 2, stableAt(0), List.of(prepared(1, 3, b))),
            vc(3, 2, stableAt(16), List.of())));
        assertThat(o.stable().seq()).isEqualTo(16);
        assertThat(o.entries()).isEmpty();
    }
}
