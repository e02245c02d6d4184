package dev.vigil.daemon.consensus.evidence;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One observer's evidence as the payload of one committee request: records for one or more
 * agents, each carrying the observer's dot (its per-observer sequence number, consecutive from 1).
 * The observer signs the request that carries the batch, so one signature covers many agents.
 *
 * <p>Layout, little-endian: version u8 (2), sentAtMicros u64 (the observer's clock when it sent
 * the batch; a verdict this batch decides is issued at this time, so every replica signs the same
 * bytes), record count u16, then per record: seq u64, agent id
 * (u16 length + UTF-8), excursion u32, released u64, increment count u16, increments f64 each.
 * Version 1 (no released field: 0) is still read. Every increment is
 * finite. Bounds: {@link #RECORDS_MAX} records, {@link #AGENT_ID_BYTES_MAX} bytes of agent id,
 * {@link #INCREMENTS_MAX} increments per record, {@link #BYTES_MAX} bytes in all; the decoder
 * refuses anything else, or any trailing byte, with a message naming the field.
 *
 * @param sentAtMicros the observer's wall clock when it sent the batch, microseconds since the epoch
 * @param records      in the order the observer made them (ascending seq)
 */
public record EvidenceBatch(long sentAtMicros, List<Record> records) {
    public static final int VERSION = 2;
    /** The layout before records carried {@code released}; still read, as released 0. */
    public static final int VERSION_V1 = 1;
    public static final int RECORDS_MAX = 256;
    public static final int AGENT_ID_BYTES_MAX = 256;
    public static final int INCREMENTS_MAX = 64;
    /** Fits one 16 KiB frame with the request's own header and signature. */
    public static final int BYTES_MAX = 15 * 1024;

    public EvidenceBatch {
        records = List.copyOf(records);
        if (records.isEmpty() || records.size() > RECORDS_MAX) {
            throw new IllegalArgumentException("an evidence batch holds 1 to " + RECORDS_MAX + " records, not " + records.size());
        }
    }

    /**
     * One window's (or several windows') evidence of one observer about one agent.
     *
     * @param seq        the observer's dot: consecutive from 1 over all its records, any agent
     * @param agent      the agent's id
     * @param excursion  the observer's excursion number for this agent: the count of times its
     *                   CUSUM rose from 0; a higher number than the committee holds starts the sum
     *                   again, an empty increments list with it closes the excursion
     * @param increments the clipped log-likelihood ratios of the windows, oldest first
     * @param released   the conviction of this agent whose operator release the observer had seen last
     *                   when it sent the record ({@link #convictionKey}), or 0: the record depends on
     *                   that release and waits in the committee while the committee still holds that
     *                   conviction (evidence made after a release counts only after it)
     */
    public record Record(long seq, String agent, long excursion, double[] increments, long released) {
        public Record(final long seq, final String agent, final long excursion, final double[] increments) {
            this(seq, agent, excursion, increments, 0);
        }

        public Record {
            if (seq < 1) {
                throw new IllegalArgumentException("seq " + seq + ": dots count from 1");
            }
            if (excursion < 0 || excursion > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("excursion " + excursion + " outside u32");
            }
            final int idBytes = agent.getBytes(StandardCharsets.UTF_8).length;
            if (idBytes == 0 || idBytes > AGENT_ID_BYTES_MAX) {
                throw new IllegalArgumentException("agent id of " + idBytes + " bytes, 1 to " + AGENT_ID_BYTES_MAX);
            }
            if (increments.length > INCREMENTS_MAX) {
                throw new IllegalArgumentException(increments.length + " increments, at most " + INCREMENTS_MAX);
            }
            for (final double x : increments) {
                if (!Double.isFinite(x)) {
                    throw new IllegalArgumentException("increment " + x + " is not finite");
                }
            }
            increments = increments.clone();
        }

        @Override
        public double[] increments() {
            return increments.clone();
        }

        double increment(final int i) {
            return increments[i];
        }

        int incrementCount() {
            return increments.length;
        }

        int encodedLength() {
            return 8 + 2 + agent.getBytes(StandardCharsets.UTF_8).length + 4 + 8 + 2 + 8 * increments.length;
        }

        void writeTo(final ByteBuffer b) {
            final byte[] id = agent.getBytes(StandardCharsets.UTF_8);
            b.putLong(seq).putShort((short)id.length).put(id).putInt((int)excursion).putLong(released).putShort((short)increments.length);
            for (final double x : increments) {
                b.putDouble(x);
            }
        }

        @Override
        public boolean equals(final Object o) {
            return o instanceof Record r && r.seq == seq && r.agent.equals(agent) && r.excursion == excursion
                && r.released == released && Arrays.equals(r.increments, increments);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(seq) * 31 + agent.hashCode();
        }

        @Override
        public String toString() {
            return "Record[seq=" + seq + ", agent=" + agent + ", excursion=" + excursion + ", released=" + Long.toHexString(released)
                + ", increments=" + Arrays.toString(increments) + "]";
        }
    }

    /**
     * How a record names a conviction: the first 8 bytes (little-endian) of the version-vector
     * digest the conviction was decided on, which its certificate and its release both carry; 0 is
     * kept for "none" (a digest that starts with it names nothing).
     */
    public static long convictionKey(final byte[] versionVectorDigest) {
        return ByteBuffer.wrap(versionVectorDigest, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /** Evidence that cannot be taken: the message names the field and the limit. */
    public static final class Malformed extends Exception {
        Malformed(final String message) {
            super(message);
        }
    }

    public byte[] encode() {
        int n = 1 + 8 + 2;
        for (final Record r : records) {
            n += r.encodedLength();
        }
        if (n > BYTES_MAX) {
            throw new IllegalArgumentException("evidence batch of " + n + " bytes, at most " + BYTES_MAX);
        }
        final ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte)VERSION).putLong(sentAtMicros).putShort((short)records.size());
        records.forEach(r -> r.writeTo(b));
        return b.array();
    }

    public static EvidenceBatch decode(final byte[] bytes) throws Malformed {
        if (bytes.length > BYTES_MAX) {
            throw new Malformed("evidence batch of " + bytes.length + " bytes, at most " + BYTES_MAX);
        }
        final ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        try {
            final int version = b.get() & 0xFF;
            if (version != VERSION && version != VERSION_V1) {
                throw new Malformed("evidence batch version " + version + ", this node reads " + VERSION_V1 + " and " + VERSION);
            }
            final long sentAt = b.getLong();
            if (sentAt < 0) {
                throw new Malformed("sentAtMicros " + sentAt + " before 1970");
            }
            final int count = b.getShort() & 0xFFFF;
            if (count == 0 || count > RECORDS_MAX) {
                throw new Malformed("record count " + count + ", 1 to " + RECORDS_MAX);
            }
            final List<Record> records = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                final long seq = b.getLong();
                final int idLength = b.getShort() & 0xFFFF;
                if (idLength == 0 || idLength > AGENT_ID_BYTES_MAX) {
                    throw new Malformed("record " + i + ": agent id of " + idLength + " bytes, 1 to " + AGENT_ID_BYTES_MAX);
                }
                final byte[] id = new byte[idLength];
                b.get(id);
                final String agent;
                try {
                    agent = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(id)).toString();
                } catch (final CharacterCodingException e) {
                    throw new Malformed("record " + i + ": agent id is not UTF-8");
                }
                final long excursion = b.getInt() & 0xFFFF_FFFFL;
                final long released = version == VERSION_V1 ? 0 : b.getLong();
                final int n = b.getShort() & 0xFFFF;
                if (n > INCREMENTS_MAX) {
                    throw new Malformed("record " + i + ": " + n + " increments, at most " + INCREMENTS_MAX);
                }
                final double[] xs = new double[n];
                for (int k = 0; k < n; k++) {
                    xs[k] = b.getDouble();
                    if (!Double.isFinite(xs[k])) {
                        throw new Malformed("record " + i + ": increment " + k + " is " + xs[k] + ", not finite");
                    }
                }
                if (seq < 1) {
                    throw new Malformed("record " + i + ": seq " + seq + ", dots count from 1");
                }
                if (i > 0 && seq <= records.get(i - 1).seq()) {
                    throw new Malformed("record " + i + ": seq " + seq + " not above the record before it");
                }
                records.add(new Record(seq, agent, excursion, xs, released));
            }
            if (b.hasRemaining()) {
                throw new Malformed(b.remaining() + " trailing bytes after " + count + " records");
            }
            return new EvidenceBatch(sentAt, records);
        } catch (final BufferUnderflowException e) {
            throw new Malformed("evidence batch truncated at byte " + b.position() + " of " + bytes.length);
        }
    }
}
