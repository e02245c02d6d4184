package dev.vigil.crypto;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The simulator's not-secure scheme: it must still catch corruption and wrong keys, and it must
 * never mix with Ed25519 (signatures, certificates, node ids).
 */
class SimulatedSignatureTest {
    private static final Instant NOT_BEFORE = Instant.ofEpochSecond(1_750_000_000L);
    private static final Duration VALIDITY = Duration.ofDays(90);

    // ---- sign and verify ----

    @Property
    void aSignatureVerifiesUnderTheSignersPublicKey(
        @ForAll("simulatedKeys") final PrivateKey key,
        @ForAll @Size(max = 2048) final byte[] message) {
        final byte[] signature = key.sign(message);

        assertThat(key.scheme()).isEqualTo(SignatureScheme.SIMULATED_INSECURE);
        assertThat(signature).hasSize(PrivateKey.SIGNATURE_LENGTH);
        assertThat(key.publicKey().verify(signature, 0, message, 0, message.length)).isTrue();
    }

    @Property
    void aFlippedMessageBitFailsVerification(
        @ForAll("simulatedKeys") final PrivateKey key,
        @ForAll @Size(min = 1, max = 512) final byte[] message,
        @ForAll @IntRange(min = 0, max = 512 * 8 - 1) final int bit) {
        final byte[] signature = key.sign(message);
        final byte[] tampered = message.clone();
        final int at = bit % (message.length * 8);
        tampered[at / 8] ^= (byte)(1 << (at % 8));

        assertThat(key.publicKey().verify(signature, 0, tampered, 0, tampered.length)).isFalse();
    }

    @Example
    void everyMessageBitFlippedOneAtATimeFailsVerification() {
        final PrivateKey key = TestKeys.simulatedKey(1);
        final byte[] message = new byte[37]; // four words and a five-byte tail
        final byte[] signature = key.sign(message);
        for (int bit = 0; bit < message.length * 8; bit++) {
            message[bit / 8] ^= (byte)(1 << (bit % 8));
            assertThat(key.publicKey().verify(signature, 0, message, 0, message.length)).as("bit %d", bit).isFalse();
            message[bit / 8] ^= (byte)(1 << (bit % 8));
        }
        assertThat(key.publicKey().verify(signature, 0, message, 0, message.length)).isTrue();
    }

    @Property
    void aFlippedSignatureBitFailsVerification(
        @ForAll("simulatedKeys") final PrivateKey key,
        @ForAll @Size(max = 512) final byte[] message,
        @ForAll @IntRange(min = 0, max = PrivateKey.SIGNATURE_LENGTH * 8 - 1) final int bit) {
        final byte[] signature = key.sign(message);
        signature[bit / 8] ^= (byte)(1 << (bit % 8));

        assertThat(key.publicKey().verify(signature, 0, message, 0, message.length)).isFalse();
    }

    @Example
    void messagesThatDifferOnlyInTrailingZerosHaveDifferentSignatures() {
        final PrivateKey key = TestKeys.simulatedKey(2);
        final Set<String> signatures = new HashSet<>();
        for (int length = 0; length <= 24; length++) {
            signatures.add(Arrays.toString(key.sign(new byte[length])));
        }

        assertThat(signatures).hasSize(25);
    }

    @Property
    void aSignatureDoesNotVerifyUnderAnotherKey(
        @ForAll("simulatedKeys") final PrivateKey signer,
        @ForAll("simulatedKeys") final PrivateKey other,
        @ForAll @Size(max = 512) final byte[] message) {
        assumeThat(other.publicKey()).isNotEqualTo(signer.publicKey());

        assertThat(other.publicKey().verify(signer.sign(message), 0, message, 0, message.length)).isFalse();
        assertThat(other.sign(message)).isNotEqualTo(signer.sign(message));
    }

    @Property
    void signingIsDeterministic(@ForAll("simulatedKeys") final PrivateKey key, @ForAll @Size(max = 512) final byte[] message) {
        assertThat(key.sign(message)).isEqualTo(key.sign(message));
    }

