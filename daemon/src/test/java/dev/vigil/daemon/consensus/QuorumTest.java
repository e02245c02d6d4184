package dev.vigil.daemon.consensus;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The three quorums, exactly: 2f matching prepares from backups, 2f + 1 commits, 2f + 1 checkpoints. */
class QuorumTest {
    private static final ConsensusConfig CONFIG = ConsensusConfig.defaults().withCheckpointSeqs(8).withInvariantChecks(true);

    private static boolean delivered(final OneReplica r) {
        return r.effects.stream().anyMatch(e -> e.kind().equals("deliver"));
    }

    /** Backups other than the replica under test (index 1) and the primary (index 0), in index order. */
    private static int[] otherBackups(final int f) {
        final int[] out = new int[3 * f - 1];
        for (int i = 0; i < out.length; i++) {
            out[i] = i + 2;
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aBackupPreparesWith2fMatchingPreparesAndNotOneFewer(final int f) {
        final OneReplica r = new OneReplica(f, 1, CONFIG);
        final Batch batch = new Batch(List.of(r.request(1)));
        r.receive(r.proposal(0, 1, batch));
        final int[] others = otherBackups(f);
        // its own prepare counts: 2f - 1 more are needed
        for (int i = 0; i < 2 * f - 2; i++) {
            r.receive(r.vote(MessageKind.PREPARE, others[i], 0, 1, batch.digest()));
        }
        r.receive(r.vote(MessageKind.PREPARE, others[2 * f - 2], 0, 1, Batch.EMPTY.digest())); // not matching
        assertThat(r.sent(MessageKind.COMMIT)).as("2f - 1 matching prepares").isEmpty();
        r.receive(r.vote(MessageKind.PREPARE, others[2 * f - 1], 0, 1, batch.digest()));
        assertThat(r.sent(MessageKind.COMMIT)).as("2f matching prepares").hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aBatchExecutesWith2fPlus1MatchingCommitsAndNotOneFewer(final int f) {
        final OneReplica r = new OneReplica(f, 1, CONFIG);
        final Batch batch = new Batch(List.of(r.request(1)));
        r.receive(r.proposal(0, 1, batch));
        final int[] others = otherBackups(f);
        for (int i = 0; i < 2 * f - 1; i++) {
            r.receive(r.vote(MessageKind.PREPARE, others[i], 0, 1, batch.digest()));
        }
        assertThat(r.sent(MessageKind.COMMIT)).hasSize(1);
        // own commit + 2f - 1 others = 2f
        for (int i = 0; i < 2 * f - 1; i++) {
            r.receive(r.vote(MessageKind.COMMIT, others[i], 0, 1, batch.digest()));
        }
        assertThat(delivered(r)).as("2f commits").isFalse();
        r.receive(r.vote(MessageKind.COMMIT, 0, 0, 1, batch.digest()));
        assertThat(delivered(r)).as("2f + 1 commits").isTrue();
    }

    @Test
    void aCheckpointNeeds2fPlus1MatchingMessages() {
        final OneReplica r = new OneReplica(1, 1, CONFIG);
        final byte[] digest = new byte[32];
        r.receive(Checkpoint.signed(r.committee, r.members[0], 8, digest));
        r.receive(Checkpoint.signed(r.committee, r.members[2], 8, digest));
        r.receive(Checkpoint.signed(r.committee, r.members[3], 8, new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
        assertThat(r.effects).as("f + 1 matching and one other: not stable").noneMatch(e -> e.kind().equals("timer-CATCH_UP"));
        r.receive(Checkpoint.signed(r.committee, r.members[3], 16, digest)); // a later one does not count either
        r.receive(Checkpoint.signed(r.committee, r.members[2], 16, digest));
        r.receive(Checkpoint.signed(r.committee, r.members[0], 16, digest));
        assertThat(r.effects).as("2f + 1 matching at 16: stable, held until executed or fetched")
            .anyMatch(e -> e.kind().equals("timer-CATCH_UP"));
    }
}
