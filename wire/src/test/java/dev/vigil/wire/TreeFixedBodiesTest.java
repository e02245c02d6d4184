package dev.vigil.wire;

import dev.vigil.wire.TreeValues.Admit;
import dev.vigil.wire.TreeValues.Challenge;
import dev.vigil.wire.TreeValues.Descend;
import dev.vigil.wire.TreeValues.Placed;
import dev.vigil.wire.TreeValues.Probe;
import dev.vigil.wire.TreeValues.Suspect;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.agrona.concurrent.UnsafeBuffer;

import static dev.vigil.wire.TreeValues.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fixed-size tree bodies (descend, admit, ping and ack, suspect, challenge): every field
 * written comes back through the static accessors, the coordinate sits where the writer said, and
 * the writers refuse values the layout or its rules cannot carry, writing nothing.
 */
class TreeFixedBodiesTest {

    @Property(tries = 100)
    void aDescendRoundTrips(@ForAll("descends") final Descend d, @ForAll @IntRange(max = 17) final int offset) {
        final Placed p = TreeValues.place(d, offset);
        final UnsafeBuffer b = p.buffer();
        final int at = p.offset();

        assertThat(p.length()).isEqualTo(TreeDescendBody.LENGTH);
        assertThat(TreeDescendBody.isWellFormed(b, at, p.length())).isTrue();
        assertThat(TreeDescendBody.levelWanted(b, at)).isEqualTo(d.levelWanted());
        assertThat(TreeDescendBody.levelAsked(b, at)).isEqualTo(d.levelAsked());
        assertThat(p.bytes(TreeDescendBody.coordinateOffset(at), TreeWire.COORDINATE_LENGTH)).isEqualTo(d.coordinate());
    }

    @Property(tries = 100)
    void anAdmitRoundTrips(@ForAll("admits") final Admit a, @ForAll @IntRange(max = 17) final int offset) {
        final Placed p = TreeValues.place(a, offset);
        final UnsafeBuffer b = p.buffer();
        final int at = p.offset();

        assertThat(p.length()).isEqualTo(TreeAdmitBody.LENGTH);
        assertThat(TreeAdmitBody.isWellFormed(b, at, p.length())).isTrue();
        assertThat(TreeAdmitBody.level(b, at)).isEqualTo(a.level());
        assertThat(TreeAdmitBody.replaces(b, at)).isEqualTo(a.replaces());
        assertThat(p.bytes(TreeAdmitBody.coordinateOffset(at), TreeWire.COORDINATE_LENGTH)).isEqualTo(a.coordinate());
    }

    @Property(tries = 100)
    void aPingOrAckRoundTrips(@ForAll("probes") final Probe probe, @ForAll @IntRange(max = 17) final int offset) {
        final Placed p = TreeValues.place(probe, offset);
        final UnsafeBuffer b = p.buffer();
        final int at = p.offset();

        assertThat(p.length()).isEqualTo(TreeProbeBody.LENGTH);
        assertThat(TreeProbeBody.isWellFormed(b, at, p.length())).isTrue();
        assertThat(TreeProbeBody.level(b, at)).isEqualTo(probe.level());
        assertThat(TreeProbeBody.probeId(b, at)).isEqualTo(probe.probeId());
        assertThat(TreeProbeBody.askedBy(b, at)).isEqualTo(probe.askedBy());
        assertThat(TreeProbeBody.incarnation(b, at)).isEqualTo(probe.incarnation());
        assertThat(p.bytes(TreeProbeBody.coordinateOffset(at), TreeWire.COORDINATE_LENGTH)).isEqualTo(probe.coordinate());
    }

    @Property(tries = 100)
    void aSuspectRoundTrips(@ForAll("suspects") final Suspect s, @ForAll @IntRange(max = 17) final int offset) {
        final Placed p = TreeValues.place(s, offset);
        final UnsafeBuffer b = p.buffer();
        final int at = p.offset();

        assertThat(p.length()).isEqualTo(TreeSuspectBody.LENGTH);
        assertThat(TreeSuspectBody.isWellFormed(b, at, p.length())).isTrue();
        assertThat(TreeSuspectBody.level(b, at)).isEqualTo(s.level());
        assertThat(TreeSuspectBody.subject(b, at)).isEqualTo(s.subject());
        assertThat(TreeSuspectBody.incarnation(b, at)).isEqualTo(s.incarnation());
        assertThat(TreeSuspectBody.state(b, at)).isEqualTo(s.state());
    }

