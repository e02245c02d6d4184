package dev.vigil.daemon.consensus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * "I leave every view below {@code newView}": the sender's stable checkpoint certificate and a
 * prepared certificate for every sequence above it that prepared at the sender (from the highest
 * view it prepared in). The batches those certificates name travel as attachments
 * ({@code bodies}, one per certificate, in order), outside the signature and checked by digest;
 * inside a {@link NewView} they are left out.
 *
 * <p>Layout: envelope, newView u64, stable certificate, count u16, prepared certificates in
 * increasing seq order, signature (64); then, only at top level: count u16, batches.
 */
public record ViewChange(int shard, long epoch, long sender, long newView, StableCertificate stable,
                         List<PreparedCertificate> prepared, byte[] signature, List<Batch> bodies) implements Message {
    public ViewChange {
        prepared = List.copyOf(prepared);
        bodies = List.copyOf(bodies);
    }

    /** A view-change of this member, signed (public for simnet's forging members). */
    public static ViewChange signed(final Committee committee, final Signer signer, final long newView, final StableCertificate stable,
                             final List<PreparedCertificate> prepared, final List<Batch> bodies) {
        final ViewChange unsigned = new ViewChange(committee.shard(), committee.epoch(), signer.id(), newView, stable, prepared,
            new byte[Signer.SIGNATURE_LENGTH], bodies);
        return unsigned.withSignature(signer.sign(unsigned.signedBytes()));
    }

    ViewChange withSignature(final byte[] s) {
        return new ViewChange(shard, epoch, sender, newView, stable, prepared, s, bodies);
    }

    /** The same view-change without its attachments, as a new-view carries it. */
    ViewChange withoutBodies() {
        return new ViewChange(shard, epoch, sender, newView, stable, prepared, signature, List.of());
    }

    @Override
    public MessageKind kind() {
        return MessageKind.VIEW_CHANGE;
    }

    int signedLength() {
        int n = Envelope.LENGTH + 8 + stable.encodedLength() + 2;
        for (final PreparedCertificate c : prepared) {
            n += c.encodedLength();
        }
        return n;
    }

    byte[] signedBytes() {
        final CanonicalWriter w = new CanonicalWriter(signedLength());
        writeSigned(w);
        return w.toBytes();
    }

    private void writeSigned(final CanonicalWriter w) {
        Envelope.write(w, MessageKind.VIEW_CHANGE, shard, epoch, sender);
        w.u64(newView);
        stable.writeTo(w);
        w.u16(prepared.size());
        for (final PreparedCertificate c : prepared) {
            c.writeTo(w);
        }
    }

    /** Signed part and signature: the form nested in a new-view. */
    void writeSignedForm(final CanonicalWriter w) {
        writeSigned(w);
        w.fixed(signature, Signer.SIGNATURE_LENGTH);
    }

    @Override
    public byte[] encode() {
        final CanonicalWriter w = new CanonicalWriter(signedLength() + Signer.SIGNATURE_LENGTH + 2);
        writeSignedForm(w);
        w.u16(bodies.size());
        for (final Batch b : bodies) {
            b.writeTo(w);
        }
        return w.toBytes();
    }

    static ViewChange read(final CanonicalReader r, final Limits limits, final boolean withBodies) throws DecodeException {
        final Envelope e = Envelope.read(r, MessageKind.VIEW_CHANGE);
        final long newView = r.u63();
        final StableCertificate stable = StableCertificate.read(r, limits);
        final int n = r.count16(limits.windowMax());
        final List<PreparedCertificate> prepared = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            final PreparedCertificate c = PreparedCertificate.read(r, limits);
            if (c.view() >= newView || c.seq() <= stable.seq() || (i > 0 && prepared.get(i - 1).seq() >= c.seq())) {
                throw new DecodeException(Refusal.MALFORMED, "prepared certificates out of order or out of range");
            }
            prepared.add(c);
        }
        final byte[] signature = r.fixed(Signer.SIGNATURE_LENGTH);
        final List<Batch> bodies = new ArrayList<>();
        if (withBodies) {
            final int b = r.count16(limits.windowMax());
            if (b != n) {
                throw new DecodeException(Refusal.MALFORMED, "one body per prepared certificate");
            }
            for (int i = 0; i < b; i++) {
                final Batch body = Batch.read(r, limits);
                if (!Arrays.equals(body.digest(), prepared.get(i).prePrepare().digest())) {
                    throw new DecodeException(Refusal.DIGEST_MISMATCH, "a body that is not the batch its certificate names");
                }
                bodies.add(body);
            }
        }
        return new ViewChange(e.shard(), e.epoch(), e.sender(), newView, stable, prepared, signature, bodies);
    }

    @Override
    public String toString() {
        return "view-change[to v" + newView + " from " + Long.toHexString(sender) + ", stable n" + stable.seq() + ", "
            + prepared.size() + " prepared]";
    }
}
