package dev.vigil.daemon.history;

import dev.vigil.daemon.detect.AgentRecord;
import dev.vigil.daemon.detect.AgentStatus;
import dev.vigil.daemon.detect.DetectionConfig;
import dev.vigil.daemon.detect.Detector;
import dev.vigil.daemon.detect.FeatureSchema;
import dev.vigil.daemon.detect.StoreRefusal;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentHistoryTest {
    private static final long S = 1_000_000L;
    private static final long MIN = 60 * S;
    private static final long HOUR = 60 * MIN;
    private static final long DAY = 24 * HOUR;
    private static final long T0 = 1_700_000_000L * S / DAY * DAY; // a day boundary
    private static final int D = 3;

    private static AgentRecord rec(final String id, final AgentStatus status, final long n, final long ts) {
        return new AgentRecord(id, "r", status, status == AgentStatus.NORMAL ? 0 : 25, n, 0, ts, -1, -1);
    }

    /** One observation every 10 s over [from, to) with value (k, k mod 7, 1). */
    private static long feed(final AgentHistory h, final String id, final long from, final long to, final long n0) {
        long n = n0;
        for (long t = from; t < to; t += 10 * S) {
            n++;
            h.append(rec(id, AgentStatus.NORMAL, n, t), t, new double[]{n, n % 7, 1}, true, 1.5);
        }
        return n;
    }

    @Test
    void minuteRollupsArePackedPerHourAndExpireByTheHour() {
        final HistoryConfig config = HistoryConfig.defaults().withExpectedAgents(4);
        final HistoryStores stores = HistoryStores.inMemory(config, D);
        final AgentHistory h = stores.history(config, D);
        feed(h, "a", T0, T0 + 3 * HOUR + 30 * MIN, 0);
        h.flushClosed(T0 + 3 * HOUR + 30 * MIN);
        final dev.vigil.storage.KeyValueStore minutes = stores.store(Tier.MINUTE.label());
        assertThat(minutes.size()).as("three whole hours and the half hour since: four entries, not 209").isEqualTo(4);
        final byte[] second = minutes.get(AgentHistory.bucketKey(AgentHistory.agentKey("a"), Tier.HOUR.bucketOf(T0) + 1));
        assertThat(MinutePack.count(second, D)).isEqualTo(60);
        assertThat(MinutePack.rollup(second, D, Tier.MINUTE.bucketOf(T0 + HOUR + 5 * MIN)).count()).isEqualTo(6);

        // a week and 90 minutes later: the first hour has wholly expired, the second only partly, so it stays
        final long now = T0 + 7 * DAY + 90 * MIN;
        feed(h, "a", now - 10 * S, now, 1_000);
        while (h.retentionPass(now) > 0) {
            // until nothing more expires
        }
        assertThat(minutes.get(AgentHistory.bucketKey(AgentHistory.agentKey("a"), Tier.HOUR.bucketOf(T0)))).isNull();
        assertThat(minutes.get(AgentHistory.bucketKey(AgentHistory.agentKey("a"), Tier.HOUR.bucketOf(T0) + 1))).isNotNull();
        final Series week = h.series("a", now - 7 * DAY, now, HOUR, now);
        assertThat(week.tier()).isEqualTo("minute");
        // steps start on whole hours: the first is the second hour of the feed, whose pack is kept whole
        assertThat(week.points().get(0).tMicros()).isEqualTo(T0 + HOUR);
        assertThat(week.points().subList(0, 3)).extracting(Series.Point::count).containsExactly(360L, 360L, 180L);
    }

    /**
     * An agent that sends its history (or a node whose clock runs ahead of its agents): the flush on
     * the node's clock writes and forgets a bucket while observations for it still come. They are
     * added to the stored rollup, in every tier; none is written over.
     */
    @Test
    void observationsOfABucketTheFlushAlreadyWroteAreAddedToItNotWrittenOverIt() {
        final HistoryConfig config = HistoryConfig.defaults().withExpectedAgents(4);
        final AgentHistory h = HistoryStores.inMemory(config, D).history(config, D);
        final long clock = T0 + 2 * DAY; // the node's clock, ahead of the observations' time
        long n = feed(h, "a", T0, T0 + 30 * S, 0); // 3 in minute 0
        assertThat(h.flushClosed(clock)).as("minute, hour and day written and forgotten").isEqualTo(3);
        n = feed(h, "a", T0 + 30 * S, T0 + 90 * S, n); // 3 more in minute 0, 3 in minute 1
        h.flushClosed(clock);
        feed(h, "a", T0 + 90 * S, T0 + 2 * MIN, n); // the rest of minute 1
        h.flushClosed(clock);

        final Series minutes = h.series("a", T0, T0 + HOUR, MIN, T0 + 2 * DAY);
        assertThat(minutes.tier()).isEqualTo("minute");
        assertThat(minutes.points().subList(0, 2)).extracting(Series.Point::count).containsExactly(6L, 6L);
        assertThat(minutes.points().get(0).mean()[0]).isEqualTo(3.5); // observations 1..6
        final Series hours = h.series("a", T0, T0 + DAY, HOUR, T0 + 8 * DAY);
        assertThat(hours.tier()).isEqualTo("hour");
        assertThat(hours.points().get(0).count()).isEqualTo(12);
        final Series days = h.series("a", T0, T0 + DAY, DAY, T0 + 60 * DAY);
        assertThat(days.tier()).isEqualTo("day");
        assertThat(days.points().get(0).count()).isEqualTo(12);
    }

    @Test
    void aSeriesComesFromTheFinestTierThatCoversItsRange() {
        final HistoryStores stores = HistoryStores.inMemory(HistoryConfig.defaults().withExpectedAgents(4), D);
        final AgentHistory h = stores.history(HistoryConfig.defaults(), D);
        feed(h, "a", T0, T0 + 9 * DAY, 0);
        final long now = T0 + 9 * DAY;
        h.flushClosed(now);

        final Series lastDay = h.series("a", now - DAY, now, HOUR, now);
        assertThat(lastDay.tier()).isEqualTo("raw");
        assertThat(lastDay.points()).hasSize(24);
        assertThat(lastDay.points()).allSatisfy(p -> assertThat(p.count()).isEqualTo(360));
        // the first hour of the last day: observations numbered 8*8640+1 .. 8*8640+360
        final long first = 8 * 8640 + 1;
        assertThat(lastDay.points().get(0).mean()[0]).isEqualTo((first + first + 359) / 2.0);
        assertThat(lastDay.points().get(0).sd()[2]).isEqualTo(0.0);

        final Series week = h.series("a", now - 7 * DAY, now, DAY, now);
        assertThat(week.tier()).isEqualTo("minute");
        assertThat(week.points()).hasSize(7).allSatisfy(p -> assertThat(p.count()).isEqualTo(8640));
        // the last day of the week: observations numbered 8*8640+1 .. 9*8640, whose mean is exact in f64.
        // Minute means are stored rounded to storage.minute_precision_bits of mantissa, each off by at most
        // half a unit in the last place kept (32 for values in [2^16, 2^17) at 10 bits); a day's mean is a
        // weighted mean of them, so it is off by no more than that, plus f64 rounding in the merge.
        final double lastDayMean = (8 * 8640 + 1 + 9 * 8640) / 2.0;
        final double halfUnit = Math.ulp(lastDayMean) * Math.pow(2, MinutePack.PRECISION_EXACT - HistoryConfig.defaults().minutePrecisionBits()) / 2;
        assertThat(week.points().get(6).mean()[0])
            .isCloseTo(lastDayMean, org.assertj.core.data.Offset.offset(halfUnit + 1e-6));
        assertThat(week.points().get(6).mean()[0]).as("rounded, not exact: the bound above is not vacuous").isNotEqualTo(lastDayMean);

        final Series month = h.series("a", now - 9 * DAY, now, DAY, now);
        assertThat(month.tier()).isEqualTo("hour");
        assertThat(month.points()).hasSize(9).allSatisfy(p -> assertThat(p.count()).isEqualTo(8640));
        // hours are f32: each hour's mean (here 180.5 to 8460.5, exact in f32) is kept exactly, so the day's is exact too
        assertThat(month.points().get(0).mean()[0]).isEqualTo((1 + 8640) / 2.0);

        final Series old = h.series("a", now - 60 * DAY, now, DAY, now);
        assertThat(old.tier()).isEqualTo("day");
        assertThat(old.points().stream().mapToLong(Series.Point::count).sum()).isEqualTo(9 * 8640);
        assertThat(h.series("a", now - DAY, now, S, now).stepMicros()).as("a step is a whole number of buckets").isEqualTo(MIN);
        assertThatThrownBy(() -> h.series("a", now, now - DAY, HOUR, now)).isInstanceOf(IllegalArgumentException.class);
        assertThat(h.series("nobody", now - DAY, now, HOUR, now)).isNull();
    }

    @Test
    void retentionPrunesWhatExpiredButKeepsAPinnedAgentsRawBlocks() {
        final HistoryConfig c = HistoryConfig.defaults().withExpectedAgents(4);
        final HistoryStores stores = HistoryStores.inMemory(c, D);
        final AgentHistory h = stores.history(c, D);
        for (final String id : List.of("kept", "n1", "n2")) {
            feed(h, id, T0, T0 + 3 * DAY, 0);
        }
        assertThat(h.pin("kept", T0)).isTrue();
        final long now = T0 + 3 * DAY;
        while (h.retentionPass(now) > 0) {
            // bounded passes until nothing is left to prune
        }
        final long rawLeft = stores.store(HistoryStores.RAW).size();
        // 3 days of minutes for the pinned agent, 1 day (plus the minute at the cut) for each other
        assertThat(rawLeft).isEqualTo(3 * 1440 + 2 * 1440);
        assertThat(h.series("kept", T0, T0 + HOUR, MIN, now).tier()).isEqualTo("raw");
        assertThat(h.series("kept", T0, T0 + HOUR, MIN, now).points().get(0).count()).isEqualTo(6);
        assertThat(h.series("n1", T0, T0 + HOUR, MIN, now).tier()).isEqualTo("minute");

        // released: the next passes prune it like the others
        h.release(rec("kept", AgentStatus.NORMAL, 1, now));
        while (h.retentionPass(now) > 0) {
            // again
        }
        assertThat(stores.store(HistoryStores.RAW).size()).isEqualTo(3 * 1440);
    }

    @Test
    void anAgentThatTurnsSuspectIsPinned() {
        final HistoryConfig c = HistoryConfig.defaults().withExpectedAgents(4);
        final AgentHistory h = HistoryStores.inMemory(c, D).history(c, D);
        h.append(rec("x", AgentStatus.NORMAL, 1, T0), T0, new double[]{1, 2, 3}, true, 1);
        assertThat(h.pinned("x")).isFalse();
        h.append(rec("x", AgentStatus.SUSPECT, 2, T0 + S), T0 + S, new double[]{1, 2, 3}, false, 40);
        assertThat(h.pinned("x")).isTrue();
        assertThat(h.pinnedAgents()).containsExactly("x");
    }

    @Test
    void theBoundOnObservationsPerMinuteRefusesBeforeAnythingIsWritten() {
        final HistoryConfig d = HistoryConfig.defaults();
        final HistoryConfig c = new HistoryConfig(d.rawRetentionMicros(), d.minuteRetentionMicros(), d.hourRetentionMicros(), 0,
            4, 3, 3, 100, 2, 30_000_000L, HistoryConfig.MINUTE_PRECISION_BITS_DEFAULT);
        final AgentHistory h = HistoryStores.inMemory(c, D).history(c, D);
        for (int i = 0; i < 3; i++) {
            h.append(rec("x", AgentStatus.NORMAL, i + 1, T0 + i * S), T0 + i * S, new double[]{1, 2, 3}, true, 1);
        }
        assertThat(h.refusal("x", T0 + 5 * S)).contains("observations_per_minute_max");
        assertThat(h.refusal("x", T0 + MIN)).isNull();
        assertThatThrownBy(() -> h.append(rec("x", AgentStatus.NORMAL, 4, T0 + 5 * S), T0 + 5 * S, new double[]{1, 2, 3}, true, 1))
            .isInstanceOf(StoreRefusal.class);
        assertThat(h.series("x", T0, T0 + MIN, MIN, T0 + MIN).points().get(0).count()).isEqualTo(3);
    }

    @Test
    void baselinesRebuiltInBatchMergesAfterARestartAreTheBitsOfAgentsRebuiltOneByOne() {
        final HistoryConfig c = HistoryConfig.defaults().withExpectedAgents(16);
        final FeatureSchema schema = FeatureSchema.agentDefault();
        final int d = schema.size();
        final HistoryStores stores = HistoryStores.inMemory(c, d);
        final DetectionConfig dc = DetectionConfig.defaults();
        final Detector before = new Detector(schema, dc);
        before.setJournal(new HistoryJournal(stores.history(c, d)));
        final SplittableRandom r = new SplittableRandom(11);
        final int agents = 5;
        long t = T0;
        for (int i = 0; i < 2 * 4320; i++, t += 20 * S) {
            for (int a = 0; a < agents; a++) {
                final double[] x = new double[d];
                for (int k = 0; k < d; k++) {
                    x[k] = (a + 1) * 3 + r.nextGaussian() * (k + 1);
                }
                before.observe("agent-" + a, "worker", t + a * S, x);
            }
        }
        final java.util.List<String> ids = java.util.stream.IntStream.range(0, agents).mapToObj(a -> "agent-" + a).toList();
        final int[] merges = new int[2]; // calls, groups
        final dev.vigil.accel.Kernels counting = new dev.vigil.accel.Kernels() {
            @Override
            public String name() {
                return "counting";
            }

            @Override
            public void sum(final double[] xs, final int off, final int len, final dev.vigil.accel.ExactSum into) {
                dev.vigil.accel.JavaKernels.INSTANCE.sum(xs, off, len, into);
            }

            @Override
            public void sum(final double[] xs, final int[] ends, final dev.vigil.accel.ExactSum[] into) {
                dev.vigil.accel.JavaKernels.INSTANCE.sum(xs, ends, into);
            }

            @Override
            public void score(final dev.vigil.accel.Baselines b, final double[] xs, final int[] of, final int n, final double[] out) {
                dev.vigil.accel.JavaKernels.INSTANCE.score(b, xs, of, n, out);
            }

            @Override
            public void merge(final dev.vigil.accel.MomentsBatch parts, final int[] ends, final int groups,
                              final dev.vigil.accel.MomentsBatch out) {
                merges[0]++;
                merges[1] += groups;
                dev.vigil.accel.JavaKernels.INSTANCE.merge(parts, ends, groups, out);
            }

            @Override
            public dev.vigil.accel.Combination combine(final double[] totals, final int n, final dev.vigil.accel.CombineRule rule) {
                return dev.vigil.accel.JavaKernels.INSTANCE.combine(totals, n, rule);
            }
        };
        // two restarts from the same stores: one rebuilds on its maintenance pass, the other as each agent is touched
        final Detector batched = new Detector(schema, dc, counting);
        final AgentHistory hBatched = stores.history(c, d);
        batched.setJournal(new HistoryJournal(hBatched));
        batched.restore(hBatched.load().stream().map(StoredAgent::record).toList());
        final Detector oneByOne = new Detector(schema, dc);
        final AgentHistory hOne = stores.history(c, d);
        oneByOne.setJournal(new HistoryJournal(hOne));
        oneByOne.restore(hOne.load().stream().map(StoredAgent::record).toList());

        assertThat(batched.restorePending(100)).isZero();
        ids.forEach(oneByOne::agent);

        assertThat(merges).as("one batch merge, a group per agent").containsExactly(1, agents);
        for (final String id : ids) {
            final dev.vigil.daemon.stats.Moments expected = oneByOne.ownBaseline(id);
            assertThat(expected).as(id).isNotNull();
            assertThat(expected.count()).as("%s: a day of observations minus the lag", id).isGreaterThan(4000);
            assertThat(bytes(batched.ownBaseline(id))).as(id).isEqualTo(bytes(expected));
        }
    }

    private static byte[] bytes(final dev.vigil.daemon.stats.Moments m) {
        final byte[] out = new byte[dev.vigil.daemon.stats.Moments.encodedLength(m.dimension())];
        m.writeTo(new org.agrona.concurrent.UnsafeBuffer(out), 0);
        return out;
    }

    @Test
    void aRestartWithoutAFlushRestoresDetectionStateAndHistory() {
        final HistoryConfig c = HistoryConfig.defaults().withExpectedAgents(16);
        final FeatureSchema schema = FeatureSchema.agentDefault();
        final int d = schema.size();
        final HistoryStores stores = HistoryStores.inMemory(c, d);
        final DetectionConfig dc = DetectionConfig.defaults();
        final Detector before = new Detector(schema, dc);
        final AgentHistory h1 = stores.history(c, d);
        before.setJournal(new HistoryJournal(h1));
        final SplittableRandom r = new SplittableRandom(7);
        long t = T0;
        for (int i = 0; i < 3 * 8640; i++, t += 10 * S) {
            for (int a = 0; a < 3; a++) {
                final double[] x = new double[d];
                for (int k = 0; k < d; k++) {
                    x[k] = 5 + r.nextDouble() * (a == 2 && i > 3 * 8640 - 400 ? 40 : 1);
                }
                before.observe("agent-" + a, "worker", t + a * S, x);
            }
        }
        final long now = t;
        final Series seriesBefore = h1.series("agent-1", now - 2 * DAY, now, HOUR, now);
        // killed: no flush, no close; the stores are all that is left
        final AgentHistory h2 = stores.history(c, d);
        final Detector after = new Detector(schema, dc);
        after.setJournal(new HistoryJournal(h2));
        after.restore(h2.load().stream().map(StoredAgent::record).toList());
        for (int a = 0; a < 3; a++) {
            assertThat(after.record("agent-" + a)).isEqualTo(before.record("agent-" + a));
        }
        assertThat(before.record("agent-2").status()).isNotEqualTo(AgentStatus.NORMAL);
        assertThat(h2.pinned("agent-2")).isTrue();
        assertThat(after.restorePending(100)).isZero();
        assertThat(after.windowStatistics().count()).isEqualTo(before.windowStatistics().count());
        assertThat(after.agent("agent-0").baselineObservations()).isEqualTo(before.agent("agent-0").baselineObservations());
        final Series seriesAfter = h2.series("agent-1", now - 2 * DAY, now, HOUR, now);
        assertThat(seriesAfter.points()).hasSameSizeAs(seriesBefore.points());
        for (int i = 0; i < seriesBefore.points().size(); i++) {
            assertThat(seriesAfter.points().get(i).count()).isEqualTo(seriesBefore.points().get(i).count());
        }
        // and it goes on from where it was
        assertThat(after.observe("agent-0", "worker", now + S, new double[d])).isNotNull();
        assertThat(after.record("agent-0").observations()).isEqualTo(before.record("agent-0").observations() + 1);
    }
}
