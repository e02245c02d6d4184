package dev.vigil.crypto;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

import java.util.Arrays;
import java.util.HexFormat;

/** Deterministic keys for tests: every 32-byte string is a valid Ed25519 secret. */
final class TestKeys {
    private TestKeys() {
    }

    /** A fixed key per {@code seed}, so failures replay. */
    static PrivateKey key(final int seed) {
        final byte[] secret = new byte[PrivateKey.LENGTH];
        Arrays.fill(secret, (byte)seed);
        secret[0] = (byte)(seed >>> 8);
        return PrivateKey.of(secret);
    }

    /** A fixed simulated (not secure) key per {@code seed}, from the same secret as {@link #key}. */
    static PrivateKey simulatedKey(final int seed) {
        final byte[] secret = new byte[PrivateKey.LENGTH];
        Arrays.fill(secret, (byte)seed);
        secret[0] = (byte)(seed >>> 8);
        return PrivateKey.simulatedInsecure(secret);
    }

    static Arbitrary<PrivateKey> simulatedKeys() {
        return Arbitraries.bytes().array(byte[].class).ofSize(PrivateKey.LENGTH).map(PrivateKey::simulatedInsecure);
    }

    static Arbitrary<PrivateKey> privateKeys() {
        return Arbitraries.bytes().array(byte[].class).ofSize(PrivateKey.LENGTH).map(PrivateKey::of);
    }

    static byte[] hex(final String hex) {
        return HexFormat.of().parseHex(hex);
    }
}
