package dev.vigil.daemon.net;

import dev.vigil.crypto.PublicKey;
import dev.vigil.daemon.api.OperatorCommand;
import dev.vigil.daemon.core.LogIds;
import dev.vigil.daemon.core.WallClock;
import dev.vigil.daemon.detect.Detector;
import dev.vigil.daemon.history.AgentHistory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashSet;

/**
 * Carries out signed operator commands ({@code release}): a command must be signed by the
 * fleet's CA, fresh ({@link OperatorCommand#FRESH_SECONDS_MAX}) and not carried out before. The
 * nonces carried out are remembered up to a bound, oldest forgotten first; a command older than
 * its freshness bound is refused anyway, so the bound only has to cover the commands of that
 * long. Core thread only.
 */
final class OperatorCommands {
    private static final Logger LOG = LoggerFactory.getLogger(OperatorCommands.class);
    /** Operator-command nonces remembered; a command older than its freshness bound is refused anyway. */
    static final int NONCES_REMEMBERED_MAX = 10_000;

    private final PublicKey operatorKey;
    private final Detector detector;
    private final AgentHistory history;
    private final int noncesRememberedMax;
    /** Nonces carried out, oldest first. */
    private final LinkedHashSet<String> noncesSeen = new LinkedHashSet<>();

    OperatorCommands(final PublicKey operatorKey, final Detector detector, final AgentHistory history) {
        this(operatorKey, detector, history, NONCES_REMEMBERED_MAX);
    }

    OperatorCommands(final PublicKey operatorKey, final Detector detector, final AgentHistory history,
                     final int noncesRememberedMax) {
        if (noncesRememberedMax < 1) {
            throw new IllegalArgumentException("noncesRememberedMax must be at least 1: " + noncesRememberedMax);
        }
        this.operatorKey = operatorKey;
        this.detector = detector;
        this.history = history;
        this.noncesRememberedMax = noncesRememberedMax;
    }

    /**
     * Checks a release (signature, freshness at {@code nowSeconds}, nonce not seen); then the
     * agent goes back to normal and its pin is dropped, both stored before this returns.
     */
    NodeApi.Release release(final OperatorCommand command, final long nowSeconds) {
        final String problem = command.problem(operatorKey, nowSeconds);
        if (problem != null) {
            LOG.atWarn().addKeyValue(LogIds.KEY_AGENT, command.agent())
                .log("refused an operator command for {}: {}", LogIds.agent(command.agent()), problem);
            return new NodeApi.Release(problem, false, false);
        }
        if (!noncesSeen.add(command.nonce())) {
            return new NodeApi.Release("this command (nonce " + command.nonce() + ") was already carried out", false, false);
        }
        while (noncesSeen.size() > noncesRememberedMax) {
            noncesSeen.remove(noncesSeen.iterator().next());
        }
        if (!detector.release(command.agent(), WallClock.micros())) {
            return new NodeApi.Release("no agent '" + command.agent() + "'", false, true);
        }
        final boolean wasPinned = history.pinned(command.agent());
        history.release(detector.record(command.agent()));
        LOG.atInfo().addKeyValue(LogIds.KEY_AGENT, command.agent())
            .log("{} released by the operator (was pinned: {})", LogIds.agent(command.agent()), wasPinned);
        return new NodeApi.Release(null, wasPinned, false);
    }

    /** Nonces remembered now (at most the bound). */
    int noncesRemembered() {
        return noncesSeen.size();
    }
}
