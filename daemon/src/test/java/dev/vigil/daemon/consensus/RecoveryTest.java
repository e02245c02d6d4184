package dev.vigil.daemon.consensus;

import dev.vigil.daemon.core.NodeLog;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A replica rebuilt from its log keeps its promises: what prepared there is in its next view-change. */
class RecoveryTest {
    private static final ConsensusConfig CONFIG = ConsensusConfig.defaults().withCheckpointSeqs(8).withInvariantChecks(true);

    @Test
    void aPreparedBatchSurvivesARestartIntoTheNextViewChange() {
        final OneReplica before = new OneReplica(1, 1, CONFIG);
        final Batch batch = new Batch(List.of(before.request(1)));
        before.receive(before.proposal(0, 1, batch));
        before.receive(before.vote(MessageKind.PREPARE, 2, 0, 1, batch.digest()));
        assertThat(before.sent(MessageKind.COMMIT)).as("prepared before the crash").hasSize(1);
        final MemoryLog log = new MemoryLog(before.limits());
        before.effects.stream().filter(e -> e.record() != null).forEach(e -> log.append(e.record()));

        final OneReplica after = new OneReplica(1, 1, CONFIG);
        final List<OneReplica.Effect> effects = new java.util.ArrayList<>();
        final ReplicaEffects recorder = new ReplicaEffects() {
            @Override
            public void persist(final LogRecord record) {
            }

            @Override
            public void truncate(final long stableSeq) {
            }

            @Override
            public void send(final long nodeId, final byte[] message) {
            }

            @Override
            public void broadcast(final byte[] message) {
                effects.add(new OneReplica.Effect("broadcast", null, 0, message, null));
            }

            @Override
            public void deliver(final Delivery delivery) {
            }

            @Override
            public void setTimer(final TimerKind kind, final long atMicros) {
            }
        };
        final Replica recovered = Replica.recover(CONFIG, after.committee, after.members[1], after.verifier, new ChainState(),
            recorder, NodeLog.DISCARD, log.records(), after.now);
        assertThat(recovered.status().lastExecuted()).isZero();
        long now = after.now;
        for (int stage = 0; stage < 2; stage++) {
            now += 10 * CONFIG.requestTimeoutMicros();
            recovered.onTimer(TimerKind.REQUEST, now); // retransmission, then a view change: the prepared slot is watched
        }
        final ViewChange vc = effects.stream().map(e -> e.decoded(after.limits())).filter(m -> m instanceof ViewChange)
            .map(m -> (ViewChange)m).findFirst().orElseThrow();
        assertThat(vc.prepared()).singleElement().satisfies(c -> {
            assertThat(c.seq()).isOne();
            assertThat(c.prePrepare().digest()).isEqualTo(batch.digest());
        });
        assertThat(vc.bodies()).containsExactly(batch);
    }

    @Test
    void aReplicaRestartedWhileChangingViewKnowsTheViewItHadInstalledFromWhatItAcceptedThere() {
        final OneReplica r = new OneReplica(1, 2, CONFIG);
        final Batch batch = new Batch(List.of(r.request(1)));
        final Vote pp = r.proposal(1, 1, batch).header();
        final MemoryLog log = new MemoryLog(r.limits());
        r.effects.stream().filter(e -> e.record() != null).forEach(e -> log.append(e.record()));
        log.append(new LogRecord.Accepted(pp, batch));
        log.append(new LogRecord.View(3, true)); // the log keeps only this latest view record
        final Replica recovered = Replica.recover(CONFIG, r.committee, r.members[2], r.verifier, new ChainState(),
            new ReplicaEffects() {
                @Override
                public void persist(final LogRecord record) {
                }

                @Override
                public void truncate(final long stableSeq) {
                }

                @Override
                public void send(final long nodeId, final byte[] message) {
                }

                @Override
                public void broadcast(final byte[] message) {
                }

                @Override
                public void deliver(final Delivery delivery) {
                }

                @Override
                public void setTimer(final TimerKind kind, final long atMicros) {
                }
            }, NodeLog.DISCARD, log.records(), r.now);
        assertThat(recovered.status().changing()).isTrue();
        assertThat(recovered.status().changingTo()).isEqualTo(3);
        assertThat(recovered.status().view()).as("it accepted a pre-prepare of view 1, so it had installed view 1").isOne();
        assertThat(recovered.counters().internalErrors()).isZero();
    }
}
