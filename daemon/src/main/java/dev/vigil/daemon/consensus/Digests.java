package dev.vigil.daemon.consensus;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 with a domain prefix, so a digest of one kind of thing can never stand for another. */
final class Digests {
    static final int LENGTH = 32;
    static final byte[] BATCH = domain("vigil-consensus-batch-v1");
    static final byte[] CHECKPOINT = domain("vigil-consensus-checkpoint-v1");
    static final byte[] SHARD = domain("vigil-shard-v1");
    static final byte[] RENDEZVOUS = domain("vigil-rendezvous-v1");
    static final byte[] DIRECTORY = domain("vigil-directory-v1");

    private Digests() {
    }

    private static byte[] domain(final String name) {
        return name.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] sha256(final byte[] domain, final byte[]... parts) {
        final MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
        md.update(domain);
        for (final byte[] part : parts) {
            md.update(part);
        }
        return md.digest();
    }

    /** The first 8 bytes of a digest as an unsigned-order long (big-endian). */
    static long first8(final byte[] digest) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (digest[i] & 0xFF);
        }
        return v;
    }

    static String shortHex(final byte[] digest) {
        final StringBuilder s = new StringBuilder(8);
        for (int i = 0; i < 4; i++) {
            s.append(Character.forDigit((digest[i] >> 4) & 0xF, 16)).append(Character.forDigit(digest[i] & 0xF, 16));
        }
        return s.toString();
    }
}
