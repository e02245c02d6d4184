package dev.vigil.daemon.core;

import dev.vigil.crypto.Certificate;
import dev.vigil.crypto.CertificateStatus;
import dev.vigil.crypto.PublicKey;
import dev.vigil.wire.FrameDecoder;
import dev.vigil.wire.FrameHeader;
import dev.vigil.wire.FrameStatus;
import dev.vigil.wire.Introduction;
import dev.vigil.wire.JoinAcceptBody;
import dev.vigil.wire.JoinBody;
import dev.vigil.wire.MessageType;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Every inbound frame passes here before the core acts on it: structure, schema, clock skew,
 * certificate, replay window, signature, in that order (cheapest first, and nothing is
 * remembered about a frame until its signature has verified). Each frame ends in exactly one
 * counter: accepted per type, or refused per reason.
 */
final class FrameGate {
    private final PublicKey caKey;
    private final long selfId;
    private final int schemaHash;
    private final long clockSkewMicrosMax;
    private final TrustStore trust;
    private final FrameCounters counters;
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);

    // Outputs of the last admit(); valid until the next call.
    TrustStore.Trusted sender;
    CertificateStatus certificateProblem;
    Certificate presentedCertificate;
    /** Where the message body starts and how long it is, past any introduction. */
    int bodyOffset;
    int bodyLength;

    FrameGate(
        final PublicKey caKey, final long selfId, final int schemaHash, final long clockSkewMicrosMax,
        final TrustStore trust, final FrameCounters counters) {
        this.caKey = caKey;
        this.selfId = selfId;
        this.schemaHash = schemaHash;
        this.clockSkewMicrosMax = clockSkewMicrosMax;
        this.trust = trust;
        this.counters = counters;
    }

    /** The buffer view of the last admitted frame, for the core to read the body from. */
    UnsafeBuffer view() {
        return view;
    }

    FrameStatus admit(final byte[] bytes, final int offset, final int length, final long nowMicros) {
        final FrameStatus status = check(bytes, offset, length, nowMicros);
        if (status.ok()) {
            counters.received(FrameHeader.type(view, offset), length);
        } else {
            counters.reject(status);
        }
        return status;
    }

    private FrameStatus check(final byte[] bytes, final int offset, final int length, final long nowMicros) {
        sender = null;
        certificateProblem = null;
        presentedCertificate = null;
        if (offset < 0 || length < 0 || offset > bytes.length - length) {
            return FrameStatus.TRUNCATED;
        }
        view.wrap(bytes);
        final FrameStatus structure = FrameDecoder.check(view, offset, length);
        if (!structure.ok()) {
            return structure;
        }
        if (FrameHeader.schemaHash(view, offset) != schemaHash) {
            return FrameStatus.SCHEMA_MISMATCH;
        }
        final long stampMicros = Hlc.physicalMicros(FrameHeader.hlc(view, offset));
        if (Math.abs(stampMicros - nowMicros) > clockSkewMicrosMax) {
            return FrameStatus.CLOCK_SKEW;
        }
        final long senderId = FrameHeader.sender(view, offset);
        if (senderId == selfId) {
            // Our own frame reflected back to us, or someone claiming to be us.
            return FrameStatus.UNKNOWN_SENDER;
        }
        final MessageType type = MessageType.of(FrameHeader.type(view, offset));
        final int bodyOffset = FrameHeader.bodyOffset(offset);
        this.bodyOffset = bodyOffset;
        this.bodyLength = FrameHeader.bodyLength(length);
        final boolean introduced = (FrameHeader.flags(view, offset) & FrameHeader.FLAG_INTRODUCTION) != 0;
        TrustStore.Trusted known = trust.get(senderId);
        PublicKey key;
        String address = null;
        if (type == MessageType.JOIN || type == MessageType.JOIN_ACCEPT || introduced) {
            final int certOffset;
            final int certLength;
            if (introduced) {
                // FrameDecoder checked the introduction's structure
                final int introductionLength = Introduction.length(view, bodyOffset, this.bodyLength);
                certOffset = Introduction.certificateOffset(bodyOffset);
                certLength = Introduction.certificateLength(view, bodyOffset);
                address = Introduction.address(view, bodyOffset);
                this.bodyOffset += introductionLength;
                this.bodyLength -= introductionLength;
            } else if (type == MessageType.JOIN) {
                certOffset = JoinBody.certificateOffset(bodyOffset);
                certLength = JoinBody.certificateLength(view, bodyOffset);
                address = JoinBody.address(view, bodyOffset);
            } else {
                certOffset = JoinAcceptBody.certificateOffset(bodyOffset);
                certLength = JoinAcceptBody.certificateLength(view, bodyOffset);
                address = JoinAcceptBody.address(view, bodyOffset);
            }
            if (known != null && known.certificate.sameEncoding(bytes, certOffset, certLength)) {
                key = known.certificate.publicKey();
                final FrameStatus validity = validity(known.certificate, nowMicros);
                if (!validity.ok()) {
                    return validity;
                }
            } else {
                final Certificate presented = Certificate.tryParse(bytes, certOffset, certLength);
                if (presented == null || presented.nodeId() != senderId) {
                    certificateProblem = CertificateStatus.MALFORMED;
                    return FrameStatus.BAD_CERTIFICATE;
                }
                presentedCertificate = presented;
                final CertificateStatus cs = presented.verify(caKey, nowMicros / 1_000_000L);
                if (cs != CertificateStatus.VALID) {
                    certificateProblem = cs;
                    return cs == CertificateStatus.EXPIRED || cs == CertificateStatus.NOT_YET_VALID
                        ? FrameStatus.CERTIFICATE_EXPIRED : FrameStatus.BAD_CERTIFICATE;
                }
                key = presented.publicKey();
                if (known != null && !known.certificate.publicKey().equals(key)) {
                    // Cannot happen for an honest CA (the id is a hash of the key); refuse rather than re-key.
                    certificateProblem = CertificateStatus.BAD_SIGNATURE;
                    return FrameStatus.BAD_CERTIFICATE;
                }
            }
        } else {
            if (known == null) {
                return FrameStatus.UNKNOWN_SENDER;
            }
            final FrameStatus validity = validity(known.certificate, nowMicros);
            if (!validity.ok()) {
                return validity;
            }
            key = known.certificate.publicKey();
        }
        final long sequence = FrameHeader.sequence(view, offset);
        if (known != null && !known.window.isFresh(sequence)) {
            return FrameStatus.REPLAYED;
        }
        if (!key.verify(bytes, FrameHeader.signatureOffset(offset, length), bytes, offset, FrameHeader.signedLength(length))) {
            return FrameStatus.BAD_SIGNATURE;
        }
        // Verified: only now does the frame change what we remember.
        if (presentedCertificate != null) {
            known = trust.put(presentedCertificate, address);
        } else if (address != null) {
            known.address = address;
        }
        known.window.mark(sequence);
        sender = known;
        return FrameStatus.OK;
    }

    private FrameStatus validity(final Certificate certificate, final long nowMicros) {
        final CertificateStatus cs = certificate.validityAt(nowMicros / 1_000_000L);
        if (cs != CertificateStatus.VALID) {
            certificateProblem = cs;
            presentedCertificate = certificate;
            return FrameStatus.CERTIFICATE_EXPIRED;
        }
        return FrameStatus.OK;
    }
}
