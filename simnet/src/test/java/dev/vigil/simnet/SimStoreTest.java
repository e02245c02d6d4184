package dev.vigil.simnet;

import dev.vigil.storage.CorruptEntryException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The simulated store keeps exactly what was durable when its process died in a write, and never returns a torn entry. */
class SimStoreTest {
    private static byte[] b(final String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A store whose every write, while armed, kills the process in one of the three ways. */
    private static SimStore dying() {
        return new SimStore("raw", 100, new CrashPoints(new SplittableRandom(1), 0.999_999));
    }

    @Test
    void eachWayOfDyingLeavesTheStoreAsThatKillWould() {
        final List<CrashPoints.Kind> seen = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            final CrashPoints points = new CrashPoints(new SplittableRandom(i), 0.999_999);
            final SimStore s = new SimStore("raw", 100, points);
            s.put(b("k"), b("old value, acknowledged"));
            points.arm();
            final ProcessKilled k = org.junit.jupiter.api.Assertions.assertThrows(ProcessKilled.class,
                () -> s.put(b("k"), b("new value, in flight")));
            seen.add(k.kind());
            assertThat(points.armed()).as("a dead process writes nothing more").isFalse();
            assertThat(points.crashes(k.kind())).isEqualTo(1);
            if (k.kind() == CrashPoints.Kind.PUT_TORN) {
                assertThatThrownBy(() -> s.get(b("k"))).isInstanceOf(CorruptEntryException.class);
                assertThat(s.peek(b("k"))).isSameAs(SimStore.DAMAGED);
                assertThat(s.corruptReads()).isEqualTo(1);
                assertThat(s.tornEntries()).isEqualTo(1);
                final List<String> damaged = new ArrayList<>();
                s.forEach((key, v) -> { }, key -> damaged.add(new String(key, StandardCharsets.US_ASCII)));
                assertThat(damaged).containsExactly("k");
                s.put(b("k"), b("rewritten"));
                assertThat(s.get(b("k"))).isEqualTo(b("rewritten"));
            } else {
                assertThat(s.get(b("k"))).as(k.kind() + ": nothing of the put is stored").isEqualTo(b("old value, acknowledged"));
                assertThat(s.corruptReads()).isZero();
            }
        }
        assertThat(seen).contains(CrashPoints.Kind.values());
    }

    @Test
    void aRemoveDiesBeforeItOrHappensWhole() {
        final CrashPoints points = new CrashPoints(new SplittableRandom(3), 0.999_999);
        final SimStore s = new SimStore("raw", 100, points);
        s.put(b("k"), b("v"));
        points.arm();
        final ProcessKilled k = org.junit.jupiter.api.Assertions.assertThrows(ProcessKilled.class, () -> s.remove(b("k")));
        assertThat(k.kind()).isEqualTo(CrashPoints.Kind.BEFORE_WRITE);
        assertThat(s.get(b("k"))).isEqualTo(b("v"));
        assertThat(s.remove(b("k"))).isTrue();
        assertThat(s.get(b("k"))).isNull();
    }

    @Test
    void disarmedOrAtRateZeroNoWriteDies() {
        final SimStore s = dying();
        for (int i = 0; i < 100; i++) {
            s.put(b("k" + i), b("v" + i));
        }
        assertThat(s.size()).isEqualTo(100);
        final CrashPoints never = new CrashPoints(new SplittableRandom(1), 0);
        never.arm();
        final SimStore t = new SimStore("raw", 100, never);
        for (int i = 0; i < 100; i++) {
            t.put(b("k" + i), b("v" + i));
        }
        assertThat(t.payloadBytes()).isEqualTo(s.payloadBytes());
        assertThatThrownBy(() -> t.put(b("one more"), b("v"))).isInstanceOf(dev.vigil.storage.StoreFullException.class);
    }
}
