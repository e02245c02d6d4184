package dev.vigil.daemon.aggregate;

import dev.vigil.daemon.stats.Moments;
import dev.vigil.wire.StatUpdateBody;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An aggregate's and a summary's bounds, counters and views, value by value. */
class AggregateBoundsTest {
    private static Summary summary(final long id, final long version, final double value) {
        final Moments m = new Moments(1);
        m.add(new double[] {value});
        return new Summary(id, version, 0, 2, 1, m);
    }

    @Test
    void dimensionAndContributorBoundsAreAcceptedAtTheirEdges() {
        assertThatCode(() -> new Aggregate(1, 1)).doesNotThrowAnyException();
        assertThat(new Aggregate(StatUpdateBody.FEATURES_MAX, Aggregate.CONTRIBUTORS_MAX_LIMIT).dimension())
            .isEqualTo(StatUpdateBody.FEATURES_MAX);
        assertThatThrownBy(() -> new Aggregate(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Aggregate(StatUpdateBody.FEATURES_MAX + 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Aggregate(1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Aggregate(1, Aggregate.CONTRIBUTORS_MAX_LIMIT + 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyIgnoredOfferIsCountedUnderItsReasonAndInTheTotal() {
        final Aggregate a = new Aggregate(1, 2);
        assertThat(a.offer(summary(1, 5, 1.0))).isTrue();
        assertThat(a.offer(summary(2, 5, 1.0))).isTrue();
        assertThat(a.offer(summary(1, 4, 1.0))).isFalse();
        assertThat(a.offer(summary(1, 5, 1.0))).isFalse();
        assertThat(a.offer(summary(1, 5, 1.0))).isFalse();
        assertThat(a.offer(summary(1, 5, 2.0))).isFalse();
        assertThat(a.offer(summary(1, 5, 3.0))).isFalse();
        assertThat(a.offer(summary(1, 5, 4.0))).isFalse();
        assertThat(a.offer(summary(3, 1, 1.0))).as("full").isFalse();
        assertThat(a.remove(2)).isTrue();
        assertThat(a.remove(2)).isFalse();
        for (int i = 0; i < 4; i++) {
            assertThat(a.offer(summary(2, 5, 1.0))).isFalse();
        }
        assertThat(a.ignoredOlder()).isEqualTo(1);
        assertThat(a.ignoredSame()).isEqualTo(2);
        assertThat(a.ignoredConflicting()).isEqualTo(3);
        assertThat(a.ignoredDeparted()).isEqualTo(4);
        assertThat(a.refusedFull()).isEqualTo(1);
        assertThat(a.ignored()).isEqualTo(11);
        assertThat(a.accepted()).isEqualTo(2);
    }

    @Test
    void onlyTheNewestTombstonesAreKept() {
        final Aggregate a = new Aggregate(1, 2);
        for (long id = 1; id <= 3; id++) {
            a.offer(summary(id == 3 ? 3 : id, 5, 1.0));
            if (id < 3) {
                a.remove(id);
            }
        }
        a.remove(3);
        assertThat(a.contributors()).isZero();
        assertThat(a.offer(summary(1, 5, 1.0))).as("contributor 1's tombstone was the oldest of three").isTrue();
        assertThat(a.offer(summary(2, 5, 1.0))).isFalse();
        a.readmit(2);
        assertThat(a.offer(summary(2, 5, 1.0))).as("readmitted").isTrue();
    }

    @Test
    void viewsOfTheHeldSummaries() {
        final Aggregate a = new Aggregate(1, 8);
        a.offer(summary(7, 3, 1.0));
        a.offer(summary(-1, 4, 3.0)); // unsigned: after 7
        assertThat(a.held(7).version()).isEqualTo(3);
        assertThat(a.held(8)).isNull();
        assertThat(a.version(-1)).isEqualTo(4);
        assertThat(a.version(8)).isEqualTo(-1);
        assertThat(a.summaries()).extracting(Summary::contributorId).containsExactly(7L, -1L);
        assertThat(a.agentCount()).isEqualTo(4);
        assertThat(a.leafCount()).isEqualTo(2);
        assertThat(a.mergedExcluding(id -> id == 7).count()).isEqualTo(1);
        assertThat(a.mergedExcluding(id -> id == 7).mean(0)).isEqualTo(3.0);
        assertThat(a.mergedExcluding(id -> false).mean(0)).isEqualTo(2.0);
        assertThat(a.toSummary(9, 1, 1).contributorCount()).isEqualTo(2);
        assertThatThrownBy(() -> a.toSummary(9, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theVersionsDigestIsSha256OverDomainCountAndIdVersionPairs() throws Exception {
        final Aggregate a = new Aggregate(1, 8);
        a.offer(summary(7, 3, 1.0));
        a.offer(summary(-1, 4, 3.0));
        final MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update("vigil/aggregate-versions/v1".getBytes(StandardCharsets.US_ASCII));
        final ByteBuffer b = ByteBuffer.allocate(4 + 32).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(2).putLong(7).putLong(3).putLong(-1).putLong(4);
        sha.update(b.array());
        assertThat(a.versionsDigest()).isEqualTo(sha.digest());
    }

    @Test
    void aSummaryTakesEachFieldToTheEdgeOfItsRange() {
        final Moments m = new Moments(1);
        assertThatCode(() -> new Summary(1, 0, 0, 0, 1, m)).doesNotThrowAnyException();
        final Summary top = new Summary(1, Long.MAX_VALUE, 255, StatUpdateBody.U32_MAX, StatUpdateBody.U32_MAX, m);
        assertThat(top.level()).isEqualTo(255);
        assertThat(top.agentCount()).isEqualTo(StatUpdateBody.U32_MAX);
        assertThatThrownBy(() -> new Summary(1, -1, 0, 0, 1, m)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Summary(1, 0, -1, 0, 1, m)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Summary(1, 0, 256, 0, 1, m)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Summary(1, 0, 1, -1, 1, m)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Summary(1, 0, 1, StatUpdateBody.U32_MAX + 1, 1, m)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Summary(1, 0, 1, 0, 0, m)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Summary(1, 0, 1, 0, StatUpdateBody.U32_MAX + 1, m)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Summary(1, 0, 0, 0, 2, m)).as("a leaf is one contributor").isInstanceOf(IllegalArgumentException.class);
        assertThat(new Summary(-2, 3, 1, 4, 5, m).toString())
            .isEqualTo("Summary[contributor=18446744073709551614, version=3, level=1, agents=4, contributors=5, count=0]");
    }
}
