package dev.vigil.daemon.history;

import dev.vigil.daemon.detect.AgentRecord;
import dev.vigil.daemon.detect.AgentStatus;
import dev.vigil.daemon.detect.StoreRefusal;
import dev.vigil.storage.CorruptEntryException;
import dev.vigil.storage.KeyValueStore;
import dev.vigil.storage.StoreFullException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Every agent's history on this node: raw observation blocks, minute/hour/day rollups and the
 * stored detection state, with retention, pins and series queries. Core thread only.
 *
 * <p>Write path ({@link #append}): the raw block of the observation's minute is rewritten with
 * it appended, then the agent's stored state (its detection record and history extents) is put,
 * both before the caller acknowledges the observation. Rollups of the bucket an agent is in now
 * are kept open in memory and written when a later bucket begins ({@link #flushClosed} also
 * writes those whose time has passed); after a crash the open ones are rebuilt from raw blocks,
 * which always cover them (raw retention is at least a day). A late observation for a bucket
 * already written updates that bucket in the store.
 *
 * <p>An observation is stored whole or not at all, whenever the process is killed. Its puts
 * (raw block, any rollup it closes or updates, agent record) go first into one
 * {@link WriteAhead} record in the meta store, then to their stores; {@link #load} makes the
 * record's puts again, so a process killed between them, or inside one that overwrote an entry in
 * place and left it torn (losing what the entry held before, acknowledged observations included),
 * comes back with all of them. A process killed inside the record's own put had made none of
 * them. An agent record rewritten for another reason (retention, a pin, a release) goes through a
 * record as well. The history's other writes (rollup flushes, retention's deletes) first remove
 * the record, so that a later start never makes a put older than what followed it; a flushed
 * rollup that is torn is the agent's newest bucket, which a restart rebuilds from raw blocks.
 *
 * <p>Agents are keyed in the stores by 64 bits of SHA-256 of their id; the stored state holds
 * the id, so a collision is caught and the second agent refused rather than mixed in.
 */
public final class AgentHistory {
    /**
     * Agents one retention pass looks at. Cut-offs move a minute a minute, so a pass a second that
     * visits this many keeps up with 60 times as many agents.
     */
    static final int RETENTION_VISITS_MAX = 20_000;

    private final HistoryConfig config;
    private final int d;
    private final KeyValueStore agents;
    private final KeyValueStore raw;
    private final KeyValueStore[] rollups; // by Tier ordinal - 1
    private final KeyValueStore meta;
    /** By the index a {@link WriteAhead} record gives them. */
    private final KeyValueStore[] byWriteAheadIndex;
    /** Whether the meta store may hold a write-ahead record (it is removed before any other write). */
    private boolean writeAheadHeld = true;
    private long writesRedone;
    private final TreeMap<Long, Entry> byKey = new TreeMap<>();
    private final Map<String, Entry> byId = new HashMap<>();
    private long retentionCursor = Long.MIN_VALUE;
    private long corruptEntries;
    private long refusedPerMinute;
    private long refusedFull;
    private long pruned;

    /** @param meta where the {@link WriteAhead} record of the write in progress is kept */
    public AgentHistory(final HistoryConfig config, final int dimension, final KeyValueStore agents, final KeyValueStore raw,
                        final KeyValueStore minute, final KeyValueStore hour, final KeyValueStore day, final KeyValueStore meta) {
        this.config = config;
        this.d = dimension;
        this.agents = agents;
        this.raw = raw;
        this.rollups = new KeyValueStore[]{minute, hour, day};
        this.meta = meta;
        this.byWriteAheadIndex = new KeyValueStore[]{agents, raw, minute, hour, day};
    }

    public HistoryConfig config() {
        return config;
    }

    public int dimension() {
        return d;
    }

    /** The key an agent's entries are stored under. */
    public static long agentKey(final String agentId) {
        final byte[] h;
        try {
            h = java.security.MessageDigest.getInstance("SHA-256").digest(agentId.getBytes(StandardCharsets.US_ASCII));
        } catch (final java.security.NoSuchAlgorithmException ex) {
            throw new IllegalStateException("every Java platform has SHA-256", ex);
        }
        long k = 0;
        for (int i = 0; i < 8; i++) {
            k = k << 8 | (h[i] & 0xFF);
        }
        return k;
    }

    /** The agent's key in the agents store (checkers that read the stores directly use it). */
    public static byte[] agentStoreKey(final long agent) {
        final byte[] k = new byte[8];
        putLong(k, 0, agent);
        return k;
    }

    /** The key of the agent's raw block or rollup for {@code bucket} (a minute, hour or day number). */
    public static byte[] bucketKey(final long agent, final long bucket) {
        final byte[] k = new byte[16];
        putLong(k, 0, agent);
        putLong(k, 8, bucket ^ Long.MIN_VALUE); // sign flipped: byte order sorts like the number
        return k;
    }

    private static void putLong(final byte[] b, final int at, final long v) {
        for (int i = 0; i < 8; i++) {
            b[at + i] = (byte)(v >>> 56 - 8 * i);
        }
    }

    // ---------------------------------------------------------------- start-up

    /**
     * Reads every stored agent (start-up): their detection records are returned for the detector,
     * and the history's own index is built. Entries that fail their checksum or do not decode are
     * counted and skipped (their agent starts afresh), never fatal. First the write-ahead record the
     * last process left, if any, is made again (see the class comment).
     */
    public List<StoredAgent> load() {
        redoWriteAhead();
        final List<StoredAgent> out = new ArrayList<>();
        agents.forEach((k, v) -> {
            try {
                final StoredAgent s = StoredAgent.decode(v);
                final Entry e = new Entry(agentKey(s.record().id()), s.record().id());
                System.arraycopy(s.oldest(), 0, e.oldest, 0, 4);
                e.newestTsMicros = s.newestTsMicros();
                e.pinnedSinceMicros = s.pinnedSinceMicros();
                e.record = s.record();
                e.openRestored = false;
                byKey.put(e.key, e);
                byId.put(e.id, e);
                out.add(s);
            } catch (final IllegalArgumentException ex) {
                corruptEntries++;
            }
        }, k -> corruptEntries++);
        out.sort(java.util.Comparator.comparing(s -> s.record().id()));
        return out;
    }

    /**
     * Makes again the puts of the write-ahead record a killed process left (see {@link WriteAhead}).
     * The record stays until the next write replaces or removes it: making its puts again is
     * harmless until then.
     */
    private void redoWriteAhead() {
        final byte[] v;
        try {
            v = meta.get(WriteAhead.KEY);
        } catch (final CorruptEntryException ex) {
            corruptEntries++; // torn while being written: none of its puts was made
            return;
        }
        if (v == null) {
            writeAheadHeld = false;
            return;
        }
        final List<WriteAhead.Put> puts;
        try {
            puts = WriteAhead.decode(v);
        } catch (final IllegalArgumentException ex) {
            corruptEntries++;
            return;
        }
        for (final WriteAhead.Put p : puts) {
            try {
                byWriteAheadIndex[p.store()].put(p.key(), p.value());
            } catch (final StoreFullException ex) {
                refusedFull++; // it fitted before the kill; counted if it no longer does
            }
        }
        writesRedone++;
    }

    /**
     * Stores the write-ahead record of {@code puts}; the caller makes the puts next.
     *
     * @throws StoreRefusal when the meta store is full (nothing was written)
     */
    private void writeAhead(final List<WriteAhead.Put> puts) {
        try {
            meta.put(WriteAhead.KEY, WriteAhead.encode(puts));
        } catch (final StoreFullException ex) {
            refusedFull++;
            throw new StoreRefusal(ex.getMessage());
        }
        writeAheadHeld = true;
    }

    /** Before a write no record covers: the last record's puts must not be made again after it. */
    private void dropWriteAhead() {
        if (writeAheadHeld) {
            meta.remove(WriteAhead.KEY);
            writeAheadHeld = false;
        }
    }

    // ---------------------------------------------------------------- write path

    /**
     * Why an observation of this agent at this time cannot be stored, or null when it can.
     * Checked before the detector takes the observation, so a refusal leaves it untouched.
     */
    public String refusal(final String agentId, final long tsMicros) {
        Entry e = byId.get(agentId);
        if (e == null) {
            final long key = agentKey(agentId);
            final Entry other = byKey.get(key);
            if (other != null) {
                return "agent id '" + agentId + "' has the same 64-bit storage key as '" + other.id + "'; rename one of them";
            }
            return null;
        }
        final long minute = Tier.RAW.bucketOf(tsMicros);
        if (minute == e.lastBlockMinute && e.lastBlockCount >= config.observationsPerMinuteMax()) {
            refusedPerMinute++;
            return "agent '" + agentId + "' sent more than storage.observations_per_minute_max ("
                + config.observationsPerMinuteMax() + ") observations in one minute";
        }
        return null;
    }

    /**
     * Stores one observation the detector has taken, with the agent's state after it. Returns
     * once both are in the stores, whole (see the class comment): the write-ahead record first,
     * then the raw block, the rollups it closes or updates and the agent record. The history's
     * memory changes only once every put is made.
     *
     * @throws StoreRefusal when a store is full (counted; the caller must not acknowledge it)
     */
    public void append(final AgentRecord after, final long tsMicros, final double[] values, final boolean inBaseline,
                       final double d2) {
        Entry e = byId.get(after.id());
        final boolean fresh = e == null;
        if (fresh) {
            e = new Entry(agentKey(after.id()), after.id());
        } else {
            restoreOpen(e);
        }
        final long minute = Tier.RAW.bucketOf(tsMicros);
        final byte[] key = bucketKey(e.key, minute);
        final RawBlock.Tail block;
        if (minute == e.lastBlockMinute && e.lastBlock != null) {
            block = e.lastBlock; // what we last put under this key: saves a read and a decode per observation
        } else {
            try {
                final byte[] stored = raw.get(key);
                block = stored == null ? null : RawBlock.tail(stored, d, minute);
            } catch (final CorruptEntryException | IllegalArgumentException ex) {
                corruptEntries++; // kept as it is (it may still read in part): this minute's later observations are refused
                throw new StoreRefusal(ex.getMessage());
            }
        }
        final int count = block == null ? 0 : block.count();
        if (count >= config.observationsPerMinuteMax()) {
            refusedPerMinute++;
            throw new StoreRefusal("agent '" + after.id() + "' sent more than storage.observations_per_minute_max ("
                + config.observationsPerMinuteMax() + ") observations in one minute");
        }
        final RawBlock.Entry entry = new RawBlock.Entry(tsMicros, inBaseline, after.status(), (float)d2, (float)after.cusum(), values);
        final RawBlock.Tail appendedTail = RawBlock.appendAfter(block, d, minute, entry);
        final byte[] appended = appendedTail.bytes();

        // what the observation changes, worked out before anything is written
        final List<WriteAhead.Put> puts = new ArrayList<>(WriteAhead.PUTS_MAX);
        puts.add(new WriteAhead.Put(RAW_INDEX, key, appended));
        final long[] oldest = e.oldest.clone();
        oldest[0] = Math.min(oldest[0], minute);
        for (final Tier t : Tier.ROLLUPS) {
            planRollup(e, t, tsMicros, values, d2, after.cusum(), after.status(), oldest, puts);
        }
        final long newest = Math.max(e.newestTsMicros, tsMicros);
        // suspect or alarmed: its raw data is kept until released
        final long pinnedSince = after.status() != AgentStatus.NORMAL && e.pinnedSinceMicros < 0 ? tsMicros : e.pinnedSinceMicros;
        puts.add(new WriteAhead.Put(AGENTS_INDEX, agentStoreKey(e.key), new StoredAgent(after, oldest, newest, pinnedSince).encode()));

        writeAhead(puts);
        try {
            raw.put(key, appended);
        } catch (final StoreFullException ex) {
            refusedFull++;
            dropWriteAhead();
            throw new StoreRefusal(ex.getMessage());
        }
        for (final WriteAhead.Put p : puts.subList(1, puts.size() - 1)) {
            try {
                byWriteAheadIndex[p.store()].put(p.key(), p.value());
            } catch (final StoreFullException ex) {
                // The observations are in their raw blocks (the truth); the rollup is rebuilt from them
                // on the next restart while raw covers it. Counted and shown in the status.
                refusedFull++;
            }
        }
        try {
            agents.put(agentStoreKey(e.key), puts.get(puts.size() - 1).value());
        } catch (final StoreFullException ex) {
            // Only a new agent needs a new entry: then its raw block goes too, so nothing is left
            // that no stored agent accounts for.
            refusedFull++;
            dropWriteAhead();
            if (fresh) {
                raw.remove(key);
            }
            throw new StoreRefusal(ex.getMessage());
        }

        // every put is made: the history's memory follows
        if (minute >= e.lastBlockMinute) {
            e.lastBlock = appendedTail;
        }
        e.lastBlockMinute = Math.max(e.lastBlockMinute, minute);
        if (minute == e.lastBlockMinute) {
            e.lastBlockCount = count + 1;
        }
        System.arraycopy(oldest, 0, e.oldest, 0, oldest.length);
        e.record = after;
        e.pinnedSinceMicros = pinnedSince;
        for (final Tier t : Tier.ROLLUPS) {
            addToOpenRollup(e, t, tsMicros, values, d2, after.cusum(), after.status());
        }
        e.newestTsMicros = newest;
        if (fresh) {
            byKey.put(e.key, e);
            byId.put(e.id, e);
        }
    }

    private static final int AGENTS_INDEX = WriteAhead.STORES.indexOf(HistoryStores.AGENTS);
    private static final int RAW_INDEX = WriteAhead.STORES.indexOf(HistoryStores.RAW);

    /**
     * The rollup put an observation at {@code ts} makes in tier {@code t}, if any, and the tier's
     * oldest bucket after it: a later bucket than the open one closes the open one (written); a
     * bucket already written is updated in the store (unless past retention).
     */
    private void planRollup(final Entry e, final Tier t, final long ts, final double[] x, final double d2, final double cusum,
                            final AgentStatus status, final long[] oldest, final List<WriteAhead.Put> puts) {
        final int i = t.ordinal() - 1;
        final long b = t.bucketOf(ts);
        if (!flushedAlready(e, i, b) && (e.open[i] == null || b >= e.openIndex[i])) {
            if (e.open[i] != null && b > e.openIndex[i] && e.open[i].count() > 0) {
                puts.add(new WriteAhead.Put(i + 2, rollupKey(e.key, t, e.openIndex[i]),
                    rollupValue(e, t, e.openIndex[i], e.open[i])));
                oldest[t.ordinal()] = Math.min(oldest[t.ordinal()], e.openIndex[i]);
            }
            oldest[t.ordinal()] = Math.min(oldest[t.ordinal()], b);
            return;
        }
        // late: the bucket was written already (by a later bucket's first observation, or by flushClosed
        // while its time had passed, as when an agent sends history), or never if it is past retention
        if (config.retentionMicros(t) != 0 && (b + 1) * t.bucketMicros() <= e.newestTsMicros - config.retentionMicros(t)) {
            return;
        }
        final Rollup stored = readRollup(e.key, t, b);
        final Rollup r = stored == null ? new Rollup(d) : stored;
        r.add(ts, x, d2, cusum, status);
        puts.add(new WriteAhead.Put(i + 2, rollupKey(e.key, t, b), rollupValue(e, t, b, r)));
        oldest[t.ordinal()] = Math.min(oldest[t.ordinal()], b);
    }

    /**
     * Whether bucket {@code b} of rollup tier {@code i} is one {@link #flushClosed} wrote and forgot
     * (or an earlier one): an observation in it updates the stored rollup. Opening it again would
     * write a rollup of the later observations alone over the stored one when it closed.
     */
    private static boolean flushedAlready(final Entry e, final int i, final long b) {
        return e.open[i] == null && b <= e.openIndex[i];
    }

    /** The open rollup of tier {@code t} after an observation at {@code ts} whose puts are made. */
    private void addToOpenRollup(final Entry e, final Tier t, final long ts, final double[] x, final double d2, final double cusum,
                                 final AgentStatus status) {
        final int i = t.ordinal() - 1;
        final long b = t.bucketOf(ts);
        if (flushedAlready(e, i, b)) {
            return; // the observation's puts updated the stored rollup
        }
        if (e.open[i] == null) {
            e.open[i] = new Rollup(d);
            e.openIndex[i] = b;
        }
        if (b > e.openIndex[i]) {
            e.open[i].clear(); // written by the observation's puts
            e.openIndex[i] = b;
        }
        if (b == e.openIndex[i]) {
            e.open[i].add(ts, x, d2, cusum, status);
        }
    }

    /**
     * Writes a rollup (a flush). An hour or day rollup is one entry: no write-ahead record covers
     * it (a torn one is the agent's newest bucket, rebuilt from raw blocks at the next start). A
     * minute rollup is put with its hour's other minutes ({@link MinutePack}), which a torn put
     * would take with it: it goes through a write-ahead record like the write path's puts.
     */
    private void writeRollup(final Entry e, final Tier t, final long bucket, final Rollup r) {
        if (r.count() == 0) {
            return;
        }
        final int i = t.ordinal() - 1;
        final byte[] key = rollupKey(e.key, t, bucket);
        final byte[] value = rollupValue(e, t, bucket, r);
        boolean covered = false;
        if (t == Tier.MINUTE) {
            try {
                writeAhead(List.of(new WriteAhead.Put(i + 2, key, value)));
                covered = true;
            } catch (final StoreRefusal ex) {
                // the meta store is full (counted): the pack is put without a record, as before packs
            }
        }
        if (!covered) {
            dropWriteAhead();
        }
        try {
            rollups[i].put(key, value);
        } catch (final StoreFullException ex) {
            // The observations are in their raw blocks (the truth); the rollup is rebuilt from them
            // on the next restart while raw covers it. Counted and shown in the status.
            refusedFull++;
        }
        e.oldest[t.ordinal()] = Math.min(e.oldest[t.ordinal()], bucket);
    }

    /** The key a rollup of tier {@code t}'s bucket is stored under: minutes are packed per hour ({@link MinutePack}). */
    static byte[] rollupKey(final long agent, final Tier t, final long bucket) {
        return bucketKey(agent, t == Tier.MINUTE ? MinutePack.hourOf(bucket) : bucket);
    }

    /**
     * What to put for a rollup of tier {@code t}'s bucket: it encoded, or for a minute its hour's
     * stored pack with it set (a damaged pack is replaced: its minutes were unreadable).
     */
    private byte[] rollupValue(final Entry e, final Tier t, final long bucket, final Rollup r) {
        if (t != Tier.MINUTE) {
            return r.encode(t.precision());
        }
        final int bits = config.minutePrecisionBits();
        final long hour = MinutePack.hourOf(bucket);
        Rollup[] minutes;
        try {
            final byte[] pack = rollups[0].get(rollupKey(e.key, t, bucket));
            final MinutePack.Packed last = e.minutePack;
            // the pack as this history last made it, and a later minute: appended, the others left coded as they are
            if (pack != null && last != null && e.minutePackHour == hour && last.appendable(bucket, bits)
                && Arrays.equals(pack, last.bytes())) {
                e.minutePack = MinutePack.append(last, d, bucket, r);
                return e.minutePack.bytes();
            }
            minutes = pack == null ? null : MinutePack.decode(pack, d);
        } catch (final CorruptEntryException | IllegalArgumentException ex) {
            corruptEntries++;
            minutes = null;
        }
        e.minutePack = MinutePack.withPacked(minutes, d, bits, bucket, r);
        e.minutePackHour = hour;
        return e.minutePack.bytes();
    }

    private Rollup readRollup(final long agent, final Tier t, final long bucket) {
        try {
            final byte[] v = rollups[t.ordinal() - 1].get(rollupKey(agent, t, bucket));
            if (v == null) {
                return null;
            }
            return t == Tier.MINUTE ? MinutePack.rollup(v, d, bucket) : new Rollup(d).decodeInto(v);
        } catch (final CorruptEntryException | IllegalArgumentException ex) {
            corruptEntries++;
            return null;
        }
    }

    /** Minute rollups read through their hour's pack, one store read per hour (series over days of minutes). */
    private final class MinuteReader {
        private final long agent;
        private long hour = Long.MIN_VALUE;
        private Rollup[] minutes;

        MinuteReader(final long agent) {
            this.agent = agent;
        }

        Rollup read(final long minute) {
            if (MinutePack.hourOf(minute) != hour) {
                hour = MinutePack.hourOf(minute);
                minutes = null;
                try {
                    final byte[] pack = rollups[0].get(bucketKey(agent, hour));
                    minutes = pack == null ? null : MinutePack.decode(pack, d);
                } catch (final CorruptEntryException | IllegalArgumentException ex) {
                    corruptEntries++; // counted once per hour
                }
            }
            return minutes == null ? null : minutes[(int)Math.floorMod(minute, (long)MinutePack.MINUTES)];
        }
    }

    /** Rewrites the agent's record alone (retention, a pin, a release), through a write-ahead record. */
    private void putAgent(final Entry e) {
        final byte[] key = agentStoreKey(e.key);
        final byte[] value = new StoredAgent(e.record, e.oldest.clone(), e.newestTsMicros, e.pinnedSinceMicros).encode();
        writeAhead(List.of(new WriteAhead.Put(AGENTS_INDEX, key, value)));
        try {
            agents.put(key, value);
        } catch (final StoreFullException ex) {
            refusedFull++;
            dropWriteAhead();
            throw new StoreRefusal(ex.getMessage());
        }
    }

    /**
     * Writes every open rollup whose bucket has ended by {@code nowMicros}, and forgets it (a
     * later observation in it, if any, is late and updates the stored one).
     *
     * @return how many were written
     */
    public int flushClosed(final long nowMicros) {
        int n = 0;
        for (final Entry e : byKey.values()) {
            if (!e.openRestored) {
                continue;
            }
            for (final Tier t : Tier.ROLLUPS) {
                final int i = t.ordinal() - 1;
                if (e.open[i] != null && (e.openIndex[i] + 1) * t.bucketMicros() <= nowMicros) {
                    writeRollup(e, t, e.openIndex[i], e.open[i]);
                    e.open[i] = null;
                    n++;
                }
            }
        }
        return n;
    }

    /** Writes every open rollup (clean shutdown); they stay open. */
    public void flushAll() {
        for (final Entry e : byKey.values()) {
            if (!e.openRestored) {
                continue;
            }
            for (final Tier t : Tier.ROLLUPS) {
                final int i = t.ordinal() - 1;
                if (e.open[i] != null) {
                    writeRollup(e, t, e.openIndex[i], e.open[i]);
                }
            }
        }
    }

    // ---------------------------------------------------------------- restore

    /**
     * Calls {@code sink} with every stored raw observation of the agent from {@code fromMicros}
     * on, in time order, and rebuilds the agent's open rollups on the way (after a restart).
     * What the detector uses to rebuild its baseline window.
     */
    public void replay(final String agentId, final long fromMicros, final Consumer<RawBlock.Entry> sink) {
        final Entry e = byId.get(agentId);
        if (e == null || e.newestTsMicros == Long.MIN_VALUE) {
            return;
        }
        final boolean rebuild = !e.openRestored;
        final long dayStart = Tier.DAY.bucketOf(e.newestTsMicros) * Tier.DAY.bucketMicros();
        final long start = Math.max(e.oldest[0], Tier.RAW.bucketOf(rebuild ? Math.min(fromMicros, dayStart) : fromMicros));
        final long end = Tier.RAW.bucketOf(e.newestTsMicros);
        if (rebuild) {
            for (final Tier t : Tier.ROLLUPS) {
                e.open[t.ordinal() - 1] = new Rollup(d);
                e.openIndex[t.ordinal() - 1] = t.bucketOf(e.newestTsMicros);
            }
        }
        for (long m = start; m <= end; m++) {
            final long minute = m;
            final byte[] block = readRaw(e.key, minute);
            if (block == null) {
                continue;
            }
            final List<RawBlock.Entry> entries = new ArrayList<>();
            try {
                RawBlock.forEach(block, d, minute, entries::add);
            } catch (final IllegalArgumentException ex) {
                corruptEntries++;
                continue;
            }
            entries.sort(java.util.Comparator.comparingLong(RawBlock.Entry::tsMicros));
            for (final RawBlock.Entry x : entries) {
                if (rebuild) {
                    for (final Tier t : Tier.ROLLUPS) {
                        final int i = t.ordinal() - 1;
                        if (t.bucketOf(x.tsMicros()) == e.openIndex[i]) {
                            e.open[i].add(x.tsMicros(), x.values(), x.d2(), x.cusum(), x.status());
                        }
                    }
                }
                if (x.tsMicros() >= fromMicros) {
                    sink.accept(x);
                }
            }
            if (minute == end) {
                e.lastBlockMinute = minute;
                e.lastBlockCount = entries.size();
                e.lastBlock = null; // read and decoded by the next append
            }
        }
        e.openRestored = true;
    }

    private void restoreOpen(final Entry e) {
        if (!e.openRestored) {
            replay(e.id, Long.MAX_VALUE, x -> { });
        }
    }

    private byte[] readRaw(final long agent, final long minute) {
        try {
            return raw.get(bucketKey(agent, minute));
        } catch (final CorruptEntryException ex) {
            corruptEntries++;
            return null;
        }
    }

    // ---------------------------------------------------------------- pins

    /** Whether the agent's raw data is held back from retention. */
    public boolean pinned(final String agentId) {
        final Entry e = byId.get(agentId);
        return e != null && e.pinnedSinceMicros >= 0;
    }

    /** Pins an agent by hand (tests, tools). @return false when unknown */
    public boolean pin(final String agentId, final long nowMicros) {
        final Entry e = byId.get(agentId);
        if (e == null) {
            return false;
        }
        if (e.pinnedSinceMicros < 0) {
            e.pinnedSinceMicros = nowMicros;
            putAgent(e);
        }
        return true;
    }

    /**
     * Releases an agent's pin (operator command): retention may prune its raw data again.
     * The caller also sets its stored record (the detector's release). @return false when unknown
     */
    public boolean release(final AgentRecord after) {
        final Entry e = byId.get(after.id());
        if (e == null) {
            return false;
        }
        e.pinnedSinceMicros = -1;
        e.record = after;
        putAgent(e);
        return true;
    }

    /** Ids of pinned agents, sorted. */
    public List<String> pinnedAgents() {
        final List<String> out = new ArrayList<>();
        for (final Entry e : byKey.values()) {
            if (e.pinnedSinceMicros >= 0) {
                out.add(e.id);
            }
        }
        out.sort(null);
        return out;
    }

    // ---------------------------------------------------------------- retention

    /**
     * Deletes what has expired by {@code nowMicros}, at most {@code retentionDeletesPerPass}
     * entries from at most {@link #RETENTION_VISITS_MAX} agents, resuming where the last pass
     * stopped (agents in key order, round robin). A pinned agent's raw blocks are kept.
     *
     * @return entries deleted
     */
    public int retentionPass(final long nowMicros) {
        int budget = config.retentionDeletesPerPass();
        int deleted = 0;
        int visited = 0;
        final int agentsNow = Math.min(byKey.size(), RETENTION_VISITS_MAX);
        while (budget > 0 && visited < agentsNow) {
            Map.Entry<Long, Entry> next = byKey.higherEntry(retentionCursor);
            if (next == null) {
                next = byKey.firstEntry();
            }
            final Entry e = next.getValue();
            final int n = prune(e, nowMicros, budget);
            budget -= n;
            deleted += n;
            if (budget > 0) {
                retentionCursor = e.key; // done with this agent; otherwise it is resumed next pass
                visited++;
            }
        }
        pruned += deleted;
        return deleted;
    }

    private int prune(final Entry e, final long nowMicros, final int budget) {
        if (!e.openRestored) {
            // Read back after a restart and not rebuilt yet: its open rollups come from its raw
            // blocks, so nothing is pruned before the rebuild (the detector's background restore,
            // or the agent's next report, does it; rebuilding here would stall the pass).
            return 0;
        }
        int n = 0;
        boolean changed = false;
        for (final Tier t : Tier.values()) {
            final long keep = config.retentionMicros(t);
            if (keep == 0 || (t == Tier.RAW && e.pinnedSinceMicros >= 0)) {
                continue;
            }
            final int i = t.ordinal();
            final long cutoff = t.bucketOf(nowMicros - keep); // buckets before it have expired
            final long newestStored = t.bucketOf(e.newestTsMicros);
            while (e.oldest[i] < cutoff && n < budget) {
                if (e.oldest[i] > newestStored) {
                    e.oldest[i] = Long.MAX_VALUE; // nothing stored in this tier any more
                    changed = true;
                    break;
                }
                if (t == Tier.MINUTE) {
                    // minutes go by the hour (their pack), once every minute of it has expired
                    final long next = (MinutePack.hourOf(e.oldest[i]) + 1) * MinutePack.MINUTES;
                    if (next > cutoff) {
                        break;
                    }
                    dropWriteAhead();
                    if (rollups[0].remove(bucketKey(e.key, MinutePack.hourOf(e.oldest[i])))) {
                        n++;
                    }
                    e.oldest[i] = next;
                    changed = true;
                    continue;
                }
                final byte[] key = bucketKey(e.key, e.oldest[i]);
                dropWriteAhead();
                if (t == Tier.RAW ? raw.remove(key) : rollups[i - 1].remove(key)) {
                    n++;
                } else {
                    n += 0; // an empty bucket (the agent was silent): nothing to delete
                }
                e.oldest[i]++;
                changed = true;
            }
        }
        if (changed) {
            putAgentQuietly(e);
        }
        return n;
    }

    private void putAgentQuietly(final Entry e) {
        try {
            putAgent(e);
        } catch (final StoreRefusal ex) {
            // Pruning freed room or changed nothing the agent depends on; the extents are rewritten next pass.
        }
    }

    // ---------------------------------------------------------------- queries

    /** Whether the history knows the agent. */
    public boolean knows(final String agentId) {
        return byId.containsKey(agentId);
    }

    public int agentCount() {
        return byKey.size();
    }

    /**
     * The agent's observations from {@code fromMicros} (inclusive) to {@code toMicros}
     * (exclusive) in steps of {@code stepMicros} (0: about {@value Series#POINTS_DEFAULT} points),
     * from the finest tier whose retention covers {@code fromMicros} (raw only for a pinned
     * agent's kept blocks or within raw retention). The step is rounded up to a whole number of
     * the tier's buckets.
     *
     * @return null when the agent is unknown
     * @throws IllegalArgumentException when the range is empty or asks for more than
     *                                  {@value Series#POINTS_MAX} points
     */
    public Series series(final String agentId, final long fromMicros, final long toMicros, final long stepMicros,
                         final long nowMicros) {
        final Entry e = byId.get(agentId);
        if (e == null) {
            return null;
        }
        if (toMicros <= fromMicros) {
            throw new IllegalArgumentException("to must be after from");
        }
        restoreOpen(e);
        final Tier tier = tierFor(e, fromMicros, nowMicros);
        final long res = tier.bucketMicros();
        long step = stepMicros > 0 ? stepMicros : (toMicros - fromMicros + Series.POINTS_DEFAULT - 1) / Series.POINTS_DEFAULT;
        step = Math.max(res, (step + res - 1) / res * res);
        final long first = Math.floorDiv(fromMicros, step) * step;
        final long points = (toMicros - first + step - 1) / step;
        if (points > Series.POINTS_MAX) {
            throw new IllegalArgumentException("step " + step + " µs gives " + points + " points; at most " + Series.POINTS_MAX);
        }
        final List<Series.Point> out = new ArrayList<>((int)points);
        final MinuteReader minutes = tier == Tier.MINUTE ? new MinuteReader(e.key) : null;
        for (long s = first; s < toMicros; s += step) {
            final Rollup acc = new Rollup(d);
            for (long b = s / res; b < (s + step) / res; b++) {
                if (tier == Tier.RAW) {
                    final byte[] block = readRaw(e.key, b);
                    if (block != null) {
                        try {
                            RawBlock.forEach(block, d, b, x -> acc.add(x.tsMicros(), x.values(), x.d2(), x.cusum(), x.status()));
                        } catch (final IllegalArgumentException ex) {
                            corruptEntries++;
                        }
                    }
                } else {
                    final int i = tier.ordinal() - 1;
                    final Rollup r = e.open[i] != null && e.openIndex[i] == b ? e.open[i]
                        : minutes != null ? minutes.read(b) : readRollup(e.key, tier, b);
                    if (r != null) {
                        acc.merge(r);
                    }
                }
            }
            out.add(Series.Point.of(s, acc));
        }
        return new Series(agentId, tier.label(), step, first, toMicros, e.pinnedSinceMicros >= 0, out);
    }

    private Tier tierFor(final Entry e, final long fromMicros, final long nowMicros) {
        if (e.pinnedSinceMicros >= 0 && e.oldest[0] != Long.MAX_VALUE && e.oldest[0] * Tier.RAW.bucketMicros() <= fromMicros) {
            return Tier.RAW;
        }
        for (final Tier t : Tier.values()) {
            final long keep = config.retentionMicros(t);
            if (keep == 0 || nowMicros - keep <= fromMicros) {
                return t;
            }
        }
        return Tier.DAY;
    }

    // ---------------------------------------------------------------- counters

    public Counters counters() {
        int pinned = 0;
        for (final Entry e : byKey.values()) {
            pinned += e.pinnedSinceMicros >= 0 ? 1 : 0;
        }
        return new Counters(byKey.size(), pinned, corruptEntries, refusedPerMinute, refusedFull, pruned,
            agents.size(), raw.size(), rollups[0].size(), rollups[1].size(), rollups[2].size(), writesRedone);
    }

    /**
     * History counters for the status.
     *
     * @param writesRedone writes made again at start from the write-ahead record the last process left (its last
     *                     write, finished or not: a killed process cannot say which)
     */
    public record Counters(int agents, int pinned, long corruptEntries, long refusedPerMinute, long refusedStoreFull,
                           long prunedEntries, long agentEntries, long rawBlocks, long minuteBuckets, long hourBuckets,
                           long dayBuckets, long writesRedone) {
    }

    /** What the history holds of one agent, in memory. */
    private final class Entry {
        final long key;
        final String id;
        final long[] oldest = {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE};
        long newestTsMicros = Long.MIN_VALUE;
        long pinnedSinceMicros = -1;
        AgentRecord record;
        final Rollup[] open = new Rollup[3];
        final long[] openIndex = new long[3];
        boolean openRestored = true;
        long lastBlockMinute = Long.MIN_VALUE;
        int lastBlockCount;
        /** The raw block last written for {@link #lastBlockMinute} (null after a restart until read). */
        RawBlock.Tail lastBlock;
        /**
         * The minute pack of {@link #minutePackHour} as last made (put or not): when the store
         * still holds these bytes, the next minute is appended to them ({@link MinutePack#append}).
         */
        MinutePack.Packed minutePack;
        long minutePackHour;

        Entry(final long key, final String id) {
            this.key = key;
            this.id = id;
            Arrays.fill(openIndex, Long.MIN_VALUE);
        }
    }
}
