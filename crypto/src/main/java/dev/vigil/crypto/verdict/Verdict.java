package dev.vigil.crypto.verdict;

import dev.vigil.crypto.NodeIds;
import dev.vigil.crypto.verdict.VerdictFormatException.Reason;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * What an evidence committee states about an agent, in one canonical byte form: equal verdicts
 * have equal bytes, and a verdict's id is the SHA-256 of those bytes. The bytes are what
 * committee members (or the operator) sign; {@link VerdictCertificate} carries the signatures.
 *
 * <p>A {@link Kind#CONVICT} says the committee found the agent compromised; a {@link Kind#RELEASE}
 * retracts an earlier verdict, named by its id, and is certified like any other verdict.
 *
 * <p>Layout v1, big-endian (network order: node ids then read in the order
 * {@link NodeIds#toHex} prints them), {@value #FIXED_LENGTH} fixed bytes then two bounded lists:
 * <pre>
 *   0  version          u8   1
 *   1  kind             u8   1 = CONVICT, 2 = RELEASE
 *   2  f                u8   0..{@value #F_MAX}: the committee is 3f+1 nodes, a quorum 2f+1
 *   3  reserved         u8   0
 *   4  shard            u32  0..2^31-1
 *   8  committee epoch  i64  &ge; 0
 *  16  view             i64  &ge; 0
 *  24  sequence         i64  &ge; 0
 *  32  issued at        i64  epoch microseconds, &ge; 0
 *  40  log-odds         u64  IEEE-754 bits; finite, never -0.0
 *  48  posterior        u64  IEEE-754 bits; in [0, 1], never -0.0
 *  56  version vector   32 bytes: digest of the version vector the verdict was decided on
 *  88  retracts         32 bytes: RELEASE: the id of the verdict it retracts (not all zero);
 *                                 CONVICT: all zero
 * 120  agent length     u16  1..{@value #AGENT_BYTES_MAX}
 * 122  agent id         UTF-8, no control or format characters
 *   a  observer count   u16  0..{@value #OBSERVERS_MAX}
 * a+2  observers        u64 node ids, strictly ascending as unsigned numbers
 * </pre>
 * Everything is bounded so that the largest certificate ({@link VerdictCertificate#LENGTH_MAX})
 * fits in one wire frame: f &le; 21 keeps a committee within the 64 candidates of a committee
 * directory; 256 bytes hold any agent id the daemon accepts (128 printable ASCII) with room for
 * UTF-8; 256 observers is far more than the hosts that see one agent.
 */
public final class Verdict {
    public static final int VERSION = 1;
    /** Largest f: a committee of 3f+1 = 64 nodes. */
    public static final int F_MAX = 21;
    public static final int AGENT_BYTES_MAX = 256;
    public static final int OBSERVERS_MAX = 256;
    public static final int DIGEST_LENGTH = 32;

    static final int KIND_OFFSET = 1;
    static final int F_OFFSET = 2;
    static final int RESERVED_OFFSET = 3;
    static final int SHARD_OFFSET = 4;
    static final int EPOCH_OFFSET = 8;
    static final int VIEW_OFFSET = 16;
    static final int SEQUENCE_OFFSET = 24;
    static final int ISSUED_AT_OFFSET = 32;
    static final int LOG_ODDS_OFFSET = 40;
    static final int POSTERIOR_OFFSET = 48;
    static final int VERSION_VECTOR_OFFSET = 56;
    static final int RETRACTS_OFFSET = 88;
    static final int AGENT_LENGTH_OFFSET = 120;
    public static final int FIXED_LENGTH = 122;
    /** One byte of agent id, no observers. */
    public static final int LENGTH_MIN = FIXED_LENGTH + 1 + 2;
    public static final int LENGTH_MAX = FIXED_LENGTH + AGENT_BYTES_MAX + 2 + OBSERVERS_MAX * Long.BYTES;

    private static final HexFormat HEX = HexFormat.of();

    /** What the verdict says. */
    public enum Kind {
        /** The committee found the agent compromised. */
        CONVICT(1),
        /** An earlier verdict is retracted. */
        RELEASE(2);

        final int code;

        Kind(final int code) {
            this.code = code;
        }

        static Kind ofCode(final int code) {
            return code == CONVICT.code ? CONVICT : code == RELEASE.code ? RELEASE : null;
        }
    }

    private final byte[] encoded;
    private final Kind kind;
    private final int f;
    private final int shard;
    private final long epoch;
    private final long view;
    private final long sequence;
    private final long issuedAtMicros;
    private final double logOdds;
    private final double posterior;
    private final String agentId;
    private final long[] observers;
    private final String id;

    private Verdict(
        final byte[] encoded, final Kind kind, final int f, final int shard, final long epoch, final long view,
        final long sequence, final long issuedAtMicros, final double logOdds, final double posterior,
        final String agentId, final long[] observers) {
        this.encoded = encoded;
        this.kind = kind;
        this.f = f;
        this.shard = shard;
        this.epoch = epoch;
        this.view = view;
        this.sequence = sequence;
        this.issuedAtMicros = issuedAtMicros;
        this.logOdds = logOdds;
        this.posterior = posterior;
        this.agentId = agentId;
        this.observers = observers;
        this.id = HEX.formatHex(sha256(encoded));
    }

    /** A verdict that {@code agentId} is compromised; set the rest on the builder. */
    public static Builder convict(final String agentId) {
        return new Builder(Kind.CONVICT, agentId, new byte[DIGEST_LENGTH]);
    }

    /** A verdict that retracts the verdict whose {@link #id()} is {@code retractedId} (64 hex digits). */
    public static Builder release(final String agentId, final String retractedId) {
        final byte[] retracts;
        try {
            retracts = HEX.parseHex(retractedId);
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException("the retracted verdict id must be " + 2 * DIGEST_LENGTH + " hex digits: " + retractedId, e);
        }
        if (retracts.length != DIGEST_LENGTH) {
            throw new IllegalArgumentException("the retracted verdict id must be " + 2 * DIGEST_LENGTH + " hex digits: " + retractedId);
        }
        return new Builder(Kind.RELEASE, agentId, retracts);
    }

    /**
     * Decodes {@code bytes[offset, offset + length)}, which must be exactly one canonical v1
     * verdict.
     *
     * @throws VerdictFormatException naming the first rule the bytes break; nothing else
     */
    public static Verdict decode(final byte[] bytes, final int offset, final int length) {
        if (length > LENGTH_MAX) {
            throw new VerdictFormatException(Reason.OVERSIZE, "verdict of " + length + " bytes, at most " + LENGTH_MAX);
        }
        final BigEndianReader r = new BigEndianReader(bytes, offset, length);
        final int version = r.u8("verdict version");
        if (version != VERSION) {
            throw new VerdictFormatException(Reason.UNKNOWN_VERSION, "verdict version " + version + ", this build reads " + VERSION);
        }
        final int kindCode = r.u8("kind");
        final Kind kind = Kind.ofCode(kindCode);
        if (kind == null) {
            throw new VerdictFormatException(Reason.UNKNOWN_KIND, "kind " + kindCode + " at byte " + KIND_OFFSET);
        }
        final int f = r.u8("f");
        if (f > F_MAX) {
            throw new VerdictFormatException(Reason.OUT_OF_RANGE, "f = " + f + ", at most " + F_MAX);
        }
        if (r.u8("reserved") != 0) {
            throw new VerdictFormatException(Reason.NOT_CANONICAL, "reserved byte " + RESERVED_OFFSET + " is not zero");
        }
        final long shard = r.u32("shard");
        if (shard > Integer.MAX_VALUE) {
            throw new VerdictFormatException(Reason.OUT_OF_RANGE, "shard " + shard + " above 2^31-1");
        }
        final long epoch = nonNegative(r.i64("epoch"), "committee epoch");
        final long view = nonNegative(r.i64("view"), "view");
        final long sequence = nonNegative(r.i64("sequence"), "sequence");
        final long issuedAtMicros = nonNegative(r.i64("issued at"), "issued-at micros");
        final double logOdds = canonicalDouble(r.i64("log-odds"), "log-odds");
        if (!Double.isFinite(logOdds)) {
            throw new VerdictFormatException(Reason.OUT_OF_RANGE, "log-odds " + logOdds + " is not finite");
        }
        final double posterior = canonicalDouble(r.i64("posterior"), "posterior");
        if (!(posterior >= 0 && posterior <= 1)) {
            throw new VerdictFormatException(Reason.OUT_OF_RANGE, "posterior " + posterior + " is not in [0, 1]");
        }
        r.skip(DIGEST_LENGTH, "version-vector digest");
        final int retractsAt = r.skip(DIGEST_LENGTH, "retracted verdict id");
        final boolean retractsNothing = isZero(bytes, retractsAt, DIGEST_LENGTH);
        if (kind == Kind.CONVICT && !retractsNothing) {
            throw new VerdictFormatException(Reason.NOT_CANONICAL, "a CONVICT retracts nothing, but bytes " + RETRACTS_OFFSET + ".." + (RETRACTS_OFFSET + DIGEST_LENGTH - 1) + " are not zero");
        }
        if (kind == Kind.RELEASE && retractsNothing) {
            throw new VerdictFormatException(Reason.NOT_CANONICAL, "a RELEASE must name the verdict it retracts, but its id is all zero");
        }
        final int agentLength = r.u16("agent length");
        if (agentLength == 0 || agentLength > AGENT_BYTES_MAX) {
            throw new VerdictFormatException(agentLength == 0 ? Reason.OUT_OF_RANGE : Reason.OVERSIZE,
                "agent id of " + agentLength + " bytes, must be 1.." + AGENT_BYTES_MAX);
        }
        final int agentAt = r.skip(agentLength, "agent id");
        final String agentId = agentId(bytes, agentAt, agentLength);
        final int observerCount = r.u16("observer count");
        if (observerCount > OBSERVERS_MAX) {
            throw new VerdictFormatException(Reason.OVERSIZE, observerCount + " observers, at most " + OBSERVERS_MAX);
        }
        final long[] observers = new long[Math.min(observerCount, r.remaining() / Long.BYTES)];
        for (int i = 0; i < observerCount; i++) {
            final long observer = r.i64("observer " + i);
            if (i > 0) {
                final int order = Long.compareUnsigned(observers[i - 1], observer);
                if (order == 0) {
                    throw new VerdictFormatException(Reason.DUPLICATE_OBSERVER, "observer " + NodeIds.toHex(observer) + " is counted twice");
                }
                if (order > 0) {
                    throw new VerdictFormatException(Reason.NOT_CANONICAL, "observers are not in ascending order at observer " + i);
                }
            }
            observers[i] = observer;
        }
        r.requireEnd("verdict");
        return new Verdict(
            Arrays.copyOfRange(bytes, offset, offset + length), kind, f, (int)shard, epoch, view, sequence,
            issuedAtMicros, logOdds, posterior, agentId, observers);
    }

    public static Verdict decode(final byte[] bytes) {
        return decode(bytes, 0, bytes.length);
    }

    private static long nonNegative(final long value, final String field) {
        if (value < 0) {
            throw new VerdictFormatException(Reason.OUT_OF_RANGE, field + " " + value + " is negative (or above 2^63-1)");
        }
        return value;
    }

    /** The double these bits hold; NaN (of any payload) and -0.0 are refused so that one value has one encoding. */
    private static double canonicalDouble(final long bits, final String field) {
        final double value = Double.longBitsToDouble(bits);
        if (Double.isNaN(value)) {
            throw new VerdictFormatException(Reason.OUT_OF_RANGE, field + " is NaN");
        }
        if (bits == Long.MIN_VALUE) {
            throw new VerdictFormatException(Reason.NOT_CANONICAL, field + " is -0.0; zero is written +0.0");
        }
        return value;
    }

    private static boolean isZero(final byte[] bytes, final int at, final int length) {
        for (int i = at; i < at + length; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Strict UTF-8 (no overlong forms, no surrogates), and no control or format characters: the id
     * is shown to people who must not be misled about which agent a verdict names (a bidi override
     * or a zero-width character could make one id look like another) and ends up in logs and terminals.
     */
    private static String agentId(final byte[] bytes, final int at, final int length) {
        final String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes, at, length))
                .toString();
        } catch (final CharacterCodingException e) {
            throw new VerdictFormatException(Reason.BAD_AGENT_ID, "agent id is not well-formed UTF-8");
        }
        if (s.codePoints().anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT)) {
            throw new VerdictFormatException(Reason.BAD_AGENT_ID, "agent id holds a control or format character");
        }
        return s;
    }

    static byte[] sha256(final byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    /** The canonical bytes: what is signed, and what {@link #id()} hashes. */
    public byte[] encoded() {
        return encoded.clone();
    }

    int length() {
        return encoded.length;
    }

    void copyTo(final ByteBuffer out) {
        out.put(encoded);
    }

    /** {@code domain || encoded}: the message a signer signs. */
    byte[] toBeSigned(final byte[] domain) {
        final byte[] message = new byte[domain.length + encoded.length];
        System.arraycopy(domain, 0, message, 0, domain.length);
        System.arraycopy(encoded, 0, message, domain.length, encoded.length);
        return message;
    }

    /** SHA-256 of {@link #encoded()}, 64 lower-case hex digits. It names the statement, whoever signed it. */
    public String id() {
        return id;
    }

    public Kind kind() {
        return kind;
    }

    public String agentId() {
        return agentId;
    }

    public int shard() {
        return shard;
    }

    public long epoch() {
        return epoch;
    }

    public long view() {
        return view;
    }

    public long sequence() {
        return sequence;
    }

    /** Observers whose evidence was counted, ascending as unsigned numbers. */
    public long[] observers() {
        return observers.clone();
    }

    public double logOdds() {
        return logOdds;
    }

    public double posterior() {
        return posterior;
    }

    public byte[] versionVectorDigest() {
        return Arrays.copyOfRange(encoded, VERSION_VECTOR_OFFSET, VERSION_VECTOR_OFFSET + DIGEST_LENGTH);
    }

    /** The id of the verdict a RELEASE retracts; {@code null} for a CONVICT. */
    public String retractedId() {
        return kind == Kind.RELEASE ? HEX.formatHex(encoded, RETRACTS_OFFSET, RETRACTS_OFFSET + DIGEST_LENGTH) : null;
    }

    public long issuedAtMicros() {
        return issuedAtMicros;
    }

    /** Faults the committee tolerates: it has 3f+1 members and a certificate needs 2f+1 of them. */
    public int f() {
        return f;
    }

    public int quorum() {
        return 2 * f + 1;
    }

    public int committeeSize() {
        return 3 * f + 1;
    }

    /** Equal verdicts are those with equal canonical bytes. */
    @Override
    public boolean equals(final Object o) {
        return o instanceof Verdict other && Arrays.equals(encoded, other.encoded);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoded);
    }

    @Override
    public String toString() {
        return "Verdict[" + kind + " " + agentId + ", shard " + shard + ", epoch " + epoch + ", view " + view
            + ", seq " + sequence + ", posterior " + posterior + ", f " + f + ", id " + id.substring(0, 16) + "]";
    }

    /**
     * Collects a verdict's fields; {@link #build()} encodes them and decodes the result, so a
     * built verdict meets exactly the rules a received one must. Observers may be given in any
     * order.
     */
    public static final class Builder {
        private final Kind kind;
        private final String agentId;
        private final byte[] retracts;
        private int f;
        private int shard;
        private long epoch;
        private long view;
        private long sequence;
        private long issuedAtMicros;
        private double logOdds;
        private double posterior;
        private byte[] versionVectorDigest;
        private long[] observers = new long[0];

        private Builder(final Kind kind, final String agentId, final byte[] retracts) {
            this.kind = kind;
            this.agentId = agentId;
            this.retracts = retracts;
        }

        public Builder f(final int f) {
            this.f = f;
            return this;
        }

        public Builder shard(final int shard) {
            this.shard = shard;
            return this;
        }

        public Builder epoch(final long epoch) {
            this.epoch = epoch;
            return this;
        }

        public Builder view(final long view) {
            this.view = view;
            return this;
        }

        public Builder sequence(final long sequence) {
            this.sequence = sequence;
            return this;
        }

        public Builder issuedAtMicros(final long issuedAtMicros) {
            this.issuedAtMicros = issuedAtMicros;
            return this;
        }

        public Builder logOdds(final double logOdds) {
            this.logOdds = logOdds;
            return this;
        }

        public Builder posterior(final double posterior) {
            this.posterior = posterior;
            return this;
        }

        public Builder versionVectorDigest(final byte[] digest) {
            if (digest.length != DIGEST_LENGTH) {
                throw new IllegalArgumentException("a version-vector digest is " + DIGEST_LENGTH + " bytes, got " + digest.length);
            }
            this.versionVectorDigest = digest.clone();
            return this;
        }

        public Builder observers(final long... observers) {
            this.observers = observers.clone();
            return this;
        }

        /**
         * @throws IllegalArgumentException (a {@link VerdictFormatException} for a field the
         *     format refuses) when the fields do not make a v1 verdict
         */
        public Verdict build() {
            if (versionVectorDigest == null) {
                throw new IllegalArgumentException("a verdict names the version vector it was decided on: set versionVectorDigest");
            }
            if (f < 0 || f > F_MAX) {
                throw new IllegalArgumentException("f must be in [0, " + F_MAX + "], got " + f);
            }
            final byte[] agent = agentId.getBytes(StandardCharsets.UTF_8);
            if (agent.length > AGENT_BYTES_MAX || !agentId.equals(new String(agent, StandardCharsets.UTF_8))) {
                throw new IllegalArgumentException("agent id must be 1.." + AGENT_BYTES_MAX + " bytes of valid Unicode: " + agentId);
            }
            if (observers.length > OBSERVERS_MAX) {
                throw new IllegalArgumentException(observers.length + " observers, at most " + OBSERVERS_MAX);
            }
            final long[] sorted = sortedUnsigned(observers);
            final ByteBuffer b = ByteBuffer.allocate(FIXED_LENGTH + agent.length + 2 + sorted.length * Long.BYTES);
            b.put((byte)VERSION).put((byte)kind.code).put((byte)f).put((byte)0);
            b.putInt(shard);
            b.putLong(epoch).putLong(view).putLong(sequence).putLong(issuedAtMicros);
            b.putLong(Double.doubleToRawLongBits(positiveZero(logOdds)));
            b.putLong(Double.doubleToRawLongBits(positiveZero(posterior)));
            b.put(versionVectorDigest).put(retracts);
            b.putShort((short)agent.length).put(agent);
            b.putShort((short)sorted.length);
            for (final long observer : sorted) {
                b.putLong(observer);
            }
            assert !b.hasRemaining();
            return decode(b.array());
        }

        private static double positiveZero(final double v) {
            return v == 0 ? 0.0 : v;
        }

        private static long[] sortedUnsigned(final long[] values) {
            // flipping the sign bit maps unsigned order onto signed order
            final long[] sorted = new long[values.length];
            for (int i = 0; i < values.length; i++) {
                sorted[i] = values[i] ^ Long.MIN_VALUE;
            }
            Arrays.sort(sorted);
            for (int i = 0; i < sorted.length; i++) {
                sorted[i] ^= Long.MIN_VALUE;
            }
            return sorted;
        }
    }
}
