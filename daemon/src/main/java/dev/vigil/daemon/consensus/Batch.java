package dev.vigil.daemon.consensus;

import java.util.List;

/**
 * The requests a pre-prepare orders at one sequence number, in execution order. An empty batch
 * is PBFT's null request (fills gaps in a new view, pads to a checkpoint when idle).
 * Layout: count u16, then each request's encoding. Bounded by {@link Limits#batchRecordsMax()}
 * requests and {@link Limits#batchBytesMax()} encoded bytes.
 */
public record Batch(List<Request> requests) {
    public static final Batch EMPTY = new Batch(List.of());

    public Batch {
        requests = List.copyOf(requests);
    }

    public boolean isNull() {
        return requests.isEmpty();
    }

    public int encodedLength() {
        int n = 2;
        for (final Request r : requests) {
            n += r.encodedLength();
        }
        return n;
    }

    void writeTo(final CanonicalWriter w) {
        w.u16(requests.size());
        for (final Request r : requests) {
            r.writeTo(w);
        }
    }

    public byte[] encode() {
        final CanonicalWriter w = new CanonicalWriter(encodedLength());
        writeTo(w);
        return w.toBytes();
    }

    /** SHA-256 over a domain prefix and the canonical encoding: what pre-prepares, prepares and commits name. */
    public byte[] digest() {
        return Digests.sha256(Digests.BATCH, encode());
    }

    static Batch read(final CanonicalReader r, final Limits limits) throws DecodeException {
        final int start = r.position();
        final int n = r.count16(limits.batchRecordsMax());
        final Request[] requests = new Request[n];
        for (int i = 0; i < n; i++) {
            requests[i] = Request.read(r, limits);
            if (r.position() - start > limits.batchBytesMax()) {
                throw new DecodeException(Refusal.OVERSIZED, "batch above " + limits.batchBytesMax() + " bytes");
            }
        }
        return new Batch(List.of(requests));
    }
}
