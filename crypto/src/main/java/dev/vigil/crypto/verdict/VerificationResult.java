package dev.vigil.crypto.verdict;

/**
 * What {@link VerdictCertificate#verify} found: valid, with how many signed, or the first
 * problem, in one line.
 *
 * @param problem null when valid; otherwise one line saying what failed
 * @param signers signers whose certificate and signature verified (all of them when valid)
 */
public record VerificationResult(String problem, int signers) {
    static VerificationResult valid(final int signers) {
        return new VerificationResult(null, signers);
    }

    static VerificationResult invalid(final String problem) {
        return new VerificationResult(problem, 0);
    }

    public boolean isValid() {
        return problem == null;
    }
}
