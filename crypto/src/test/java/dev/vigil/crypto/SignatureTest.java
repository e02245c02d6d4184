package dev.vigil.crypto;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.Arrays;

import static dev.vigil.crypto.TestKeys.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/** Ed25519 signing and verification through {@link PrivateKey} and {@link PublicKey}. */
class SignatureTest {

    @Property
    void aSignatureVerifiesUnderTheSignersPublicKey(
        @ForAll("privateKeys") final PrivateKey key,
        @ForAll @Size(max = 2048) final byte[] message) {
        final byte[] signature = key.sign(message);

        assertThat(signature).hasSize(PrivateKey.SIGNATURE_LENGTH);
        assertThat(key.publicKey().verify(signature, 0, message, 0, message.length)).isTrue();
    }

    @Property
    void aFlippedMessageBitFailsVerification(
        @ForAll("privateKeys") final PrivateKey key,
        @ForAll @Size(min = 1, max = 512) final byte[] message,
        @ForAll @IntRange(min = 0, max = 512 * 8 - 1) final int bit) {
        final byte[] signature = key.sign(message);
        final byte[] tampered = message.clone();
        final int at = bit % (message.length * 8);
        tampered[at / 8] ^= (byte)(1 << (at % 8));

        assertThat(key.publicKey().verify(signature, 0, tampered, 0, tampered.length)).isFalse();
    }

    @Property
    void aFlippedSignatureBitFailsVerification(
        @ForAll("privateKeys") final PrivateKey key,
        @ForAll @Size(max = 512) final byte[] message,
        @ForAll @IntRange(min = 0, max = PrivateKey.SIGNATURE_LENGTH * 8 - 1) final int bit) {
        final byte[] signature = key.sign(message);
        signature[bit / 8] ^= (byte)(1 << (bit % 8));

        assertThat(key.publicKey().verify(signature, 0, message, 0, message.length)).isFalse();
    }

    @Property
    void aSignatureDoesNotVerifyUnderAnotherKey(
        @ForAll("privateKeys") final PrivateKey signer,
        @ForAll("privateKeys") final PrivateKey other,
        @ForAll @Size(max = 512) final byte[] message) {
        assumeThat(other.publicKey()).isNotEqualTo(signer.publicKey());

        assertThat(other.publicKey().verify(signer.sign(message), 0, message, 0, message.length)).isFalse();
    }

    @Property
    void signingIsDeterministic(@ForAll("privateKeys") final PrivateKey key, @ForAll @Size(max = 512) final byte[] message) {
        assertThat(key.sign(message)).isEqualTo(key.sign(message));
    }

    @Property
    void signingAndVerifyingASliceEqualsDoingItOnACopyOfTheSlice(
        @ForAll("privateKeys") final PrivateKey key,
        @ForAll @Size(max = 512) final byte[] buffer,
        @ForAll @IntRange(min = 0, max = 512) final int from,
        @ForAll @IntRange(min = 0, max = 512) final int to,
        @ForAll @IntRange(min = 0, max = 32) final int signatureOffset) {
        final int offset = Math.min(from, to) % (buffer.length + 1);
        final int end = Math.min(Math.max(from, to), buffer.length);
        final int length = Math.max(0, end - offset);
        final byte[] signatures = new byte[signatureOffset + PrivateKey.SIGNATURE_LENGTH + 7];

        key.sign(buffer, offset, length, signatures, signatureOffset);

        final byte[] slice = Arrays.copyOfRange(buffer, offset, offset + length);
        assertThat(Arrays.copyOfRange(signatures, signatureOffset, signatureOffset + PrivateKey.SIGNATURE_LENGTH))
            .isEqualTo(key.sign(slice));
        assertThat(key.publicKey().verify(signatures, signatureOffset, buffer, offset, length)).isTrue();
    }

