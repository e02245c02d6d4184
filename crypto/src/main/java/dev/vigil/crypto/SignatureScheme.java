package dev.vigil.crypto;

/**
 * How a key signs. Production has exactly one scheme, Ed25519; the other exists so that the
 * deterministic simulator can run very large fleets without paying for real signatures.
 */
public enum SignatureScheme {
    /** RFC 8032 Ed25519: the only scheme key files, the CLI and real daemons ever see. */
    ED25519("ed25519", (byte)0),
    /**
     * NOT SECURE, simulation only: a keyed 64-byte digest that anyone holding the public key can
     * forge (see {@link SimulatedSignature}). It catches corruption and wrong keys, as simulated
     * tests need, and nothing else. Keys are made only by {@link PrivateKey#simulatedInsecure}.
     */
    SIMULATED_INSECURE("simulated", (byte)0x53);

    /** The lower-case name for command lines and reports. */
    public final String label;
    /** Byte 1 of a certificate for a key of this scheme (reserved, zero, for Ed25519). */
    final byte certificateCode;

    SignatureScheme(final String label, final byte certificateCode) {
        this.label = label;
        this.certificateCode = certificateCode;
    }

    /** @return the scheme whose certificate code is {@code code}, or {@code null}; allocates nothing. */
    static SignatureScheme ofCertificateCode(final byte code) {
        if (code == ED25519.certificateCode) {
            return ED25519;
        }
        return code == SIMULATED_INSECURE.certificateCode ? SIMULATED_INSECURE : null;
    }
}
