package dev.vigil.daemon.consensus;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A snapshot is installed only when its digest is the one 2f + 1 members certified. */
class StateTransferTest {
    private static final ConsensusConfig CONFIG = ConsensusConfig.defaults().withCheckpointSeqs(8).withInvariantChecks(true);

    private static StableCertificate certificate(final OneReplica r, final long seq, final byte[] snapshot) {
        final byte[] digest = SystemSnapshot.digest(r.committee, snapshot);
        final List<Checkpoint> proofs = new ArrayList<>();
        for (final int m : new int[] {0, 2, 3}) {
            proofs.add(Checkpoint.signed(r.committee, r.members[m], seq, digest));
        }
        proofs.sort((a, b) -> Long.compareUnsigned(a.sender(), b.sender()));
        return new StableCertificate(seq, digest, proofs);
    }

    private static byte[] snapshotWith(final long seq, final int applied) {
        final ChainState other = new ChainState();
        for (int i = 0; i < applied; i++) {
            other.apply(i + 1, List.of(new OneReplica(1, 1, CONFIG).request(i + 1)));
        }
        return SystemSnapshot.encode(seq, new ClientTable(16), null, other.snapshot());
    }

    @Test
    void aCertifiedSnapshotIsInstalledAndAnotherOneUnderTheSameCertificateIsNot() {
        final OneReplica r = new OneReplica(1, 1, CONFIG);
        final byte[] good = snapshotWith(24, 3);
        final byte[] bad = snapshotWith(24, 4);
        final StableCertificate c = certificate(r, 24, good);

        r.receive(StateReply.signed(r.committee, r.members[2], c, bad));
        assertThat(r.refused(Refusal.DIGEST_MISMATCH)).isOne();
        assertThat(r.replica.status().lastExecuted()).isZero();
        assertThat(r.state.applied()).isZero();

        r.receive(StateReply.signed(r.committee, r.members[2], c, good));
        assertThat(r.replica.counters().stateTransfers()).isOne();
        assertThat(r.replica.status().lastExecuted()).isEqualTo(24);
        assertThat(r.replica.status().h()).isEqualTo(24);
        assertThat(r.state.applied()).isEqualTo(3);
    }

    @Test
    void aCertificateOfTooFewMembersIsRefused() {
        final OneReplica r = new OneReplica(1, 1, CONFIG);
        final byte[] good = snapshotWith(24, 3);
        final StableCertificate full = certificate(r, 24, good);
        final StableCertificate short2 = new StableCertificate(24, full.stateDigest(), full.proofs().subList(0, 2));
        r.receive(StateReply.signed(r.committee, r.members[2], short2, good));
        assertThat(r.refused(Refusal.BAD_CERTIFICATE)).isOne();
        assertThat(r.replica.status().lastExecuted()).isZero();
    }
}
