package dev.vigil.wire;

import dev.vigil.wire.TreeValues.Merge;
import dev.vigil.wire.TreeValues.PingReq;
import dev.vigil.wire.TreeValues.Placed;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import static dev.vigil.wire.TreeValues.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

/** The bodies that end with one node ref (merge, ping-req): every field comes back through a reused decoder. */
class TreeRefBodiesTest {
    private final TreeMergeBody merge = new TreeMergeBody();
    private final TreePingReqBody pingReq = new TreePingReqBody();

    @Property(tries = 100)
    void aMergeRoundTripsThroughAReusedDecoder(@ForAll("merges") final Merge m, @ForAll @IntRange(max = 17) final int offset) {
        final Placed p = TreeValues.place(m, offset);

        assertThat(p.length()).isEqualTo(TreeMergeBody.length(m.target().address()))
            .isBetween(TreeMergeBody.LENGTH_MIN, TreeMergeBody.LENGTH_MAX);
        assertThat(TreeMergeBody.isWellFormed(p.buffer(), p.offset(), p.length())).isTrue();
        merge.wrap(p.buffer(), p.offset(), p.length());
        assertThat(merge.level()).isEqualTo(m.level());
        assertThat(merge.targetId()).isEqualTo(m.target().id());
        assertThat(merge.targetAddress()).isEqualTo(m.target().address());
    }

    @Property(tries = 100)
    void aPingReqRoundTripsThroughAReusedDecoder(@ForAll("pingReqs") final PingReq r, @ForAll @IntRange(max = 17) final int offset) {
        final Placed p = TreeValues.place(r, offset);

        assertThat(p.length()).isEqualTo(TreePingReqBody.length(r.target().address()))
            .isBetween(TreePingReqBody.LENGTH_MIN, TreePingReqBody.LENGTH_MAX);
        assertThat(TreePingReqBody.isWellFormed(p.buffer(), p.offset(), p.length())).isTrue();
        pingReq.wrap(p.buffer(), p.offset(), p.length());
        assertThat(pingReq.level()).isEqualTo(r.level());
        assertThat(pingReq.probeId()).isEqualTo(r.probeId());
        assertThat(pingReq.targetId()).isEqualTo(r.target().id());
        assertThat(pingReq.targetAddress()).isEqualTo(r.target().address());
    }

    @Example
    void theWritersRefuseWhatTheLayoutOrItsRulesCannotCarry() {
        final WireWriter w = TreeValues.writer();

        assertRefused(w, "level", () -> TreeMergeBody.write(w, 16, 1, "t:1"));
        assertRefused(w, "target address", () -> TreeMergeBody.write(w, 0, 1, ""));
        assertRefused(w, "level", () -> TreePingReqBody.write(w, -1, 1, 2, "t:1"));
        assertRefused(w, "target address", () -> TreePingReqBody.write(w, 0, 1, 2, "t 1"));
    }

    @Provide
    Arbitrary<Merge> merges() {
        return TreeValues.merges();
    }

    @Provide
    Arbitrary<PingReq> pingReqs() {
        return TreeValues.pingReqs();
    }
}
