package dev.vigil.daemon.core;

import dev.vigil.crypto.Certificate;
import dev.vigil.crypto.CertificateStatus;
import dev.vigil.crypto.ClusterCa;
import dev.vigil.crypto.PrivateKey;
import dev.vigil.wire.FrameHeader;
import dev.vigil.wire.FrameStatus;
import dev.vigil.wire.Introduction;
import dev.vigil.wire.MessageType;
import dev.vigil.wire.TreeProbeBody;
import dev.vigil.wire.TreeWire;
import dev.vigil.wire.WireWriter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Each of the gate's checks on its own, what the gate remembers, and where it says the body is. */
class FrameGateTest {
    private static final long NOW = CoreNet.T0_MICROS;
    private static final Instant DAY_BEFORE = Instant.ofEpochSecond(NOW / 1_000_000).minus(Duration.ofDays(1));
    private static final int SCHEMA = 0x5EED;

    private final CoreNet keys = new CoreNet(5);
    private final PrivateKey self = keys.key();
    private final FrameCounters counters = new FrameCounters();
    private final TrustStore trust = new TrustStore(16, id -> false);
    private final FrameGate gate = new FrameGate(keys.ca().publicKey(), self.nodeId(), SCHEMA, 30_000_000, trust, counters);

    private Frames.Sender sender(final String address) {
        final PrivateKey key = keys.key();
        return sender(key, keys.certify(key), address);
    }

    private static Frames.Sender sender(final PrivateKey key, final Certificate certificate, final String address) {
        final Frames.Sender s = new Frames.Sender(key, certificate, address, 100);
        s.schemaHash = SCHEMA;
        return s;
    }

    private FrameStatus admit(final byte[] frame) {
        return gate.admit(frame, 0, frame.length, NOW);
    }

    @Test
    void aJoinIsAdmittedAndOnlyThenIsItsSenderRemembered() {
        final Frames.Sender a = sender("10.0.0.1:7400");
        final byte[] join = a.join(NOW);
        assertThat(admit(join)).isEqualTo(FrameStatus.OK);
        assertThat(gate.sender.certificate.nodeId()).isEqualTo(a.key.nodeId());
        assertThat(gate.sender.address).isEqualTo("10.0.0.1:7400");
        assertThat(gate.presentedCertificate).isNotNull();
        assertThat(gate.bodyOffset).isEqualTo(FrameHeader.HEADER_LENGTH);
        assertThat(gate.bodyLength).isEqualTo(FrameHeader.bodyLength(join.length));
        assertThat(trust.get(a.key.nodeId())).isSameAs(gate.sender);
        assertThat(counters.snapshot().received().get("join").frames()).isEqualTo(1);
        assertThat(counters.snapshot().received().get("join").bytes()).isEqualTo(join.length);

        assertThat(admit(join)).as("the same frame again").isEqualTo(FrameStatus.REPLAYED);
        assertThat(gate.sender).isNull();
        final byte[] ping = a.ping(NOW, 1);
        assertThat(admit(ping)).isEqualTo(FrameStatus.OK);
        assertThat(gate.presentedCertificate).as("a known sender presents nothing").isNull();
        assertThat(gate.sender.address).isEqualTo("10.0.0.1:7400");
        assertThat(counters.rejected(FrameStatus.REPLAYED)).isEqualTo(1);
        assertThat(counters.receivedTotal()).isEqualTo(2);
        assertThat(counters.rejectedTotal()).isEqualTo(1);
    }

    @Test
    void aKnownSenderThatJoinsAgainFromAnotherAddressIsFollowed() {
        final Frames.Sender a = sender("10.0.0.1:7400");
        assertThat(admit(a.join(NOW))).isEqualTo(FrameStatus.OK);
        final Frames.Sender moved = sender(a.key, a.certificate, "10.0.0.9:7400");
        moved.sequence = a.sequence;
        assertThat(admit(moved.join(NOW))).isEqualTo(FrameStatus.OK);
        assertThat(gate.presentedCertificate).as("the certificate was already checked").isNull();
        assertThat(trust.get(a.key.nodeId()).address).isEqualTo("10.0.0.9:7400");
        assertThat(trust.size()).isEqualTo(1);
    }

