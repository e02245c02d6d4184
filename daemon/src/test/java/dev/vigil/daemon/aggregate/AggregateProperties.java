package dev.vigil.daemon.aggregate;

import dev.vigil.daemon.stats.Moments;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The aggregate is state based: whatever order summaries arrive in, with duplicates, resends and
 * stale versions interleaved, it ends bit for bit where offering each contributor's latest version
 * once, in id order, ends; nothing is counted twice; removal survives late resends.
 */
class AggregateProperties {

    /**
     * Contributors with one to four versions each (each version its own data), and the offers a
     * head might see: every version at least once, some several times, shuffled.
     */
    record Scenario(long seed, int dimension, List<Summary> latest, List<Summary> offers) {
        @Override
        public String toString() {
            return "Scenario[seed=" + seed + "L, d=" + dimension + ", contributors=" + latest.size() + ", offers=" + offers.size() + "]";
        }
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(1, 6), Arbitraries.integers().between(1, 30))
            .as(AggregateProperties::scenario);
    }

    static Scenario scenario(final long seed, final int dimension, final int contributors) {
        final Random random = new Random(seed);
        final Fleet fleet = new Fleet(Fleet.Regime.values()[random.nextInt(3)], dimension, contributors * 4, 12, random.nextLong());
        final List<Summary> latest = new ArrayList<>();
        final List<Summary> offers = new ArrayList<>();
        final List<Long> ids = new ArrayList<>();
        while (ids.size() < contributors) {
            final long id = random.nextInt(4) == 0 ? random.nextInt(8) : random.nextLong(); // small ids collide with nothing but sort first
            if (!ids.contains(id)) {
                ids.add(id);
            }
        }
        for (int c = 0; c < contributors; c++) {
            final int versions = 1 + random.nextInt(4);
            long version = random.nextInt(3);
            Summary s = null;
            for (int v = 0; v < versions; v++) {
                version += 1 + random.nextInt(1000);
                s = new Summary(ids.get(c), version, 0, random.nextInt(20), 1, fleet.moments(c * 4 + v));
                final int copies = 1 + (random.nextInt(3) == 0 ? random.nextInt(3) : 0);
                for (int k = 0; k < copies; k++) {
                    offers.add(s);
                }
            }
            latest.add(s);
        }
        Collections.shuffle(offers, random);
        return new Scenario(seed, dimension, latest, offers);
    }

    @Property(tries = 300)
    void anyOrderWithDuplicatesAndStaleVersionsEndsBitIdenticalToTheLatestInIdOrder(@ForAll("scenarios") final Scenario s) {
        final Aggregate shuffled = new Aggregate(s.dimension(), 64);
        for (final Summary offer : s.offers()) {
            shuffled.offer(offer);
        }
        final Aggregate reference = new Aggregate(s.dimension(), 64);
        final List<Summary> inIdOrder = new ArrayList<>(s.latest());
        inIdOrder.sort(Comparator.comparing(Summary::contributorId, Long::compareUnsigned));
        for (final Summary latest : inIdOrder) {
            assertThat(reference.offer(latest)).isTrue();
        }

        assertThat(Fleet.bits(shuffled.merged())).isEqualTo(Fleet.bits(reference.merged()));
        assertThat(shuffled.versionsDigest()).isEqualTo(reference.versionsDigest());
        assertThat(shuffled.contributors()).isEqualTo(reference.contributors()).isEqualTo(s.latest().size());
        assertThat(shuffled.agentCount()).isEqualTo(reference.agentCount());
        assertThat(shuffled.leafCount()).isEqualTo(s.latest().size());
        // and that is the plain fixed-order merge of the latest statistics: nothing counted twice
        final List<Moments> parts = new ArrayList<>();
        for (final Summary latest : inIdOrder) {
            parts.add(latest.moments());
        }
        assertThat(Fleet.bits(shuffled.merged())).isEqualTo(Fleet.bits(Moments.mergeInOrder(s.dimension(), parts)));
        assertThat(shuffled.accepted() + shuffled.ignored()).isEqualTo(s.offers().size());
        assertThat(shuffled.ignoredConflicting()).isZero();
    }

    @Property(tries = 200)
    void replayingEverythingAgainChangesNothing(@ForAll("scenarios") final Scenario s) {
        final Aggregate aggregate = new Aggregate(s.dimension(), 64);
        s.offers().forEach(aggregate::offer);
        final byte[] bits = Fleet.bits(aggregate.merged());
        final byte[] digest = aggregate.versionsDigest();
        final long accepted = aggregate.accepted();

        for (final Summary offer : s.offers()) {
            assertThat(aggregate.offer(offer)).isFalse();
        }

        assertThat(Fleet.bits(aggregate.merged())).isEqualTo(bits);
        assertThat(aggregate.versionsDigest()).isEqualTo(digest);
        assertThat(aggregate.accepted()).isEqualTo(accepted);
    }

    @Property(tries = 200)
    void aRemovedContributorIsNotBroughtBackByALateResendButIsByANewerVersion(@ForAll("scenarios") final Scenario s) {
        final Aggregate aggregate = new Aggregate(s.dimension(), 64);
        s.offers().forEach(aggregate::offer);
        final Summary gone = s.latest().get(0);

        assertThat(aggregate.remove(gone.contributorId())).isTrue();
        final byte[] without = Fleet.bits(aggregate.merged());
        final byte[] digestWithout = aggregate.versionsDigest();
        for (final Summary offer : s.offers()) {
            aggregate.offer(offer); // every resend, the departed contributor's included
        }

        assertThat(aggregate.contributors()).isEqualTo(s.latest().size() - 1);
        assertThat(Fleet.bits(aggregate.merged())).isEqualTo(without);
        assertThat(aggregate.versionsDigest()).isEqualTo(digestWithout);
        assertThat(aggregate.ignoredDeparted()).isPositive();

        final Summary back = new Summary(gone.contributorId(), gone.version() + 1, 0, gone.agentCount(), 1, gone.moments());
        assertThat(aggregate.offer(back)).isTrue();
        assertThat(aggregate.contributors()).isEqualTo(s.latest().size());
    }

    @Property(tries = 200)
    void theDigestNamesTheVersionsAndNotTheArrivalOrder(@ForAll("scenarios") final Scenario s) {
        final Aggregate aggregate = new Aggregate(s.dimension(), 64);
        s.offers().forEach(aggregate::offer);
        final byte[] before = aggregate.versionsDigest();
        final Summary first = s.latest().get(0);

        aggregate.offer(new Summary(first.contributorId(), first.version() + 1, 0, first.agentCount(), 1, first.moments()));

        assertThat(before).hasSize(32);
        assertThat(aggregate.versionsDigest()).isNotEqualTo(before);
    }

    @Example
    void sameVersionWithOtherStatisticsIsIgnoredAndCountedAsConflicting() {
        final Fleet fleet = new Fleet(Fleet.Regime.MIXED_SCALES, 3, 2, 10, 3L);
        final Moments a = fleet.moments(0);
        final Moments b = fleet.moments(1);
        final Aggregate aggregate = new Aggregate(3, 4);

        assertThat(aggregate.offer(new Summary(5, 9, 0, 1, 1, a))).isTrue();
        assertThat(aggregate.offer(new Summary(5, 9, 0, 1, 1, a))).isFalse();
        assertThat(aggregate.offer(new Summary(5, 9, 0, 1, 1, b))).isFalse();
        assertThat(aggregate.offer(new Summary(5, 8, 0, 1, 1, b))).isFalse();

        assertThat(aggregate.ignoredSame()).isEqualTo(1);
        assertThat(aggregate.ignoredConflicting()).isEqualTo(1);
        assertThat(aggregate.ignoredOlder()).isEqualTo(1);
        assertThat(Fleet.bits(aggregate.merged())).isEqualTo(Fleet.bits(a));
    }

    @Example
    void aFullAggregateRefusesNewContributorsButStillTakesNewerVersionsOfHeldOnes() {
        final Fleet fleet = new Fleet(Fleet.Regime.MIXED_SCALES, 2, 4, 10, 4L);
        final Aggregate aggregate = new Aggregate(2, 2);
        aggregate.offer(new Summary(1, 1, 0, 1, 1, fleet.moments(0)));
        aggregate.offer(new Summary(2, 1, 0, 1, 1, fleet.moments(1)));

        assertThat(aggregate.offer(new Summary(3, 1, 0, 1, 1, fleet.moments(2)))).isFalse();
        assertThat(aggregate.offer(new Summary(2, 2, 0, 1, 1, fleet.moments(3)))).isTrue();
        assertThat(aggregate.refusedFull()).isEqualTo(1);
        assertThat(aggregate.contributors()).isEqualTo(2);
    }

    @Example
    void summariesCopyTheirStatisticsInAndOut() {
        final Fleet fleet = new Fleet(Fleet.Regime.MIXED_SCALES, 2, 1, 10, 6L);
        final Moments m = fleet.moments(0);
        final byte[] bits = Fleet.bits(m);
        final Summary s = new Summary(1, 1, 0, 1, 1, m);

        m.add(new double[] {1e6, -1e6});
        s.moments().add(new double[] {1e6, -1e6});

        assertThat(Fleet.bits(s.moments())).isEqualTo(bits);
    }

    @Example
    void anEmptyAggregateMergesToNothingAndHasNoSummary() {
        final Aggregate aggregate = new Aggregate(3, 4);

        assertThat(aggregate.merged().count()).isZero();
        assertThat(aggregate.versionsDigest()).hasSize(32);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> aggregate.toSummary(1, 1, 1))
            .isInstanceOf(IllegalStateException.class);
    }
}
