package dev.vigil.wire;

import dev.vigil.wire.TreeValues.Announce;
import dev.vigil.wire.TreeValues.Baseline;
import dev.vigil.wire.TreeValues.Contribution;
import dev.vigil.wire.TreeValues.Placed;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.Collections;
import java.util.List;

import static dev.vigil.wire.TreeValues.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bodies that carry a statistical summary (announce, baseline): every field and the summary's
 * bytes come back through a reused decoder, and only a well-formed stat update of exactly the
 * declared length ends the body.
 */
class TreeSummaryBodiesTest {
    private final TreeAnnounceBody announce = new TreeAnnounceBody();
    private final TreeBaselineBody baseline = new TreeBaselineBody();

    @Property(tries = 100)
    void anAnnounceRoundTripsThroughAReusedDecoder(@ForAll("announces") final Announce a, @ForAll @IntRange(max = 17) final int offset) {
        final Placed p = TreeValues.place(a, offset);

        assertThat(p.length()).isEqualTo(a.length());
        assertThat(TreeAnnounceBody.isWellFormed(p.buffer(), p.offset(), p.length())).isTrue();
        announce.wrap(p.buffer(), p.offset(), p.length());
        assertThat(announce.level()).isEqualTo(a.level());
        assertThat(announce.epoch()).isEqualTo(a.epoch());
        assertThat(announce.contributorCount()).isEqualTo(a.contributions().size());
        for (int i = 0; i < a.contributions().size(); i++) {
            assertThat(announce.contributorId(i)).isEqualTo(a.contributions().get(i).contributorId());
            assertThat(announce.contributorVersion(i)).isEqualTo(a.contributions().get(i).version());
        }
        assertThat(announce.excludedCount()).isEqualTo(a.excluded().size());
        for (int i = 0; i < a.excluded().size(); i++) {
            assertThat(announce.excludedId(i)).isEqualTo(a.excluded().get(i));
        }
        assertThat(announce.summaryLength()).isEqualTo(a.summary().length());
        assertThat(p.bytes(announce.summaryOffset(), announce.summaryLength())).isEqualTo(a.summary().body());
        assertThat(announce.summaryOffset() + announce.summaryLength()).isEqualTo(p.offset() + p.length());
    }

    @Property(tries = 100)
    void aBaselineRoundTripsThroughAReusedDecoder(@ForAll("baselines") final Baseline b, @ForAll @IntRange(max = 17) final int offset) {
        final Placed p = TreeValues.place(b, offset);

        assertThat(p.length()).isEqualTo(b.length());
        assertThat(TreeBaselineBody.isWellFormed(p.buffer(), p.offset(), p.length())).isTrue();
        baseline.wrap(p.buffer(), p.offset(), p.length());
        assertThat(baseline.kind()).isEqualTo(b.kind());
        assertThat(baseline.level()).isEqualTo(b.level());
        assertThat(baseline.summaryLength()).isEqualTo(b.summary().length());
        assertThat(p.bytes(baseline.summaryOffset(), baseline.summaryLength())).isEqualTo(b.summary().body());
    }

    @Example
    void listsAtTheirBoundAreWellFormedAndOneMoreIsRefusedEvenWithEveryEntryPresent() {
        final TreeValues.Summary summary = TreeValues.Summary.of(3, 1, 2, 3);
        final List<Contribution> full = Collections.nCopies(TreeWire.LIST_MAX, new Contribution(4, 5));
        final List<Contribution> over = Collections.nCopies(TreeWire.LIST_MAX + 1, new Contribution(4, 5));
        final List<Long> excluded = Collections.nCopies(TreeWire.LIST_MAX, 6L);
        final List<Long> overExcluded = Collections.nCopies(TreeWire.LIST_MAX + 1, 6L);

        assertThat(wellFormed(new Announce(2, 7, full, excluded, summary))).isTrue();
        // the writers refuse these, so they are written as the daemon used to, field by field
        assertThat(wellFormed(new Announce(2, 7, over, excluded, summary))).isFalse();
        assertThat(wellFormed(new Announce(2, 7, full, overExcluded, summary))).isFalse();
    }

    @Example
    void aSummaryMustBeAWellFormedStatUpdateThatEndsTheBody() {
        final TreeValues.Summary summary = TreeValues.Summary.of(2, 1, 2, 3);
        final Placed p = TreeValues.place(new Baseline(TreeWire.BASELINE_FLEET, 0, summary), 0);
        final int featureCount = baseline.wrap(p.buffer(), 0, p.length()).summaryOffset() + StatUpdateBody.FEATURE_COUNT_OFFSET;

        p.buffer().putByte(featureCount, (byte)3); // a stat update of another length than the one declared
        assertThat(TreeBaselineBody.isWellFormed(p.buffer(), 0, p.length())).isFalse();
        p.buffer().putByte(featureCount, (byte)2);
        p.buffer().putByte(TreeBaselineBody.SUMMARY_OFFSET, (byte)(summary.length() - 1));
        assertThat(TreeBaselineBody.isWellFormed(p.buffer(), 0, p.length())).isFalse();
        assertThat(TreeBaselineBody.isWellFormed(p.buffer(), 0, p.length() - 1)).isFalse();
    }

    private static boolean wellFormed(final TreeValues.Body body) {
        final WireWriter w = TreeValues.writer();
        body.writeLegacy(w);
        final boolean answer = TreeValues.check(body.type(), w.buffer(), 0, w.length());
        assertThat(LegacyTreeBodies.isWellFormed(body.type(), w.buffer(), 0, w.length())).isEqualTo(answer);
        return answer;
    }

    @Example
    void theWritersRefuseWhatTheLayoutOrItsRulesCannotCarry() {
        final WireWriter w = TreeValues.writer();
        final int summary = StatUpdateBody.bodyLength(10);

        assertRefused(w, "level", () -> TreeAnnounceBody.writeHeader(w, 16, 0, 0));
        assertRefused(w, "epoch", () -> TreeAnnounceBody.writeHeader(w, 0, -1, 0));
        assertRefused(w, "contributor count", () -> TreeAnnounceBody.writeHeader(w, 0, 0, TreeWire.LIST_MAX + 1));
        assertRefused(w, "excluded count", () -> TreeAnnounceBody.writeExcludedCount(w, TreeWire.LIST_MAX + 1));
        assertRefused(w, "summary length", () -> TreeAnnounceBody.writeSummary(w, summary + 1));
        assertRefused(w, "summary length", () -> TreeAnnounceBody.writeSummary(w, 0));
        assertRefused(w, "kind", () -> TreeBaselineBody.write(w, TreeWire.BASELINE_COHORT + 1, 0, summary));
        assertRefused(w, "level", () -> TreeBaselineBody.write(w, 0, 16, summary));
        assertRefused(w, "summary length", () -> TreeBaselineBody.write(w, 0, 0, StatUpdateBody.bodyLength(17)));
    }

    @Provide
    Arbitrary<Announce> announces() {
        return TreeValues.announces();
    }

    @Provide
    Arbitrary<Baseline> baselines() {
        return TreeValues.baselines();
    }
}
