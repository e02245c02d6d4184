package dev.vigil.simnet;

import dev.vigil.crypto.SignatureScheme;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JoinScenarioTest {
    private static Map<String, Object> run(final int nodes, final long seed, final double loss) {
        return JoinScenario.run(new JoinScenario.Params(nodes, seed, loss, 1_000_000, 60_000_000), new HostStats());
    }

    @Test
    void twoHundredNodesConvergeWithEveryNodeAcceptedAndNoInvariantBroken() {
        final Map<String, Object> r = run(200, 7, 0);
        assertThat(r.get("converged")).isEqualTo(true);
        assertThat(r.get("joined_nodes")).isEqualTo(200);
        assertThat((List<?>)r.get("invariants_failed")).isEmpty();
        assertThat((int)r.get("max_frame_bytes")).isLessThan(dev.vigil.wire.FrameHeader.FRAME_LENGTH_MAX);
        assertThat(r).doesNotContainKey("signatures");
    }

    @Test
    void twoHundredNodesWithSimulatedSignaturesConvergeAndTheReportSaysSo() {
        final Map<String, Object> r = JoinScenario.run(
            new JoinScenario.Params(200, 7, 0, 1_000_000, 60_000_000, SignatureScheme.SIMULATED_INSECURE), new HostStats());

        assertThat(r.get("converged")).isEqualTo(true);
        assertThat(r.get("joined_nodes")).isEqualTo(200);
        assertThat((List<?>)r.get("invariants_failed")).isEmpty();
        assertThat(r.get("signatures")).isEqualTo("simulated");
        final Map<?, ?> rejected = (Map<?, ?>)r.get("rejected");
        assertThat(rejected.get("bad-signature")).isEqualTo(0L);
        assertThat(rejected.get("bad-certificate")).isEqualTo(0L);
    }

    @Test
    void theSameSeedGivesTheSameReportAndAnotherSeedAnotherRun() throws Exception {
        final String a = SimnetCommand.JSON.writeValueAsString(run(150, 3, 0.01));
        final String b = SimnetCommand.JSON.writeValueAsString(run(150, 3, 0.01));
        final String c = SimnetCommand.JSON.writeValueAsString(run(150, 4, 0.01));
        assertThat(a).isEqualTo(b);
        assertThat(c).isNotEqualTo(a);
    }

    @Test
    void joinStillConvergesWhenTenPercentOfMessagesAreLost() {
        final Map<String, Object> r = run(150, 11, 0.10);
        assertThat(r.get("converged")).isEqualTo(true);
        assertThat((Long)((Map<?, ?>)r.get("dropped")).get("loss")).isPositive();
        assertThat((List<?>)r.get("invariants_failed")).isEmpty();
    }
}
