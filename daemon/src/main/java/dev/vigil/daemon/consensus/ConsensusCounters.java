package dev.vigil.daemon.consensus;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one replica accepted, refused and did. Every inbound message ends in exactly one of
 * {@code accepted-*} or {@code refused-*}, or in {@code held} (a message of the view being
 * entered, which re-enters once when that view is installed and is then counted again).
 */
public final class ConsensusCounters {
    final long[] accepted = new long[MessageKind.values().length + 1];
    final long[] refused = new long[Refusal.values().length];
    long held;
    long proposals;
    long nullProposals;
    long executedBatches;
    long executedRequests;
    long duplicates;
    long checkpointsTaken;
    long checkpointsStable;
    long viewChangesStarted;
    long newViewsInstalled;
    long newViewsResent;
    long equivocations;
    long stateTransfers;
    long stateRepliesSent;
    long outsideWindowDropped;
    long retransmissions;
    long helped;
    long certificatesPushed;
    long diverged;
    long internalErrors;

    void accept(final MessageKind kind) {
        accepted[kind.code]++;
    }

    void refuse(final Refusal reason) {
        refused[reason.ordinal()]++;
    }

    public long accepted(final MessageKind kind) {
        return accepted[kind.code];
    }

    public long refused(final Refusal reason) {
        return refused[reason.ordinal()];
    }

    public long refusedTotal() {
        long n = 0;
        for (final long r : refused) {
            n += r;
        }
        return n;
    }

    public long acceptedTotal() {
        long n = 0;
        for (final long a : accepted) {
            n += a;
        }
        return n;
    }

    public long held() {
        return held;
    }

    public long viewChangesStarted() {
        return viewChangesStarted;
    }

    public long newViewsInstalled() {
        return newViewsInstalled;
    }

    public long equivocations() {
        return equivocations;
    }

    public long stateTransfers() {
        return stateTransfers;
    }

    public long internalErrors() {
        return internalErrors;
    }

    public long executedRequests() {
        return executedRequests;
    }

    /** Committed batches executed: the committee's rounds, as this replica took part in them. */
    public long executedBatches() {
        return executedBatches;
    }

    public long checkpointsStable() {
        return checkpointsStable;
    }

    public long diverged() {
        return diverged;
    }

    /** Counter name (lower case, dashes) to value, in a fixed order; zero counters included. */
    public Map<String, Long> snapshot() {
        final Map<String, Long> m = new LinkedHashMap<>();
        for (final MessageKind k : MessageKind.values()) {
            m.put("accepted-" + k.label, accepted[k.code]);
        }
        for (final Refusal r : Refusal.values()) {
            m.put("refused-" + r.label, refused[r.ordinal()]);
        }
        m.put("held", held);
        m.put("proposals", proposals);
        m.put("null-proposals", nullProposals);
        m.put("executed-batches", executedBatches);
        m.put("executed-requests", executedRequests);
        m.put("duplicates", duplicates);
        m.put("checkpoints-taken", checkpointsTaken);
        m.put("checkpoints-stable", checkpointsStable);
        m.put("view-changes-started", viewChangesStarted);
        m.put("new-views-installed", newViewsInstalled);
        m.put("new-views-resent", newViewsResent);
        m.put("equivocations", equivocations);
        m.put("state-transfers", stateTransfers);
        m.put("state-replies-sent", stateRepliesSent);
        m.put("outside-window-dropped", outsideWindowDropped);
        m.put("retransmissions", retransmissions);
        m.put("helped", helped);
        m.put("certificates-pushed", certificatesPushed);
        m.put("diverged", diverged);
        m.put("internal-errors", internalErrors);
        return m;
    }
}
