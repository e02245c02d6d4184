package dev.vigil.daemon.verdict;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What fleet verdicts did on this node, for status and metrics; on the core's thread.
 *
 * <p>Every fleet message received ends in exactly one of: {@code accepted-<tag>} (handed on: to a
 * seat's replica, which counts its own verdict on the consensus message, to the observer, to the
 * share collector, or adopted), {@code ignored-<tag>} (harmless and not new: a directory not newer
 * than the one held, a certificate or a share already had, an ack for nothing outstanding),
 * {@code held} (a replica message of an epoch whose directory is on its way), {@code refused-<reason>},
 * or an internal error (a bug). {@link #received()} is their sum.
 */
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
    long seatsUntaken;
    long orphanLogsDropped;
    long seatsRecovered;
    long directoryForks;
    /** Operator releases this node submitted to the agent's committee: taken through its API, or flooded to it as a member. */
    long releasesSubmitted;
    /** Operator releases this node's seats executed and applied (every member counts each once). */
    long releasesApplied;
    /** Operator releases this node's seats executed and refused (stale, forged, not convicted here). */
    long releasesRefused;
    long received;
    long held;
    private final TreeMap<String, Long> refused = new TreeMap<>();
    private final TreeMap<String, Long> accepted = new TreeMap<>();
    private final TreeMap<String, Long> ignored = new TreeMap<>();

    void refuse(final String reason) {
        refused.merge(reason, 1L, Long::sum);
    }

    void accept(final String tag) {
        accepted.merge(tag, 1L, Long::sum);
    }

    void ignore(final String tag) {
        ignored.merge(tag, 1L, Long::sum);
    }

    /** Fleet messages received (each ends in exactly one outcome counter). */
    public long received() {
        return received;
    }

    public long held() {
        return held;
    }

    public Map<String, Long> acceptedByTag() {
        return Map.copyOf(accepted);
    }

    public Map<String, Long> ignoredByTag() {
        return Map.copyOf(ignored);
    }

    /** New directories whose previous epoch was not the one this node held (it follows the issuer's). */
    public long directoryForks() {
        return directoryForks;
    }

    /** Seats rebuilt from their durable logs (this node ran them before a restart). */
    public long seatsRecovered() {
        return seatsRecovered;
    }

    /** Logs of old epochs that no seat runs (left by a previous life of the node), dropped. */
    public long orphanLogsDropped() {
        return orphanLogsDropped;
    }

    /** Seats this node should have taken and did not: the store had no room for their logs. */
    public long seatsUntaken() {
        return seatsUntaken;
    }

    /** Messages with an outcome: accepted, ignored, held or refused (received minus internal errors when all is well). */
    public long outcomes() {
        long n = held;
        for (final Map<String, Long> m : List.of(accepted, ignored, refused)) {
            for (final long v : m.values()) {
                n += v;
            }
        }
        return n;
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

    public long releasesSubmitted() {
        return releasesSubmitted;
    }

    public long releasesApplied() {
        return releasesApplied;
    }

    public long releasesRefused() {
        return releasesRefused;
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
        m.put("seats-untaken", seatsUntaken);
        m.put("orphan-logs-dropped", orphanLogsDropped);
        m.put("seats-recovered", seatsRecovered);
        m.put("directory-forks", directoryForks);
        m.put("releases-submitted", releasesSubmitted);
        m.put("releases-applied", releasesApplied);
        m.put("releases-refused", releasesRefused);
        m.put("received", received);
        m.put("held", held);
        accepted.forEach((k, v) -> m.put("accepted-" + k, v));
        ignored.forEach((k, v) -> m.put("ignored-" + k, v));
        refused.forEach((k, v) -> m.put("refused-" + k, v));
        return m;
    }
}
