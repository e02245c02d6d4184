package dev.vigil.daemon.consensus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The new primary's proof that view {@code view} starts: 2f + 1 view-changes for it (without
 * their attachments) and the pre-prepares it derives from them, one per sequence number in
 * (min-s, max-s] (see {@link NewViewRule}); every replica recomputes them and refuses a new-view
 * that differs. The batches of those pre-prepares travel as attachments, one per pre-prepare.
 *
 * <p>Layout: envelope, view u64, count u8, view-changes (signed form) in increasing sender order,
 * count u16, pre-prepare headers in increasing consecutive seq order, signature (64); count u16, batches.
 */
public record NewView(int shard, long epoch, long sender, long view, List<ViewChange> viewChanges, List<Vote> prePrepares,
                      byte[] signature, List<Batch> bodies) implements Message {
    public NewView {
        viewChanges = List.copyOf(viewChanges);
        prePrepares = List.copyOf(prePrepares);
        bodies = List.copyOf(bodies);
    }

    static NewView signed(final Committee committee, final Signer signer, final long view, final List<ViewChange> viewChanges,
                          final List<Vote> prePrepares, final List<Batch> bodies) {
        final List<ViewChange> bare = viewChanges.stream().map(ViewChange::withoutBodies).toList();
        final NewView unsigned = new NewView(committee.shard(), committee.epoch(), signer.id(), view, bare, prePrepares,
            new byte[Signer.SIGNATURE_LENGTH], bodies);
        return new NewView(unsigned.shard, unsigned.epoch, unsigned.sender, view, bare, prePrepares,
            signer.sign(unsigned.signedBytes()), bodies);
    }

    @Override
    public MessageKind kind() {
        return MessageKind.NEW_VIEW;
    }

    private int signedLength() {
        int n = Envelope.LENGTH + 8 + 1 + 2 + prePrepares.size() * Vote.LENGTH;
        for (final ViewChange vc : viewChanges) {
            n += vc.signedLength() + Signer.SIGNATURE_LENGTH;
        }
        return n;
    }

    byte[] signedBytes() {
        final CanonicalWriter w = new CanonicalWriter(signedLength());
        writeSigned(w);
        return w.toBytes();
    }

    private void writeSigned(final CanonicalWriter w) {
        Envelope.write(w, MessageKind.NEW_VIEW, shard, epoch, sender);
        w.u64(view).u8(viewChanges.size());
        for (final ViewChange vc : viewChanges) {
            vc.writeSignedForm(w);
        }
        w.u16(prePrepares.size());
        for (final Vote pp : prePrepares) {
            pp.writeTo(w);
        }
    }

    @Override
    public byte[] encode() {
        final CanonicalWriter w = new CanonicalWriter(signedLength() + Signer.SIGNATURE_LENGTH + 2);
        writeSigned(w);
        w.fixed(signature, Signer.SIGNATURE_LENGTH);
        w.u16(bodies.size());
        for (final Batch b : bodies) {
            b.writeTo(w);
        }
        return w.toBytes();
    }

    static NewView read(final CanonicalReader r, final Limits limits) throws DecodeException {
        final Envelope e = Envelope.read(r, MessageKind.NEW_VIEW);
        final long view = r.u63();
        final int v = r.u8();
        if (v > limits.membersMax()) {
            throw new DecodeException(Refusal.OVERSIZED, "more view-changes than members");
        }
        final List<ViewChange> viewChanges = new ArrayList<>(v);
        for (int i = 0; i < v; i++) {
            final ViewChange vc = ViewChange.read(r, limits, false);
            if (vc.newView() != view || (i > 0 && Long.compareUnsigned(viewChanges.get(i - 1).sender(), vc.sender()) >= 0)) {
                throw new DecodeException(Refusal.MALFORMED, "view-changes for another view or out of sender order");
            }
            viewChanges.add(vc);
        }
        final int p = r.count16(limits.windowMax());
        final List<Vote> prePrepares = new ArrayList<>(p);
        for (int i = 0; i < p; i++) {
            final Vote pp = Vote.read(r, MessageKind.PRE_PREPARE);
            if (pp.view() != view || pp.sender() != e.sender() || (i > 0 && prePrepares.get(i - 1).seq() + 1 != pp.seq())) {
                throw new DecodeException(Refusal.MALFORMED, "pre-prepares not the sender's, not this view's, or not consecutive");
            }
            prePrepares.add(pp);
        }
        final byte[] signature = r.fixed(Signer.SIGNATURE_LENGTH);
        final int b = r.count16(limits.windowMax());
        if (b != p) {
            throw new DecodeException(Refusal.MALFORMED, "one body per pre-prepare");
        }
        final List<Batch> bodies = new ArrayList<>(b);
        for (int i = 0; i < b; i++) {
            final Batch body = Batch.read(r, limits);
            if (!Arrays.equals(body.digest(), prePrepares.get(i).digest())) {
                throw new DecodeException(Refusal.DIGEST_MISMATCH, "a body that is not the batch its pre-prepare names");
            }
            bodies.add(body);
        }
        return new NewView(e.shard(), e.epoch(), e.sender(), view, viewChanges, prePrepares, signature, bodies);
    }

    @Override
    public String toString() {
        return "new-view[v" + view + " from " + Long.toHexString(sender) + ", " + viewChanges.size() + " view-changes, "
            + prePrepares.size() + " pre-prepares]";
    }
}
