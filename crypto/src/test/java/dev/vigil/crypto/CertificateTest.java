package dev.vigil.crypto;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Node certificates issued by {@link ClusterCa}: layout, verification verdicts and parsing. */
class CertificateTest {
    private static final PrivateKey CA_KEY = TestKeys.key(1);
    private static final PrivateKey OTHER_CA_KEY = TestKeys.key(2);
    private static final PrivateKey NODE_KEY = TestKeys.key(3);
    private static final ClusterCa CA = new ClusterCa(CA_KEY);
    private static final Instant NOT_BEFORE = Instant.ofEpochSecond(1_750_000_000L);
    private static final Duration VALIDITY = Duration.ofDays(90);
    private static final long NOT_BEFORE_S = NOT_BEFORE.getEpochSecond();
    private static final long NOT_AFTER_S = NOT_BEFORE_S + VALIDITY.getSeconds();

    private static Certificate issued() {
        return CA.issue(NODE_KEY.publicKey(), NOT_BEFORE, VALIDITY);
    }

    // ---- what an issued certificate says ----

    @Example
    void anIssuedCertificateNamesTheNodeItsKeyTheCaAndTheWindow() {
        final Certificate c = issued();

        assertThat(c.nodeId()).isEqualTo(NODE_KEY.nodeId());
        assertThat(c.publicKey()).isEqualTo(NODE_KEY.publicKey());
        assertThat(c.caKeyId()).isEqualTo(CA_KEY.nodeId()).isEqualTo(CA.publicKey().nodeId());
        assertThat(c.notBeforeSeconds()).isEqualTo(NOT_BEFORE_S);
        assertThat(c.notAfterSeconds()).isEqualTo(NOT_AFTER_S);
        assertThat(c.encoded()).hasSize(Certificate.LENGTH);
    }

    @Example
    void theEncodingFollowsTheDocumentedLayout() {
        final Certificate c = issued();
        final ByteBuffer b = ByteBuffer.wrap(c.encoded()).order(ByteOrder.LITTLE_ENDIAN);

        assertThat(b.get(0)).isEqualTo((byte)Certificate.VERSION);
        assertThat(Arrays.copyOfRange(c.encoded(), 1, 8)).containsOnly(0);
        assertThat(b.getLong(8)).isEqualTo(NODE_KEY.nodeId());
        assertThat(Arrays.copyOfRange(c.encoded(), 16, 48)).isEqualTo(NODE_KEY.publicKey().encoded());
        assertThat(b.getLong(48)).isEqualTo(NOT_BEFORE_S);
        assertThat(b.getLong(56)).isEqualTo(NOT_AFTER_S);
        assertThat(b.getLong(64)).isEqualTo(CA_KEY.nodeId());
        // The CA signs a domain-separated copy of the first 72 bytes.
        final byte[] domain = "vigil-node-cert-v1".getBytes(StandardCharsets.US_ASCII);
        final byte[] toBeSigned = new byte[domain.length + 72];
        System.arraycopy(domain, 0, toBeSigned, 0, domain.length);
        System.arraycopy(c.encoded(), 0, toBeSigned, domain.length, 72);
        assertThat(CA.publicKey().verify(c.encoded(), 72, toBeSigned, 0, toBeSigned.length)).isTrue();
    }

    @Example
    void validityIsKeptInWholeSeconds() {
        final Certificate c = CA.issue(NODE_KEY.publicKey(), NOT_BEFORE.plusMillis(999), Duration.ofMillis(10_999));

        assertThat(c.notBeforeSeconds()).isEqualTo(NOT_BEFORE_S);
        assertThat(c.notAfterSeconds()).isEqualTo(NOT_BEFORE_S + 10);
    }

    @Example
    void validityUnderOneSecondIsRefusedWithAMessageSayingSo() {
        assertThatThrownBy(() -> CA.issue(NODE_KEY.publicKey(), NOT_BEFORE, Duration.ZERO))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CA.issue(NODE_KEY.publicKey(), NOT_BEFORE, Duration.ofSeconds(-1)))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CA.issue(NODE_KEY.publicKey(), NOT_BEFORE, Duration.ofMillis(500)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("at least one second");
    }

    // ---- verification verdicts ----

    @Example
    void verifiesValidFromNotBeforeUpToButExcludingNotAfter() {
        final Certificate c = issued();
        final PublicKey ca = CA.publicKey();

        assertThat(c.verify(ca, NOT_BEFORE_S - 1)).isEqualTo(CertificateStatus.NOT_YET_VALID);
        assertThat(c.verify(ca, NOT_BEFORE_S)).isEqualTo(CertificateStatus.VALID);
        assertThat(c.verify(ca, NOT_BEFORE_S + 86_400)).isEqualTo(CertificateStatus.VALID);
        assertThat(c.verify(ca, NOT_AFTER_S - 1)).isEqualTo(CertificateStatus.VALID);
        assertThat(c.verify(ca, NOT_AFTER_S)).isEqualTo(CertificateStatus.EXPIRED);
        assertThat(c.verify(ca, NOT_AFTER_S + 1)).isEqualTo(CertificateStatus.EXPIRED);
    }

