package dev.vigil.daemon.net;

import dev.vigil.crypto.ClusterCa;
import dev.vigil.crypto.PrivateKey;
import dev.vigil.crypto.verdict.Verdict;
import dev.vigil.crypto.verdict.VerdictCertificate;
import dev.vigil.crypto.verdict.VerdictSignature;
import dev.vigil.daemon.alerting.AlertRules;
import dev.vigil.daemon.alerting.Alerting;
import dev.vigil.daemon.config.AlertingSettings;
import dev.vigil.daemon.detect.DetectionConfig;
import dev.vigil.daemon.detect.Detector;
import dev.vigil.daemon.detect.FeatureSchema;
import dev.vigil.daemon.verdict.VerdictBook;
import dev.vigil.storage.MemoryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What fires and what resolves: at start, the alarms the detector holds and the standing convictions
 * of agents this node observes (not released ones, not other nodes' agents); later, each alarm and
 * conviction as it comes, each resolved by its release, and a conviction whose release came first
 * never fires.
 */
class AlertFeedTest {
    private static final long T0 = 1_767_225_600_000_000L;
    private static final long MINUTE = 60_000_000L;
    private static final double[] TYPICAL = {10, 5, 3, 1000, 200, 0.01, 800, 2, 5000, 1};
    private static final PrivateKey CA_KEY = PrivateKey.generate(new SecureRandom());
    private static final PrivateKey MEMBER = PrivateKey.generate(new SecureRandom());

    private final Detector detector = new Detector(FeatureSchema.agentDefault(),
        new DetectionConfig(60, 1440, 0, 20, 1.5, 4.0, Double.NEGATIVE_INFINITY, 16, 32, 0.01, 0.999, 10, 300));
    // nothing listens there: the alerts wait and retry, which is all this test needs of the sender
    private final Alerting alerting = Alerting.start(new AlertingSettings(List.of(URI.create("http://127.0.0.1:9")), 60_000, 64, 1_000));
    private final VerdictBook book = new VerdictBook(new MemoryStore("verdicts", 100), 100);
    private final AlertFeed feed = new AlertFeed(alerting, "00ab", detector, () -> T0 / 1000);

    @AfterEach
    void close() {
        alerting.close();
    }

    private void drive(final String agent, final boolean turns) {
        long t = T0;
        for (int i = 0; i < 60; i++, t += MINUTE) {
            final double[] raw = TYPICAL.clone();
            raw[0] *= 1 + 0.1 * (i % 3);
            detector.observe(agent, "coder", t, raw);
        }
        for (int i = 0; turns && i < 10; i++, t += MINUTE) {
            final double[] raw = TYPICAL.clone();
            raw[0] *= 30;
            raw[3] *= 1000;
            detector.observe(agent, "coder", t, raw);
        }
    }

    private static VerdictCertificate convict(final String agent, final long seq) {
        final Verdict v = Verdict.convict(agent).f(0).shard(1).epoch(1).sequence(seq).issuedAtMicros(T0).logOdds(9).posterior(0.9999)
            .versionVectorDigest(new byte[32]).build();
        return VerdictCertificate.ofQuorum(v, List.of(VerdictSignature.sign(v, MEMBER,
            new ClusterCa(CA_KEY).issue(MEMBER.publicKey(), Instant.parse("2026-01-01T00:00:00Z"), Duration.ofDays(365)))));
    }

    private static VerdictCertificate release(final VerdictCertificate convict) {
        final Verdict c = convict.verdict();
        final Verdict r = Verdict.release(c.agentId(), c.id()).f(c.f()).shard(c.shard()).epoch(c.epoch()).view(c.view())
            .sequence(c.sequence()).issuedAtMicros(T0 + 1).versionVectorDigest(c.versionVectorDigest()).build();
        return VerdictCertificate.ofOperator(r, VerdictSignature.signAsOperator(r, CA_KEY));
    }

    private boolean firing(final VerdictCertificate c) {
        return alerting.firing(AlertRules.verdictKey(c.verdict().id()));
    }

    @Test
    void whatHoldsAtStartFiresAndEachReleaseResolvesItsAlert() {
        drive("rogue", true);
        drive("steady", false);
        final VerdictCertificate standing = convict("rogue", 5);
        final VerdictCertificate retracted = convict("steady", 3);
        final VerdictCertificate elsewhere = convict("not-observed-here", 4);
        book.add(standing);
        book.add(retracted);
        book.add(release(retracted));
        book.add(elsewhere);
        detector.setStatusListener(feed);

        feed.start(book);

        assertThat(alerting.firing(AlertRules.alarmKey("rogue"))).isTrue();
        assertThat(alerting.firing(AlertRules.alarmKey("steady"))).isFalse();
        assertThat(firing(standing)).isTrue();
        assertThat(firing(retracted)).as("released before the restart").isFalse();
        assertThat(firing(elsewhere)).as("its observers alert, not this node").isFalse();
        assertThat(alerting.status().firing()).isEqualTo(2);

        final VerdictCertificate releaseOfStanding = release(standing);
        book.add(releaseOfStanding);
        feed.onRelease(releaseOfStanding);
        assertThat(firing(standing)).isFalse();
        assertThat(alerting.firing(AlertRules.alarmKey("rogue"))).as("the local alarm has its own release").isTrue();

        detector.release("rogue", T0 + 100 * MINUTE);
        assertThat(alerting.firing(AlertRules.alarmKey("rogue"))).isFalse();

        // a conviction that arrives after its release (flooding has no order) never fires
        final VerdictCertificate late = convict("rogue", 9);
        book.add(release(late));
        book.add(late);
        feed.onVerdict(late, true);
        assertThat(firing(late)).isFalse();

        final VerdictCertificate fresh = convict("rogue", 12);
        book.add(fresh);
        feed.onVerdict(fresh, false);
        assertThat(firing(fresh)).as("not observed here").isFalse();
        feed.onVerdict(fresh, true);
        assertThat(firing(fresh)).isTrue();
        assertThat(alerting.status().resolved()).isEqualTo(2);
    }
}
