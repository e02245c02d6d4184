package dev.vigil.crypto.verdict;

import dev.vigil.crypto.Certificate;
import dev.vigil.crypto.NodeIds;
import dev.vigil.crypto.PrivateKey;
import dev.vigil.crypto.PublicKey;
import dev.vigil.crypto.verdict.VerdictFormatException.Reason;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

/**
 * A verdict with the signatures that make it binding, verifiable offline by anyone who holds the
 * cluster CA public key: each committee member's signature travels with its node certificate.
 *
 * <p>Layout v1, big-endian:
 * <pre>
 *   0  magic            0x89 'V' 'V' 'C'  (0x89 is no base64 or text character)
 *   4  version          u8   1
 *   5  attestation      u8   1 = committee quorum, 2 = operator (the cluster CA key)
 *   6  verdict length   u16  {@link Verdict#LENGTH_MIN}..{@link Verdict#LENGTH_MAX}
 *   8  verdict          the verdict's canonical bytes ({@link Verdict})
 *   s  signer count     u8   quorum: 1..3f+1; operator: exactly 1
 * s+1  signers, strictly ascending by signer id (as unsigned), each:
 *        signer id          u64  node id (the operator: the CA key's id)
 *        signature          64 bytes, Ed25519 over domain || verdict bytes, where domain is
 *                           "vigil-verdict-v1" (quorum) or "vigil-verdict-operator-v1" (operator)
 *        node certificate   {@value Certificate#LENGTH} bytes, quorum only (its own little-endian layout)
 * </pre>
 * At most {@value #LENGTH_MAX} bytes, so the largest fits in one wire frame (16 KiB).
 *
 * <p>Decoding is strict (one encoding per certificate; any other bytes are refused with a
 * {@link VerdictFormatException} naming the reason) and checks no signature. {@link #verify}
 * does the trust checks.
 *
 * <p><b>Signer certificates are judged at the verdict's issue time, not now.</b> A verdict is a
 * record that auditors check long after the fact, and node certificates last a year by default:
 * judged now, every old verdict would turn invalid when its signers' certificates ran out, though
 * nothing about it changed. The cost: the issue time is the signers' own claim, so 2f+1 colluding
 * (or stolen) keys whose certificates have expired could back-date a verdict into their validity
 * window. Revocation lists do not exist yet either; both are limits of offline verification with
 * the CA key alone.
 *
 * <p>What the CA key cannot show: that the signers were the committee of this shard in this epoch
 * (the committee directory is not part of the certificate yet), nor that the fleet really runs
 * with the f the verdict claims. A caller therefore states the smallest f it accepts
 * ({@code fMin}); without it, a single certified node could sign an f = 0 verdict on its own.
 */
public final class VerdictCertificate {
    public static final int VERSION = 1;
    static final byte[] MAGIC = {(byte)0x89, 'V', 'V', 'C'};

    static final int VERSION_OFFSET = 4;
    static final int ATTESTATION_OFFSET = 5;
    static final int VERDICT_LENGTH_OFFSET = 6;
    static final int VERDICT_OFFSET = 8;
    public static final int SIGNERS_MAX = 3 * Verdict.F_MAX + 1;
    static final int OPERATOR_ENTRY_LENGTH = Long.BYTES + PrivateKey.SIGNATURE_LENGTH;
    static final int QUORUM_ENTRY_LENGTH = OPERATOR_ENTRY_LENGTH + Certificate.LENGTH;
    public static final int LENGTH_MAX = VERDICT_OFFSET + Verdict.LENGTH_MAX + 1 + SIGNERS_MAX * QUORUM_ENTRY_LENGTH;
    /** Longest base64 text {@link #fromBase64} reads, whitespace aside. */
    static final int BASE64_LENGTH_MAX = (LENGTH_MAX + 2) / 3 * 4;

    private final byte[] encoded;
    private final Attestation attestation;
    private final Verdict verdict;
    private final List<VerdictSignature> signatures;

