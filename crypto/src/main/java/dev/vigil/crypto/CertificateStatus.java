package dev.vigil.crypto;

/** What checking a node certificate found. */
public enum CertificateStatus {
    VALID,
    /** Not a v1 certificate, or not the certificate of the node that presented it. */
    MALFORMED,
    /**
     * Issued by a different CA than the one this cluster trusts, or for a key of another
     * signature scheme than the CA's (a simulated key under an Ed25519 CA).
     */
    WRONG_CA,
    /** The CA signature does not verify: forged or corrupted. */
    BAD_SIGNATURE,
    NOT_YET_VALID,
    EXPIRED
}
