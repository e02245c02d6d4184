package dev.vigil.daemon.consensus;

import dev.vigil.storage.CorruptEntryException;
import dev.vigil.storage.KeyValueStore;
import dev.vigil.storage.StoreException;
import dev.vigil.storage.StoreFullException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The {@link ConsensusLog} of one replica (shard, epoch) in the node's consensus-log store
 * ({@link StoredLogs} opens it), with the same contents as the reference {@code MemoryLog}: only the
 * latest view record, and {@code truncate(h)} drops records at or below h except the base, the
 * latest stable and the latest stable that holds a snapshot. Keys: {@link LogKeys}; entries:
 * {@link LogChunks}. Only an index of the live records (sequence number, kind, size) is in memory;
 * {@link #records()} reads them back from the store. Not thread-safe: the replica's thread only.
 *
 * <h2>Durability</h2>
 * {@link #append} returns after every chunk of the record was put, chunk 0 last; a put that returns
 * is in the page cache and survives the process being killed ({@link KeyValueStore}). So after a
 * kill -9 the store holds every record whose append returned, and of the one append in flight
 * either all of it or a chunk 0 that is missing or torn (Chronicle's recovery drops or keeps a
 * half-written entry; its checksum tells). That record is cut at open ({@link LogDamage#crashLeftIt()}),
 * which is safe for PBFT: the replica sends what depends on a record only after its append
 * returned ({@link ReplicaEffects#persist}), so a record whose append did not return was never
 * relied on by anyone; the restarted replica is one that crashed just before persisting it.
 *
 * <p>What this does not cover: the machine losing power or the kernel crashing (the page cache is
 * not flushed per append; Vigil's stores promise survival of the process, not of the host), and a
 * damaged file. Either can lose a record the replica had acted on. The log is then cut back to the
 * intact prefix before the first bad record (a later record may depend on an earlier one, so a
 * log with a hole is not a log this replica could have written) and {@link LogDamage} says so: the
 * replica may now contradict what it sent, which PBFT tolerates only as one of the f faulty members.
 *
 * <h2>Bounds</h2>
 * At most {@link LogSizing#recordsPerLogMax} records and {@link LogSizing#bytesPerLogMax} record
 * bytes, and the store's own capacity. An append beyond any of them throws
 * {@link StoreFullException} having written nothing, and the log then refuses every later append
 * ({@link #failed()}) until it is opened again: the replica's memory may already hold what the log
 * does not, so nothing it does after must reach the log (or the wire) as if it were persisted. The
 * driver stops that replica and rebuilds it with {@link Replica#recover} once there is room.
 *
 * <p>Crash inside {@link #truncate}: the mark (stable seq, the append index it applied below) is put
 * first, then the records removed; opening the log does the last mark's truncation again. A crash
 * between appending a view record and removing the older ones leaves two; opening keeps the last.
 */
public final class StoredLog implements ConsensusLog {
    /** What the in-memory index keeps of one live record. */
    private record Entry(long seq, Class<?> kind, boolean holdsState, int chunks, int bytes, long view) {
    }

    private final KeyValueStore store;
    private final int shard;
    private final long epoch;
    private final LogSizing sizing;
    private final Limits limits;
    private final NavigableMap<Long, Entry> live = new TreeMap<>();
    /** Append indexes of the live accepted and prepared records, by sequence number (for {@link #superseded}). */
    private final Map<Long, List<Long>> slotRecords = new HashMap<>();
    private long nextIndex;
    private long bytes;
    private boolean failed;
    private long marksRefused;
    private boolean markStored;

    StoredLog(final KeyValueStore store, final int shard, final long epoch, final LogSizing sizing, final Limits limits) {
        this.store = store;
        this.shard = shard;
        this.epoch = epoch;
        this.sizing = sizing;
        this.limits = limits;
    }

    public int shard() {
        return shard;
    }

    public long epoch() {
        return epoch;
    }

    /** Records held. */
    public int size() {
        return live.size();
    }

    /** Encoded bytes of the records held (chunk headers and keys excluded). */
    public long bytes() {
        return bytes;
    }

    /** Store entries this log accounts for: every chunk of every record, and its truncation mark. */
    public long entries() {
        long n = markStored ? 1 : 0;
        for (final Entry e : live.values()) {
            n += e.chunks();
        }
        return n;
    }

    /** Whether an append was refused or failed: the log refuses every later one until reopened. */
    public boolean failed() {
        return failed;
    }

    /** Truncations whose mark the store refused (full): a crash inside them may leave records below h. */
    public long marksRefused() {
        return marksRefused;
    }

    @Override
    public void append(final LogRecord record) {
        if (failed) {
            throw new StoreException(who() + " refused an append earlier and takes no more until the replica is restarted from it");
        }
        final byte[] encoded = LogRecords.encode(record);
        assert LogRecords.decode(encoded, limits) != null : "log record does not decode: " + record;
        if (live.size() >= sizing.recordsPerLogMax() || bytes + encoded.length > sizing.bytesPerLogMax()) {
            failed = true;
            throw new StoreFullException(who() + " is full: " + live.size() + " records of at most " + sizing.recordsPerLogMax()
                + ", " + bytes + " bytes + " + encoded.length + " of at most " + sizing.bytesPerLogMax()
                + " (storage.consensus_log_kib_per_replica); nothing written", null);
        }
        final long index = nextIndex;
        final byte[][] chunks = LogChunks.split(LogKeys.key(shard, epoch, index, 0), encoded, sizing.chunkBytesMax());
        int written = 0;
        try {
            for (int k = chunks.length - 1; k >= 0; k--) {
                store.put(LogKeys.key(shard, epoch, index, k), chunks[k]);
                written++;
            }
        } catch (final StoreException e) {
            failed = true;
            for (int k = chunks.length - 1; k >= chunks.length - written; k--) {
                store.remove(LogKeys.key(shard, epoch, index, k));
            }
            throw e;
        }
        nextIndex++;
        put(index, entry(record, chunks.length, encoded.length));
        bytes += encoded.length;
        if (record instanceof LogRecord.View) {
            for (final long old : indexesOf(LogRecord.View.class, index)) {
                remove(old);
            }
        }
        for (final long old : superseded(index)) {
            remove(old);
        }
    }

    /**
     * Records of the sequence number of the one just appended at {@code index} that it supersedes
     * ({@link Supersede}), so that view changes within a window do not add up against the record
     * bound. Removed only after the new record is durable; a crash in between leaves both, and
     * opening the log removes them then. Only records appended before {@code index} count.
     */
    private List<Long> superseded(final long index) {
        final Entry now = live.get(index);
        if (now.kind() != LogRecord.Accepted.class && now.kind() != LogRecord.Prepared.class) {
            return List.of();
        }
        final List<Long> same = slotRecords.get(now.seq());
        long preparedView = -1;
        for (final long i : same) {
            final Entry en = live.get(i);
            if (i <= index && en.kind() == LogRecord.Prepared.class) {
                preparedView = Math.max(preparedView, en.view());
            }
        }
        final List<Long> out = new ArrayList<>();
        for (final long i : same) {
            final Entry en = live.get(i);
            if (i < index && Supersede.drops(now.kind(), now.view(), en.kind(), en.view(), preparedView)) {
                out.add(i);
            }
        }
        return out;
    }

    @Override
    public void truncate(final long stableSeq) {
        final List<Long> dropped = droppedBy(stableSeq, nextIndex);
        if (dropped.isEmpty()) {
            return;
        }
        try {
            store.put(LogKeys.mark(shard, epoch), LogChunks.mark(LogKeys.mark(shard, epoch), stableSeq, nextIndex));
            markStored = true;
        } catch (final StoreException e) {
            // Without the mark a crash inside the removals leaves some of them: records below h,
            // which recovery reads past. Removing them is what makes room, so go on (counted).
            marksRefused++;
        }
        for (final long index : dropped) {
            remove(index);
        }
    }

    @Override
    public List<LogRecord> records() {
        final List<LogRecord> out = new ArrayList<>(live.size());
        for (final Map.Entry<Long, Entry> e : live.entrySet()) {
            final LogRecord r = read(e.getKey());
            if (r == null) {
                throw new CorruptEntryException(who() + ": record " + e.getKey() + " was intact at open and is not now (the file was damaged)");
            }
            out.add(r);
        }
        return out;
    }

    // ------------------------------------------------------------------ open

    /**
     * Validates what the store holds for this log, in append order, and cuts it back at the first
     * record that is not intact; removes chunks without their chunk 0; keeps only the last view
     * record; does the last truncation again.
     *
     * @param chunksByIndex every chunk number found per append index
     * @param corruptKeys   keys of this log whose entries failed the store's checksum
     * @return what was wrong, in order (empty for a clean log)
     */
    List<LogDamage> open(final NavigableMap<Long, List<Integer>> chunksByIndex, final List<byte[]> corruptKeys) {
        final List<LogDamage> damage = new ArrayList<>();
        final NavigableMap<Long, List<Integer>> all = new TreeMap<>(chunksByIndex);
        for (final byte[] k : corruptKeys) {
            if (!LogKeys.isMark(k)) {
                all.computeIfAbsent(LogKeys.index(k), x -> new ArrayList<>()).add(LogKeys.chunk(k));
            }
        }
        Long cutAt = null;
        String what = null;
        for (final Map.Entry<Long, List<Integer>> e : all.entrySet()) {
            final long index = e.getKey();
            if (!e.getValue().contains(0)) {
                // a torn append (chunk 0 goes last) or an interrupted removal (chunk 0 goes first)
                removeChunks(index, e.getValue());
                damage.add(new LogDamage(shard, epoch, index, "was partly written or partly removed (" + e.getValue().size()
                    + " chunks without their first: a crash inside an append or a truncation); its chunks removed", 0, false));
                continue;
            }
            final Checked c = check(index, e.getValue());
            if (c.damage() != null) {
                cutAt = index;
                what = c.damage();
                break;
            }
            put(index, entry(c.record(), e.getValue().size(), c.bytes()));
        }
        if (cutAt != null) {
            final NavigableMap<Long, List<Integer>> cut = all.tailMap(cutAt, true);
            final int later = (int)cut.entrySet().stream().skip(1).filter(x -> x.getValue().contains(0)).count();
            damage.add(new LogDamage(shard, epoch, cutAt, what, later, true));
            for (final Map.Entry<Long, List<Integer>> e : cut.entrySet()) {
                removeChunks(e.getKey(), e.getValue());
            }
        }
        nextIndex = live.isEmpty() ? 0 : live.lastKey() + 1;
        for (final Entry en : live.values()) {
            bytes += en.bytes();
        }
        final List<Long> views = indexesOf(LogRecord.View.class, Long.MAX_VALUE);
        for (int i = 0; i < views.size() - 1; i++) {
            remove(views.get(i));
        }
        // a crash between an append and the removal of what it superseded left both: remove them now
        for (final long index : new ArrayList<>(live.keySet())) {
            if (live.containsKey(index)) {
                for (final long old : superseded(index)) {
                    remove(old);
                }
            }
        }
        redoTruncation(corruptKeys, damage);
        return damage;
    }

    private void redoTruncation(final List<byte[]> corruptKeys, final List<LogDamage> damage) {
        final byte[] markKey = LogKeys.mark(shard, epoch);
        final boolean markCorrupt = corruptKeys.stream().anyMatch(LogKeys::isMark);
        long[] mark = null;
        if (!markCorrupt) {
            try {
                final byte[] v = store.get(markKey);
                mark = LogChunks.readMark(markKey, v);
                if (v != null && mark == null) {
                    damage.add(new LogDamage(shard, epoch, -1, "fails its CRC", 0, false));
                }
            } catch (final CorruptEntryException e) {
                damage.add(new LogDamage(shard, epoch, -1, "fails the store's checksum", 0, false));
            }
        } else {
            damage.add(new LogDamage(shard, epoch, -1, "fails the store's checksum", 0, false));
        }
        if (mark != null) {
            for (final long index : droppedBy(mark[0], mark[1])) {
                remove(index);
            }
            // Indexes never go back below a mark: a record appended later must not fall under it.
            nextIndex = Math.max(nextIndex, mark[1]);
            markStored = true;
        } else {
            store.remove(markKey);
        }
    }

    /** A record read at open: the record and its encoded length, or what is wrong with it. */
    private record Checked(LogRecord record, int bytes, String damage) {
    }

    private Checked check(final long index, final List<Integer> chunksFound) {
        final byte[] key0 = LogKeys.key(shard, epoch, index, 0);
        final byte[] c0;
        try {
            c0 = store.get(key0);
        } catch (final CorruptEntryException e) {
            return new Checked(null, 0, "is torn or damaged (its first entry fails the store's checksum)");
        }
        final int n = c0 == null ? -1 : LogChunks.chunkCount(c0);
        if (n < 1 || chunksFound.size() != n) {
            return new Checked(null, 0, "is torn or damaged (" + chunksFound.size() + " chunks stored, its header says " + n + ")");
        }
        final byte[] encoded;
        try {
            encoded = LogChunks.join(key0, c0, k -> store.get(LogKeys.key(shard, epoch, index, k)));
        } catch (final CorruptEntryException e) {
            return new Checked(null, 0, "is damaged (a chunk fails the store's checksum)");
        }
        if (encoded == null) {
            return new Checked(null, 0, "is torn or damaged (its chunks fail the record's CRC)");
        }
        final LogRecord r = LogRecords.decode(encoded, limits);
        return r == null ? new Checked(null, 0, "is damaged (intact bytes that do not decode as a log record)") : new Checked(r, encoded.length, null);
    }

    /** The record at {@code index}, or null when it is not intact. */
    private LogRecord read(final long index) {
        final byte[] key0 = LogKeys.key(shard, epoch, index, 0);
        final byte[] c0 = store.get(key0);
        if (c0 == null) {
            return null;
        }
        final byte[] encoded = LogChunks.join(key0, c0, k -> store.get(LogKeys.key(shard, epoch, index, k)));
        return encoded == null ? null : LogRecords.decode(encoded, limits);
    }

    // ------------------------------------------------------------------ helpers

    /** The records {@code truncate(stableSeq)} drops among those appended below {@code indexLimit} (MemoryLog's rule). */
    private List<Long> droppedBy(final long stableSeq, final long indexLimit) {
        Long latestStable = null;
        Long latestState = null;
        long latestStableSeq = Long.MIN_VALUE;
        long latestStateSeq = Long.MIN_VALUE;
        final NavigableMap<Long, Entry> before = live.headMap(indexLimit, false);
        for (final Map.Entry<Long, Entry> e : before.entrySet()) {
            final Entry en = e.getValue();
            if (en.kind() == LogRecord.Stable.class && en.seq() <= stableSeq) {
                if (latestStable == null || en.seq() >= latestStableSeq) {
                    latestStable = e.getKey();
                    latestStableSeq = en.seq();
                }
                if (en.holdsState() && (latestState == null || en.seq() >= latestStateSeq)) {
                    latestState = e.getKey();
                    latestStateSeq = en.seq();
                }
            }
        }
        final List<Long> out = new ArrayList<>();
        for (final Map.Entry<Long, Entry> e : before.entrySet()) {
            final Entry en = e.getValue();
            final boolean kept = en.kind() == LogRecord.Base.class || en.kind() == LogRecord.View.class
                || e.getKey().equals(latestStable) || e.getKey().equals(latestState) || en.seq() > stableSeq;
            if (!kept) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    private List<Long> indexesOf(final Class<?> kind, final long below) {
        final List<Long> out = new ArrayList<>();
        for (final Map.Entry<Long, Entry> e : live.headMap(below, false).entrySet()) {
            if (e.getValue().kind() == kind) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    private void put(final long index, final Entry en) {
        live.put(index, en);
        if (en.view() >= 0) {
            slotRecords.computeIfAbsent(en.seq(), s -> new ArrayList<>(4)).add(index);
        }
    }

    private void unindex(final long index, final Entry en) {
        final List<Long> same = en.view() >= 0 ? slotRecords.get(en.seq()) : null;
        if (same != null) {
            same.remove(Long.valueOf(index));
            if (same.isEmpty()) {
                slotRecords.remove(en.seq());
            }
        }
    }

    /** Removes a live record: chunk 0 first, so a crash in between leaves chunks that open removes. */
    private void remove(final long index) {
        final Entry en = live.remove(index);
        unindex(index, en);
        for (int k = 0; k < en.chunks(); k++) {
            store.remove(LogKeys.key(shard, epoch, index, k));
        }
        bytes -= en.bytes();
    }

    /** Removes every record and the mark: the log is gone from the store. */
    void forget() {
        for (final long index : List.copyOf(live.keySet())) {
            remove(index);
        }
        store.remove(LogKeys.mark(shard, epoch));
        markStored = false;
        nextIndex = 0;
    }

    private void removeChunks(final long index, final List<Integer> chunks) {
        for (final int k : chunks) {
            store.remove(LogKeys.key(shard, epoch, index, k));
        }
    }

    private static Entry entry(final LogRecord r, final int chunks, final int bytes) {
        final boolean state = r instanceof LogRecord.Stable st && st.snapshot().length > 0;
        return new Entry(r.seq(), r.getClass(), state, chunks, bytes, Supersede.viewOf(r));
    }

    private String who() {
        return "consensus log of shard " + shard + " epoch " + epoch;
    }
}