    private VerdictCertificate(
        final byte[] encoded, final Attestation attestation, final Verdict verdict, final List<VerdictSignature> signatures) {
        this.encoded = encoded;
        this.attestation = attestation;
        this.verdict = verdict;
        this.signatures = signatures;
    }

    /**
     * A committee's certificate: the signatures in any order. Only the format's rules are applied
     * (distinct signers, at most 3f+1); {@link #verify} says whether they are enough.
     *
     * @throws VerdictFormatException when the format refuses them (e.g. {@link Reason#DUPLICATE_SIGNER})
     */
    public static VerdictCertificate ofQuorum(final Verdict verdict, final Collection<VerdictSignature> signatures) {
        return assemble(Attestation.QUORUM, verdict, signatures);
    }

    /** The operator's certificate of a RELEASE: one signature with the cluster CA key. */
    public static VerdictCertificate ofOperator(final Verdict verdict, final VerdictSignature signature) {
        return assemble(Attestation.OPERATOR, verdict, List.of(signature));
    }

    private static VerdictCertificate assemble(
        final Attestation attestation, final Verdict verdict, final Collection<VerdictSignature> signatures) {
        if (signatures.size() > SIGNERS_MAX) {
            throw new VerdictFormatException(Reason.OVERSIZE, signatures.size() + " signers, at most " + SIGNERS_MAX);
        }
        final List<VerdictSignature> sorted = new ArrayList<>(signatures);
        sorted.sort((a, b) -> Long.compareUnsigned(a.signerId(), b.signerId()));
        final int entry = attestation == Attestation.QUORUM ? QUORUM_ENTRY_LENGTH : OPERATOR_ENTRY_LENGTH;
        final ByteBuffer b = ByteBuffer.allocate(VERDICT_OFFSET + verdict.length() + 1 + sorted.size() * entry);
        b.put(MAGIC).put((byte)VERSION).put((byte)attestation.code).putShort((short)verdict.length());
        verdict.copyTo(b);
        b.put((byte)sorted.size());
        for (final VerdictSignature s : sorted) {
            b.putLong(s.signerId()).put(s.signatureUnsafe());
            if (attestation == Attestation.QUORUM) {
                if (s.certificate() == null) {
                    throw new IllegalArgumentException("a committee member's signature needs its node certificate: " + s);
                }
                b.put(s.certificate().encoded());
            } else if (s.certificate() != null) {
                throw new IllegalArgumentException("the operator signs with the CA key, which has no node certificate: " + s);
            }
        }
        assert !b.hasRemaining();
        // decoding what was written applies exactly the rules a received certificate meets
        return decode(b.array());
    }

