package dev.vigil.daemon.api;

import dev.vigil.crypto.PrivateKey;
import dev.vigil.crypto.PublicKey;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A command only the fleet's operator may give (today: release an agent), signed with the
 * cluster CA key that the operator holds and every daemon already trusts. The signature covers
 * {@code "vigil-operator-v1\n" + command + "\n" + agent + "\n" + issuedAt + "\n" + nonce}; a
 * daemon takes it within {@value #FRESH_SECONDS_MAX} s of {@code issuedAt} and only once per nonce.
 *
 * @param command   what to do ("release")
 * @param agent     the agent it applies to
 * @param issuedAt  epoch seconds when it was signed
 * @param nonce     16 random bytes, hex
 * @param signature Ed25519 signature, hex
 */
public record OperatorCommand(String command, String agent, long issuedAt, String nonce, String signature) {
    public static final long FRESH_SECONDS_MAX = 300;
    private static final String DOMAIN = "vigil-operator-v1";

    /** Signs a command now. */
    public static OperatorCommand sign(final PrivateKey ca, final String command, final String agent, final long nowSeconds) {
        final byte[] n = new byte[16];
        new SecureRandom().nextBytes(n);
        final String nonce = HexFormat.of().formatHex(n);
        final byte[] sig = ca.sign(message(command, agent, nowSeconds, nonce));
        return new OperatorCommand(command, agent, nowSeconds, nonce, HexFormat.of().formatHex(sig));
    }

    private static byte[] message(final String command, final String agent, final long issuedAt, final String nonce) {
        return (DOMAIN + "\n" + command + "\n" + agent + "\n" + issuedAt + "\n" + nonce).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @return null when the command is well-formed, signed by {@code ca} and fresh at
     *         {@code nowSeconds}; otherwise what is wrong with it
     */
    public String problem(final PublicKey ca, final long nowSeconds) {
        if (command == null || agent == null || nonce == null || signature == null) {
            return "command, agent, issued_at, nonce and signature are all required";
        }
        if (!nonce.matches("[0-9a-f]{32}")) {
            return "nonce must be 32 lowercase hex digits";
        }
        if (Math.abs(nowSeconds - issuedAt) > FRESH_SECONDS_MAX) {
            return "issued_at " + issuedAt + " is more than " + FRESH_SECONDS_MAX + " s from this node's clock (" + nowSeconds + ")";
        }
        final byte[] sig;
        try {
            sig = HexFormat.of().parseHex(signature);
        } catch (final IllegalArgumentException e) {
            return "signature is not hex";
        }
        if (sig.length != PrivateKey.SIGNATURE_LENGTH) {
            return "signature must be " + PrivateKey.SIGNATURE_LENGTH + " bytes";
        }
        final byte[] m = message(command, agent, issuedAt, nonce);
        if (!ca.verify(sig, 0, m, 0, m.length)) {
            return "signature does not verify against this fleet's CA key";
        }
        return null;
    }

    /** The JSON body to POST. */
    public Map<String, Object> toJson() {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", command);
        m.put("agent", agent);
        m.put("issued_at", issuedAt);
        m.put("nonce", nonce);
        m.put("signature", signature);
        return m;
    }
}
