package dev.vigil.crypto.verdict;

import java.nio.charset.StandardCharsets;

/**
 * Who vouches for a verdict. Each kind signs in its own domain, so a signature made for one can
 * never be presented as the other, nor as any other Vigil signature ("vigil-node-cert-v1",
 * "vigil-operator-v1\n...", frames).
 */
public enum Attestation {
    /**
     * At least 2f+1 distinct members of the committee, each with its node certificate. Any
     * verdict kind.
     */
    QUORUM(1, "vigil-verdict-v1"),
    /**
     * The fleet's operator, signing with the cluster CA key itself, as {@code vigil agents release}
     * does: a RELEASE only. A node certificate carries no role, so a key the CA certified cannot
     * be told apart from any node's; until certificates say "operator", only the CA key can speak
     * for the operator.
     */
    OPERATOR(2, "vigil-verdict-operator-v1");

    final int code;
    private final byte[] domain;

    Attestation(final int code, final String domain) {
        this.code = code;
        this.domain = domain.getBytes(StandardCharsets.US_ASCII);
    }

    /** The domain-separation prefix signed before the verdict bytes. */
    byte[] domain() {
        return domain.clone();
    }

    static Attestation ofCode(final int code) {
        return code == QUORUM.code ? QUORUM : code == OPERATOR.code ? OPERATOR : null;
    }
}
