package dev.vigil.daemon.consensus;

/**
 * A stable checkpoint certificate and the snapshot it certifies, or no snapshot (empty) when the
 * requester said it executed that far and only lacks the certificate. The snapshot is an
 * attachment (outside the signature, bounded by {@link Limits#snapshotBytesMax()}); the receiver
 * checks its digest against the certificate, which 2f + 1 members signed, so the replier need not be trusted.
 * Layout: envelope, stable certificate, signature (64), snapshot (u32 length + bytes).
 */
public record StateReply(int shard, long epoch, long sender, StableCertificate certificate, byte[] signature, byte[] snapshot)
    implements Message {

    static StateReply signed(final Committee committee, final Signer signer, final StableCertificate certificate,
                             final byte[] snapshot) {
        final StateReply unsigned = new StateReply(committee.shard(), committee.epoch(), signer.id(), certificate,
            new byte[Signer.SIGNATURE_LENGTH], snapshot);
        return new StateReply(unsigned.shard, unsigned.epoch, unsigned.sender, certificate, signer.sign(unsigned.signedBytes()),
            snapshot);
    }

    @Override
    public MessageKind kind() {
        return MessageKind.STATE_REPLY;
    }

    byte[] signedBytes() {
        final CanonicalWriter w = new CanonicalWriter(Envelope.LENGTH + certificate.encodedLength());
        Envelope.write(w, MessageKind.STATE_REPLY, shard, epoch, sender);
        certificate.writeTo(w);
        return w.toBytes();
    }

    @Override
    public byte[] encode() {
        final byte[] signed = signedBytes();
        return new CanonicalWriter(signed.length + Signer.SIGNATURE_LENGTH + 4 + snapshot.length)
            .raw(signed).fixed(signature, Signer.SIGNATURE_LENGTH).blob(snapshot).toBytes();
    }

    static StateReply read(final CanonicalReader r, final Limits limits) throws DecodeException {
        final Envelope e = Envelope.read(r, MessageKind.STATE_REPLY);
        final StableCertificate c = StableCertificate.read(r, limits);
        return new StateReply(e.shard(), e.epoch(), e.sender(), c, r.fixed(Signer.SIGNATURE_LENGTH), r.blob(limits.snapshotBytesMax()));
    }
}
