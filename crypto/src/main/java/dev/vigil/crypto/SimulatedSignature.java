package dev.vigil.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * NOT SECURE. The simulator's stand-in for Ed25519 ({@link SignatureScheme#SIMULATED_INSECURE}):
 * a keyed digest keyed by the public key itself, so anyone who has the public key can forge.
 * What it does give, and simulated tests rely on: a flipped message bit always changes the
 * signature, a different key changes it unless the two keys' first 16 bytes agree (SHA-256
 * outputs, so never in practice), and it never verifies as, or accepts, an Ed25519 signature.
 *
 * <p>Two independent 64-bit lanes (xxHash64's round, seeded from the key) run over the message
 * 8 bytes at a time. Each round is a bijection of the lane for a fixed word and of the word for
 * a fixed lane, so changing any one word (any flipped bit) changes both lanes; the final words
 * 0 and 1 are bijections of the lanes, so the signature changes. Words 2..7 fill out the 64
 * bytes. Byte 63 is always {@link #MARKER}: an Ed25519 signature's second half is a scalar
 * below 2^253, whose top byte is at most 0x1F, and Bouncy Castle refuses any other, so each
 * scheme's verifier refuses the other's signatures by their shape, not by chance.
 *
 * <p>Cost: a few nanoseconds per 8 message bytes, against about 26 µs to sign and 60 µs to
 * verify with Ed25519. Immutable and thread-safe; nothing is allocated per call.
 */
final class SimulatedSignature {
    static final int LENGTH = 64;
    static final byte MARKER = (byte)0xFF;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    // xxHash64's primes: odd, so multiplying by them is a bijection modulo 2^64.
    private static final long PRIME_1 = 0x9E3779B185EBCA87L;
    private static final long PRIME_2 = 0xC2B2AE3D27D4EB4FL;
    private static final long PRIME_3 = 0x165667B19E3779F9L;
    private static final long PRIME_4 = 0x85EBCA77C2B2AE63L;

    private final long seedA;
    private final long seedB;
    private final long whiten;

    /** @param key the 32-byte simulated public key */
    SimulatedSignature(final byte[] key) {
        if (key.length != PublicKey.LENGTH) {
            throw new IllegalArgumentException("a simulated key is " + PublicKey.LENGTH + " bytes, got " + key.length);
        }
        this.seedA = (long)LONGS.get(key, 0);
        this.seedB = (long)LONGS.get(key, 8);
        this.whiten = (long)LONGS.get(key, 16) ^ (long)LONGS.get(key, 24);
    }

    void sign(final byte[] message, final int offset, final int length, final byte[] signature, final int signatureOffset) {
        final long a = lane(seedA, PRIME_2, PRIME_1, 31, message, offset, length);
        final long b = lane(seedB, PRIME_4, PRIME_3, 27, message, offset, length);
        for (int i = 0; i < LENGTH / 8; i++) {
            LONGS.set(signature, signatureOffset + 8 * i, word(a, b, i));
        }
        signature[signatureOffset + LENGTH - 1] = MARKER;
    }

    boolean verify(final byte[] signature, final int signatureOffset, final byte[] message, final int offset, final int length) {
        if (signatureOffset < 0 || signature.length - signatureOffset < LENGTH
            || signature[signatureOffset + LENGTH - 1] != MARKER) {
            return false;
        }
        final long a = lane(seedA, PRIME_2, PRIME_1, 31, message, offset, length);
        final long b = lane(seedB, PRIME_4, PRIME_3, 27, message, offset, length);
        long difference = 0;
        for (int i = 0; i < LENGTH / 8 - 1; i++) {
            difference |= (long)LONGS.get(signature, signatureOffset + 8 * i) ^ word(a, b, i);
        }
        // The last word with its top byte replaced by the marker, which was checked above.
        final long last = word(a, b, LENGTH / 8 - 1) & 0x00FF_FFFF_FFFF_FFFFL;
        difference |= ((long)LONGS.get(signature, signatureOffset + LENGTH - 8) & 0x00FF_FFFF_FFFF_FFFFL) ^ last;
        return difference == 0;
    }

    private long word(final long a, final long b, final int i) {
        return switch (i) {
            case 0 -> fmix(a);
            case 1 -> fmix(b);
            default -> fmix(a + i * PRIME_1) ^ fmix(b ^ (whiten + i * PRIME_3));
        };
    }

    /** One lane over the message: 8-byte words, then the 0..7 tail bytes as one word, then the length. */
    private static long lane(
        final long seed, final long inputPrime, final long statePrime, final int rotation,
        final byte[] message, final int offset, final int length) {
        long h = seed;
        int i = 0;
        for (; i <= length - 8; i += 8) {
            h = Long.rotateLeft(h + (long)LONGS.get(message, offset + i) * inputPrime, rotation) * statePrime;
        }
        long tail = 0;
        for (int j = length - 1; j >= i; j--) {
            tail = (tail << 8) | (message[offset + j] & 0xFF);
        }
        h = Long.rotateLeft(h + tail * inputPrime, rotation) * statePrime;
        return Long.rotateLeft(h + length * inputPrime, rotation) * statePrime;
    }

    /** MurmurHash3's 64-bit finaliser: a bijection that spreads every input bit over the output. */
    private static long fmix(final long k) {
        long x = k;
        x = (x ^ (x >>> 33)) * 0xFF51AFD7ED558CCDL;
        x = (x ^ (x >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return x ^ (x >>> 33);
    }
}
