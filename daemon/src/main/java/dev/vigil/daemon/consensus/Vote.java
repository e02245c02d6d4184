package dev.vigil.daemon.consensus;

import java.util.Arrays;

/**
 * PBFT's three ordering messages share one shape, (view, seq, batch digest) signed by the sender:
 * a {@link MessageKind#PRE_PREPARE} header (the primary's proposal; travels with its batch as a
 * {@link Proposal}, and alone inside certificates), a {@link MessageKind#PREPARE} and a
 * {@link MessageKind#COMMIT}. Layout: envelope (20), view u64, seq u64, digest (32), signature (64).
 */
public record Vote(MessageKind kind, int shard, long epoch, long sender, long view, long seq, byte[] digest, byte[] signature)
    implements Message {

    static final int LENGTH = Envelope.LENGTH + 8 + 8 + Digests.LENGTH + Signer.SIGNATURE_LENGTH;

    /** A vote of this member signed with its key (public for simnet, whose faulty members craft votes). */
    public static Vote signed(final MessageKind kind, final Committee committee, final Signer signer, final long view,
                       final long seq, final byte[] digest) {
        final Vote unsigned = new Vote(kind, committee.shard(), committee.epoch(), signer.id(), view, seq, digest,
            new byte[Signer.SIGNATURE_LENGTH]);
        return unsigned.withSignature(signer.sign(unsigned.signedBytes()));
    }

    /** The same vote under another signature (public for simnet's forging members). */
    public Vote withSignature(final byte[] s) {
        return new Vote(kind, shard, epoch, sender, view, seq, digest, s);
    }

    /** The bytes the signature covers (public for simnet's forging members). */
    public byte[] signedBytes() {
        final CanonicalWriter w = new CanonicalWriter(LENGTH);
        writeSigned(w);
        return w.toBytes();
    }

    private void writeSigned(final CanonicalWriter w) {
        Envelope.write(w, kind, shard, epoch, sender);
        w.u64(view).u64(seq).fixed(digest, Digests.LENGTH);
    }

    void writeTo(final CanonicalWriter w) {
        writeSigned(w);
        w.fixed(signature, Signer.SIGNATURE_LENGTH);
    }

    @Override
    public byte[] encode() {
        final CanonicalWriter w = new CanonicalWriter(LENGTH);
        writeTo(w);
        return w.toBytes();
    }

    static Vote read(final CanonicalReader r, final MessageKind kind) throws DecodeException {
        final Envelope e = Envelope.read(r, kind);
        return new Vote(kind, e.shard(), e.epoch(), e.sender(), r.u63(), r.u63(), r.fixed(Digests.LENGTH),
            r.fixed(Signer.SIGNATURE_LENGTH));
    }

    /** Same view, sequence and digest (the sender may differ). */
    boolean matches(final long v, final long n, final byte[] d) {
        return view == v && seq == n && Arrays.equals(digest, d);
    }

    boolean matches(final Vote o) {
        return matches(o.view, o.seq, o.digest);
    }

    /** Byte-for-byte the same vote. */
    boolean sameAs(final Vote o) {
        return o != null && kind == o.kind && sender == o.sender && shard == o.shard && epoch == o.epoch && matches(o)
            && Arrays.equals(signature, o.signature);
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof Vote v && sameAs(v);
    }

    @Override
    public int hashCode() {
        return (int)(31 * view + seq) ^ Long.hashCode(sender);
    }

    @Override
    public String toString() {
        return kind.label + "[v" + view + " n" + seq + " " + Digests.shortHex(digest) + " from " + Long.toHexString(sender) + "]";
    }
}
