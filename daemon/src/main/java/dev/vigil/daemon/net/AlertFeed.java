package dev.vigil.daemon.net;

import dev.vigil.crypto.verdict.VerdictCertificate;
import dev.vigil.daemon.alerting.AlertRules;
import dev.vigil.daemon.alerting.Alerting;
import dev.vigil.daemon.detect.AgentRecord;
import dev.vigil.daemon.detect.AgentStatus;
import dev.vigil.daemon.detect.Detector;
import dev.vigil.daemon.detect.Evidence;
import dev.vigil.daemon.verdict.VerdictBook;

import java.util.List;
import java.util.function.LongSupplier;

/**
 * What the node tells {@link Alerting}, on the core's thread: its detector's alarms (fired when an
 * agent turns alarmed, resolved when it is back to normal) and the fleet's convictions of agents it
 * observes (fired when the certificate first reaches it, resolved when the operator's release does);
 * see {@link AlertRules} for the alerts. {@link #start} fires what holds when the daemon starts, so a
 * restart re-sends the alarms and standing convictions it had.
 */
final class AlertFeed implements Detector.StatusListener, VerdictHost.Responses {
    private final Alerting alerting;
    private final String node;
    private final Detector detector;
    private final LongSupplier nowMs;
    private VerdictBook book;

    AlertFeed(final Alerting alerting, final String node, final Detector detector, final LongSupplier nowMs) {
        this.alerting = alerting;
        this.node = node;
        this.detector = detector;
        this.nowMs = nowMs;
    }

    /**
     * Fires every alarm the detector holds (read back after a restart: their evidence is not) and
     * every conviction in the book of an agent this node observes that no release held retracts.
     */
    void start(final VerdictBook verdicts) {
        this.book = verdicts;
        if (!alerting.enabled()) {
            return;
        }
        for (final Detector.AgentSummary a : detector.agents()) {
            if (a.status() == AgentStatus.ALARMED) {
                alerting.fire(AlertRules.agentAlarm(node, a.agent(), a.role(), a.alarmedMicros(), a.cusum(), List.of(), nowMs.getAsLong()));
            }
        }
        for (final VerdictBook.Entry e : verdicts.list()) {
            if ("convict".equals(e.kind()) && e.releasedBy() == null && detector.record(e.agent()) != null) {
                onVerdict(verdicts.get(e.id()), true);
            }
        }
    }

    @Override
    public void changed(final String agent, final String role, final Detector.Transition change, final List<Evidence> alarmEvidence) {
        if (change.to() == AgentStatus.ALARMED) {
            alerting.fire(AlertRules.agentAlarm(node, agent, role, change.tsMicros(), change.cusum(), alarmEvidence, nowMs.getAsLong()));
        } else if (change.from() == AgentStatus.ALARMED) {
            alerting.resolve(AlertRules.alarmKey(agent));
        }
    }

    @Override
    public void onVerdict(final VerdictCertificate certificate, final boolean observed) {
        // a release can reach a node before the conviction it retracts: then the conviction never fires
        if (!observed || !alerting.enabled() || book != null && book.releasedBy(certificate.verdict().id()) != null) {
            return;
        }
        final AgentRecord agent = detector.record(certificate.verdict().agentId());
        alerting.fire(AlertRules.verdict(certificate, agent == null ? null : agent.role(), nowMs.getAsLong()));
    }

    @Override
    public void onRelease(final VerdictCertificate release) {
        alerting.resolve(AlertRules.verdictKey(release.verdict().retractedId()));
    }
}
