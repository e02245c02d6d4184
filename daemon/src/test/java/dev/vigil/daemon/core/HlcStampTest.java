package dev.vigil.daemon.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Exact hybrid logical clock stamps: 48 bits of milliseconds, 16 of logical counter. */
class HlcStampTest {
    @Test
    void aTickIsTheWallClockMillisecondsShiftedOrOneMoreThanTheLastStamp() {
        final Hlc hlc = new Hlc();
        assertThat(hlc.last()).isZero();
        assertThat(hlc.tick(5_000_999)).isEqualTo(5_000L << 16);
        assertThat(hlc.tick(5_000_000)).isEqualTo((5_000L << 16) + 1);
        assertThat(hlc.tick(4_000_000)).as("the clock went back").isEqualTo((5_000L << 16) + 2);
        assertThat(hlc.tick(6_000_000)).isEqualTo(6_000L << 16);
        assertThat(hlc.last()).isEqualTo(6_000L << 16);
    }

    @Test
    void observingAStampAheadMovesPastItAndOneBehindIsIgnored() {
        final Hlc hlc = new Hlc();
        hlc.observe(9_000L << 16, 5_000_000);
        assertThat(hlc.last()).isEqualTo((9_000L << 16) + 1);
        hlc.observe(1_000L << 16, 5_000_000);
        assertThat(hlc.last()).isEqualTo((9_000L << 16) + 2);
        hlc.observe(1_000L << 16, 12_000_000);
        assertThat(hlc.last()).isEqualTo(12_000L << 16);
    }

    @Test
    void theLogicalBitsAreDroppedWhenReadingPhysicalTime() {
        assertThat(Hlc.physicalMicros((7L << 16) | 0xFFFF)).isEqualTo(7_000);
        assertThat(Hlc.physicalMicros(-1L)).as("read unsigned").isEqualTo((-1L >>> 16) * 1000L);
    }
}