    @Property
    void verdictOverTimeIsNotYetValidThenValidThenExpired(
        @ForAll @LongRange(min = 1, max = 10L * 365 * 86_400) final long validitySeconds,
        @ForAll final long now) {
        final Certificate c = CA.issue(NODE_KEY.publicKey(), NOT_BEFORE, Duration.ofSeconds(validitySeconds));
        final long notAfter = NOT_BEFORE_S + validitySeconds;

        final CertificateStatus expected = now < NOT_BEFORE_S ? CertificateStatus.NOT_YET_VALID
            : now >= notAfter ? CertificateStatus.EXPIRED : CertificateStatus.VALID;
        assertThat(c.verify(CA.publicKey(), now)).isEqualTo(expected);
        assertThat(c.validityAt(now)).isEqualTo(expected);
    }

    @Example
    void aCertificateFromAnotherCaIsWrongCaEvenInsideItsWindow() {
        final Certificate c = new ClusterCa(OTHER_CA_KEY).issue(NODE_KEY.publicKey(), NOT_BEFORE, VALIDITY);

        assertThat(c.verify(CA.publicKey(), NOT_BEFORE_S)).isEqualTo(CertificateStatus.WRONG_CA);
        assertThat(c.verify(OTHER_CA_KEY.publicKey(), NOT_BEFORE_S)).isEqualTo(CertificateStatus.VALID);
    }

    @Example
    void aCertificateClaimingOurCaButSignedByAnotherKeyIsBadSignature() {
        final byte[] forged = issued().encoded();
        // stretch the window and re-sign with the node's own key, keeping the CA's key id
        ByteBuffer.wrap(forged).order(ByteOrder.LITTLE_ENDIAN).putLong(56, Long.MAX_VALUE);
        final byte[] domain = "vigil-node-cert-v1".getBytes(StandardCharsets.US_ASCII);
        final byte[] toBeSigned = new byte[domain.length + 72];
        System.arraycopy(domain, 0, toBeSigned, 0, domain.length);
        System.arraycopy(forged, 0, toBeSigned, domain.length, 72);
        System.arraycopy(NODE_KEY.sign(toBeSigned), 0, forged, 72, PrivateKey.SIGNATURE_LENGTH);

        final Certificate c = Certificate.parse(forged);

        assertThat(c.verify(CA.publicKey(), NOT_BEFORE_S)).isEqualTo(CertificateStatus.BAD_SIGNATURE);
    }

    // ---- tampering ----

    /**
     * Every byte of the certificate is covered by something: layout checks in parsing (version,
     * reserved, node id and key, which must agree), the CA key id, or the CA signature.
     */
    @Property
    void anyTamperedByteIsCaughtAndWhereItIsDecidesHow(
        @ForAll @IntRange(min = 0, max = Certificate.LENGTH - 1) final int index,
        @ForAll @IntRange(min = 1, max = 255) final int mask) {
        assertThat(verdictAfterTampering(index, mask)).isEqualTo(expectedVerdictForTamperedByte(index));
    }

    @Example
    void everyByteFlippedOneBitAtATimeIsCaught() {
        for (int index = 0; index < Certificate.LENGTH; index++) {
            for (final int mask : new int[] {0x01, 0x80}) {
                assertThat(verdictAfterTampering(index, mask)).as("byte %d ^ 0x%02x", index, mask)
                    .isEqualTo(expectedVerdictForTamperedByte(index));
            }
        }
    }

    /** @return {@code "unparsable"} or the verdict at a time inside the original window. */
    private static String verdictAfterTampering(final int index, final int mask) {
        final byte[] bytes = issued().encoded();
        bytes[index] ^= (byte)mask;
        final Certificate c = Certificate.tryParse(bytes, 0, bytes.length);
        return c == null ? "unparsable" : c.verify(CA.publicKey(), NOT_BEFORE_S + 1).name();
    }

    private static String expectedVerdictForTamperedByte(final int index) {
        if (index < 48) {
            return "unparsable"; // version, reserved, node id, public key
        }
        if (index >= 64 && index < 72) {
            return CertificateStatus.WRONG_CA.name(); // the CA key id no longer names our CA
        }
        return CertificateStatus.BAD_SIGNATURE.name(); // validity window or the signature itself
    }

    // ---- encoding and parsing ----

