package dev.vigil.daemon.consensus;

import dev.vigil.storage.KeyValueStore;
import dev.vigil.storage.StoreFullException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The consensus logs of every replica a node runs, in one shared {@link KeyValueStore} (a
 * Chronicle Map file in the daemon, a heap store in simnet and tests) laid out by
 * {@link LogSizing}. Why one store: a node runs a replica per (shard, epoch) it is a member of,
 * from none to every shard for a small fleet, and one file sized for {@code replicasMax} logs
 * costs one reservation, one recovery and one manifest line instead of one per shard.
 *
 * <p>{@link #open} scans the store once, opens every log found (each validated and cut back as
 * {@link StoredLog} describes) and reports what it found in {@link #damage()}; the daemon logs it
 * and the driver rebuilds a replica per {@link #logs()} entry with {@link Replica#recover}. Not
 * thread-safe: the node core's thread only.
 *
 * <p>Bound: at most {@link LogSizing#replicasMax} logs; {@link #log} of one more throws
 * {@link StoreFullException} (the node cannot take that committee seat; the message names the
 * key to raise). {@link #drop} removes a log the node no longer needs (an epoch closed and handed
 * over, a shard it left).
 */
public final class StoredLogs {
    /** A log's identity, ordered by shard then epoch. */
    public record Id(int shard, long epoch) implements Comparable<Id> {
        @Override
        public int compareTo(final Id o) {
            final int c = Integer.compare(shard, o.shard);
            return c != 0 ? c : Long.compare(epoch, o.epoch);
        }
    }

    private final KeyValueStore store;
    private final LogSizing sizing;
    private final Limits limits;
    private final NavigableMap<Id, StoredLog> logs = new TreeMap<>();
    private final List<LogDamage> damage = new ArrayList<>();
    private long foreignEntries;

    private StoredLogs(final KeyValueStore store, final LogSizing sizing, final Limits limits) {
        this.store = store;
        this.sizing = sizing;
        this.limits = limits;
    }

    /**
     * Opens every log the store holds.
     *
     * @param limits the decoding bounds of the largest committee any of these replicas sits on
     */
    public static StoredLogs open(final KeyValueStore store, final LogSizing sizing, final Limits limits) {
        final StoredLogs s = new StoredLogs(store, sizing, limits);
        final Map<Id, NavigableMap<Long, List<Integer>>> chunks = new TreeMap<>();
        final Map<Id, List<byte[]>> corrupt = new TreeMap<>();
        final Map<Id, Boolean> marked = new TreeMap<>();
        final List<byte[]> foreign = new ArrayList<>();
        store.forEach((k, v) -> {
            if (k.length != LogKeys.LENGTH) {
                foreign.add(k.clone());
                return;
            }
            final Id id = new Id(LogKeys.shard(k), LogKeys.epoch(k));
            if (LogKeys.isMark(k)) {
                marked.put(id, true);
            } else {
                chunks.computeIfAbsent(id, x -> new TreeMap<>()).computeIfAbsent(LogKeys.index(k), x -> new ArrayList<>())
                    .add(LogKeys.chunk(k));
            }
        }, k -> {
            if (k.length != LogKeys.LENGTH) {
                foreign.add(k.clone());
                return;
            }
            // a copy: a store may hand every entry the same array
            corrupt.computeIfAbsent(new Id(LogKeys.shard(k), LogKeys.epoch(k)), x -> new ArrayList<>()).add(k.clone());
        });
        s.foreignEntries = foreign.size();
        final TreeMap<Id, Boolean> ids = new TreeMap<>();
        chunks.keySet().forEach(id -> ids.put(id, true));
        corrupt.keySet().forEach(id -> ids.put(id, true));
        marked.keySet().forEach(id -> ids.put(id, true));
        for (final Id id : ids.keySet()) {
            final StoredLog log = new StoredLog(store, id.shard(), id.epoch(), sizing, limits);
            s.damage.addAll(log.open(chunks.getOrDefault(id, new TreeMap<>()), corrupt.getOrDefault(id, List.of())));
            if (log.size() == 0) {
                log.forget();
            } else {
                s.logs.put(id, log);
            }
        }
        return s;
    }

    /**
     * The log of replica (shard, epoch): the one read at open, or a new empty one.
     *
     * @throws StoreFullException when it would be log number {@link LogSizing#replicasMax} + 1
     */
    public StoredLog log(final int shard, final long epoch) {
        final Id id = new Id(shard, epoch);
        final StoredLog found = logs.get(id);
        if (found != null) {
            return found;
        }
        if (logs.size() >= sizing.replicasMax()) {
            throw new StoreFullException("the consensus-log store holds logs for " + logs.size() + " replicas, its maximum "
                + "(storage.consensus_replicas); no log for shard " + shard + " epoch " + epoch, null);
        }
        final StoredLog log = new StoredLog(store, shard, epoch, sizing, limits);
        logs.put(id, log);
        return log;
    }

    /** Removes every entry of the log of (shard, epoch), if there is one. */
    public void drop(final int shard, final long epoch) {
        final StoredLog log = logs.remove(new Id(shard, epoch));
        if (log != null) {
            log.forget();
        }
    }

    /** The logs held, by shard then epoch: the replicas a restarted node rebuilds. */
    public List<Id> logs() {
        return List.copyOf(logs.keySet());
    }

    /** What {@link #open} found wrong, in log order. */
    public List<LogDamage> damage() {
        return List.copyOf(damage);
    }

    /** Entries whose key is not a consensus-log key (left alone; a store shared by mistake). */
    public long foreignEntries() {
        return foreignEntries;
    }

    public LogSizing sizing() {
        return sizing;
    }
}
