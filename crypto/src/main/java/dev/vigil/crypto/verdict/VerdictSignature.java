package dev.vigil.crypto.verdict;

import dev.vigil.crypto.Certificate;
import dev.vigil.crypto.NodeIds;
import dev.vigil.crypto.PrivateKey;
import dev.vigil.crypto.PublicKey;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import java.util.Arrays;

/**
 * One signer's part of a {@link VerdictCertificate}: who signed, the 64-byte signature over the
 * attestation's domain and the verdict bytes, and (for a committee member) the node certificate
 * that vouches for the signer's key. Nothing here is checked until
 * {@link VerdictCertificate#verify}; {@link #of} takes received parts as they are.
 */
public final class VerdictSignature {
    private final long signerId;
    private final byte[] signature;
    private final Certificate certificate;

    private VerdictSignature(final long signerId, final byte[] signature, final Certificate certificate) {
        if (signature.length != PrivateKey.SIGNATURE_LENGTH) {
            throw new IllegalArgumentException("a signature is " + PrivateKey.SIGNATURE_LENGTH + " bytes, got " + signature.length);
        }
        this.signerId = signerId;
        this.signature = signature;
        this.certificate = certificate;
    }

    /** A committee member's signature of {@code verdict}; {@code certificate} must be the one for {@code key}. */
    public static VerdictSignature sign(final Verdict verdict, final PrivateKey key, final Certificate certificate) {
        if (!certificate.publicKey().equals(key.publicKey())) {
            throw new IllegalArgumentException("certificate of node " + NodeIds.toHex(certificate.nodeId())
                + " is not for the signing key " + NodeIds.toHex(key.nodeId()));
        }
        return new VerdictSignature(key.nodeId(), key.sign(verdict.toBeSigned(Attestation.QUORUM.domain())), certificate);
    }

    /**
     * Checks this as one committee member's signature of {@code verdict}: the certificate is the
     * signer's, issued by {@code ca} and valid when the verdict was issued, and the signature verifies.
     *
     * @return null when it holds, else the reason, naming the signer
     */
    public String problemAsMember(final Verdict verdict, final PublicKey ca) {
        final String who = "signer " + NodeIds.toHex(signerId);
        if (certificate == null) {
            return who + ": no node certificate";
        }
        if (certificate.nodeId() != signerId) {
            return who + " presents the certificate of node " + NodeIds.toHex(certificate.nodeId());
        }
        final Instant issuedAt = Instant.EPOCH.plus(verdict.issuedAtMicros(), ChronoUnit.MICROS);
        final long issuedAtSeconds = Math.floorDiv(verdict.issuedAtMicros(), 1_000_000L);
        final String problem = switch (certificate.verify(ca, issuedAtSeconds)) {
            case VALID -> null;
            case WRONG_CA -> "certificate issued by CA " + NodeIds.toHex(certificate.caKeyId()) + ", not by CA " + NodeIds.toHex(ca.nodeId());
            case BAD_SIGNATURE -> "certificate's CA signature does not verify against CA " + NodeIds.toHex(ca.nodeId());
            case NOT_YET_VALID -> "certificate not valid until " + Instant.ofEpochSecond(certificate.notBeforeSeconds())
                + ", after the verdict was issued at " + issuedAt;
            case EXPIRED -> "certificate expired at " + Instant.ofEpochSecond(certificate.notAfterSeconds())
                + ", before the verdict was issued at " + issuedAt;
            case MALFORMED -> "certificate is malformed";
        };
        if (problem != null) {
            return who + ": " + problem;
        }
        final byte[] message = verdict.toBeSigned(Attestation.QUORUM.domain());
        if (!certificate.publicKey().verify(signature, 0, message, 0, message.length)) {
            return who + ": signature over the verdict does not verify";
        }
        return null;
    }

    /** The operator's signature of a RELEASE, made with the cluster CA key. */
    public static VerdictSignature signAsOperator(final Verdict verdict, final PrivateKey caKey) {
        if (verdict.kind() != Verdict.Kind.RELEASE) {
            throw new IllegalArgumentException("the operator signs releases only, not a " + verdict.kind());
        }
        return new VerdictSignature(caKey.nodeId(), caKey.sign(verdict.toBeSigned(Attestation.OPERATOR.domain())), null);
    }

    /** Parts as received; {@code certificate} is {@code null} for the operator's signature. */
    public static VerdictSignature of(final long signerId, final byte[] signature, final Certificate certificate) {
        return new VerdictSignature(signerId, signature.clone(), certificate);
    }

    /** The signer's node id (for the operator: the CA key's id). */
    public long signerId() {
        return signerId;
    }

    public byte[] signature() {
        return signature.clone();
    }

    /** Package code reads the signature in place. */
    byte[] signatureUnsafe() {
        return signature;
    }

    /** The signer's node certificate; {@code null} for the operator. */
    public Certificate certificate() {
        return certificate;
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof VerdictSignature other && signerId == other.signerId
            && Arrays.equals(signature, other.signature)
            && (certificate == null ? other.certificate == null
                : other.certificate != null && Arrays.equals(certificate.encoded(), other.certificate.encoded()));
    }

    @Override
    public int hashCode() {
        return Long.hashCode(signerId) * 31 + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "VerdictSignature[" + NodeIds.toHex(signerId) + (certificate == null ? ", operator" : "") + "]";
    }
}
