package dev.vigil.daemon.consensus;

import java.util.ArrayList;
import java.util.List;

/**
 * Proof that a batch committed: the primary's pre-prepare header and 2f + 1 matching commits
 * from distinct members, with the batch attached (checked by digest). Sent to a replica that
 * lags, it is valid in any view: executing a committed batch never contradicts what a
 * view-change promised, so a replica waiting for a new-view still catches up with it.
 * Layout: envelope, pre-prepare header, count u8, commits in increasing sender order, signature (64), batch.
 */
public record Committed(int shard, long epoch, long sender, Vote prePrepare, List<Vote> commits, byte[] signature, Batch batch)
    implements Message {

    public Committed {
        commits = List.copyOf(commits);
    }

    static Committed signed(final Committee committee, final Signer signer, final Vote prePrepare, final List<Vote> commits,
                            final Batch batch) {
        final Committed unsigned = new Committed(committee.shard(), committee.epoch(), signer.id(), prePrepare, commits,
            new byte[Signer.SIGNATURE_LENGTH], batch);
        return new Committed(unsigned.shard, unsigned.epoch, unsigned.sender, prePrepare, commits, signer.sign(unsigned.signedBytes()),
            batch);
    }

    @Override
    public MessageKind kind() {
        return MessageKind.COMMITTED;
    }

    long seq() {
        return prePrepare.seq();
    }

    byte[] signedBytes() {
        final CanonicalWriter w = new CanonicalWriter(Envelope.LENGTH + Vote.LENGTH * (1 + commits.size()) + 1);
        Envelope.write(w, MessageKind.COMMITTED, shard, epoch, sender);
        prePrepare.writeTo(w);
        w.u8(commits.size());
        for (final Vote c : commits) {
            c.writeTo(w);
        }
        return w.toBytes();
    }

    @Override
    public byte[] encode() {
        final byte[] signed = signedBytes();
        final CanonicalWriter w = new CanonicalWriter(signed.length + Signer.SIGNATURE_LENGTH + batch.encodedLength());
        w.raw(signed).fixed(signature, Signer.SIGNATURE_LENGTH);
        batch.writeTo(w);
        return w.toBytes();
    }

    static Committed read(final CanonicalReader r, final Limits limits) throws DecodeException {
        final Envelope e = Envelope.read(r, MessageKind.COMMITTED);
        final Vote pp = Vote.read(r, MessageKind.PRE_PREPARE);
        final int n = r.u8();
        if (n > limits.membersMax()) {
            throw new DecodeException(Refusal.OVERSIZED, "more commits than members");
        }
        final List<Vote> commits = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            final Vote c = Vote.read(r, MessageKind.COMMIT);
            if (!c.matches(pp) || (i > 0 && Long.compareUnsigned(commits.get(i - 1).sender(), c.sender()) >= 0)) {
                throw new DecodeException(Refusal.MALFORMED, "commits that do not match or are out of sender order");
            }
            commits.add(c);
        }
        final byte[] signature = r.fixed(Signer.SIGNATURE_LENGTH);
        final Batch batch = Batch.read(r, limits);
        if (!java.util.Arrays.equals(batch.digest(), pp.digest())) {
            throw new DecodeException(Refusal.DIGEST_MISMATCH, "a batch that is not the one committed");
        }
        return new Committed(e.shard(), e.epoch(), e.sender(), pp, commits, signature, batch);
    }

    @Override
    public String toString() {
        return "committed[n" + seq() + " v" + prePrepare.view() + ", " + commits.size() + " commits, from " + Long.toHexString(sender) + "]";
    }
}
