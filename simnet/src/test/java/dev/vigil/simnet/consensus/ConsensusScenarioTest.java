package dev.vigil.simnet.consensus;

import dev.vigil.daemon.consensus.ConsensusCounters;
import dev.vigil.daemon.consensus.Refusal;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Named scenarios on the simulated committee, each pinning one behaviour; {@link ConsensusSim}
 * checks safety, persist-before-send and the bounds after every step and convergence at the end.
 */
class ConsensusScenarioTest {
    private static ConsensusSim run(final SimScenario scenario) {
        final ConsensusSim sim = ChainWorkload.sim(scenario);
        sim.run();
        return sim;
    }

    private static long sum(final ConsensusSim sim, final java.util.function.ToLongFunction<ConsensusCounters> counter) {
        return Arrays.stream(sim.nodes()).filter(SimNode::honest).mapToLong(n -> counter.applyAsLong(n.replica.counters())).sum();
    }

    @Test
    void aCalmCommitteeCommitsEverythingInViewZeroWithoutViewChanges() {
        for (final int f : new int[] {1, 2}) {
            final ConsensusSim sim = run(SimScenario.calm(1, f));
            sim.settle(2_000_000);
            assertThat(sim.converged()).isTrue();
            assertThat(sum(sim, ConsensusCounters::viewChangesStarted)).isZero();
            assertThat(sum(sim, ConsensusCounters::executedRequests)).isEqualTo((3L * f + 1) * 3 * 10);
            assertThat(sim.decidedMax() % 8).as("the idle primary padded the last window to a checkpoint").isZero();
            for (final SimNode n : sim.nodes()) {
                assertThat(n.replica.status().h()).isEqualTo(sim.decidedMax());
            }
        }
    }

    /**
     * An idle delay longer than half the request timeout (as evidence committees run: 10 s against
     * 2 s): the primary's padding after a quiet spell is new work, and must not find the members'
     * request timers already expired from the last progress before the spell.
     */
    @Test
    void paddingAfterAQuietSpellLongerThanTheTimeoutChangesNoView() {
        for (final int f : new int[] {1, 2}) {
            final SimScenario s = SimScenario.calm(5, f).withConfig(SimScenario.testConfig(f).withTimeouts(150_000, 3_000_000, 1_000_000, 100_000));
            final ConsensusSim sim = run(s);
            sim.settle(5_000_000);
            assertThat(sim.converged()).isTrue();
            assertThat(sim.decidedMax() % 8).as("the idle primary padded the last window to a checkpoint").isZero();
            assertThat(sum(sim, ConsensusCounters::viewChangesStarted)).as("view changes at f = " + f).isZero();
        }
    }

    @Test
    void aSilentPrimaryIsReplacedByAViewChange() {
        final ConsensusSim sim = run(SimScenario.calm(2, 1).withBehaviour(0, ConsensusSim.Behaviour.SILENT));
        assertThat(sum(sim, ConsensusCounters::viewChangesStarted)).isPositive();
        assertThat(sum(sim, ConsensusCounters::newViewsInstalled)).isPositive();
        assertThat(sim.nodes()[1].replica.status().view()).isPositive();
    }

    @Test
    void anEquivocatingPrimaryIsAccusedAndReplacedAndNothingDiverges() {
        long accusations = 0;
        for (long seed = 1; seed <= 10; seed++) {
            final ConsensusSim sim = run(SimScenario.calm(seed, 1).withBehaviour(0, ConsensusSim.Behaviour.EQUIVOCATE));
            accusations += sum(sim, ConsensusCounters::equivocations);
            assertThat(sim.nodes()[1].replica.status().view()).isPositive();
        }
        assertThat(accusations).as("some runs saw both pre-prepares and proved it").isPositive();
    }

    @Test
    void forgedAndGarbledMessagesAreRefusedByReasonAndChangeNothing() {
        final ConsensusSim sim = run(SimScenario.calm(3, 1).withBehaviour(2, ConsensusSim.Behaviour.FORGE));
        assertThat(sum(sim, c -> c.refused(Refusal.BAD_SIGNATURE))).isPositive();
        assertThat(sum(sim, c -> c.refused(Refusal.MALFORMED))).isPositive();
        assertThat(sum(sim, c -> c.refused(Refusal.CONFLICT) + c.refused(Refusal.BAD_CERTIFICATE))).isPositive();
    }

    @Test
    void aReplicaDownForSeveralCheckpointsCatchesUpByStateTransfer() {
        final SimScenario s = SimScenario.calm(4, 1).withLoad(4, 40).withCrash(2, 50_000, 2_000_000, 0);
        final ConsensusSim sim = run(s);
        final SimNode restarted = sim.nodes()[2];
        assertThat(restarted.restarted).isTrue();
        assertThat(restarted.replica.counters().stateTransfers()).isPositive();
        assertThat(restarted.replica.stateDigest()).isEqualTo(sim.nodes()[0].replica.stateDigest());
    }

    @Test
    void aReplicaCrashingBetweenAPersistAndItsSendRecoversWithoutContradictingItself() {
        for (int effects = 1; effects <= 4; effects++) {
            for (int member = 0; member < 4; member++) {
                final ConsensusSim sim = run(SimScenario.calm(5 + effects, 1).withCrash(member, 40_000 + 17_000L * effects, 300_000, effects));
                assertThat(sim.nodes()[member].restarted).isTrue();
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameRun() {
        for (final long seed : new long[] {3, 17, 42}) {
            final ConsensusSim a = run(SimScenario.random(seed, 1));
            final ConsensusSim b = run(SimScenario.random(seed, 1));
            assertThat(b.steps).isEqualTo(a.steps);
            assertThat(b.messagesSent).isEqualTo(a.messagesSent);
            assertThat(b.decidedMax()).isEqualTo(a.decidedMax());
            for (int i = 0; i < a.nodes().length; i++) {
                assertThat(b.nodes()[i].replica.counters().snapshot()).isEqualTo(a.nodes()[i].replica.counters().snapshot());
                assertThat(b.nodes()[i].replica.stateDigest()).isEqualTo(a.nodes()[i].replica.stateDigest());
            }
        }
    }

    @Test
    void realEd25519SignaturesWorkTheSame() {
        run(SimScenario.calm(6, 1).withEd25519());
        run(SimScenario.random(7, 1).withEd25519());
    }
}
