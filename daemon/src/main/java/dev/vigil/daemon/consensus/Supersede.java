package dev.vigil.daemon.consensus;

/**
 * What a log may drop when a record of one sequence number arrives in a newer view, shared by
 * {@link StoredLog} and {@link MemoryLog} so that both hold the same records: a prepared
 * certificate supersedes older prepared certificates (a view change reports the newest), and an
 * accepted pre-prepare or a prepared certificate supersedes accepted pre-prepares of older views,
 * except the one of the newest prepared certificate's view (its batch is what a view change sends).
 * Per sequence number a log then holds at most two accepted pre-prepares, one prepared certificate
 * and one committed record, however many views the window saw.
 */
final class Supersede {
    private Supersede() {
    }

    /** The view of an accepted or prepared record, -1 for any other kind (those are never superseded here). */
    static long viewOf(final LogRecord r) {
        return r instanceof LogRecord.Accepted a ? a.prePrepare().view()
            : r instanceof LogRecord.Prepared p ? p.certificate().view() : -1;
    }

    /**
     * @param newerKind     the kind of the record appended (accepted or prepared)
     * @param newerView     its view
     * @param olderKind     the kind of an earlier record of the same sequence number
     * @param olderView     its view
     * @param preparedView  the newest view of a prepared certificate of that sequence number (the new one included), or -1
     */
    static boolean drops(final Class<?> newerKind, final long newerView, final Class<?> olderKind, final long olderView,
                         final long preparedView) {
        if (olderView < 0 || olderView >= newerView) {
            return false;
        }
        return olderKind == LogRecord.Prepared.class && newerKind == LogRecord.Prepared.class
            || olderKind == LogRecord.Accepted.class && olderView != preparedView;
    }
}
