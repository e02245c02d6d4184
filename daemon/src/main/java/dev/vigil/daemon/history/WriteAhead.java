package dev.vigil.daemon.history;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The puts of one history write that rewrites entries holding acknowledged data (an observation's
 * raw block, rollups and agent record; an agent record alone), stored in the meta store under
 * {@link #KEY} before any of them is made. A process killed among those puts, or inside one of
 * them (an entry overwritten in place can be left torn, and with it what it held before), leaves
 * the record whole; the next start makes every put again, so the write is all there. A process
 * killed while writing the record itself had made none of the puts yet: the record fails its
 * checksum and the write is not there at all. Little-endian:
 * <pre>
 *   0  version   u8 (1)
 *   1  puts      u8 (at most {@value #PUTS_MAX})
 *   then per put:
 *      store     u8 (index into {@link #STORES})
 *      key       u8 length, then the key
 *      value     u32 length, then the value
 * </pre>
 */
final class WriteAhead {
    static final byte[] KEY = "history.write-ahead".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    /** An observation: its raw block, one rollup per tier, its agent record. */
    static final int PUTS_MAX = 5;
    /** Stores a put may go to, by the index the record keeps. */
    static final List<String> STORES = List.of(HistoryStores.AGENTS, HistoryStores.RAW, Tier.MINUTE.label(), Tier.HOUR.label(),
        Tier.DAY.label());

    /** One put: the store's index in {@link #STORES}, the key, the value. */
    record Put(int store, byte[] key, byte[] value) {
    }

    private WriteAhead() {
    }

    static byte[] encode(final List<Put> puts) {
        if (puts.isEmpty() || puts.size() > PUTS_MAX) {
            throw new IllegalArgumentException("a write-ahead record holds 1 to " + PUTS_MAX + " puts, not " + puts.size());
        }
        int length = 2;
        for (final Put p : puts) {
            length += 1 + 1 + p.key().length + 4 + p.value().length;
        }
        final ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte)VERSION).put((byte)puts.size());
        for (final Put p : puts) {
            b.put((byte)p.store()).put((byte)p.key().length).put(p.key()).putInt(p.value().length).put(p.value());
        }
        return b.array();
    }

    /** @throws IllegalArgumentException when the bytes are not a record of this version */
    static List<Put> decode(final byte[] bytes) {
        try {
            final ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            if (b.get() != VERSION) {
                throw new IllegalArgumentException("not a version-" + VERSION + " write-ahead record");
            }
            final int n = b.get() & 0xFF;
            if (n < 1 || n > PUTS_MAX) {
                throw new IllegalArgumentException("a write-ahead record of " + n + " puts");
            }
            final List<Put> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                final int store = b.get() & 0xFF;
                if (store >= STORES.size()) {
                    throw new IllegalArgumentException("a write-ahead put to store " + store);
                }
                final byte[] key = new byte[b.get() & 0xFF];
                b.get(key);
                final int valueLength = b.getInt();
                if (valueLength < 0 || valueLength > b.remaining()) {
                    throw new IllegalArgumentException("a write-ahead value of " + valueLength + " bytes, " + b.remaining() + " left");
                }
                final byte[] value = new byte[valueLength];
                b.get(value);
                out.add(new Put(store, key, value));
            }
            if (b.hasRemaining()) {
                throw new IllegalArgumentException(b.remaining() + " bytes after the last write-ahead put");
            }
            return out;
        } catch (final java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("a write-ahead record cut short", e);
        }
    }
}