    @Test
    void aProbeFromAStrangerOrFromOurselvesNamesAnUnknownSender() {
        assertThat(admit(sender("10.0.0.2:7400").ping(NOW, 1))).isEqualTo(FrameStatus.UNKNOWN_SENDER);
        final Frames.Sender me = sender(self, keys.certify(self), "10.0.0.3:7400");
        assertThat(admit(me.join(NOW))).as("our own id").isEqualTo(FrameStatus.UNKNOWN_SENDER);
        assertThat(trust.size()).isZero();
        assertThat(counters.rejected(FrameStatus.UNKNOWN_SENDER)).isEqualTo(2);
    }

    @Test
    void framesFromAnotherSchemaAreRefused() {
        final Frames.Sender a = sender("10.0.0.1:7400");
        a.schemaHash = SCHEMA + 1;
        assertThat(admit(a.join(NOW))).isEqualTo(FrameStatus.SCHEMA_MISMATCH);
    }

    @Test
    void clockSkewIsAllowedUpToTheBoundEitherWay() {
        final Frames.Sender a = sender("10.0.0.1:7400");
        assertThat(admit(a.join(NOW + 30_000_000))).isEqualTo(FrameStatus.OK);
        assertThat(admit(a.ping(NOW - 30_000_000, 1))).isEqualTo(FrameStatus.OK);
        assertThat(admit(a.ping(NOW + 30_001_000, 2))).isEqualTo(FrameStatus.CLOCK_SKEW);
        assertThat(admit(a.ping(NOW - 30_001_000, 3))).isEqualTo(FrameStatus.CLOCK_SKEW);
    }

    @Test
    void aForgedSignatureIsRefusedAndRemembersNothing() {
        final Frames.Sender a = sender("10.0.0.1:7400");
        final byte[] join = a.join(NOW);
        final byte[] forged = join.clone();
        forged[forged.length - 1] ^= 1;
        assertThat(admit(forged)).isEqualTo(FrameStatus.BAD_SIGNATURE);
        assertThat(trust.size()).isZero();
        assertThat(admit(join)).as("its sequence was not used up").isEqualTo(FrameStatus.OK);
        final byte[] ping = a.ping(NOW, 1);
        ping[FrameHeader.HEADER_LENGTH] ^= 1;
        assertThat(admit(ping)).isEqualTo(FrameStatus.BAD_SIGNATURE);
    }

    @Test
    void certificatesFromAnotherCaOfAnotherNodeOrOutsideTheirValidityAreRefusedWithTheReason() {
        final PrivateKey k = keys.key();
        final ClusterCa foreign = new ClusterCa(keys.key());
        assertThat(admit(sender(k, foreign.issue(k.publicKey(), DAY_BEFORE, Duration.ofDays(30)), "x:1").join(NOW)))
            .isEqualTo(FrameStatus.BAD_CERTIFICATE);
        assertThat(gate.certificateProblem).isEqualTo(CertificateStatus.WRONG_CA);

        final PrivateKey other = keys.key();
        assertThat(admit(sender(k, keys.certify(other), "x:1").join(NOW))).isEqualTo(FrameStatus.BAD_CERTIFICATE);
        assertThat(gate.certificateProblem).as("another node's certificate").isEqualTo(CertificateStatus.MALFORMED);

        final Certificate expired = keys.ca().issue(k.publicKey(), DAY_BEFORE.minus(Duration.ofDays(10)), Duration.ofDays(1));
        assertThat(admit(sender(k, expired, "x:1").join(NOW))).isEqualTo(FrameStatus.CERTIFICATE_EXPIRED);
        assertThat(gate.certificateProblem).isEqualTo(CertificateStatus.EXPIRED);

        final Certificate early = keys.ca().issue(k.publicKey(), DAY_BEFORE.plus(Duration.ofDays(2)), Duration.ofDays(1));
        assertThat(admit(sender(k, early, "x:1").join(NOW))).isEqualTo(FrameStatus.CERTIFICATE_EXPIRED);
        assertThat(gate.certificateProblem).isEqualTo(CertificateStatus.NOT_YET_VALID);
        assertThat(trust.size()).isZero();
        assertThat(counters.rejected(FrameStatus.BAD_CERTIFICATE)).isEqualTo(2);
        assertThat(counters.rejected(FrameStatus.CERTIFICATE_EXPIRED)).isEqualTo(2);
    }

