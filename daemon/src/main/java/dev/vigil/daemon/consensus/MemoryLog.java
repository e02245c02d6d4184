package dev.vigil.daemon.consensus;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link ConsensusLog} in memory that survives its replica's crash: records are stored as
 * their {@link LogRecords} encoding and decoded on reading, as a durable store would. Truncation
 * drops records at or below the stable sequence number except the base, the latest stable and the latest
 * stable that holds a snapshot;
 * only the latest view record is kept, and what a newer record of a sequence number supersedes is
 * dropped ({@link Supersede}), as {@link StoredLog} does. Not durable: for simulations (simnet's committee) and tests.
 */
public final class MemoryLog implements ConsensusLog {
    private final Limits limits;
    private final List<byte[]> records = new ArrayList<>();
    private final List<LogRecord> decoded = new ArrayList<>();

    public MemoryLog(final Limits limits) {
        this.limits = limits;
    }

    @Override
    public void append(final LogRecord record) {
        final byte[] bytes = LogRecords.encode(record);
        final LogRecord back = LogRecords.decode(bytes, limits);
        if (back == null) {
            throw new IllegalStateException("log record does not decode: " + record);
        }
        if (record instanceof LogRecord.View) {
            for (int i = decoded.size() - 1; i >= 0; i--) {
                if (decoded.get(i) instanceof LogRecord.View) {
                    decoded.remove(i);
                    records.remove(i);
                }
            }
        }
        records.add(bytes);
        decoded.add(back);
        dropSuperseded(back);
    }

    /** The same records {@link StoredLog} drops ({@link Supersede}). */
    private void dropSuperseded(final LogRecord now) {
        final long view = Supersede.viewOf(now);
        if (view < 0) {
            return;
        }
        long preparedView = -1;
        for (final LogRecord r : decoded) {
            if (r instanceof LogRecord.Prepared && r.seq() == now.seq()) {
                preparedView = Math.max(preparedView, Supersede.viewOf(r));
            }
        }
        for (int i = decoded.size() - 2; i >= 0; i--) {
            final LogRecord r = decoded.get(i);
            if (r.seq() == now.seq() && Supersede.drops(now.getClass(), view, r.getClass(), Supersede.viewOf(r), preparedView)) {
                decoded.remove(i);
                records.remove(i);
            }
        }
    }

    @Override
    public void truncate(final long stableSeq) {
        LogRecord latestStable = null;
        LogRecord latestState = null;
        for (final LogRecord r : decoded) {
            if (r instanceof LogRecord.Stable st && r.seq() <= stableSeq) {
                if (latestStable == null || r.seq() >= latestStable.seq()) {
                    latestStable = r;
                }
                if (st.snapshot().length > 0 && (latestState == null || r.seq() >= latestState.seq())) {
                    latestState = r;
                }
            }
        }
        for (int i = decoded.size() - 1; i >= 0; i--) {
            final LogRecord r = decoded.get(i);
            final boolean kept = r instanceof LogRecord.Base || r instanceof LogRecord.View || r == latestStable || r == latestState || r.seq() > stableSeq;
            if (!kept) {
                decoded.remove(i);
                records.remove(i);
            }
        }
    }

    @Override
    public List<LogRecord> records() {
        return List.copyOf(decoded);
    }

    public int size() {
        return decoded.size();
    }
}
