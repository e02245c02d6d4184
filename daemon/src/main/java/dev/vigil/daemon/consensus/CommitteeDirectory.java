package dev.vigil.daemon.consensus;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The signed list committees are drawn from: an epoch and up to {@value #CANDIDATES_MAX}
 * candidates (node id, Ed25519 public key, address), signed by its issuer (the root of the tree,
 * vouched for by the cluster CA; the check is whatever {@link Verifier} knows the issuer's key).
 * Small enough (≤ {@value #ENCODED_BYTES_MAX} bytes) to travel down the tree with the fleet baseline.
 *
 * <p>Layout: marker 'D' (u8), version u8, epoch u64, issuer u64, count u8, candidates in
 * increasing (unsigned) id order: id u64, public key (32), address (u8 length + US-ASCII), then
 * the issuer's signature (64). Canonical: a second encoding of the same directory is refused.
 */
public record CommitteeDirectory(long epoch, long issuer, List<Candidate> candidates, byte[] signature) {
    public static final int CANDIDATES_MAX = 64;
    public static final int KEY_LENGTH = 32;
    public static final int ADDRESS_BYTES_MAX = 255;
    static final int MARKER = 'D';
    public static final int ENCODED_BYTES_MAX =
        2 + 8 + 8 + 1 + CANDIDATES_MAX * (8 + KEY_LENGTH + 1 + ADDRESS_BYTES_MAX) + Signer.SIGNATURE_LENGTH;

    /** One node committees may be drawn from. */
    public record Candidate(long nodeId, byte[] publicKey, String address) {
        public Candidate {
            if (publicKey.length != KEY_LENGTH) {
                throw new IllegalArgumentException("a candidate's key is " + KEY_LENGTH + " bytes");
            }
            if (address.length() > ADDRESS_BYTES_MAX || !StandardCharsets.US_ASCII.newEncoder().canEncode(address)) {
                throw new IllegalArgumentException("a candidate's address is US-ASCII of at most " + ADDRESS_BYTES_MAX + " bytes");
            }
            publicKey = publicKey.clone();
        }

        @Override
        public boolean equals(final Object o) {
            return o instanceof Candidate c && nodeId == c.nodeId && Arrays.equals(publicKey, c.publicKey) && address.equals(c.address);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(nodeId);
        }

        @Override
        public String toString() {
            return Long.toHexString(nodeId) + "@" + address;
        }
    }

    public CommitteeDirectory {
        final List<Candidate> sorted = new ArrayList<>(candidates);
        sorted.sort((a, b) -> Long.compareUnsigned(a.nodeId(), b.nodeId()));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i - 1).nodeId() == sorted.get(i).nodeId()) {
                throw new IllegalArgumentException("candidate " + Long.toHexString(sorted.get(i).nodeId()) + " listed twice");
            }
        }
        if (sorted.size() > CANDIDATES_MAX || epoch < 0) {
            throw new IllegalArgumentException("a directory holds at most " + CANDIDATES_MAX + " candidates and a non-negative epoch");
        }
        candidates = List.copyOf(sorted);
    }

    public static CommitteeDirectory signed(final long epoch, final Signer issuer, final List<Candidate> candidates) {
        final CommitteeDirectory unsigned = new CommitteeDirectory(epoch, issuer.id(), candidates, new byte[Signer.SIGNATURE_LENGTH]);
        return new CommitteeDirectory(epoch, issuer.id(), candidates, issuer.sign(unsigned.signedBytes()));
    }

    byte[] signedBytes() {
        final CanonicalWriter w = new CanonicalWriter(256);
        w.u8(MARKER).u8(MessageKind.VERSION).u64(epoch).u64(issuer).u8(candidates.size());
        for (final Candidate c : candidates) {
            final byte[] address = c.address().getBytes(StandardCharsets.US_ASCII);
            w.u64(c.nodeId()).fixed(c.publicKey(), KEY_LENGTH).u8(address.length).raw(address);
        }
        return w.toBytes();
    }

    public byte[] encode() {
        return new CanonicalWriter(ENCODED_BYTES_MAX).raw(signedBytes()).fixed(signature, Signer.SIGNATURE_LENGTH).toBytes();
    }

    /** Whether the issuer's signature verifies. */
    public boolean verify(final Verifier verifier) {
        return verifier.verify(issuer, signedBytes(), signature);
    }

    /** SHA-256 of the encoding: what a committee (and later a verdict) names its directory by. */
    public byte[] digest() {
        return Digests.sha256(Digests.DIRECTORY, encode());
    }

    /** @return the directory, or why not (never throws). */
    public static Result decode(final byte[] bytes) {
        if (bytes.length > ENCODED_BYTES_MAX) {
            return new Result(null, Refusal.OVERSIZED);
        }
        try {
            final CanonicalReader r = new CanonicalReader(bytes);
            if (r.u8() != MARKER || r.u8() != MessageKind.VERSION) {
                return new Result(null, Refusal.MALFORMED);
            }
            final long epoch = r.u63();
            final long issuer = r.u64();
            final int n = r.u8();
            if (n > CANDIDATES_MAX) {
                return new Result(null, Refusal.OVERSIZED);
            }
            final List<Candidate> candidates = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                final long id = r.u64();
                final byte[] key = r.fixed(KEY_LENGTH);
                final byte[] address = r.fixed(r.u8());
                for (final byte b : address) {
                    if (b < 0x20 || b > 0x7E) {
                        return new Result(null, Refusal.MALFORMED);
                    }
                }
                if (i > 0 && Long.compareUnsigned(candidates.get(i - 1).nodeId(), id) >= 0) {
                    return new Result(null, Refusal.MALFORMED);
                }
                candidates.add(new Candidate(id, key, new String(address, StandardCharsets.US_ASCII)));
            }
            final byte[] signature = r.fixed(Signer.SIGNATURE_LENGTH);
            r.end();
            return new Result(new CommitteeDirectory(epoch, issuer, candidates, signature), null);
        } catch (final DecodeException e) {
            return new Result(null, e.reason);
        }
    }

    /** A decoded directory or the reason it was refused. */
    public record Result(CommitteeDirectory directory, Refusal refusal) {
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof CommitteeDirectory d && epoch == d.epoch && issuer == d.issuer && candidates.equals(d.candidates)
            && Arrays.equals(signature, d.signature);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(epoch) * 31 + candidates.hashCode();
    }

    @Override
    public String toString() {
        return "directory[epoch " + epoch + ", " + candidates.size() + " candidates, issuer " + Long.toHexString(issuer) + "]";
    }
}
