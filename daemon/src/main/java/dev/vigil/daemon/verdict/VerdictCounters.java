package dev.vigil.daemon.verdict;

import java.util.Map;
import java.util.TreeMap;

/** What fleet verdicts did on this node, for status and metrics; on the core's thread. */
public final class VerdictCounters {
    long directoriesAdopted;
    long directoriesIssued;
    long evidenceRecordsSent;
    long evidenceRequestsSent;
    long evidenceBytesSent;
    /** Records this node's seats applied to their evidence state (every member of a committee counts each record once). */
    long evidenceRecordsApplied;
    long acksSent;
    long sharesSent;
    long certificatesAssembled;
    long certificatesReceived;
    long certificatesForwarded;
    private final TreeMap<String, Long> refused = new TreeMap<>();

    void refuse(final String reason) {
        refused.merge(reason, 1L, Long::sum);
    }

    public long refused(final String reason) {
        return refused.getOrDefault(reason, 0L);
    }

    public Map<String, Long> refusedByReason() {
        return Map.copyOf(refused);
    }

    public long certificatesAssembled() {
        return certificatesAssembled;
    }

    public long certificatesReceived() {
        return certificatesReceived;
    }

    public long evidenceRecordsSent() {
        return evidenceRecordsSent;
    }

    public long evidenceRequestsSent() {
        return evidenceRequestsSent;
    }

    public long evidenceBytesSent() {
        return evidenceBytesSent;
    }

    public long evidenceRecordsApplied() {
        return evidenceRecordsApplied;
    }

    public long directoriesAdopted() {
        return directoriesAdopted;
    }

    public long directoriesIssued() {
        return directoriesIssued;
    }

    public Map<String, Long> snapshot() {
        final TreeMap<String, Long> m = new TreeMap<>();
        m.put("directories-adopted", directoriesAdopted);
        m.put("directories-issued", directoriesIssued);
        m.put("evidence-records-sent", evidenceRecordsSent);
        m.put("evidence-requests-sent", evidenceRequestsSent);
        m.put("evidence-bytes-sent", evidenceBytesSent);
        m.put("evidence-records-applied", evidenceRecordsApplied);
        m.put("acks-sent", acksSent);
        m.put("shares-sent", sharesSent);
        m.put("certificates-assembled", certificatesAssembled);
        m.put("certificates-received", certificatesReceived);
        m.put("certificates-forwarded", certificatesForwarded);
        refused.forEach((k, v) -> m.put("refused-" + k, v));
        return m;
    }
}
