package dev.vigil.daemon.consensus;

import java.util.Arrays;
import java.util.function.IntFunction;
import java.util.zip.CRC32C;

/**
 * How one {@link LogRecords} encoding is laid into store entries of at most {@code chunkBytesMax}
 * bytes, and how the truncation mark is laid out. Little-endian, like the wire.
 *
 * <pre>
 * chunk 0:   u32 record bytes | u16 chunks | u32 CRC32C(shard, epoch, index, record) | record[0 ..]
 * chunk k>0: record[..]   (the rest, in order; only the last may be shorter)
 * mark:      u64 stable seq | u64 index limit | u32 CRC32C(shard, epoch, the 16 bytes)
 * </pre>
 *
 * <p>The writer puts chunks 1..n-1 first and chunk 0 last, and removes chunk 0 first: a chunk 0
 * that is present and intact means the whole record was written, so a process killed inside an
 * append or a removal leaves at most chunks without their chunk 0 (garbage, removed at open). The
 * CRC covers where the record belongs, so a record under another log's key is not taken as its.
 * The store checksums every entry too (Chronicle); the CRC here also covers heap stores and a chunk
 * from another record.
 */
final class LogChunks {
    static final int HEADER = 4 + 2 + 4;
    static final int MARK_LENGTH = 8 + 8 + 4;

    private LogChunks() {
    }

    static int chunks(final int recordBytes, final int chunkBytesMax) {
        final int first = chunkBytesMax - HEADER;
        return recordBytes <= first ? 1 : 1 + (recordBytes - first + chunkBytesMax - 1) / chunkBytesMax;
    }

    /** The entries of one record, chunk 0 first in the array (written last). */
    static byte[][] split(final byte[] key0, final byte[] record, final int chunkBytesMax) {
        final int n = chunks(record.length, chunkBytesMax);
        if (n > LogKeys.CHUNKS_MAX) {
            throw new IllegalArgumentException("a " + record.length + "-byte record needs more than " + LogKeys.CHUNKS_MAX + " chunks");
        }
        final byte[][] out = new byte[n][];
        final int first = Math.min(record.length, chunkBytesMax - HEADER);
        final byte[] c0 = new byte[HEADER + first];
        putInt(c0, 0, record.length);
        c0[4] = (byte)n;
        c0[5] = (byte)(n >>> 8);
        putInt(c0, 6, crc(key0, record, record.length));
        System.arraycopy(record, 0, c0, HEADER, first);
        out[0] = c0;
        int at = first;
        for (int k = 1; k < n; k++) {
            final int len = Math.min(chunkBytesMax, record.length - at);
            out[k] = Arrays.copyOfRange(record, at, at + len);
            at += len;
        }
        return out;
    }

    /** Chunks chunk 0 says its record has, or -1 when chunk 0 is too short to say. */
    static int chunkCount(final byte[] chunk0) {
        return chunk0.length < HEADER ? -1 : (chunk0[4] & 0xFF) | (chunk0[5] & 0xFF) << 8;
    }

    /**
     * The record's bytes, or null when the chunks do not make the record chunk 0 describes
     * (missing, of the wrong length, or failing the CRC).
     *
     * @param chunk the value of chunk k (1..n-1), or null when absent
     */
    static byte[] join(final byte[] key0, final byte[] chunk0, final IntFunction<byte[]> chunk) {
        final int n = chunkCount(chunk0);
        if (n < 1) {
            return null;
        }
        final int length = getInt(chunk0, 0);
        if (length < 0) {
            return null;
        }
        final byte[] record = new byte[length];
        int at = Math.min(length, chunk0.length - HEADER);
        if (chunk0.length - HEADER != at) {
            return null;
        }
        System.arraycopy(chunk0, HEADER, record, 0, at);
        for (int k = 1; k < n; k++) {
            final byte[] c = chunk.apply(k);
            if (c == null || c.length > length - at) {
                return null;
            }
            System.arraycopy(c, 0, record, at, c.length);
            at += c.length;
        }
        if (at != length || getInt(chunk0, 6) != crc(key0, record, length)) {
            return null;
        }
        return record;
    }

    static byte[] mark(final byte[] markKey, final long stableSeq, final long indexLimit) {
        final byte[] v = new byte[MARK_LENGTH];
        putLong(v, 0, stableSeq);
        putLong(v, 8, indexLimit);
        putInt(v, 16, crc(markKey, v, 16));
        return v;
    }

    /** {stable seq, index limit}, or null when the bytes are not an intact mark. */
    static long[] readMark(final byte[] markKey, final byte[] v) {
        if (v == null || v.length != MARK_LENGTH || getInt(v, 16) != crc(markKey, v, 16)) {
            return null;
        }
        return new long[] {getLong(v, 0), getLong(v, 8)};
    }

    /** CRC32C over the key's shard, epoch and index (not its chunk) and the bytes. */
    private static int crc(final byte[] key, final byte[] bytes, final int length) {
        final CRC32C c = new CRC32C();
        c.update(key, 0, LogKeys.CHUNK_OFFSET);
        c.update(bytes, 0, length);
        return (int)c.getValue();
    }

    private static void putInt(final byte[] b, final int at, final int v) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte)(v >>> (8 * i));
        }
    }

    private static int getInt(final byte[] b, final int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }

    private static void putLong(final byte[] b, final int at, final long v) {
        for (int i = 0; i < 8; i++) {
            b[at + i] = (byte)(v >>> (8 * i));
        }
    }

    private static long getLong(final byte[] b, final int at) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | b[at + i] & 0xFF;
        }
        return v;
    }
}