    @Property
    void encodeThenParseGivesBackTheSameCertificate(
        @ForAll("privateKeys") final PrivateKey node,
        @ForAll @LongRange(min = -1_000_000_000L, max = 4_000_000_000L) final long notBefore,
        @ForAll @LongRange(min = 1, max = 100L * 365 * 86_400) final long validitySeconds) {
        final Certificate c = CA.issue(node.publicKey(), Instant.ofEpochSecond(notBefore), Duration.ofSeconds(validitySeconds));

        final Certificate parsed = Certificate.parse(c.encoded());

        assertThat(parsed.nodeId()).isEqualTo(c.nodeId()).isEqualTo(node.nodeId());
        assertThat(parsed.publicKey()).isEqualTo(node.publicKey());
        assertThat(parsed.notBeforeSeconds()).isEqualTo(notBefore);
        assertThat(parsed.notAfterSeconds()).isEqualTo(notBefore + validitySeconds);
        assertThat(parsed.caKeyId()).isEqualTo(CA_KEY.nodeId());
        assertThat(parsed.encoded()).isEqualTo(c.encoded());
        assertThat(parsed.sameEncoding(c.encoded(), 0, Certificate.LENGTH)).isTrue();
        assertThat(parsed.verify(CA.publicKey(), notBefore)).isEqualTo(CertificateStatus.VALID);
    }

    @Property
    void aCertificateParsesFromAnyOffsetOfALargerArray(
        @ForAll @IntRange(min = 0, max = 64) final int offset,
        @ForAll @IntRange(min = 0, max = 64) final int after) {
        final Certificate c = issued();
        final byte[] bytes = new byte[offset + Certificate.LENGTH + after];
        Arrays.fill(bytes, (byte)0xA5);
        System.arraycopy(c.encoded(), 0, bytes, offset, Certificate.LENGTH);

        final Certificate parsed = Certificate.tryParse(bytes, offset, Certificate.LENGTH);

        assertThat(parsed).isNotNull();
        assertThat(parsed.encoded()).isEqualTo(c.encoded());
        assertThat(parsed.notAfterSeconds()).isEqualTo(NOT_AFTER_S);
        assertThat(c.sameEncoding(bytes, offset, Certificate.LENGTH)).isTrue();
        assertThat(parsed.verify(CA.publicKey(), NOT_BEFORE_S)).isEqualTo(CertificateStatus.VALID);
    }

    @Example
    void rangesThatAreNotExactlyOneCertificateAreRefused() {
        final byte[] encoded = issued().encoded();
        final byte[] longer = Arrays.copyOf(encoded, Certificate.LENGTH + 1);

        assertThat(Certificate.tryParse(longer, 0, longer.length)).isNull();
        assertThat(Certificate.tryParse(encoded, 0, Certificate.LENGTH - 1)).isNull();
        assertThat(Certificate.tryParse(encoded, 1, Certificate.LENGTH)).isNull();
        assertThat(Certificate.tryParse(encoded, -1, Certificate.LENGTH)).isNull();
        assertThat(Certificate.tryParse(new byte[0], 0, 0)).isNull();
        assertThatThrownBy(() -> Certificate.parse(Arrays.copyOf(encoded, Certificate.LENGTH - 1)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("135 bytes");
    }

    @Property
    void parsingArbitraryBytesNeverThrows(
        @ForAll("certificateShapedBytes") final byte[] bytes,
        @ForAll @IntRange(min = -2, max = 300) final int offset,
        @ForAll @IntRange(min = -2, max = 300) final int length) {
        final Certificate c = Certificate.tryParse(bytes, offset, length);

        if (c != null) {
            assertThat(c.sameEncoding(bytes, offset, length)).isTrue();
            assertThat(c.publicKey().nodeId()).isEqualTo(c.nodeId());
        }
    }

    @Example
    void encodedIsACopy() {
        final Certificate c = issued();
        final byte[] encoded = c.encoded();
        encoded[100] ^= 1;

        assertThat(c.encoded()).isNotEqualTo(encoded);
        assertThat(c.verify(CA.publicKey(), NOT_BEFORE_S)).isEqualTo(CertificateStatus.VALID);
    }

    @Provide
    Arbitrary<PrivateKey> privateKeys() {
        return TestKeys.privateKeys();
    }

    /** Mostly arbitrary bytes, sometimes with a valid version, reserved bytes and node key in place. */
    @Provide
    Arbitrary<byte[]> certificateShapedBytes() {
        final Arbitrary<byte[]> arbitrary = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        final Arbitrary<byte[]> shaped = Arbitraries.bytes().array(byte[].class).ofSize(Certificate.LENGTH).map(bytes -> {
            System.arraycopy(issued().encoded(), 0, bytes, 0, 48);
            return bytes;
        });
        return Arbitraries.oneOf(arbitrary, shaped);
    }
}
