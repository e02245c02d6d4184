package dev.vigil.daemon.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.daemon.config.AlertingSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sender against a stand-in Alertmanager on loopback: a failed POST is tried again with a
 * doubling backoff; at the queue bound the oldest waiting update makes room; a resolution replaces
 * the firing update it ends; refused alerts are dropped, not retried; firing alerts are re-sent each
 * interval with {@code endsAt} four intervals ahead; every Alertmanager gets every alert; and every
 * update offered is accounted for.
 */
class AlertSenderTest {
    private static final long NOW_MS = 1_767_225_600_000L;
    private static final long HOUR_MS = 3_600_000;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (final AutoCloseable c : closing) {
            c.close();
        }
    }

    private StubAlertmanager stub() throws IOException {
        final StubAlertmanager s = new StubAlertmanager();
        closing.add(s);
        return s;
    }

    private Alerting alerting(final long resendMs, final int queueMax, final StubAlertmanager... stubs) {
        final List<URI> urls = new ArrayList<>();
        for (final StubAlertmanager s : stubs) {
            urls.add(s.base());
        }
        final Alerting a = new Alerting(new AlertingSettings(urls, resendMs, queueMax, 5_000), () -> NOW_MS, 50);
        closing.add(0, a);
        return a;
    }

    private static Alert alarm(final String agent) {
        return AlertRules.agentAlarm("node1", agent, "coder", (NOW_MS - 60_000) * 1000, 61.5, List.of(), NOW_MS);
    }

    private static void awaitThat(final Supplier<Boolean> condition) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10)).until(condition::get);
    }

    @Test
    void aFailedPostIsTriedAgainWithADoublingBackoffUntilAlertmanagerTakesIt() throws IOException {
        final StubAlertmanager stub = stub().answer(503, 503, 500);
        final Alerting alerting = alerting(HOUR_MS, 16, stub);

        alerting.fire(alarm("x"));

        awaitThat(() -> alerting.status().alertmanagers().get(0).sent() == 1);
        final List<StubAlertmanager.Request> r = stub.requests();
        assertThat(r).extracting(StubAlertmanager.Request::answered).containsExactly(503, 503, 500, 200);
        assertThat(r).allSatisfy(q -> assertThat(q.agents()).containsExactly("x"));
        for (int i = 0; i + 1 < r.size(); i++) {
            final long backoffMs = 50L << i;
            assertThat((r.get(i + 1).arrivedNanos() - r.get(i).arrivedNanos()) / 1_000_000).as("wait before try %d", i + 2)
                .isGreaterThanOrEqualTo(backoffMs);
        }
        final AlertTarget.Status s = alerting.status().alertmanagers().get(0);
        assertThat(s.sent()).isEqualTo(1);
        assertThat(s.failedAttempts()).isEqualTo(3);
        assertThat(s.waiting()).isZero();
        assertThat(s.backoffMs()).as("reset by the POST that went through").isZero();
        assertThat(s.lastError()).isNull();
        assertThat(s.accountedFor()).isTrue();
    }

    @Test
    void atTheQueueBoundTheOldestWaitingUpdateIsDroppedAndCounted() throws IOException {
        final StubAlertmanager stub = stub();
        stub.hold();
        final AlertTarget target = new AlertTarget(stub.base(), HttpClient.newHttpClient(), 3, 5_000, 4 * HOUR_MS, 50, 50,
            () -> NOW_MS, "test-target");
        closing.add(0, target);

        target.offer(alarm("a0"));
        awaitThat(() -> stub.arrived() == 1); // a0's POST is in flight, and a0 still waits until it is through
        for (int i = 1; i <= 4; i++) {
            target.offer(alarm("a" + i));
        }
        assertThat(target.status().waiting()).isEqualTo(3);
        assertThat(target.status().dropped()).containsEntry("queue-full", 2L);

        stub.answer(503);
        stub.open();
        awaitThat(() -> stub.requests().size() == 2);
        assertThat(stub.requests().get(0).agents()).containsExactly("a0");
        assertThat(stub.requests().get(1).agents()).as("the two oldest made room").containsExactly("a2", "a3", "a4");
        awaitThat(() -> target.status().waiting() == 0);
        final AlertTarget.Status s = target.status();
        assertThat(s.offered()).isEqualTo(5);
        assertThat(s.sent()).isEqualTo(3);
        assertThat(s.failedAttempts()).isEqualTo(1);
        assertThat(s.accountedFor()).isTrue();
    }

    @Test
    void aResolutionReplacesTheFiringUpdateStillWaitingSoItIsNeverOvertaken() throws IOException {
        final StubAlertmanager stub = stub();
        stub.hold();
        final Alerting alerting = alerting(HOUR_MS, 16, stub);
        alerting.fire(alarm("first"));
        awaitThat(() -> stub.arrived() == 1);

        alerting.fire(alarm("x"));
        alerting.resolve(AlertRules.alarmKey("x"));
        alerting.resolve(AlertRules.alarmKey("never-fired")); // nothing to resolve: nothing sent
        stub.open();

        awaitThat(() -> stub.requests().size() == 2);
        final JsonNode x = stub.requests().get(1).alerts();
        assertThat(x).hasSize(1);
        assertThat(x.get(0).path("labels").path("agent").asText()).isEqualTo("x");
        assertThat(x.get(0).path("endsAt").asText()).as("resolved now").isEqualTo(Instant.ofEpochMilli(NOW_MS).toString());
        assertThat(alerting.firing(AlertRules.alarmKey("x"))).isFalse();
        final Alerting.Status s = alerting.status();
        assertThat(s.fired()).isEqualTo(2);
        assertThat(s.resolved()).isEqualTo(1);
        assertThat(s.alertmanagers().get(0).replaced()).isEqualTo(1);
        assertThat(s.alertmanagers().get(0).accountedFor()).isTrue();
    }

    @Test
    void alertsAlertmanagerRefusesAreDroppedNotTriedAgainAndDoNotHoldUpTheRest() throws IOException {
        final StubAlertmanager stub = stub().answer(400);
        final Alerting alerting = alerting(HOUR_MS, 16, stub);

        alerting.fire(alarm("refused"));
        awaitThat(() -> stub.requests().size() == 1);
        alerting.fire(alarm("next"));

        awaitThat(() -> stub.requests().size() == 2);
        assertThat(stub.requests().get(1).agents()).containsExactly("next");
        awaitThat(() -> alerting.status().alertmanagers().get(0).sent() == 1);
        final AlertTarget.Status s = alerting.status().alertmanagers().get(0);
        assertThat(s.dropped()).containsEntry("rejected", 1L);
        assertThat(s.failedAttempts()).isZero();
        assertThat(s.accountedFor()).isTrue();
    }

    @Test
    void firingAlertsAreSentAgainEachIntervalValidForFourIntervalsAndNoLongerOnceResolved() throws IOException {
        final StubAlertmanager stub = stub();
        final Alerting alerting = alerting(100, 16, stub);

        alerting.fire(alarm("x"));
        awaitThat(() -> stub.requests().size() >= 3);
        for (final StubAlertmanager.Request r : stub.requests()) {
            final JsonNode a = r.alerts().get(0);
            assertThat(a.path("startsAt").asText()).isEqualTo(Instant.ofEpochMilli(NOW_MS - 60_000).toString());
            assertThat(a.path("endsAt").asText()).isEqualTo(Instant.ofEpochMilli(NOW_MS + 4 * 100).toString());
            assertThat(a.path("labels").path("alertname").asText()).isEqualTo(AlertRules.ALARM);
        }
        alerting.resolve(AlertRules.alarmKey("x"));
        final long rounds = alerting.status().resendRounds();
        awaitThat(() -> alerting.status().resendRounds() >= rounds + 3);
        final List<StubAlertmanager.Request> all = stub.requests();
        final JsonNode last = all.get(all.size() - 1).alerts().get(0);
        assertThat(last.path("endsAt").asText()).as("the last word is the resolution").isEqualTo(Instant.ofEpochMilli(NOW_MS).toString());
        assertThat(alerting.status().firing()).isZero();
    }

    @Test
    void everyAlertmanagerGetsEveryAlertAndOneDownHoldsUpNoOther() throws IOException {
        final StubAlertmanager up = stub();
        final StubAlertmanager down = stub().answer(503, 503, 503, 503, 503, 503, 503, 503, 503, 503);
        final Alerting alerting = alerting(HOUR_MS, 16, down, up);

        alerting.fire(alarm("x"));

        awaitThat(() -> alerting.status().alertmanagers().get(1).sent() == 1 && alerting.status().alertmanagers().get(0).failedAttempts() >= 2);
        assertThat(up.requests().get(0).agents()).containsExactly("x");
        final Alerting.Status s = alerting.status();
        assertThat(s.alertmanagers()).extracting(AlertTarget.Status::url).containsExactly(down.base().toString(), up.base().toString());
        assertThat(s.alertmanagers().get(0).failedAttempts()).isGreaterThanOrEqualTo(2);
        assertThat(s.alertmanagers().get(0).lastError()).contains("HTTP 503").contains("stub says 503");
        assertThat(s.alertmanagers().get(0).waiting()).isEqualTo(1);
        assertThat(s.alertmanagers().get(1).sent()).isEqualTo(1);
        assertThat(s.alertmanagers()).allSatisfy(t -> assertThat(t.accountedFor()).isTrue());
    }

    @Test
    void atTheFiringBoundANewAlertIsRefusedAndTheFiringOnesStay() throws IOException {
        final StubAlertmanager stub = stub();
        final Alerting alerting = alerting(HOUR_MS, 2, stub);

        alerting.fire(alarm("a"));
        alerting.fire(alarm("b"));
        alerting.fire(alarm("c"));
        alerting.fire(alarm("a")); // one that fires already may change

        final Alerting.Status s = alerting.status();
        assertThat(s.firing()).isEqualTo(2);
        assertThat(s.refusedFiringFull()).isEqualTo(1);
        assertThat(alerting.firing(AlertRules.alarmKey("c"))).isFalse();
        assertThat(alerting.firing(AlertRules.alarmKey("a"))).isTrue();
    }

    @Test
    void withNoAlertmanagerNothingIsKept() {
        final Alerting off = new Alerting(AlertingSettings.defaults(), () -> NOW_MS, 50);
        off.fire(alarm("x"));
        assertThat(off.status().enabled()).isFalse();
        assertThat(off.status().firing()).isZero();
        assertThat(off.status().alertmanagers()).isEmpty();
        off.close();
    }
}
