package dev.vigil.daemon.consensus;

/**
 * Keys of the consensus-log store, which every replica a node runs shares. One entry per chunk of
 * a record, and one truncation mark per log:
 *
 * <pre>
 *  0       2                10               18      20
 *  +-------+----------------+----------------+-------+
 *  | shard | epoch          | append index   | chunk |   all big-endian
 *  +-------+----------------+----------------+-------+
 * </pre>
 *
 * <p>Why this key: a replica is identified by (shard, epoch) (a reconfiguration starts a new
 * replica with a new log, while the old epoch's replica still serves its closing state), so one
 * store holds them all and a node sizes one file for every replica it may run. Records are keyed
 * by their append index, not their sequence number: a sequence number has several records
 * (accepted pre-prepares of several views, its prepared certificate, its commit), the view and
 * base records have none, and {@link ConsensusLog#records()} must come back in append order.
 * Big-endian fields make byte order numeric order, so a sorted store (simnet's) iterates a log in
 * append order. The mark's index and chunk are all ones: it sorts after its log's records.
 */
final class LogKeys {
    static final int LENGTH = 20;
    static final int SHARD_OFFSET = 0;
    static final int EPOCH_OFFSET = 2;
    static final int INDEX_OFFSET = 10;
    static final int CHUNK_OFFSET = 18;
    /** Chunks per record at most (u16, the all-ones value is the mark's). */
    static final int CHUNKS_MAX = 0xFFFF;
    static final long MARK_INDEX = -1L;
    static final int MARK_CHUNK = 0xFFFF;

    private LogKeys() {
    }

    static byte[] key(final int shard, final long epoch, final long index, final int chunk) {
        if (shard < 0 || shard >= Committees.SHARDS_MAX || epoch < 0 || chunk < 0 || chunk > 0xFFFF) {
            throw new IllegalArgumentException("no log key for shard " + shard + " epoch " + epoch + " chunk " + chunk);
        }
        final byte[] k = new byte[LENGTH];
        k[SHARD_OFFSET] = (byte)(shard >>> 8);
        k[SHARD_OFFSET + 1] = (byte)shard;
        putLong(k, EPOCH_OFFSET, epoch);
        putLong(k, INDEX_OFFSET, index);
        k[CHUNK_OFFSET] = (byte)(chunk >>> 8);
        k[CHUNK_OFFSET + 1] = (byte)chunk;
        return k;
    }

    static byte[] mark(final int shard, final long epoch) {
        return key(shard, epoch, MARK_INDEX, MARK_CHUNK);
    }

    static int shard(final byte[] key) {
        return (key[SHARD_OFFSET] & 0xFF) << 8 | key[SHARD_OFFSET + 1] & 0xFF;
    }

    static long epoch(final byte[] key) {
        return getLong(key, EPOCH_OFFSET);
    }

    static long index(final byte[] key) {
        return getLong(key, INDEX_OFFSET);
    }

    static int chunk(final byte[] key) {
        return (key[CHUNK_OFFSET] & 0xFF) << 8 | key[CHUNK_OFFSET + 1] & 0xFF;
    }

    static boolean isMark(final byte[] key) {
        return index(key) == MARK_INDEX && chunk(key) == MARK_CHUNK;
    }

    static void putLong(final byte[] b, final int offset, final long v) {
        for (int i = 0; i < 8; i++) {
            b[offset + i] = (byte)(v >>> (56 - 8 * i));
        }
    }

    static long getLong(final byte[] b, final int offset) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | b[offset + i] & 0xFF;
        }
        return v;
    }
}