    @Property
    void signingAndVerifyingASliceEqualsDoingItOnACopyOfTheSlice(
        @ForAll("simulatedKeys") final PrivateKey key,
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

    @Example
    void aSignatureThatRunsPastTheEndOfItsArrayIsRefusedNotThrown() {
        final PrivateKey key = TestKeys.simulatedKey(3);
        final byte[] signature = key.sign(new byte[] {1});

        assertThat(key.publicKey().verify(signature, 1, new byte[] {1}, 0, 1)).isFalse();
        assertThat(key.publicKey().verify(signature, -1, new byte[] {1}, 0, 1)).isFalse();
    }

    // ---- never mixed with Ed25519 ----

    @Property
    void neitherSchemeVerifiesTheOthersSignatures(
        @ForAll @Size(value = PrivateKey.LENGTH) final byte[] secret,
        @ForAll @Size(max = 512) final byte[] message) {
        final PrivateKey ed25519 = PrivateKey.of(secret);
        final PrivateKey simulated = PrivateKey.simulatedInsecure(secret);

        assertThat(ed25519.publicKey().verify(simulated.sign(message), 0, message, 0, message.length)).isFalse();
        assertThat(simulated.publicKey().verify(ed25519.sign(message), 0, message, 0, message.length)).isFalse();
    }

    /**
     * The refusal is by shape, not by chance: an Ed25519 signature's second half is a scalar
     * below 2^253, so its last byte is at most 0x1F, and a simulated one always ends in 0xFF.
     */
    @Property
    void theLastSignatureByteTellsTheSchemesApart(
        @ForAll @Size(value = PrivateKey.LENGTH) final byte[] secret,
        @ForAll @Size(max = 256) final byte[] message) {
        assertThat(PrivateKey.of(secret).sign(message)[63] & 0xFF).isLessThanOrEqualTo(0x1F);
        assertThat(PrivateKey.simulatedInsecure(secret).sign(message)[63]).isEqualTo((byte)0xFF);
    }

    @Property
    void aSimulatedKeyIsNeverEqualToAnEd25519KeyWithTheSameBytesAndItsIdDiffers(
        @ForAll @Size(value = PrivateKey.LENGTH) final byte[] secret) {
        final PublicKey ed25519 = PrivateKey.of(secret).publicKey();
        final PublicKey simulatedWithTheSameBytes = PublicKey.trySimulatedInsecure(ed25519.encoded(), 0);

        assertThat(simulatedWithTheSameBytes).isNotEqualTo(ed25519);
        assertThat(simulatedWithTheSameBytes.nodeId()).isNotEqualTo(ed25519.nodeId());
        assertThat(PrivateKey.simulatedInsecure(secret).nodeId()).isNotEqualTo(ed25519.nodeId());
    }

    @Example
    void tenThousandSimulatedKeysHaveTenThousandDistinctIds() {
        final Set<Long> ids = new HashSet<>();
        for (int seed = 0; seed < 10_000; seed++) {
            ids.add(TestKeys.simulatedKey(seed).nodeId());
        }

        assertThat(ids).hasSize(10_000);
    }

    @Example
    void theKeySaysItIsNotSecure() {
        final PrivateKey key = TestKeys.simulatedKey(4);

        assertThat(key.toString()).contains("NOT SECURE");
        assertThat(key.publicKey().toString()).contains("NOT SECURE");
        assertThat(TestKeys.key(4).scheme()).isEqualTo(SignatureScheme.ED25519);
        assertThatThrownBy(() -> PrivateKey.simulatedInsecure(new byte[PrivateKey.LENGTH - 1]))
            .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- certificates ----

    @Example
    void aSimulatedCaCertifiesSimulatedKeysAndTheCertificateRoundTrips() {
        final ClusterCa ca = new ClusterCa(TestKeys.simulatedKey(10));
        final PrivateKey node = TestKeys.simulatedKey(11);
        final Certificate c = ca.issue(node.publicKey(), NOT_BEFORE, VALIDITY);

        final Certificate parsed = Certificate.parse(c.encoded());

        assertThat(c.encoded()[1]).isEqualTo((byte)0x53);
        assertThat(parsed.publicKey()).isEqualTo(node.publicKey());
        assertThat(parsed.publicKey().scheme()).isEqualTo(SignatureScheme.SIMULATED_INSECURE);
        assertThat(parsed.nodeId()).isEqualTo(node.nodeId());
        assertThat(parsed.verify(ca.publicKey(), NOT_BEFORE.getEpochSecond())).isEqualTo(CertificateStatus.VALID);
        // The parsed key checks the node's frames like the original.
        final byte[] frame = "a frame".getBytes(StandardCharsets.US_ASCII);
        assertThat(parsed.publicKey().verify(node.sign(frame), 0, frame, 0, frame.length)).isTrue();
    }

    @Example
    void aCaNeverCertifiesAKeyOfTheOtherScheme() {
        final ClusterCa ed25519Ca = new ClusterCa(TestKeys.key(10));
        final ClusterCa simulatedCa = new ClusterCa(TestKeys.simulatedKey(10));

        assertThatThrownBy(() -> ed25519Ca.issue(TestKeys.simulatedKey(11).publicKey(), NOT_BEFORE, VALIDITY))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("simulated");
        assertThatThrownBy(() -> simulatedCa.issue(TestKeys.key(11).publicKey(), NOT_BEFORE, VALIDITY))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ed25519");
    }

    /** Even a certificate an Ed25519 CA really signed is refused when it names a simulated key. */
    @Example
    void anEd25519CaRefusesACertificateForASimulatedKeyThatItSigned() {
        final PrivateKey caKey = TestKeys.key(10);
        final PrivateKey node = TestKeys.simulatedKey(11);
        final ByteBuffer b = ByteBuffer.allocate(Certificate.LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte)Certificate.VERSION).put((byte)0x53).put(new byte[6]);
        b.putLong(node.nodeId()).put(node.publicKey().encoded());
        b.putLong(NOT_BEFORE.getEpochSecond()).putLong(NOT_BEFORE.getEpochSecond() + VALIDITY.getSeconds());
        b.putLong(caKey.nodeId());
        final byte[] encoded = b.array();
        final byte[] domain = "vigil-node-cert-v1".getBytes(StandardCharsets.US_ASCII);
        final byte[] toBeSigned = new byte[domain.length + Certificate.SIGNED_LENGTH];
        System.arraycopy(domain, 0, toBeSigned, 0, domain.length);
        System.arraycopy(encoded, 0, toBeSigned, domain.length, Certificate.SIGNED_LENGTH);
        System.arraycopy(caKey.sign(toBeSigned), 0, encoded, Certificate.SIGNED_LENGTH, PrivateKey.SIGNATURE_LENGTH);

        final Certificate c = Certificate.parse(encoded);

        assertThat(c.verify(caKey.publicKey(), NOT_BEFORE.getEpochSecond() + 1)).isEqualTo(CertificateStatus.WRONG_CA);
    }

    @Example
    void flippingTheSchemeByteOfACertificateMakesItUnparsable() {
        final Certificate ed25519 = new ClusterCa(TestKeys.key(10)).issue(TestKeys.key(11).publicKey(), NOT_BEFORE, VALIDITY);
        final Certificate simulated = new ClusterCa(TestKeys.simulatedKey(10))
            .issue(TestKeys.simulatedKey(11).publicKey(), NOT_BEFORE, VALIDITY);
        final byte[] claimsSimulated = ed25519.encoded();
        claimsSimulated[1] = 0x53;
        final byte[] claimsEd25519 = simulated.encoded();
        claimsEd25519[1] = 0;

        // The node id no longer matches the key: the id of each scheme is hashed in its own domain.
        assertThat(Certificate.tryParse(claimsSimulated, 0, Certificate.LENGTH)).isNull();
        assertThat(Certificate.tryParse(claimsEd25519, 0, Certificate.LENGTH)).isNull();
    }

    @Provide
    Arbitrary<PrivateKey> simulatedKeys() {
        return TestKeys.simulatedKeys();
    }
}
