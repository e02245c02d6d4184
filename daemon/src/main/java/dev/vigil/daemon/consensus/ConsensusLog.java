package dev.vigil.daemon.consensus;

import java.util.List;

/**
 * A replica's durable log. The replica writes it only through {@link ReplicaEffects#persist} and
 * {@link ReplicaEffects#truncate} (so the write order against sends is the effect order); a
 * restarted replica is rebuilt from {@link #records()} by {@link Replica#recover}.
 *
 * <p>Bound: the replica persists per sequence number in (h, h + L] at most one accepted
 * pre-prepare per view it entered, one prepared certificate and one committed record, plus one
 * own checkpoint per K, the latest view, the latest stable and the base. After
 * {@code truncate(h)} an implementation drops records at or below h (keeping the base, the latest
 * stable and the latest stable that holds a snapshot), so what it holds is bounded by L and the number of view changes within the window;
 * it may also drop, per sequence number, what a newer record supersedes: older prepared
 * certificates, and accepted pre-prepares of older views but the newest prepared certificate's
 * ({@link StoredLog} does, so its bound does not depend on the number of view changes).
 */
public interface ConsensusLog {
    void append(LogRecord record);

    void truncate(long stableSeq);

    /** Everything appended and not truncated, in append order. */
    List<LogRecord> records();
}
