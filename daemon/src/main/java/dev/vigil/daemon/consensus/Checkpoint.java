package dev.vigil.daemon.consensus;

import java.util.Arrays;

/**
 * "I executed through {@code seq} and my state digest is {@code stateDigest}." Sent every K
 * sequence numbers; 2f + 1 matching ones make a {@link StableCertificate}. Independent of views.
 * Layout: envelope (20), seq u64, state digest (32), signature (64).
 */
public record Checkpoint(int shard, long epoch, long sender, long seq, byte[] stateDigest, byte[] signature) implements Message {
    static final int LENGTH = Envelope.LENGTH + 8 + Digests.LENGTH + Signer.SIGNATURE_LENGTH;

    /** A checkpoint message of this member, signed (public for simnet's forging members). */
    public static Checkpoint signed(final Committee committee, final Signer signer, final long seq, final byte[] stateDigest) {
        final Checkpoint unsigned = new Checkpoint(committee.shard(), committee.epoch(), signer.id(), seq, stateDigest,
            new byte[Signer.SIGNATURE_LENGTH]);
        return new Checkpoint(unsigned.shard, unsigned.epoch, unsigned.sender, seq, stateDigest, signer.sign(unsigned.signedBytes()));
    }

    @Override
    public MessageKind kind() {
        return MessageKind.CHECKPOINT;
    }

    byte[] signedBytes() {
        final CanonicalWriter w = new CanonicalWriter(LENGTH);
        Envelope.write(w, MessageKind.CHECKPOINT, shard, epoch, sender);
        w.u64(seq).fixed(stateDigest, Digests.LENGTH);
        return w.toBytes();
    }

    void writeTo(final CanonicalWriter w) {
        w.raw(signedBytes()).fixed(signature, Signer.SIGNATURE_LENGTH);
    }

    @Override
    public byte[] encode() {
        final CanonicalWriter w = new CanonicalWriter(LENGTH);
        writeTo(w);
        return w.toBytes();
    }

    static Checkpoint read(final CanonicalReader r) throws DecodeException {
        final Envelope e = Envelope.read(r, MessageKind.CHECKPOINT);
        return new Checkpoint(e.shard(), e.epoch(), e.sender(), r.u63(), r.fixed(Digests.LENGTH), r.fixed(Signer.SIGNATURE_LENGTH));
    }

    boolean matches(final long n, final byte[] d) {
        return seq == n && Arrays.equals(stateDigest, d);
    }

    boolean sameAs(final Checkpoint o) {
        return o != null && sender == o.sender && shard == o.shard && epoch == o.epoch && matches(o.seq, o.stateDigest)
            && Arrays.equals(signature, o.signature);
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof Checkpoint c && sameAs(c);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(seq) ^ Long.hashCode(sender);
    }

    @Override
    public String toString() {
        return "checkpoint[n" + seq + " " + Digests.shortHex(stateDigest) + " from " + Long.toHexString(sender) + "]";
    }
}
