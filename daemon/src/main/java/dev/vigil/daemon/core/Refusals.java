package dev.vigil.daemon.core;

import dev.vigil.crypto.CertificateStatus;
import dev.vigil.crypto.NodeIds;
import dev.vigil.wire.FrameHeader;
import dev.vigil.wire.FrameStatus;
import dev.vigil.wire.JoinAcceptBody;
import dev.vigil.wire.JoinBody;
import dev.vigil.wire.MessageType;
import org.agrona.DirectBuffer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;

/**
 * Refusals that point at a misconfigured or hostile node (bad or expired certificate, bad
 * signature, schema or clock trouble): the most recent {@value #REFUSALS_MAX} distinct (claimed
 * sender, reason) pairs with counts, and one log line for the first of each. Structural garbage
 * is only counted by the gate: it names no one.
 */
final class Refusals {
    private static final int REFUSALS_MAX = 16;

    private final LinkedHashMap<String, NodeStatus.Refusal> byKey = new LinkedHashMap<>();
    private final NodeLog log;

    Refusals(final NodeLog log) {
        this.log = log;
    }

    /** A verified sender's body that does not decode: recorded under reason "malformed", logged once per sender. */
    void malformed(final long senderId, final String address, final String what, final long now) {
        if (record(senderId, address, "malformed", what, now)) {
            log.peerWarn(senderId, address, "refused a malformed " + what + " from " + LogIds.peer(senderId, address));
        }
    }

    /**
     * A verified sender's consensus fragment refused, or its partial message dropped, by reassembly:
     * recorded under {@code reason}, logged once per (sender, reason).
     */
    void consensus(final long senderId, final String address, final String reason, final String what, final long now) {
        if (record(senderId, address, reason, what, now)) {
            log.peerWarn(senderId, address, "consensus from " + LogIds.peer(senderId, address) + ": " + what
                + ": " + reason + " (further of this sender and reason are counted, not logged)");
        }
    }

    /** @return whether it is the first of this (sender, reason) remembered */
    private boolean record(final long senderId, final String address, final String reason, final String what, final long now) {
        final String claimed = NodeIds.toHex(senderId);
        final String key = claimed + "/" + reason;
        final NodeStatus.Refusal previous = byKey.remove(key);
        final long count = previous == null ? 1 : previous.count() + 1;
        byKey.put(key, new NodeStatus.Refusal(claimed, address, reason, what, count, now));
        if (byKey.size() > REFUSALS_MAX) {
            byKey.remove(byKey.keySet().iterator().next());
        }
        return previous == null;
    }

    /**
     * @param frame   the refused frame, structurally valid when {@code status} is one noted here
     * @param problem what was wrong with the presented certificate, or null
     */
    void note(final FrameStatus status, final DirectBuffer frame, final int offset, final CertificateStatus problem,
              final long now) {
        switch (status) {
            case BAD_CERTIFICATE, CERTIFICATE_EXPIRED, BAD_SIGNATURE, SCHEMA_MISMATCH, CLOCK_SKEW -> {
            }
            default -> {
                return;
            }
        }
        final long claimedId = FrameHeader.sender(frame, offset);
        final String claimed = NodeIds.toHex(claimedId);
        final MessageType type = MessageType.of(FrameHeader.type(frame, offset));
        final String address = type == MessageType.JOIN ? JoinBody.address(frame, FrameHeader.bodyOffset(offset))
            : type == MessageType.JOIN_ACCEPT ? JoinAcceptBody.address(frame, FrameHeader.bodyOffset(offset)) : null;
        final String detail = problem != null
            ? "certificate " + problem.name().toLowerCase(Locale.ROOT).replace('_', '-')
            : status.label;
        final String key = claimed + "/" + status.label;
        final NodeStatus.Refusal previous = byKey.remove(key);
        final long count = previous == null ? 1 : previous.count() + 1;
        byKey.put(key, new NodeStatus.Refusal(claimed, address, status.label, detail, count, now));
        if (byKey.size() > REFUSALS_MAX) {
            byKey.remove(byKey.keySet().iterator().next());
        }
        if (previous == null) {
            log.peerWarn(claimedId, address, "refused " + (type == null ? "frame" : type.label) + " from " + LogIds.peer(claimedId, address)
                + ": " + detail + " (further refusals from this sender are counted, not logged)");
        }
    }

    /** Oldest first. */
    List<NodeStatus.Refusal> list() {
        return List.copyOf(byKey.values());
    }
}
