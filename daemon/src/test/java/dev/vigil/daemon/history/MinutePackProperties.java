package dev.vigil.daemon.history;

import dev.vigil.daemon.detect.AgentStatus;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An hour's pack of minute rollups holds the last rollup set for each minute, whatever the order they were set in. */
class MinutePackProperties {
    private static final int D = 3;
    private static final long HOUR = 491_040L; // minutes since the epoch of some hour start, / 60

    @Property
    void eachMinuteHoldsTheLastRollupSetForIt(@ForAll @Size(min = 1, max = 150) final List<@IntRange(min = 0, max = 59) Integer> minutes) {
        byte[] pack = null;
        final Map<Integer, byte[]> want = new HashMap<>();
        int k = 0;
        for (final int m : minutes) {
            final Rollup r = new Rollup(D);
            r.add(HOUR * 60 + m, new double[]{k, -k, m}, k, 0.5, AgentStatus.values()[k % 3]);
            final byte[] encoded = r.encode(4);
            pack = MinutePack.with(pack, D, HOUR * 60 + m, encoded);
            want.put(m, encoded);
            k++;
        }
        assertThat(MinutePack.count(pack, D)).isEqualTo(want.size());
        for (int m = 0; m < 60; m++) {
            final byte[] got = MinutePack.rollup(pack, D, HOUR * 60 + m);
            if (want.containsKey(m)) {
                assertThat(got).isEqualTo(want.get(m));
            } else {
                assertThat(got).isNull();
            }
        }
        final byte[] cut = java.util.Arrays.copyOf(pack, pack.length - 1);
        assertThatThrownBy(() -> MinutePack.rollup(cut, D, HOUR * 60)).isInstanceOf(IllegalArgumentException.class);
        final byte[] whole = pack;
        assertThatThrownBy(() -> MinutePack.rollup(whole, D + 1, HOUR * 60)).isInstanceOf(IllegalArgumentException.class);
    }
}
