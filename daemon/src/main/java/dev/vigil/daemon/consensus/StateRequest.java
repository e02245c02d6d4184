package dev.vigil.daemon.consensus;

/**
 * "Send me your stable checkpoint certificate if it is above {@code aboveSeq} (my low watermark),
 * and the snapshot too if I have not executed that far ({@code executedSeq})." Sent by a lagging,
 * restarted or joining replica to one member at a time. Layout: envelope, aboveSeq u64,
 * executedSeq u64, signature (64). A joining replica of the next epoch addresses the previous
 * committee: the envelope then carries the previous epoch and the sender is a member of the next.
 */
public record StateRequest(int shard, long epoch, long sender, long aboveSeq, long executedSeq, byte[] signature)
    implements Message {
    static final int LENGTH = Envelope.LENGTH + 8 + 8 + Signer.SIGNATURE_LENGTH;

    static StateRequest signed(final int shard, final long epoch, final Signer signer, final long aboveSeq, final long executedSeq) {
        final StateRequest unsigned = new StateRequest(shard, epoch, signer.id(), aboveSeq, executedSeq, new byte[Signer.SIGNATURE_LENGTH]);
        return new StateRequest(shard, epoch, signer.id(), aboveSeq, executedSeq, signer.sign(unsigned.signedBytes()));
    }

    @Override
    public MessageKind kind() {
        return MessageKind.STATE_REQUEST;
    }

    byte[] signedBytes() {
        final CanonicalWriter w = new CanonicalWriter(LENGTH);
        Envelope.write(w, MessageKind.STATE_REQUEST, shard, epoch, sender);
        w.u64(aboveSeq).u64(executedSeq);
        return w.toBytes();
    }

    @Override
    public byte[] encode() {
        return new CanonicalWriter(LENGTH).raw(signedBytes()).fixed(signature, Signer.SIGNATURE_LENGTH).toBytes();
    }

    static StateRequest read(final CanonicalReader r) throws DecodeException {
        final Envelope e = Envelope.read(r, MessageKind.STATE_REQUEST);
        return new StateRequest(e.shard(), e.epoch(), e.sender(), r.u63(), r.u63(), r.fixed(Signer.SIGNATURE_LENGTH));
    }
}
