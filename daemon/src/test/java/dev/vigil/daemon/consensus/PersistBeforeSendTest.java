package dev.vigil.daemon.consensus;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The effect stream puts each persist before the message that depends on it, and execution after the committed record. */
class PersistBeforeSendTest {
    private static final ConsensusConfig CONFIG = ConsensusConfig.defaults().withCheckpointSeqs(8).withInvariantChecks(true);

    private static int indexOf(final OneReplica r, final String kind, final Class<?> what) {
        for (int i = 0; i < r.effects.size(); i++) {
            final OneReplica.Effect e = r.effects.get(i);
            if (e.kind().equals(kind) && (what == null
                || (e.record() != null && what.isInstance(e.record()))
                || (e.message() != null && what.isInstance(e.decoded(r.limits()))))) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void aBackupPersistsTheAcceptedProposalThenPreparesThenPersistsThePreparedCertificateThenCommits() {
        final OneReplica r = new OneReplica(1, 1, CONFIG);
        final Batch batch = new Batch(List.of(r.request(1)));
        r.effects.clear();
        r.receive(r.proposal(0, 1, batch));
        assertThat(r.effects.get(0).record()).isInstanceOf(LogRecord.Accepted.class);
        assertThat(r.effects.get(1).decoded(r.limits())).isInstanceOfSatisfying(Vote.class,
            v -> assertThat(v.kind()).isEqualTo(MessageKind.PREPARE));

        r.effects.clear();
        // its own prepare and one more from a backup make the 2f = 2
        r.receive(r.vote(MessageKind.PREPARE, 2, 0, 1, batch.digest()));
        final int prepared = indexOf(r, "persist", LogRecord.Prepared.class);
        final int commit = indexOf(r, "broadcast", Vote.class);
        assertThat(prepared).isNotNegative();
        assertThat(commit).isGreaterThan(prepared);

        r.effects.clear();
        r.receive(r.vote(MessageKind.COMMIT, 0, 0, 1, batch.digest()));
        r.receive(r.vote(MessageKind.COMMIT, 2, 0, 1, batch.digest()));
        final int committed = indexOf(r, "persist", LogRecord.Committed.class);
        final int delivered = indexOf(r, "deliver", null);
        assertThat(committed).isNotNegative();
        assertThat(delivered).isGreaterThan(committed);
        assertThat(r.effects.get(delivered).delivery().outcomes()).singleElement()
            .satisfies(o -> assertThat(o.status()).isEqualTo(Delivery.Status.APPLIED));
    }

    @Test
    void thePrimaryPersistsItsProposalBeforeItLeaves() {
        final OneReplica r = new OneReplica(1, 0, CONFIG.withBatching(1, 32 * 1024, 2_000));
        r.effects.clear();
        r.receive(r.request(1));
        final int accepted = indexOf(r, "persist", LogRecord.Accepted.class);
        final int proposal = indexOf(r, "broadcast", Proposal.class);
        assertThat(accepted).isNotNegative();
        assertThat(proposal).isGreaterThan(accepted);
    }

    @Test
    void aViewChangeLeavesOnlyAfterTheViewItPromisesIsPersisted() {
        final OneReplica r = new OneReplica(1, 1, CONFIG);
        r.receive(r.request(1));
        r.effects.clear();
        r.now += CONFIG.requestTimeoutMicros() * 2;
        r.replica.onTimer(TimerKind.REQUEST, r.now); // first stage: retransmission
        r.now += CONFIG.requestTimeoutMicros() * 2;
        r.replica.onTimer(TimerKind.REQUEST, r.now); // second: view change
        final int view = indexOf(r, "persist", LogRecord.View.class);
        final int vc = indexOf(r, "broadcast", ViewChange.class);
        assertThat(view).isNotNegative();
        assertThat(vc).isGreaterThan(view);
        assertThat(((LogRecord.View)r.effects.get(view).record()).changing()).isTrue();
    }
}
