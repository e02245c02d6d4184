package dev.vigil.daemon.consensus;

import java.util.Arrays;
import java.util.List;

/**
 * Proof that the state after {@code seq} has digest {@code stateDigest}: 2f + 1 checkpoint
 * messages from distinct members that match. The epoch's base (sequence 0 for a new shard, the
 * previous committee's closing checkpoint after a reconfiguration) needs no proofs: every member
 * starts from it. Layout: seq u64, digest (32), count u8, checkpoints in increasing sender order.
 */
public record StableCertificate(long seq, byte[] stateDigest, List<Checkpoint> proofs) {
    public StableCertificate {
        proofs = List.copyOf(proofs);
    }

    /** The certificate of a committee's starting state, which needs no proofs (public for simnet's forging members). */
    public static StableCertificate base(final long seq, final byte[] stateDigest) {
        return new StableCertificate(seq, stateDigest, List.of());
    }

    int encodedLength() {
        return 8 + Digests.LENGTH + 1 + proofs.size() * Checkpoint.LENGTH;
    }

    void writeTo(final CanonicalWriter w) {
        w.u64(seq).fixed(stateDigest, Digests.LENGTH).u8(proofs.size());
        for (final Checkpoint c : proofs) {
            c.writeTo(w);
        }
    }

    byte[] encode() {
        final CanonicalWriter w = new CanonicalWriter(encodedLength());
        writeTo(w);
        return w.toBytes();
    }

    static StableCertificate read(final CanonicalReader r, final Limits limits) throws DecodeException {
        final long seq = r.u63();
        final byte[] digest = r.fixed(Digests.LENGTH);
        final int n = r.u8();
        if (n > limits.membersMax()) {
            throw new DecodeException(Refusal.OVERSIZED, "more checkpoints than members");
        }
        final Checkpoint[] proofs = new Checkpoint[n];
        for (int i = 0; i < n; i++) {
            proofs[i] = Checkpoint.read(r);
            if (!proofs[i].matches(seq, digest)) {
                throw new DecodeException(Refusal.MALFORMED, "a checkpoint that does not match its certificate");
            }
            if (i > 0 && Long.compareUnsigned(proofs[i - 1].sender(), proofs[i].sender()) >= 0) {
                throw new DecodeException(Refusal.MALFORMED, "checkpoints not in increasing sender order");
            }
        }
        return new StableCertificate(seq, digest, List.of(proofs));
    }

    boolean sameAs(final StableCertificate o) {
        return o != null && seq == o.seq && Arrays.equals(stateDigest, o.stateDigest) && proofs.equals(o.proofs);
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof StableCertificate c && sameAs(c);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(seq);
    }

    @Override
    public String toString() {
        return "stable[n" + seq + " " + Digests.shortHex(stateDigest) + ", " + proofs.size() + " proofs]";
    }
}
