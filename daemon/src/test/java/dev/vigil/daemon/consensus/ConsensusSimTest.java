package dev.vigil.daemon.consensus;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConsensusSimTest {
    @Test
    void aCalmCommitteeOfFourCommitsEveryRequestAndAgrees() {
        final ConsensusSim sim = new ConsensusSim(SimScenario.calm(1, 1));
        sim.run();
        assertThat(sim.converged()).isTrue();
        assertThat(sim.decidedMax()).isGreaterThan(0);
    }
}
