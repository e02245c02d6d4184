package dev.vigil.daemon.consensus;

import java.util.Arrays;

/**
 * A client's operation for a shard's committee, signed by the client (an observer). Requests
 * carry no epoch, so one pending across a reconfiguration is ordered by the next committee as is.
 * {@code requestSeq} increases per client; the committee executes each (client, requestSeq) at
 * most once (a lower one than the client's last executed is a duplicate).
 *
 * <p>Layout: kind, version, shard u16, client u64, requestSeq u64, payload (u32 length + bytes),
 * signature (64). The reconfiguration request is the one exception to client signing: its client
 * is {@link #RECONFIGURATION_CLIENT}, its requestSeq the new epoch, its payload a signed
 * {@link CommitteeDirectory}, whose issuer signature is what authenticates it (its own signature
 * field is zeros).
 */
public record Request(int shard, long client, long requestSeq, byte[] payload, byte[] signature) implements Message {
    /** The pseudo-client of reconfiguration requests; never a node id in practice (ids are SHA-256 prefixes). */
    public static final long RECONFIGURATION_CLIENT = -1L;
    static final int OVERHEAD_BYTES = 2 + 2 + 8 + 8 + 4 + Signer.SIGNATURE_LENGTH;

    public static Request signed(final Signer client, final int shard, final long requestSeq, final byte[] payload) {
        final Request unsigned = new Request(shard, client.id(), requestSeq, payload, new byte[Signer.SIGNATURE_LENGTH]);
        return new Request(shard, client.id(), requestSeq, payload, client.sign(unsigned.signedBytes()));
    }

    static Request reconfiguration(final int shard, final CommitteeDirectory next) {
        return new Request(shard, RECONFIGURATION_CLIENT, next.epoch(), next.encode(), new byte[Signer.SIGNATURE_LENGTH]);
    }

    public boolean isReconfiguration() {
        return client == RECONFIGURATION_CLIENT;
    }

    @Override
    public MessageKind kind() {
        return MessageKind.REQUEST;
    }

    @Override
    public long sender() {
        return client;
    }

    byte[] signedBytes() {
        final CanonicalWriter w = new CanonicalWriter(encodedLength());
        writeSigned(w);
        return w.toBytes();
    }

    private void writeSigned(final CanonicalWriter w) {
        w.u8(MessageKind.REQUEST.code).u8(MessageKind.VERSION).u16(shard).u64(client).u64(requestSeq).blob(payload);
    }

    void writeTo(final CanonicalWriter w) {
        writeSigned(w);
        w.fixed(signature, Signer.SIGNATURE_LENGTH);
    }

    @Override
    public byte[] encode() {
        final CanonicalWriter w = new CanonicalWriter(encodedLength());
        writeTo(w);
        return w.toBytes();
    }

    public int encodedLength() {
        return OVERHEAD_BYTES + payload.length;
    }

    static Request read(final CanonicalReader r, final Limits limits) throws DecodeException {
        if (r.u8() != MessageKind.REQUEST.code) {
            throw new DecodeException(Refusal.MALFORMED, "expected a request");
        }
        if (r.u8() != MessageKind.VERSION) {
            throw new DecodeException(Refusal.MALFORMED, "unknown version");
        }
        final int shard = r.u16();
        final long client = r.u64();
        final long requestSeq = r.u63();
        final byte[] payload = r.blob(client == RECONFIGURATION_CLIENT ? CommitteeDirectory.ENCODED_BYTES_MAX : limits.payloadBytesMax());
        return new Request(shard, client, requestSeq, payload, r.fixed(Signer.SIGNATURE_LENGTH));
    }

    /** Same client, sequence, payload and signature. */
    public boolean sameAs(final Request o) {
        return o != null && shard == o.shard && client == o.client && requestSeq == o.requestSeq
            && Arrays.equals(payload, o.payload) && Arrays.equals(signature, o.signature);
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof Request r && sameAs(r);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(client) * 31 + Long.hashCode(requestSeq);
    }

    @Override
    public String toString() {
        return "Request[" + Long.toHexString(client) + "#" + requestSeq + ", " + payload.length + " B]";
    }
}
