package dev.vigil.crypto.verdict;

import dev.vigil.crypto.Certificate;
import dev.vigil.crypto.ClusterCa;
import dev.vigil.crypto.PrivateKey;
import dev.vigil.crypto.verdict.VerdictFormatException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import static dev.vigil.crypto.verdict.VerdictTest.assertReason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Verdict certificates: signed by 2f+1 of a committee of 3f+1, verified with the CA public key
 * alone, and refused whole when any part of them is wrong.
 */
class VerdictCertificateTest {
    private static final Committee F1 = Committee.of(1);
    private static final Committee F2 = Committee.of(2, 2);

    private static Committee committee(final int f) {
        return f == 1 ? F1 : F2;
    }

    // ---- a committee's quorum ----

    @ParameterizedTest(name = "f = {0}")
    @ValueSource(ints = {1, 2})
    void twoFPlusOneSignaturesVerify(final int f) {
        final Committee c = committee(f);
        final VerdictCertificate cert = c.certifyQuorum(c.convict());

        final VerificationResult r = cert.verify(c.ca.publicKey(), 1);

        assertThat(r.problem()).isNull();
        assertThat(r.isValid()).isTrue();
        assertThat(r.signers()).isEqualTo(2 * f + 1);
        assertThat(cert.attestation()).isEqualTo(Attestation.QUORUM);
    }

    @ParameterizedTest(name = "f = {0}")
    @ValueSource(ints = {1, 2})
    void theWholeCommitteeVerifies(final int f) {
        final Committee c = committee(f);

        final VerificationResult r = c.certify(c.convict(), 3 * f + 1).verify(c.ca.publicKey(), f);

        assertThat(r.problem()).isNull();
        assertThat(r.signers()).isEqualTo(3 * f + 1);
    }

    @ParameterizedTest(name = "f = {0}")
    @ValueSource(ints = {1, 2})
    void twoFSignaturesAreNotEnough(final int f) {
        final Committee c = committee(f);

        final VerificationResult r = c.certify(c.convict(), 2 * f).verify(c.ca.publicKey(), 1);

        assertThat(r.isValid()).isFalse();
        assertThat(r.problem()).isEqualTo("signed by " + 2 * f + " of a committee of " + (3 * f + 1) + ", f = " + f + " needs 2f+1 = " + (2 * f + 1));
    }

    @Test
    void moreSignersThanTheCommitteeHasAreRefused() {
        final Verdict v = F2.convictBuilder().f(1).build();
        final List<VerdictSignature> five = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            five.add(F2.signature(i, v));
        }

