package dev.vigil.daemon.core;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SequenceWindowTest {
    @Test
    void acceptsOutOfOrderWithinTheWindowButNeverTwice() {
        final SequenceWindow w = new SequenceWindow();
        for (final long s : new long[] {100, 98, 101, 99, 130}) {
            assertThat(w.isFresh(s)).as("fresh %d", s).isTrue();
            w.mark(s);
        }
        for (final long s : new long[] {100, 98, 101, 99, 130}) {
            assertThat(w.isFresh(s)).as("replay %d", s).isFalse();
        }
        assertThat(w.isFresh(97)).isTrue();
        assertThat(w.isFresh(130 - SequenceWindow.WIDTH)).as("just outside the window").isFalse();
    }

    /** Whatever the arrival order, a sequence is accepted at most once. */
    @Property
    void noSequenceIsAcceptedTwice(@ForAll @Size(max = 300) final List<@LongRange(min = 0, max = 200) Long> arrivals) {
        final SequenceWindow w = new SequenceWindow();
        final Set<Long> accepted = new HashSet<>();
        for (final long s : arrivals) {
            if (w.isFresh(s)) {
                assertThat(accepted.add(s)).as("sequence %d accepted twice", s).isTrue();
                w.mark(s);
            }
        }
    }
}
