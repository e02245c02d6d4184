package dev.vigil.daemon.history;

import dev.vigil.daemon.detect.AgentRecord;
import dev.vigil.daemon.detect.Journal;

/** The detector's journal, kept in the node's {@link AgentHistory}. */
public final class HistoryJournal implements Journal {
    private final AgentHistory history;
    private final Replication replication;

    public HistoryJournal(final AgentHistory history) {
        this(history, null);
    }

    /** With {@code replication}, agents new here are adopted from a replica when one is held. */
    public HistoryJournal(final AgentHistory history, final Replication replication) {
        this.history = history;
        this.replication = replication;
    }

    @Override
    public Adopted adopted(final String agentId) {
        return replication == null || history.knows(agentId) ? null : replication.adopted(agentId);
    }

    @Override
    public String refusal(final String agentId, final long tsMicros) {
        return history.refusal(agentId, tsMicros);
    }

    @Override
    public void accepted(final AgentRecord after, final long tsMicros, final double[] raw, final boolean inBaseline, final double d2) {
        history.append(after, tsMicros, raw, inBaseline, d2);
    }

    @Override
    public void replay(final String agentId, final long fromMicros, final ReplaySink sink) {
        history.replay(agentId, fromMicros, e -> sink.accept(e.tsMicros(), e.values(), e.inBaseline()));
    }
}