    @Test
    void aKnownSenderWhoseCertificateHasSinceExpiredIsRefused() {
        final PrivateKey k = keys.key();
        final Instant from = Instant.ofEpochSecond(NOW / 1_000_000).minusSeconds(10);
        final Frames.Sender a = sender(k, keys.ca().issue(k.publicKey(), from, Duration.ofSeconds(20)), "10.0.0.1:7400");
        assertThat(admit(a.join(NOW))).isEqualTo(FrameStatus.OK);
        final long later = NOW + 10_000_000;
        final byte[] ping = a.ping(later, 1);
        assertThat(gate.admit(ping, 0, ping.length, later)).isEqualTo(FrameStatus.CERTIFICATE_EXPIRED);
        assertThat(gate.certificateProblem).isEqualTo(CertificateStatus.EXPIRED);
        assertThat(gate.presentedCertificate).isSameAs(trust.get(k.nodeId()).certificate);
        final byte[] join = a.join(later);
        assertThat(gate.admit(join, 0, join.length, later)).as("presenting it again").isEqualTo(FrameStatus.CERTIFICATE_EXPIRED);
        final byte[] early = a.ping(NOW - 1_000_000, 2);
        assertThat(gate.admit(early, 0, early.length, NOW - 1_000_000)).isEqualTo(FrameStatus.OK);
    }

    @Test
    void aFrameMustLieInsideTheBytesGiven() {
        final byte[] join = sender("10.0.0.1:7400").join(NOW);
        final byte[] padded = new byte[join.length + 7];
        System.arraycopy(join, 0, padded, 7, join.length);
        assertThat(gate.admit(padded, 7, join.length, NOW)).as("ending at the last byte").isEqualTo(FrameStatus.OK);
        assertThat(gate.admit(padded, 8, join.length, NOW)).isEqualTo(FrameStatus.TRUNCATED);
        assertThat(gate.admit(padded, -1, join.length, NOW)).isEqualTo(FrameStatus.TRUNCATED);
        assertThat(gate.admit(padded, 0, -1, NOW)).isEqualTo(FrameStatus.TRUNCATED);
        assertThat(gate.admit(padded, 0, 3, NOW)).isEqualTo(FrameStatus.TRUNCATED);
    }

    @Test
    void anIntroducedFrameFromAStrangerIsAdmittedAndItsBodyStartsPastTheIntroduction() {
        final Frames.Sender a = sender("10.0.0.4:7400");
        final int[] introductionLength = new int[1];
        final byte[] ping = a.frame(MessageType.TREE_PING, NOW, (b, o) -> {
            introductionLength[0] = Introduction.encode(b, o, a.certificate.encoded(), a.address);
            final WireWriter w = new WireWriter().wrap(b, o + introductionLength[0]);
            TreeProbeBody.write(w, TreeWire.LEVEL_ANY, 5, 0, 0);
            return introductionLength[0] + w.length();
        });
        // set the flag, then sign again
        ping[FrameHeader.FLAGS_OFFSET] = (byte)FrameHeader.FLAG_INTRODUCTION;
        a.key.sign(ping, 0, FrameHeader.signedLength(ping.length), ping, FrameHeader.signatureOffset(0, ping.length));
        assertThat(admit(ping)).isEqualTo(FrameStatus.OK);
        assertThat(gate.bodyOffset).isEqualTo(FrameHeader.HEADER_LENGTH + introductionLength[0]);
        assertThat(gate.bodyLength).isEqualTo(TreeProbeBody.LENGTH);
        assertThat(gate.sender.address).isEqualTo("10.0.0.4:7400");
        assertThat(trust.get(a.key.nodeId())).isNotNull();
    }

    @Test
    void aJoinAcceptCarriesItsSendersCertificateAndAddress() {
        final Frames.Sender a = sender("10.0.0.5:7400");
        assertThat(admit(a.joinAccept(NOW, 2))).isEqualTo(FrameStatus.OK);
        assertThat(gate.sender.address).isEqualTo("10.0.0.5:7400");
        assertThat(gate.presentedCertificate.nodeId()).isEqualTo(a.key.nodeId());
    }
}
