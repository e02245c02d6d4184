package dev.vigil.daemon.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HlcTest {
    @Test
    void stampsIncreaseEvenWhenTheClockStandsStill() {
        final Hlc hlc = new Hlc();
        final long a = hlc.tick(5_000_000);
        final long b = hlc.tick(5_000_000);
        assertThat(b).isGreaterThan(a);
        assertThat(Hlc.physicalMicros(b)).isEqualTo(5_000_000);
    }

    @Test
    void stampsAfterReceivingAreAboveTheRemoteStamp() {
        final Hlc hlc = new Hlc();
        final Hlc ahead = new Hlc();
        final long remote = ahead.tick(9_000_000);
        hlc.observe(remote, 5_000_000);
        assertThat(hlc.tick(5_000_000)).isGreaterThan(remote);
    }
}
