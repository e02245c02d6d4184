package dev.vigil.daemon.consensus;

/**
 * A pre-prepare as it travels: the primary's signed header and the batch it names. As in PBFT the
 * batch is outside the signature, bound by the digest in the header, so certificates carry the
 * header alone. Layout: header ({@link Vote#LENGTH}), batch.
 */
public record Proposal(Vote header, Batch batch) implements Message {
    @Override
    public MessageKind kind() {
        return MessageKind.PRE_PREPARE;
    }

    @Override
    public long sender() {
        return header.sender();
    }

    @Override
    public byte[] encode() {
        final CanonicalWriter w = new CanonicalWriter(Vote.LENGTH + batch.encodedLength());
        header.writeTo(w);
        batch.writeTo(w);
        return w.toBytes();
    }

    static Proposal read(final CanonicalReader r, final Limits limits) throws DecodeException {
        return new Proposal(Vote.read(r, MessageKind.PRE_PREPARE), Batch.read(r, limits));
    }
}
