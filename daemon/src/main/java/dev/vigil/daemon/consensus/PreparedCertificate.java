package dev.vigil.daemon.consensus;

import java.util.List;

/**
 * Proof that a batch prepared in a view: the primary's pre-prepare header and 2f matching
 * prepares from distinct backups. Carried in view-changes, so a batch that may have committed
 * is proposed again in the next view. Layout: header, count u8, prepares in increasing sender order.
 */
public record PreparedCertificate(Vote prePrepare, List<Vote> prepares) {
    public PreparedCertificate {
        prepares = List.copyOf(prepares);
    }

    long seq() {
        return prePrepare.seq();
    }

    long view() {
        return prePrepare.view();
    }

    int encodedLength() {
        return Vote.LENGTH + 1 + prepares.size() * Vote.LENGTH;
    }

    void writeTo(final CanonicalWriter w) {
        prePrepare.writeTo(w);
        w.u8(prepares.size());
        for (final Vote p : prepares) {
            p.writeTo(w);
        }
    }

    static PreparedCertificate read(final CanonicalReader r, final Limits limits) throws DecodeException {
        final Vote pp = Vote.read(r, MessageKind.PRE_PREPARE);
        final int n = r.u8();
        if (n > limits.membersMax()) {
            throw new DecodeException(Refusal.OVERSIZED, "more prepares than members");
        }
        final Vote[] prepares = new Vote[n];
        for (int i = 0; i < n; i++) {
            prepares[i] = Vote.read(r, MessageKind.PREPARE);
            if (!prepares[i].matches(pp)) {
                throw new DecodeException(Refusal.MALFORMED, "a prepare that does not match its pre-prepare");
            }
            if (i > 0 && Long.compareUnsigned(prepares[i - 1].sender(), prepares[i].sender()) >= 0) {
                throw new DecodeException(Refusal.MALFORMED, "prepares not in increasing sender order");
            }
        }
        return new PreparedCertificate(pp, List.of(prepares));
    }
}