        assertReason(() -> VerdictCertificate.ofQuorum(v, five), Reason.OVERSIZE);
        assertThat(VerdictCertificate.ofQuorum(v, five.subList(0, 4)).verify(F2.ca.publicKey(), 1).isValid()).isTrue();
    }

    @Test
    void aVerdictClaimingASmallerFThanTheCallerRequiresFails() {
        final Committee c = Committee.of(0, 3);
        final VerdictCertificate cert = c.certify(c.convict(), 1);

        assertThat(cert.verify(c.ca.publicKey(), 0).isValid()).isTrue();
        assertThat(cert.verify(c.ca.publicKey(), 1).problem())
            .isEqualTo("the verdict claims f = 0, below the f >= 1 required (with f = 0 one node's signature is a quorum)");
        assertThat(F1.certifyQuorum(F1.convict()).verify(F1.ca.publicKey(), 2).problem()).contains("claims f = 1, below the f >= 2");
        assertThatThrownBy(() -> cert.verify(c.ca.publicKey(), -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cert.verify(c.ca.publicKey(), 22)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- distinct signers ----

    @Test
    void theSameSignerTwiceIsRefusedWhenAssembling() {
        final Verdict v = F1.convict();
        final List<VerdictSignature> s = List.of(F1.signature(0, v), F1.signature(1, v), F1.signature(1, v));

        assertReason(() -> VerdictCertificate.ofQuorum(v, s), Reason.DUPLICATE_SIGNER);
    }

    @ParameterizedTest(name = "f = {0}")
    @ValueSource(ints = {1, 2})
    void theSameSignerTwiceIsRefusedWhenDecoding(final int f) {
        final Committee c = committee(f);
        final VerdictCertificate cert = c.certifyQuorum(c.convict());
        final byte[] b = cert.encoded();
        final int first = entriesOffset(cert);
        // the second entry becomes a copy of the first: 2f+1 entries, 2f distinct signers
        System.arraycopy(b, first, b, first + VerdictCertificate.QUORUM_ENTRY_LENGTH, VerdictCertificate.QUORUM_ENTRY_LENGTH);

        assertReason(() -> VerdictCertificate.decode(b), Reason.DUPLICATE_SIGNER);
    }

    @Test
    void signersOutOfOrderAreRefused() {
        final VerdictCertificate cert = F1.certifyQuorum(F1.convict());
        final byte[] b = cert.encoded();
        final int first = entriesOffset(cert);
        final byte[] entry = Arrays.copyOfRange(b, first, first + VerdictCertificate.QUORUM_ENTRY_LENGTH);
        System.arraycopy(b, first + VerdictCertificate.QUORUM_ENTRY_LENGTH, b, first, VerdictCertificate.QUORUM_ENTRY_LENGTH);
        System.arraycopy(entry, 0, b, first + VerdictCertificate.QUORUM_ENTRY_LENGTH, VerdictCertificate.QUORUM_ENTRY_LENGTH);

        assertReason(() -> VerdictCertificate.decode(b), Reason.NOT_CANONICAL);
    }

    // ---- the CA and the signers' certificates ----

    @Test
    void aSignerCertifiedByAnotherCaFails() {
        final Committee other = Committee.of(1, 7);
        final Verdict v = F1.convict();
        final List<VerdictSignature> s = new ArrayList<>(List.of(F1.signature(0, v), F1.signature(1, v)));
        s.add(other.signature(0, v));

        final VerificationResult r = VerdictCertificate.ofQuorum(v, s).verify(F1.ca.publicKey(), 1);

        assertThat(r.problem()).isEqualTo("signer " + hex(other.keys.get(0).nodeId()) + ": certificate issued by CA "
            + hex(other.caKey.nodeId()) + ", not by CA " + hex(F1.caKey.nodeId()));
    }

    @Test
    void aWholeCommitteeOfAnotherCaFails() {
        final Committee other = Committee.of(1, 7);

        assertThat(other.certifyQuorum(other.convict()).verify(F1.ca.publicKey(), 1).problem()).contains("not by CA " + hex(F1.caKey.nodeId()));
    }

    @Test
    void aCertificateClaimingThisCaButSignedByAnotherFails() {
        final VerdictCertificate cert = F1.certifyQuorum(F1.convict());
        final byte[] b = cert.encoded();
        // the first signer's node certificate gets the CA key id of this CA but keeps its (other) signature
        final PrivateKey forger = Committee.key(99);
        final Certificate forged = new ClusterCa(forger).issue(F1.keys.get(0).publicKey(), Committee.NOT_BEFORE, Committee.VALIDITY);
        final byte[] forgedBytes = forged.encoded();
        java.nio.ByteBuffer.wrap(forgedBytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(64, F1.caKey.nodeId());
        final int at = entryOf(cert, F1.keys.get(0).nodeId()) + Long.BYTES + PrivateKey.SIGNATURE_LENGTH;
        System.arraycopy(forgedBytes, 0, b, at, Certificate.LENGTH);

        assertThat(VerdictCertificate.decode(b).verify(F1.ca.publicKey(), 1).problem())
            .isEqualTo("signer " + hex(F1.keys.get(0).nodeId()) + ": certificate's CA signature does not verify against CA " + hex(F1.caKey.nodeId()));
    }

    @Test
    void aSignerWhoseCertificateHadExpiredWhenTheVerdictWasIssuedFails() {
        final Instant expiresAt = Instant.ofEpochSecond(Committee.ISSUED_AT_MICROS / 1_000_000L);
        final Certificate expired = F1.ca.issue(F1.keys.get(1).publicKey(), Committee.NOT_BEFORE,
            Duration.between(Committee.NOT_BEFORE, expiresAt));

        final VerificationResult r = withCertificate(1, expired).verify(F1.ca.publicKey(), 1);

        assertThat(r.problem()).isEqualTo("signer " + hex(F1.keys.get(1).nodeId()) + ": certificate expired at " + expiresAt
            + ", before the verdict was issued at " + Instant.EPOCH.plusNanos(Committee.ISSUED_AT_MICROS * 1000));
    }

    @Test
    void aSignerWhoseCertificateWasNotYetValidWhenTheVerdictWasIssuedFails() {
        final Instant from = Instant.ofEpochSecond(Committee.ISSUED_AT_MICROS / 1_000_000L + 1);
        final Certificate early = F1.ca.issue(F1.keys.get(2).publicKey(), from, Committee.VALIDITY);

        final VerificationResult r = withCertificate(2, early).verify(F1.ca.publicKey(), 1);

        assertThat(r.problem()).startsWith("signer " + hex(F1.keys.get(2).nodeId()) + ": certificate not valid until " + from);
    }

    @Test
    void theLastSecondOfACertificateStillCoversAVerdictIssuedInIt() {
        // valid [notBefore, issue second + 1): the verdict's second is the certificate's last
        final long issuedSecond = Committee.ISSUED_AT_MICROS / 1_000_000L;
        final Certificate lastSecond = F1.ca.issue(F1.keys.get(1).publicKey(), Committee.NOT_BEFORE,
            Duration.ofSeconds(issuedSecond + 1 - Committee.NOT_BEFORE.getEpochSecond()));
        final Certificate firstSecond = F1.ca.issue(F1.keys.get(2).publicKey(), Instant.ofEpochSecond(issuedSecond), Committee.VALIDITY);
        final Verdict v = F1.convict();
        final VerdictCertificate cert = VerdictCertificate.ofQuorum(v, List.of(F1.signature(0, v),
            VerdictSignature.sign(v, F1.keys.get(1), lastSecond), VerdictSignature.sign(v, F1.keys.get(2), firstSecond)));

        assertThat(cert.verify(F1.ca.publicKey(), 1).problem()).isNull();
    }

    /** Expiry is judged at the verdict's issue time: a certificate that ran out since does not spoil the verdict. */
    @Test
    void certificatesThatExpiredAfterTheVerdictWasIssuedStillVerify() {
        final Committee c = Committee.of(1, 4);
        final Verdict v = c.convictBuilder().issuedAtMicros(Committee.NOT_BEFORE.getEpochSecond() * 1_000_000L).build();
        final VerdictCertificate cert = c.certifyQuorum(v);

        assertThat(c.certificates.get(0).validityAt(Instant.now().getEpochSecond()).name()).isEqualTo("EXPIRED");
        assertThat(cert.verify(c.ca.publicKey(), 1).isValid()).isTrue();
    }

    @Test
    void aSignerNotNamedInTheCertificateItPresentsFails() {
        final Verdict v = F1.convict();
        final VerdictSignature honest = F1.signature(1, v);
        // node 1's signature and certificate, filed under node 3's id
        final VerdictSignature misfiled = VerdictSignature.of(F1.keys.get(3).nodeId(), honest.signature(), honest.certificate());
        final VerdictCertificate cert = VerdictCertificate.ofQuorum(v, List.of(F1.signature(0, v), F1.signature(2, v), misfiled));

        assertThat(cert.verify(F1.ca.publicKey(), 1).problem())
            .isEqualTo("signer " + hex(F1.keys.get(3).nodeId()) + " presents the certificate of node " + hex(F1.keys.get(1).nodeId()));
    }

    @Test
    void aSignatureOverAnotherVerdictFails() {
        final Verdict v = F1.convict();
        final Verdict other = F1.convictBuilder().sequence(18).build();
        final VerdictCertificate cert = VerdictCertificate.ofQuorum(v, List.of(F1.signature(0, v), F1.signature(1, v), F1.signature(2, other)));

        assertThat(cert.verify(F1.ca.publicKey(), 1).problem())
            .isEqualTo("signer " + hex(F1.keys.get(2).nodeId()) + ": signature over the verdict does not verify");
    }

    @Test
    void oneBadSignerSpoilsTheCertificateEvenWithAQuorumBesides() {
        final Verdict v = F1.convict();
        final Verdict other = F1.convictBuilder().sequence(18).build();
        final List<VerdictSignature> s = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            s.add(F1.signature(i, v));
        }
        s.add(F1.signature(3, other));

        assertThat(VerdictCertificate.ofQuorum(v, s).verify(F1.ca.publicKey(), 1).problem()).contains("does not verify");
    }

    @Test
    void aSignatureWithoutTheVerdictDomainFails() {
        final Verdict v = F1.convict();
        final VerdictSignature bare = VerdictSignature.of(F1.keys.get(2).nodeId(), F1.keys.get(2).sign(v.encoded()), F1.certificates.get(2));
        final VerdictCertificate cert = VerdictCertificate.ofQuorum(v, List.of(F1.signature(0, v), F1.signature(1, v), bare));

        assertThat(cert.verify(F1.ca.publicKey(), 1).problem()).endsWith("signature over the verdict does not verify");
    }

    @Test
    void signingWithAKeyThatIsNotTheCertificatesIsRefused() {
        assertThatThrownBy(() -> VerdictSignature.sign(F1.convict(), F1.keys.get(0), F1.certificates.get(1)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not for the signing key");
    }

    // ---- the operator's release ----

    @Test
    void anOperatorReleaseSignedWithTheCaKeyVerifies() {
        final Verdict release = release(F1);
        final VerdictCertificate cert = VerdictCertificate.ofOperator(release, VerdictSignature.signAsOperator(release, F1.caKey));

        assertThat(cert.verify(F1.ca.publicKey(), 1).problem()).isNull();
        assertThat(cert.attestation()).isEqualTo(Attestation.OPERATOR);
        assertThat(cert.verdict().retractedId()).isEqualTo(F1.convict().id());
        assertThat(VerdictCertificate.decode(cert.encoded())).isEqualTo(cert);
    }

    @Test
    void aReleaseCanAlsoBeSignedByTheCommittee() {
        assertThat(F1.certifyQuorum(release(F1)).verify(F1.ca.publicKey(), 1).problem()).isNull();
    }

    @Test
    void anOperatorReleaseSignedByAnyOtherKeyFails() {
        final Verdict release = release(F1);
        final PrivateKey node = F1.keys.get(0);
        final VerdictCertificate byNode = VerdictCertificate.ofOperator(release, VerdictSignature.signAsOperator(release, node));
        final Committee other = Committee.of(1, 7);
        final VerdictCertificate byOtherCa = VerdictCertificate.ofOperator(release, VerdictSignature.signAsOperator(release, other.caKey));

        assertThat(byNode.verify(F1.ca.publicKey(), 1).problem())
            .isEqualTo("operator release signed by key " + hex(node.nodeId()) + ", not by the cluster CA " + hex(F1.caKey.nodeId()));
        assertThat(byOtherCa.verify(F1.ca.publicKey(), 1).problem()).contains("not by the cluster CA");
    }

    @Test
    void theCaKeySigningInTheCommitteeDomainIsNoOperatorRelease() {
        final Verdict release = release(F1);
        final byte[] wrongDomain = F1.caKey.sign(release.toBeSigned(Attestation.QUORUM.domain()));
        final VerdictCertificate cert = VerdictCertificate.ofOperator(release, VerdictSignature.of(F1.caKey.nodeId(), wrongDomain, null));

        assertThat(cert.verify(F1.ca.publicKey(), 1).problem()).isEqualTo("the operator's signature does not verify against CA " + hex(F1.caKey.nodeId()));
    }

    @Test
    void theOperatorCannotConvict() {
        final Verdict convict = F1.convict();
        final byte[] sig = F1.caKey.sign(convict.toBeSigned(Attestation.OPERATOR.domain()));
        final VerdictCertificate cert = VerdictCertificate.ofOperator(convict, VerdictSignature.of(F1.caKey.nodeId(), sig, null));

        assertThat(cert.verify(F1.ca.publicKey(), 1).problem()).isEqualTo("the operator may sign only a RELEASE, this is a CONVICT");
        assertThatThrownBy(() -> VerdictSignature.signAsOperator(convict, F1.caKey)).hasMessageContaining("releases only");
    }

    @Test
    void operatorAndCommitteeSignaturesDoNotMix() {
        final Verdict release = release(F1);
        final VerdictSignature operator = VerdictSignature.signAsOperator(release, F1.caKey);
        assertThatThrownBy(() -> VerdictCertificate.ofQuorum(release, List.of(operator))).hasMessageContaining("needs its node certificate");
        assertThatThrownBy(() -> VerdictCertificate.ofOperator(release, F1.signature(0, release))).hasMessageContaining("no node certificate");
    }

    // ---- encoding ----

    @Test
    void theEncodingFollowsTheDocumentedLayout() {
        final Verdict v = F1.convict();
        final VerdictCertificate cert = F1.certifyQuorum(v);
        final byte[] b = cert.encoded();
        final ByteBuffer bb = ByteBuffer.wrap(b);
        final int s = VerdictCertificate.VERDICT_OFFSET + v.encoded().length;

        assertThat(Arrays.copyOf(b, 4)).containsExactly(0x89, 'V', 'V', 'C');
        assertThat(b[VerdictCertificate.VERSION_OFFSET]).isEqualTo((byte)1);
        assertThat(b[VerdictCertificate.ATTESTATION_OFFSET]).isEqualTo((byte)1);
        assertThat(bb.getShort(VerdictCertificate.VERDICT_LENGTH_OFFSET)).isEqualTo((short)v.encoded().length);
        assertThat(Arrays.copyOfRange(b, VerdictCertificate.VERDICT_OFFSET, s)).isEqualTo(v.encoded());
        assertThat(b[s]).isEqualTo((byte)3);
        assertThat(b).hasSize(s + 1 + 3 * (8 + 64 + 136));
        long previous = 0;
        for (int i = 0; i < 3; i++) {
            final int e = s + 1 + i * 208;
            final long signer = bb.getLong(e);
            if (i > 0) {
                assertThat(Long.compareUnsigned(previous, signer)).isNegative();
            }
            previous = signer;
            final int member = memberIndex(F1, signer);
            assertThat(Arrays.copyOfRange(b, e + 72, e + 208)).isEqualTo(F1.certificates.get(member).encoded());
            assertThat(F1.keys.get(member).publicKey().verify(b, e + 8, concat("vigil-verdict-v1", v.encoded()), 0, 16 + v.encoded().length)).isTrue();
        }
    }

    @Test
    void signaturesInAnyOrderGiveTheSameBytes() {
        final Verdict v = F2.convict();
        final List<VerdictSignature> s = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            s.add(F2.signature(i, v));
        }
        final byte[] first = VerdictCertificate.ofQuorum(v, s).encoded();
        Collections.shuffle(s, new Random(42));

        assertThat(VerdictCertificate.ofQuorum(v, s).encoded()).isEqualTo(first);
    }

    @ParameterizedTest(name = "f = {0}")
    @ValueSource(ints = {1, 2})
    void encodeThenDecodeGivesTheSameCertificate(final int f) {
        final Committee c = committee(f);
        final VerdictCertificate cert = c.certifyQuorum(c.convict());
        final VerdictCertificate back = VerdictCertificate.decode(cert.encoded());

        assertThat(back).isEqualTo(cert).hasSameHashCodeAs(cert);
        assertThat(back.encoded()).isEqualTo(cert.encoded());
        assertThat(back.verdict()).isEqualTo(cert.verdict());
        assertThat(back.signatures()).isEqualTo(cert.signatures());
        assertThat(back.verify(c.ca.publicKey(), 1).isValid()).isTrue();
    }

    @Test
    void base64IsOneLineOfStandardBase64AndReadsBack() {
        final VerdictCertificate cert = F1.certifyQuorum(F1.convict());
        final String text = cert.toBase64();

        assertThat(text).matches("[A-Za-z0-9+/]+={0,2}");
        assertThat(VerdictCertificate.fromBase64(text)).isEqualTo(cert);
        final String wrapped = text.replaceAll("(.{64})", "$1\n") + "\n";
        assertThat(VerdictCertificate.fromBase64(wrapped)).isEqualTo(cert);
        assertThat(VerdictCertificate.decodeBinaryOrBase64(wrapped.getBytes(StandardCharsets.US_ASCII))).isEqualTo(cert);
        assertThat(VerdictCertificate.decodeBinaryOrBase64(cert.encoded())).isEqualTo(cert);
    }

    @Test
    void textThatIsNotBase64IsRefused() {
        assertReason(() -> VerdictCertificate.fromBase64("not*base64"), Reason.BAD_BASE64);
        assertReason(() -> VerdictCertificate.decodeBinaryOrBase64(new byte[] {'A', (byte)0xC3, (byte)0xA9}), Reason.BAD_BASE64);
        assertReason(() -> VerdictCertificate.fromBase64("A".repeat(VerdictCertificate.BASE64_LENGTH_MAX + 4)), Reason.OVERSIZE);
        assertReason(() -> VerdictCertificate.fromBase64("AAAA"), Reason.BAD_MAGIC);
        assertReason(() -> VerdictCertificate.decodeBinaryOrBase64(new byte[0]), Reason.TRUNCATED);
    }

    // ---- what the decoder refuses ----

    @Test
    void headerFieldsOutsideTheFormatAreRefused() {
        assertRefused(b -> b[0] = 0x42, Reason.BAD_MAGIC);
        assertRefused(b -> b[3] = 'D', Reason.BAD_MAGIC);
        assertRefused(b -> b[VerdictCertificate.VERSION_OFFSET] = 2, Reason.UNKNOWN_VERSION);
        assertRefused(b -> b[VerdictCertificate.ATTESTATION_OFFSET] = 0, Reason.UNKNOWN_ATTESTATION);
        assertRefused(b -> b[VerdictCertificate.ATTESTATION_OFFSET] = 3, Reason.UNKNOWN_ATTESTATION);
        assertRefused(b -> ByteBuffer.wrap(b).putShort(VerdictCertificate.VERDICT_LENGTH_OFFSET, (short)(Verdict.LENGTH_MIN - 1)), Reason.OUT_OF_RANGE);
        assertRefused(b -> ByteBuffer.wrap(b).putShort(VerdictCertificate.VERDICT_LENGTH_OFFSET, (short)(Verdict.LENGTH_MAX + 1)), Reason.OVERSIZE);
    }

    @Test
    void signerCountsOutsideTheFormatAreRefused() {
        final VerdictCertificate cert = F1.certifyQuorum(F1.convict());
        final int countAt = entriesOffset(cert) - 1;
        assertRefused(b -> b[countAt] = 0, Reason.OUT_OF_RANGE);
        assertRefused(b -> b[countAt] = 5, Reason.OVERSIZE);
        assertRefused(b -> b[countAt] = 4, Reason.TRUNCATED);
        assertRefused(b -> b[countAt] = 2, Reason.TRAILING_BYTES);
        // an operator certificate holds exactly one signature
        assertRefused(b -> b[VerdictCertificate.ATTESTATION_OFFSET] = 2, Reason.OVERSIZE);
    }

    @Test
    void aSignerCertificateThatDoesNotParseIsRefused() {
        final VerdictCertificate cert = F1.certifyQuorum(F1.convict());
        final int certAt = entriesOffset(cert) + Long.BYTES + PrivateKey.SIGNATURE_LENGTH;
        assertRefused(b -> b[certAt] = 9, Reason.BAD_NODE_CERTIFICATE);        // certificate version
        assertRefused(b -> b[certAt + 2] = 1, Reason.BAD_NODE_CERTIFICATE);    // reserved byte
        assertRefused(b -> b[certAt + 8] ^= 1, Reason.BAD_NODE_CERTIFICATE);   // node id not its key's
    }

    @Test
    void everyProperPrefixIsTruncated() {
        final byte[] full = F1.certifyQuorum(F1.convict()).encoded();
        for (int length = 0; length < full.length; length++) {
            final int n = length;
            assertReason(() -> VerdictCertificate.decode(Arrays.copyOf(full, n)), Reason.TRUNCATED);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 64, 16_000})
    void bytesAfterTheLastSignerAreRefused(final int extra) {
        final byte[] full = F1.certifyQuorum(F1.convict()).encoded();

        assertReason(() -> VerdictCertificate.decode(Arrays.copyOf(full, full.length + extra)),
            full.length + extra > VerdictCertificate.LENGTH_MAX ? Reason.OVERSIZE : Reason.TRAILING_BYTES);
    }

    @Test
    void theLargestCertificateFitsTheBoundAndOneWireFrame() {
        final Committee c = Committee.of(Verdict.F_MAX, 5);
        final long[] observers = new long[Verdict.OBSERVERS_MAX];
        for (int i = 0; i < observers.length; i++) {
            observers[i] = i;
        }
        final Verdict v = c.convictBuilder().observers(observers).build();
        final Verdict largest = Verdict.convict("x".repeat(Verdict.AGENT_BYTES_MAX)).f(Verdict.F_MAX)
            .versionVectorDigest(new byte[32]).issuedAtMicros(v.issuedAtMicros()).observers(observers).build();
        final VerdictCertificate cert = c.certify(largest, VerdictCertificate.SIGNERS_MAX);

        assertThat(cert.encoded()).hasSize(VerdictCertificate.LENGTH_MAX);
        assertThat(VerdictCertificate.LENGTH_MAX).isLessThanOrEqualTo(16 * 1024 - 40 - 64);
        assertThat(cert.verify(c.ca.publicKey(), 1).signers()).isEqualTo(64);
    }

    // ---- any change at all ----

    /**
     * Every byte position, three ways: the certificate is refused by the decoder or fails
     * verification. Nothing in it is unsigned, unchecked or ignored.
     */
    @ParameterizedTest(name = "f = {0}")
    @ValueSource(ints = {1, 2})
    void anySingleByteChangedAnywhereIsCaught(final int f) {
        final Committee c = committee(f);
        // f = 1: the whole committee of 4; f = 2: exactly a quorum of 5
        final VerdictCertificate cert = c.certify(c.convict(), f == 1 ? 4 : 5);
        assertThat(cert.verify(c.ca.publicKey(), 1).isValid()).isTrue();
        assertEveryByteChangeIsCaught(cert, c);
    }

    @Test
    void anySingleByteChangedInAnOperatorReleaseIsCaught() {
        final Verdict release = release(F1);
        assertEveryByteChangeIsCaught(VerdictCertificate.ofOperator(release, VerdictSignature.signAsOperator(release, F1.caKey)), F1);
    }

    private static void assertEveryByteChangeIsCaught(final VerdictCertificate cert, final Committee c) {
        final byte[] good = cert.encoded();
        for (int i = 0; i < good.length; i++) {
            for (final int flip : new int[] {0x01, 0x80, 0xFF}) {
                final byte[] b = good.clone();
                b[i] ^= (byte)flip;
                assertThat(caught(b, c)).as("byte %d xor 0x%02x accepted", i, flip).isTrue();
            }
        }
    }

    /** Whether the decoder refuses {@code b} or the certificate it decodes to fails verification (at fMin 0, the weakest). */
    static boolean caught(final byte[] b, final Committee c) {
        final VerdictCertificate decoded;
        try {
            decoded = VerdictCertificate.decode(b);
        } catch (final VerdictFormatException e) {
            return true;
        }
        return !decoded.verify(c.ca.publicKey(), 0).isValid();
    }

    // ---- helpers ----

    private static Verdict release(final Committee c) {
        return Verdict.release("agent-7/planner", c.convict().id()).f(c.f).shard(3).epoch(2).view(1).sequence(18)
            .issuedAtMicros(Committee.ISSUED_AT_MICROS + 60_000_000L).logOdds(-1.5).posterior(0.18242552380635635)
            .versionVectorDigest(Committee.digest(11)).build();
    }

    /** F1's certificate with member {@code member}'s node certificate replaced by {@code replacement}. */
    private static VerdictCertificate withCertificate(final int member, final Certificate replacement) {
        final Verdict v = F1.convict();
        final List<VerdictSignature> s = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            s.add(i == member ? VerdictSignature.sign(v, F1.keys.get(i), replacement) : F1.signature(i, v));
        }
        return VerdictCertificate.ofQuorum(v, s);
    }

    private static void assertRefused(final Consumer<byte[]> mutation, final Reason reason) {
        final byte[] b = F1.certifyQuorum(F1.convict()).encoded();
        mutation.accept(b);
        assertReason(() -> VerdictCertificate.decode(b), reason);
    }

    private static int entriesOffset(final VerdictCertificate cert) {
        return VerdictCertificate.VERDICT_OFFSET + cert.verdict().encoded().length + 1;
    }

    private static int entryOf(final VerdictCertificate cert, final long signer) {
        final List<VerdictSignature> s = cert.signatures();
        for (int i = 0; i < s.size(); i++) {
            if (s.get(i).signerId() == signer) {
                return entriesOffset(cert) + i * VerdictCertificate.QUORUM_ENTRY_LENGTH;
            }
        }
        throw new AssertionError("no signer " + hex(signer));
    }

    private static int memberIndex(final Committee c, final long nodeId) {
        for (int i = 0; i < c.keys.size(); i++) {
            if (c.keys.get(i).nodeId() == nodeId) {
                return i;
            }
        }
        throw new AssertionError("not a member: " + hex(nodeId));
    }

    private static byte[] concat(final String domain, final byte[] rest) {
        final byte[] d = domain.getBytes(StandardCharsets.US_ASCII);
        final byte[] out = Arrays.copyOf(d, d.length + rest.length);
        System.arraycopy(rest, 0, out, d.length, rest.length);
        return out;
    }

    private static String hex(final long nodeId) {
        return dev.vigil.crypto.NodeIds.toHex(nodeId);
    }
}