    /**
     * Decodes exactly one canonical v1 verdict certificate. Checks no signature.
     *
     * @throws VerdictFormatException naming the first rule the bytes break; nothing else, for any input
     */
    public static VerdictCertificate decode(final byte[] bytes) {
        if (bytes.length > LENGTH_MAX) {
            throw new VerdictFormatException(Reason.OVERSIZE, bytes.length + " bytes, a verdict certificate is at most " + LENGTH_MAX);
        }
        for (int i = 0; i < Math.min(bytes.length, MAGIC.length); i++) {
            if (bytes[i] != MAGIC[i]) {
                throw new VerdictFormatException(Reason.BAD_MAGIC, "not a Vigil verdict certificate (byte " + i + " is not the magic 89 56 56 43)");
            }
        }
        final BigEndianReader r = new BigEndianReader(bytes, 0, bytes.length);
        r.skip(MAGIC.length, "magic");
        final int version = r.u8("version");
        if (version != VERSION) {
            throw new VerdictFormatException(Reason.UNKNOWN_VERSION, "verdict certificate version " + version + ", this build reads " + VERSION);
        }
        final int attestationCode = r.u8("attestation");
        final Attestation attestation = Attestation.ofCode(attestationCode);
        if (attestation == null) {
            throw new VerdictFormatException(Reason.UNKNOWN_ATTESTATION, "attestation " + attestationCode + " at byte " + ATTESTATION_OFFSET);
        }
        final int verdictLength = r.u16("verdict length");
        if (verdictLength < Verdict.LENGTH_MIN || verdictLength > Verdict.LENGTH_MAX) {
            throw new VerdictFormatException(verdictLength > Verdict.LENGTH_MAX ? Reason.OVERSIZE : Reason.OUT_OF_RANGE,
                "verdict of " + verdictLength + " bytes, must be " + Verdict.LENGTH_MIN + ".." + Verdict.LENGTH_MAX);
        }
        final Verdict verdict = Verdict.decode(bytes, r.skip(verdictLength, "verdict"), verdictLength);
        final int count = r.u8("signer count");
        final int countMax = attestation == Attestation.QUORUM ? verdict.committeeSize() : 1;
        if (count == 0) {
            throw new VerdictFormatException(Reason.OUT_OF_RANGE, "no signers");
        }
        if (count > countMax) {
            throw new VerdictFormatException(Reason.OVERSIZE, attestation == Attestation.QUORUM
                ? count + " signers, more than a committee of 3f+1 = " + countMax + " has"
                : count + " operator signatures, a release by the operator has one");
        }
        final List<VerdictSignature> signatures = new ArrayList<>(count);
        long previous = 0;
        for (int i = 0; i < count; i++) {
            final int entryAt = r.offset();
            final long signerId = r.i64("signer id " + i);
            if (i > 0) {
                final int order = Long.compareUnsigned(previous, signerId);
                if (order == 0) {
                    throw new VerdictFormatException(Reason.DUPLICATE_SIGNER, "signer " + NodeIds.toHex(signerId) + " appears twice");
                }
                if (order > 0) {
                    throw new VerdictFormatException(Reason.NOT_CANONICAL, "signers are not in ascending order at signer " + i + " (byte " + entryAt + ")");
                }
            }
            previous = signerId;
            final byte[] signature = r.copy(PrivateKey.SIGNATURE_LENGTH, "signature " + i);
            Certificate certificate = null;
            if (attestation == Attestation.QUORUM) {
                final int certificateAt = r.skip(Certificate.LENGTH, "node certificate " + i);
                certificate = Certificate.tryParse(bytes, certificateAt, Certificate.LENGTH);
                if (certificate == null) {
                    throw new VerdictFormatException(Reason.BAD_NODE_CERTIFICATE,
                        "signer " + NodeIds.toHex(signerId) + ": bytes " + certificateAt + ".." + (certificateAt + Certificate.LENGTH - 1)
                            + " are not a v" + Certificate.VERSION + " node certificate");
                }
            }
            signatures.add(VerdictSignature.of(signerId, signature, certificate));
        }
        r.requireEnd("verdict certificate");
        return new VerdictCertificate(bytes.clone(), attestation, verdict, List.copyOf(signatures));
    }