    /** RFC 8032 section 7.1, test 1: the keys interoperate with every other Ed25519 implementation. */
    @Example
    void matchesTheRfc8032TestVectorForTheEmptyMessage() {
        final PrivateKey key = PrivateKey.of(hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));

        assertThat(key.publicKey().encoded())
            .isEqualTo(hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));
        assertThat(key.sign(new byte[0])).isEqualTo(hex(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"));
    }

    @Property
    void aPrivateKeyKeepsItsOwnCopyOfTheSecret(@ForAll @Size(value = PrivateKey.LENGTH) final byte[] secret) {
        final PrivateKey key = PrivateKey.of(secret);
        final byte[] before = key.sign(new byte[] {1, 2, 3});

        Arrays.fill(secret, (byte)0x5A);

        assertThat(key.sign(new byte[] {1, 2, 3})).isEqualTo(before);
    }

    @Example
    void privateKeysOfTheWrongLengthAreRefused() {
        assertThatThrownBy(() -> PrivateKey.of(new byte[PrivateKey.LENGTH - 1])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PrivateKey.of(new byte[PrivateKey.LENGTH + 1])).isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void aPublicKeyRoundTripsThroughItsEncoding(@ForAll("privateKeys") final PrivateKey key) {
        final PublicKey decoded = PublicKey.of(key.publicKey().encoded());

        assertThat(decoded).isEqualTo(key.publicKey()).hasSameHashCodeAs(key.publicKey());
        assertThat(decoded.nodeId()).isEqualTo(key.nodeId());
    }

    @Property
    void aPublicKeyIsFoundAtAnyOffsetOfALargerArray(
        @ForAll("privateKeys") final PrivateKey key,
        @ForAll @IntRange(min = 0, max = 40) final int offset) {
        final byte[] bytes = new byte[offset + PublicKey.LENGTH + 3];
        System.arraycopy(key.publicKey().encoded(), 0, bytes, offset, PublicKey.LENGTH);

        assertThat(PublicKey.tryOf(bytes, offset)).isEqualTo(key.publicKey());
    }

    @Example
    void encodedPublicKeyIsACopy() {
        final PublicKey key = TestKeys.key(1).publicKey();
        final byte[] encoded = key.encoded();
        encoded[0] ^= 1;

        assertThat(key.encoded()).isNotEqualTo(encoded);
    }

    @Example
    void bytesThatAreNotAPublicKeyAreRefused() {
        // 2^255 - 19 and above are not canonical field elements
        final byte[] nonCanonical = new byte[PublicKey.LENGTH];
        Arrays.fill(nonCanonical, (byte)0xFF);
        nonCanonical[PublicKey.LENGTH - 1] = 0x7F;
        // y = 1 is the neutral element, a small-order point no honest key has
        final byte[] identity = new byte[PublicKey.LENGTH];
        identity[0] = 1;

        assertThat(PublicKey.tryOf(nonCanonical, 0)).isNull();
        assertThat(PublicKey.tryOf(identity, 0)).isNull();
        assertThat(PublicKey.tryOf(new byte[PublicKey.LENGTH - 1], 0)).isNull();
        assertThat(PublicKey.tryOf(TestKeys.key(1).publicKey().encoded(), 1)).isNull();
        assertThat(PublicKey.tryOf(TestKeys.key(1).publicKey().encoded(), -1)).isNull();
        assertThatThrownBy(() -> PublicKey.of(identity)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PublicKey.of(new byte[PublicKey.LENGTH + 1])).isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void publicKeyParsingNeverThrows(@ForAll @Size(max = 64) final byte[] bytes, @ForAll @IntRange(min = -4, max = 70) final int offset) {
        final PublicKey key = PublicKey.tryOf(bytes, offset);

        if (key != null) {
            assertThat(key.encoded()).isEqualTo(Arrays.copyOfRange(bytes, offset, offset + PublicKey.LENGTH));
        }
    }

    @Provide
    Arbitrary<PrivateKey> privateKeys() {
        return TestKeys.privateKeys();
    }
}
