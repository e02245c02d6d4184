package dev.vigil.daemon.consensus;

import java.util.Arrays;

/**
 * Proof that a primary equivocated: two pre-prepare headers it signed for one (view, seq) that
 * name different batches. Self-certifying (anyone can check both signatures), so one honest
 * replica that sees both can move every honest replica to the next view at once, without waiting
 * for their timers. Layout: envelope, first header, second header, signature (64).
 */
public record Accusation(int shard, long epoch, long sender, Vote first, Vote second, byte[] signature) implements Message {
    static final int LENGTH = Envelope.LENGTH + 2 * Vote.LENGTH + Signer.SIGNATURE_LENGTH;

    static Accusation signed(final Committee committee, final Signer signer, final Vote first, final Vote second) {
        final Accusation unsigned = new Accusation(committee.shard(), committee.epoch(), signer.id(), first, second,
            new byte[Signer.SIGNATURE_LENGTH]);
        return new Accusation(unsigned.shard, unsigned.epoch, unsigned.sender, first, second, signer.sign(unsigned.signedBytes()));
    }

    @Override
    public MessageKind kind() {
        return MessageKind.ACCUSATION;
    }

    byte[] signedBytes() {
        final CanonicalWriter w = new CanonicalWriter(LENGTH);
        Envelope.write(w, MessageKind.ACCUSATION, shard, epoch, sender);
        first.writeTo(w);
        second.writeTo(w);
        return w.toBytes();
    }

    @Override
    public byte[] encode() {
        return new CanonicalWriter(LENGTH).raw(signedBytes()).fixed(signature, Signer.SIGNATURE_LENGTH).toBytes();
    }

    static Accusation read(final CanonicalReader r) throws DecodeException {
        final Envelope e = Envelope.read(r, MessageKind.ACCUSATION);
        final Vote a = Vote.read(r, MessageKind.PRE_PREPARE);
        final Vote b = Vote.read(r, MessageKind.PRE_PREPARE);
        if (a.sender() != b.sender() || a.view() != b.view() || a.seq() != b.seq() || Arrays.equals(a.digest(), b.digest())) {
            throw new DecodeException(Refusal.MALFORMED, "not two different pre-prepares of one primary for one (view, seq)");
        }
        return new Accusation(e.shard(), e.epoch(), e.sender(), a, b, r.fixed(Signer.SIGNATURE_LENGTH));
    }
}
