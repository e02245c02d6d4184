package dev.vigil.crypto;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Parsing and comparing keys and certificates at the edges of the bytes they are given. */
class KeyAndCertificateEdgeTest {
    private final PrivateKey ca = TestKeys.key(1);
    private final PrivateKey node = TestKeys.key(2);

    @Test
    void aCertificateMustEndAfterItStarts() {
        assertThatThrownBy(() -> Certificate.issue(ca, node.publicKey(), 100, 100)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Certificate.issue(ca, node.publicKey(), 100, 101).validityAt(100)).isEqualTo(CertificateStatus.VALID);
    }

    @Test
    void aCertificateIsFoundOnlyWhereAllItsBytesAre() {
        final Certificate c = Certificate.issue(ca, node.publicKey(), 100, 200);
        final byte[] bytes = new byte[Certificate.LENGTH + 10];
        System.arraycopy(c.encoded(), 0, bytes, 10, Certificate.LENGTH);
        assertThat(Certificate.tryParse(bytes, 10, Certificate.LENGTH).sameEncoding(c.encoded(), 0, Certificate.LENGTH)).isTrue();
        assertThat(Certificate.tryParse(bytes, 11, Certificate.LENGTH)).as("runs past the end").isNull();
        assertThat(Certificate.tryParse(bytes, -1, Certificate.LENGTH)).isNull();
        assertThat(c.sameEncoding(bytes, 10, Certificate.LENGTH)).isTrue();
        assertThat(c.sameEncoding(bytes, 10, Certificate.LENGTH - 1)).isFalse();
        final byte[] other = bytes.clone();
        other[10 + Certificate.LENGTH - 1] ^= 1;
        assertThat(c.sameEncoding(other, 10, Certificate.LENGTH)).isFalse();
        assertThat(c.toString()).isEqualTo("Certificate[node " + NodeIds.toHex(node.nodeId()) + ", ca " + NodeIds.toHex(ca.nodeId())
            + ", valid 1970-01-01T00:01:40Z .. 1970-01-01T00:03:20Z]");
    }

    @Test
    void aSimulatedPublicKeyIsReadOnlyWhereAllItsBytesAre() {
        final byte[] encoded = TestKeys.simulatedKey(3).publicKey().encoded();
        final byte[] bytes = new byte[PublicKey.LENGTH + 8];
        System.arraycopy(encoded, 0, bytes, 8, PublicKey.LENGTH);
        assertThat(PublicKey.trySimulatedInsecure(bytes, 8)).isEqualTo(TestKeys.simulatedKey(3).publicKey());
        assertThat(PublicKey.trySimulatedInsecure(bytes, 9)).isNull();
        assertThat(PublicKey.trySimulatedInsecure(bytes, -1)).isNull();
    }

    @Test
    void equalKeysHashAlikeAndDifferentKeysApart() {
        assertThat(TestKeys.key(4).publicKey().hashCode()).isEqualTo(PublicKey.of(TestKeys.key(4).publicKey().encoded()).hashCode());
        assertThat(TestKeys.key(4).publicKey().hashCode()).isEqualTo(Arrays.hashCode(TestKeys.key(4).publicKey().encoded()));
        assertThat(TestKeys.key(4).publicKey().hashCode()).isNotEqualTo(TestKeys.key(5).publicKey().hashCode());
    }

    @Test
    void aGeneratedKeySignsAndIsNewEachTime() {
        final SecureRandom random = new SecureRandom();
        final PrivateKey a = PrivateKey.generate(random);
        final PrivateKey b = PrivateKey.generate(random);
        assertThat(a.publicKey()).isNotEqualTo(b.publicKey());
        final byte[] message = {1, 2, 3};
        assertThat(a.publicKey().verify(a.sign(message), 0, message, 0, message.length)).isTrue();
        assertThat(b.publicKey().verify(a.sign(message), 0, message, 0, message.length)).isFalse();
    }
}
