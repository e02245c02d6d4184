package dev.vigil.daemon.core;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every bound on the core's tunables, on both sides of its edge. */
class CoreConfigTest {
    /** peersMax, peersTarget, tick, ping, suspect, dead, forget, retryMin, retryMax, skew, trustedMax, knownMax. */
    private static CoreConfig config(final long... v) {
        return new CoreConfig("a:1", List.of(), (int)v[0], (int)v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9],
            (int)v[10], (int)v[11], 0);
    }

    private static final long[] EDGE = {1, 1, 10, 10, 11, 12, 12, 1, 1, 1, 2, 1};

    @Test
    void everyValueAtItsEdgeIsAccepted() {
        assertThatCode(() -> config(EDGE)).doesNotThrowAnyException();
        final long[] wide = EDGE.clone();
        wide[0] = 256;
        wide[1] = 256;
        wide[10] = 512;
        assertThatCode(() -> config(wide)).doesNotThrowAnyException();
    }

    @Test
    void oneStepPastAnyEdgeIsRefused() {
        final int[] field = {0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11};
        final long[] value = {0, 257, 0, 2, 0, 9, 10, 11, 11, 0, 0, 1, 0};
        for (int i = 0; i < field.length; i++) {
            final long[] v = EDGE.clone();
            if (field[i] == 0 && value[i] == 257) {
                v[10] = 514;
            }
            v[field[i]] = value[i];
            assertThatThrownBy(() -> config(v)).as("field %d = %d", field[i], value[i]).isInstanceOf(IllegalArgumentException.class);
        }
        final long[] retry = EDGE.clone();
        retry[7] = 2;
        assertThatThrownBy(() -> config(retry)).as("retry max below min").isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theDefaultsAndTheirVariants() {
        final CoreConfig d = CoreConfig.defaults("a:1", List.of("b:1"));
        assertThat(d.peersMax()).isEqualTo(8);
        assertThat(d.pingIntervalMicros()).isEqualTo(1_000_000);
        final CoreConfig more = d.withExtraBootstrap(List.of("c:1", "b:1"));
        assertThat(more.bootstrap()).containsExactly("b:1", "c:1");
        assertThat(more.peersMax()).isEqualTo(8);
        final CoreConfig fast = d.withLiveness(10_000, 50_000, 150_000, 300_000);
        assertThat(fast.tickMicros()).isEqualTo(10_000);
        assertThat(fast.pingIntervalMicros()).isEqualTo(50_000);
        assertThat(fast.suspectAfterMicros()).isEqualTo(150_000);
        assertThat(fast.deadAfterMicros()).isEqualTo(300_000);
        assertThat(fast.forgetAfterMicros()).isEqualTo(d.forgetAfterMicros());
        assertThat(d.withLiveness(100_000, 1_000_000, 2_000_000, 900_000_000).forgetAfterMicros())
            .as("never forgotten before dead").isEqualTo(900_000_000);
    }
}
