package dev.vigil.daemon.core;

import dev.vigil.wire.FrameStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The read-only views the core hands out: counters, status and wall-clock microseconds. */
class CoreViewsTest {
    @Test
    void countersAddUpPerTypeAndPerReason() {
        final FrameCounters c = new FrameCounters();
        c.received(3, 100);
        c.received(3, 50);
        c.reject(FrameStatus.REPLAYED);
        c.reject(FrameStatus.REPLAYED);
        c.reject(FrameStatus.TRUNCATED);
        assertThat(c.receivedTotal()).isEqualTo(2);
        assertThat(c.rejected(FrameStatus.REPLAYED)).isEqualTo(2);
        assertThat(c.rejectedTotal()).isEqualTo(3);
        final FrameCounters.Snapshot s = c.snapshot();
        assertThat(s.received().get("ping")).isEqualTo(new FrameCounters.TypeCount(2, 150));
        assertThat(s.receivedTotal()).isEqualTo(2);
        assertThat(s.rejected(FrameStatus.TRUNCATED)).isEqualTo(1);
        assertThat(s.rejected(FrameStatus.OK)).isZero();
        assertThat(s.rejectedTotal()).isEqualTo(3);
        assertThat(s.rejected()).doesNotContainKey("ok");
        assertThatThrownBy(() -> c.reject(FrameStatus.OK)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void statusAnswersPerPeer() {
        final NodeStatus.PeerView a = new NodeStatus.PeerView("00000000000000aa", "a:1", PeerState.ALIVE, 0, 0, -1, -1, null);
        final NodeStatus.PeerView b = new NodeStatus.PeerView("00000000000000bb", "b:1", PeerState.DEAD, 0, 0, -1, -1, null);
        final NodeStatus.PeerView c = new NodeStatus.PeerView("00000000000000cc", "c:1", PeerState.ALIVE, 0, 0, -1, -1, null);
        final NodeStatus s = new NodeStatus("00000000000000ff", "f:1", 0, 0, true, 0, false, null, List.of(a, b, c),
            new FrameCounters().snapshot(), java.util.Map.of(), List.of());
        assertThat(s.alivePeers()).isEqualTo(2);
        assertThat(s.peer("00000000000000bb")).isSameAs(b);
        assertThat(s.peerState("00000000000000bb")).isEqualTo(PeerState.DEAD);
        assertThat(s.peer("0000000000000001")).isNull();
        assertThat(s.peerState("0000000000000001")).isNull();
        assertThat(PeerState.SUSPECT.label).isEqualTo("suspect");
    }

    @Test
    void wallClockMicrosAreExactAndOverflowIsAnError() {
        assertThat(WallClock.micros(Instant.ofEpochSecond(2, 345_678_999))).isEqualTo(2_345_678);
        assertThat(WallClock.micros(Instant.ofEpochSecond(-1, 999_999_000))).isEqualTo(-1);
        assertThatThrownBy(() -> WallClock.micros(Instant.MAX)).isInstanceOf(ArithmeticException.class);
        final long before = WallClock.micros(Instant.now());
        final long now = WallClock.micros();
        assertThat(now).isBetween(before, before + 60_000_000L);
    }
}