    /**
     * Decodes the standard base64 of a certificate ({@link #toBase64}); whitespace and line breaks
     * are ignored.
     */
    public static VerdictCertificate fromBase64(final CharSequence text) {
        final StringBuilder compact = new StringBuilder(Math.min(text.length(), BASE64_LENGTH_MAX + 1));
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (!Character.isWhitespace(c)) {
                if (compact.length() == BASE64_LENGTH_MAX) {
                    throw new VerdictFormatException(Reason.OVERSIZE, "more than " + BASE64_LENGTH_MAX + " base64 characters");
                }
                compact.append(c);
            }
        }
        final byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(compact.toString());
        } catch (final IllegalArgumentException e) {
            throw new VerdictFormatException(Reason.BAD_BASE64, e.getMessage());
        }
        return decode(bytes);
    }

    /**
     * The content of a certificate file: the binary form (it starts with the byte 0x89, which no
     * text does) or its base64 text, in US-ASCII.
     */
    public static VerdictCertificate decodeBinaryOrBase64(final byte[] content) {
        if (content.length > 0 && content[0] == MAGIC[0]) {
            return decode(content);
        }
        for (final byte c : content) {
            if (c < 0) {
                throw new VerdictFormatException(Reason.BAD_BASE64, "neither a binary verdict certificate (magic 89 56 56 43) nor ASCII base64");
            }
        }
        return fromBase64(new String(content, StandardCharsets.US_ASCII));
    }

    /**
     * Checks the certificate with the cluster CA key alone.
     *
     * <p>Committee quorum: the verdict's f is at least {@code fMin}; at least 2f+1 signers; and
     * for every signer, without exception: its certificate names it, was issued by this CA and
     * was valid when the verdict was issued, and its signature verifies. One bad signer makes
     * the whole certificate invalid, even with 2f+1 good ones besides: a certificate is relayed
     * and stored as one object, and accepting a damaged one would let any byte of it change
     * unnoticed. Operator: a RELEASE signed by the CA key ({@code fMin} does not apply).
     *
     * @param fMin the smallest f the caller accepts from its knowledge of the fleet (1 for the
     *     default committees; 0 only for fleets known to be too small for f = 1)
     */
    public VerificationResult verify(final PublicKey ca, final int fMin) {
        if (fMin < 0 || fMin > Verdict.F_MAX) {
            throw new IllegalArgumentException("fMin must be in [0, " + Verdict.F_MAX + "], got " + fMin);
        }
        return attestation == Attestation.QUORUM ? verifyQuorum(ca, fMin) : verifyOperator(ca);
    }

    private VerificationResult verifyQuorum(final PublicKey ca, final int fMin) {
        final int f = verdict.f();
        if (f < fMin) {
            return VerificationResult.invalid("the verdict claims f = " + f + ", below the f >= " + fMin + " required"
                + (f == 0 ? " (with f = 0 one node's signature is a quorum)" : ""));
        }
        if (signatures.size() < verdict.quorum()) {
            return VerificationResult.invalid("signed by " + signatures.size() + " of a committee of " + verdict.committeeSize()
                + ", f = " + f + " needs 2f+1 = " + verdict.quorum());
        }
        for (int i = 0; i < signatures.size(); i++) {
            final VerdictSignature s = signatures.get(i);
            assert i == 0 || Long.compareUnsigned(signatures.get(i - 1).signerId(), s.signerId()) < 0 : "decoding refuses repeated signers";
            final String problem = s.problemAsMember(verdict, ca);
            if (problem != null) {
                return VerificationResult.invalid(problem);
            }
        }
        return VerificationResult.valid(signatures.size());
    }

    private VerificationResult verifyOperator(final PublicKey ca) {
        if (verdict.kind() != Verdict.Kind.RELEASE) {
            return VerificationResult.invalid("the operator may sign only a RELEASE, this is a " + verdict.kind());
        }
        final VerdictSignature s = signatures.get(0);
        if (s.signerId() != ca.nodeId()) {
            return VerificationResult.invalid("operator release signed by key " + NodeIds.toHex(s.signerId())
                + ", not by the cluster CA " + NodeIds.toHex(ca.nodeId()));
        }
        final byte[] message = verdict.toBeSigned(Attestation.OPERATOR.domain());
        if (!ca.verify(s.signatureUnsafe(), 0, message, 0, message.length)) {
            return VerificationResult.invalid("the operator's signature does not verify against CA " + NodeIds.toHex(ca.nodeId()));
        }
        return VerificationResult.valid(1);
    }

    /** When the verdict says it was issued. */
    public Instant issuedAt() {
        return Instant.EPOCH.plus(verdict.issuedAtMicros(), ChronoUnit.MICROS);
    }

    public byte[] encoded() {
        return encoded.clone();
    }

    /** Standard base64 with padding, one line: a stable text form of {@link #encoded()}. */
    public String toBase64() {
        return Base64.getEncoder().encodeToString(encoded);
    }

    public Verdict verdict() {
        return verdict;
    }

    public Attestation attestation() {
        return attestation;
    }

    /** The signatures, ascending by signer id. */
    public List<VerdictSignature> signatures() {
        return signatures;
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof VerdictCertificate other && Arrays.equals(encoded, other.encoded);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoded);
    }

    @Override
    public String toString() {
        return "VerdictCertificate[" + verdict + ", " + attestation + ", " + signatures.size() + " signers]";
    }
}