    @Property(tries = 100)
    void aChallengeRoundTrips(@ForAll("challenges") final Challenge c, @ForAll @IntRange(max = 17) final int offset) {
        final Placed p = TreeValues.place(c, offset);
        final UnsafeBuffer b = p.buffer();
        final int at = p.offset();

        assertThat(p.length()).isEqualTo(TreeChallengeBody.LENGTH);
        assertThat(TreeChallengeBody.isWellFormed(b, at, p.length())).isTrue();
        assertThat(TreeChallengeBody.level(b, at)).isEqualTo(c.level());
        assertThat(TreeChallengeBody.head(b, at)).isEqualTo(c.head());
        assertThat(TreeChallengeBody.version(b, at)).isEqualTo(c.version());
        assertThat(TreeChallengeBody.epoch(b, at)).isEqualTo(c.epoch());
        assertThat(TreeChallengeBody.clusterSize(b, at)).isEqualTo(c.clusterSize());
    }

    @Example
    void onlyTheWantedLevelOfADescendIsCheckedTheAskedOneIsTheReceiversToJudge() {
        final Placed p = TreeValues.place(new Descend(3, 200, new byte[TreeWire.COORDINATE_LENGTH]), 0);

        assertThat(TreeDescendBody.isWellFormed(p.buffer(), 0, p.length())).isTrue();
        p.buffer().putByte(TreeDescendBody.LEVEL_WANTED_OFFSET, (byte)200);
        assertThat(TreeDescendBody.isWellFormed(p.buffer(), 0, p.length())).isFalse();
    }

    @Example
    void theWritersRefuseWhatTheLayoutOrItsRulesCannotCarry() {
        final WireWriter w = TreeValues.writer();

        assertRefused(w, "level wanted", () -> TreeDescendBody.write(w, TreeWire.LEVELS_MAX, 0));
        assertRefused(w, "level asked", () -> TreeDescendBody.write(w, 0, -1));
        assertRefused(w, "level asked", () -> TreeDescendBody.write(w, 0, 256));
        assertRefused(w, "level", () -> TreeAdmitBody.write(w, 254, 7));
        assertRefused(w, "level", () -> TreeProbeBody.write(w, 256, 1, 0, 0));
        assertRefused(w, "incarnation", () -> TreeProbeBody.write(w, 0, 1, 0, -1));
        assertRefused(w, "incarnation", () -> TreeProbeBody.write(w, 0, 1, 0, TreeWire.U32_MAX + 1));
        assertRefused(w, "level", () -> TreeSuspectBody.write(w, 16, 1, 0, TreeWire.STATE_DEAD));
        assertRefused(w, "incarnation", () -> TreeSuspectBody.write(w, 0, 1, 1L << 32, TreeWire.STATE_DEAD));
        assertRefused(w, "state", () -> TreeSuspectBody.write(w, 0, 1, 0, TreeWire.STATE_DEAD + 1));
        assertRefused(w, "state", () -> TreeSuspectBody.write(w, 0, 1, 0, -1));
        assertRefused(w, "level", () -> TreeChallengeBody.write(w, -1, 1, 1, 1, 1));
        assertRefused(w, "epoch", () -> TreeChallengeBody.write(w, 0, 1, 1, TreeWire.U32_MAX + 1, 1));
        assertRefused(w, "cluster size", () -> TreeChallengeBody.write(w, 0, 1, 1, 1, -1));
    }

    @Example
    void aRefusalNamesTheBound() {
        final WireWriter w = TreeValues.writer();

        assertRefused(w, "state 3 outside [0, 2]", () -> TreeSuspectBody.write(w, 0, 1, 0, 3));
        assertRefused(w, "level 16 outside [0, 15] and not 255", () -> TreeAdmitBody.write(w, 16, 0));
        assertRefused(w, "epoch -1 outside [0, 4294967295]", () -> TreeChallengeBody.write(w, 0, 1, 1, -1, 1));
    }

    @Example
    void theCoordinateIsZeroedUntilTheCallerFillsIt() {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[128]);
        b.setMemory(0, b.capacity(), (byte)0x5A);
        final WireWriter w = new WireWriter().wrap(b, 4);

        final int at = TreeProbeBody.write(w, 1, 2, 3, 4);

        assertThat(at).isEqualTo(TreeProbeBody.coordinateOffset(4));
        assertThat(w.length()).isEqualTo(TreeProbeBody.LENGTH);
        final byte[] coordinate = new byte[TreeWire.COORDINATE_LENGTH];
        b.getBytes(at, coordinate);
        assertThat(coordinate).containsOnly(0);
    }

    @Provide
    Arbitrary<Descend> descends() {
        return TreeValues.descends();
    }

    @Provide
    Arbitrary<Admit> admits() {
        return TreeValues.admits();
    }

    @Provide
    Arbitrary<Probe> probes() {
        return TreeValues.probes();
    }

    @Provide
    Arbitrary<Suspect> suspects() {
        return TreeValues.suspects();
    }

    @Provide
    Arbitrary<Challenge> challenges() {
        return TreeValues.challenges();
    }
}
