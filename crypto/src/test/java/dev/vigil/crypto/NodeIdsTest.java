package dev.vigil.crypto;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;

import static dev.vigil.crypto.TestKeys.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A node id is the first 8 bytes of SHA-256(public key), printed in digest order. */
class NodeIdsTest {

    @Property
    void nodeIdIsTheFirstEightBytesOfTheSha256OfThePublicKey(@ForAll("privateKeys") final PrivateKey key) throws Exception {
        final byte[] encoded = key.publicKey().encoded();
        final byte[] digest = MessageDigest.getInstance("SHA-256").digest(encoded);

        final long expected = ByteBuffer.wrap(digest, 0, 8).getLong(); // big-endian
        assertThat(NodeIds.fromPublicKey(encoded)).isEqualTo(expected);
        assertThat(key.publicKey().nodeId()).isEqualTo(expected);
        assertThat(key.nodeId()).isEqualTo(expected);
        assertThat(NodeIds.toHex(expected)).isEqualTo(HexFormat.of().formatHex(digest, 0, 8));
    }

    /** Computed independently: sha256(RFC 8032 test 1 public key) starts 21fe31dfa154a261. */
    @Example
    void nodeIdOfAKnownPublicKey() {
        final PublicKey key = PublicKey.of(hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));

        assertThat(NodeIds.toHex(key.nodeId())).isEqualTo("21fe31dfa154a261");
        assertThat(key.nodeId()).isEqualTo(0x21fe31dfa154a261L);
    }

    @Property
    void hexRoundTripsEveryId(@ForAll final long id) {
        final String hex = NodeIds.toHex(id);

        assertThat(hex).hasSize(16).matches("[0-9a-f]{16}");
        assertThat(NodeIds.parseHex(hex)).isEqualTo(id);
        assertThat(NodeIds.parseHex(hex.toUpperCase(Locale.ROOT))).isEqualTo(id);
    }

    @Example
    void hexOfAnIdIsItsBigEndianBytes() {
        assertThat(NodeIds.toHex(0x0102030405060708L)).isEqualTo("0102030405060708");
        assertThat(NodeIds.toHex(-1L)).isEqualTo("ffffffffffffffff");
        assertThat(NodeIds.toHex(0L)).isEqualTo("0000000000000000");
    }

    @Example
    void parseHexRefusesAnythingButSixteenHexDigits() {
        assertThatThrownBy(() -> NodeIds.parseHex("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NodeIds.parseHex("0123456789abcde")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("16 hex digits");
        assertThatThrownBy(() -> NodeIds.parseHex("0123456789abcdef0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NodeIds.parseHex("0123456789abcdeg")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NodeIds.parseHex("+123456789abcdef")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NodeIds.parseHex(" 123456789abcdef")).isInstanceOf(IllegalArgumentException.class);
    }

    @Provide
    Arbitrary<PrivateKey> privateKeys() {
        return TestKeys.privateKeys();
    }
}
