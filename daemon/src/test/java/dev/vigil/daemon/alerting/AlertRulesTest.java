package dev.vigil.daemon.alerting;

import dev.vigil.crypto.ClusterCa;
import dev.vigil.crypto.PrivateKey;
import dev.vigil.crypto.verdict.Verdict;
import dev.vigil.crypto.verdict.VerdictCertificate;
import dev.vigil.crypto.verdict.VerdictSignature;
import dev.vigil.daemon.detect.Evidence;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The alerts' label sets (what Alertmanager identifies and routes them by) and what their annotations say. */
class AlertRulesTest {
    private static final long NOW_MS = 1_767_225_600_000L;

    @Test
    void aLocalAlarmIsAWarningNamingAgentNodeRoleAndMode() {
        final Evidence e = new Evidence((NOW_MS - 5_000) * 1000, "observation", "own", 812.5, 4, 61.2,
            List.of(new Evidence.Deviation("bytes_out", 14.1, 8.0, 21.7), new Evidence.Deviation("distinct_hosts", 3.0, 1.1, 9.4)));
        final Alert a = AlertRules.agentAlarm("00ab", "agent-7", "coder", (NOW_MS - 5_000) * 1000, 61.2, List.of(e), NOW_MS);

        assertThat(a.labels()).isEqualTo(Map.of("alertname", "VigilAgentAlarm", "agent", "agent-7", "node", "00ab", "role", "coder",
            "mode", "local", "severity", "warning"));
        assertThat(a.key()).isEqualTo(AlertRules.alarmKey("agent-7"));
        assertThat(a.startsAtMs()).isEqualTo(NOW_MS - 5_000);
        assertThat(a.firing()).isTrue();
        assertThat(a.annotations().get("summary")).isEqualTo("agent agent-7 (coder) alarmed on node 00ab: CUSUM 61.20");
        assertThat(a.annotations().get("evidence")).isEqualTo("D² 812.5 against the own baseline; bytes_out +21.7 sd, distinct_hosts +9.4 sd");
        assertThat(a.annotations().get("cusum")).isEqualTo("61.20");

        final Alert noRole = AlertRules.agentAlarm("00ab", "agent-8", null, -1, 70, List.of(), NOW_MS);
        assertThat(noRole.labels()).doesNotContainKey("role").containsEntry("agent", "agent-8");
        assertThat(noRole.startsAtMs()).as("alarmed when, not known: now").isEqualTo(NOW_MS);
        assertThat(noRole.annotations()).doesNotContainKey("evidence");
        assertThat(noRole.annotations().get("description")).contains("GET /v1/agents/agent-8");
    }

    @Test
    void aConvictionIsCriticalNamingAgentCertificateRoleAndModeButNoNode() {
        final PrivateKey caKey = PrivateKey.generate(new SecureRandom());
        final ClusterCa ca = new ClusterCa(caKey);
        final Verdict v = Verdict.convict("agent-7").f(1).shard(9).epoch(3).sequence(40).issuedAtMicros((NOW_MS - 1_000) * 1000)
            .logOdds(7.25).posterior(0.99929).observers(11, 12, 13).versionVectorDigest(new byte[32]).build();
        final List<VerdictSignature> signatures = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            final PrivateKey member = PrivateKey.generate(new SecureRandom());
            signatures.add(VerdictSignature.sign(v, member, ca.issue(member.publicKey(), Instant.ofEpochMilli(NOW_MS), Duration.ofDays(1))));
        }
        final VerdictCertificate c = VerdictCertificate.ofQuorum(v, signatures);

        final Alert a = AlertRules.verdict(c, "coder", NOW_MS);

        assertThat(a.labels()).isEqualTo(Map.of("alertname", "VigilVerdict", "agent", "agent-7", "certificate", v.id(), "role", "coder",
            "mode", "fleet", "severity", "critical"));
        assertThat(a.key()).isEqualTo(AlertRules.verdictKey(v.id()));
        assertThat(a.startsAtMs()).isEqualTo(NOW_MS - 1_000);
        assertThat(a.annotations()).containsEntry("posterior", "0.9993").containsEntry("log_odds", "7.250").containsEntry("observers", "3");
        assertThat(a.annotations().get("description")).contains("shard 9").contains("3 members signed").contains("vigil verdicts release " + v.id());
        assertThat(AlertRules.verdict(c, null, NOW_MS).labels()).doesNotContainKey("role");

        final Verdict r = Verdict.release("agent-7", v.id()).f(1).shard(9).epoch(3).sequence(40).versionVectorDigest(new byte[32]).build();
        final VerdictCertificate release = VerdictCertificate.ofOperator(r, VerdictSignature.signAsOperator(r, caKey));
        assertThatThrownBy(() -> AlertRules.verdict(release, null, NOW_MS)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aResolvedAlertKeepsItsLabelsAndNeverEndsBeforeItBegan() {
        final Alert a = AlertRules.agentAlarm("00ab", "agent-7", "coder", (NOW_MS - 5_000) * 1000, 61.2, List.of(), NOW_MS);
        final Alert ended = a.resolvedAt(NOW_MS);
        assertThat(ended.labels()).isEqualTo(a.labels());
        assertThat(ended.firing()).isFalse();
        assertThat(ended.resolvedAtMs()).isEqualTo(NOW_MS);
        assertThat(a.resolvedAt(0).resolvedAtMs()).isEqualTo(a.startsAtMs());
        assertThatThrownBy(() -> new Alert("k", Map.of("alertname", "A", "bad-name", "x"), Map.of(), 0, Alert.FIRING))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Alert("k", Map.of("alertname", "A", "role", ""), Map.of(), 0, Alert.FIRING))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
