package dev.vigil.crypto.verdict;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Laws of verdict certificates under arbitrary damage: always caught, never a stray exception. */
class VerdictCertificateProperties {
    private static final Committee F1 = Committee.of(1);
    private static final Committee F2 = Committee.of(2, 2);
    /** f = 1 with the whole committee of 4, f = 2 with exactly a quorum of 5 of 7. */
    private static final byte[] CERT_F1 = F1.certify(F1.convict(), 4).encoded();
    private static final byte[] CERT_F2 = F2.certify(F2.convict(), 5).encoded();

    @Property(tries = 2000)
    void anySingleByteChangedToAnyOtherValueIsCaught(
        @ForAll @IntRange(min = 1, max = 2) final int f,
        @ForAll @IntRange(min = 0, max = 1_000_000) final int position,
        @ForAll @IntRange(min = 1, max = 255) final int xor) {
        final Committee c = f == 1 ? F1 : F2;
        final byte[] b = (f == 1 ? CERT_F1 : CERT_F2).clone();
        final int at = position % b.length;
        b[at] ^= (byte)xor;

        assertThat(VerdictCertificateTest.caught(b, c)).as("f = %d, byte %d xor 0x%02x accepted", f, at, xor).isTrue();
    }

    /** Two bytes changed at once is also caught (changes that cancel out in one field are the risk). */
    @Property(tries = 500)
    void anyTwoBytesChangedAreCaught(
        @ForAll @IntRange(min = 0, max = 1_000_000) final int p1, @ForAll @IntRange(min = 1, max = 255) final int x1,
        @ForAll @IntRange(min = 0, max = 1_000_000) final int p2, @ForAll @IntRange(min = 1, max = 255) final int x2) {
        final byte[] b = CERT_F1.clone();
        final int a = p1 % b.length;
        final int c = p2 % b.length;
        b[a] ^= (byte)x1;
        b[c] ^= (byte)x2;
        if (Arrays.equals(b, CERT_F1)) {
            return;
        }
        assertThat(VerdictCertificateTest.caught(b, F1)).isTrue();
    }

    @Property
    void anyOtherLengthIsRefused(@ForAll @IntRange(min = 0, max = 20_000) final int length) {
        if (length == CERT_F2.length) {
            return;
        }
        final byte[] b = Arrays.copyOf(CERT_F2, length);

        assertThat(VerdictCertificateTest.caught(b, F2)).isTrue();
    }

    @Property
    void theDecoderRefusesArbitraryBytesWithAReason(@ForAll @Size(max = 2000) final byte[] bytes) {
        assertDecoderIsTotal(bytes);
    }

    /** Arbitrary bytes after a valid header reach the verdict, signer and certificate decoders. */
    @Property
    void theDecoderRefusesDamagedCertificatesWithAReason(
        @ForAll @IntRange(min = 0, max = 2000) final int keep, @ForAll @Size(max = 1500) final byte[] tail) {
        final byte[] head = Arrays.copyOf(CERT_F1, Math.min(keep, CERT_F1.length));
        final byte[] b = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, b, head.length, tail.length);
        assertDecoderIsTotal(b);
    }

    /** A damaged certificate the decoder still accepts is the canonical encoding of what it decoded to. */
    @Property
    void everyAcceptedCertificateIsCanonical(
        @ForAll @IntRange(min = 0, max = 1_000_000) final int position, @ForAll final byte value) {
        final byte[] b = CERT_F1.clone();
        b[position % b.length] = value;
        final VerdictCertificate decoded;
        try {
            decoded = VerdictCertificate.decode(b);
        } catch (final VerdictFormatException e) {
            return;
        }
        final VerdictCertificate again = decoded.attestation() == Attestation.QUORUM
            ? VerdictCertificate.ofQuorum(decoded.verdict(), decoded.signatures())
            : VerdictCertificate.ofOperator(decoded.verdict(), decoded.signatures().get(0));
        assertThat(again.encoded()).isEqualTo(b);
    }

    private static void assertDecoderIsTotal(final byte[] bytes) {
        try {
            final VerdictCertificate c = VerdictCertificate.decode(bytes);
            assertThat(c.encoded()).isEqualTo(bytes);
        } catch (final VerdictFormatException e) {
            assertThat(e.getMessage()).startsWith(e.reason().label + ": ");
        }
    }
}
