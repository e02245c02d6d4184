package dev.vigil.crypto.verdict;

import dev.vigil.crypto.Certificate;
import dev.vigil.crypto.NodeIds;
import dev.vigil.crypto.PrivateKey;

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
