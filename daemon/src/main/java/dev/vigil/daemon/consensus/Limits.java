package dev.vigil.daemon.consensus;

/**
 * The bounds a decoder checks before it allocates, derived from a committee's size and a
 * {@link ConsensusConfig}. Any count or length above them is {@link Refusal#OVERSIZED}.
 *
 * @param membersMax      members of the committee (n = 3f + 1): most checkpoints, prepares or view-changes in a certificate
 * @param batchRecordsMax most requests in one batch
 * @param batchBytesMax   most encoded bytes of one batch
 * @param payloadBytesMax most bytes of one request's payload
 * @param windowMax       L: most prepared certificates in a view-change, pre-prepares in a new-view
 * @param snapshotBytesMax most bytes of a state snapshot
 * @param messageBytesMax most bytes of any one message (the largest a new-view or state reply can be)
 */
public record Limits(int membersMax, int batchRecordsMax, int batchBytesMax, int payloadBytesMax, int windowMax,
                     int snapshotBytesMax, int messageBytesMax) {

    /** The bounds for a committee of {@code members} under {@code config} (public for simnet, which decodes what members send). */
    public static Limits of(final ConsensusConfig config, final int members) {
        final int n = members;
        final long stable = 8 + Digests.LENGTH + 1 + (long)n * Checkpoint.LENGTH;
        final long prepared = Vote.LENGTH + 1 + (long)(n - 1) * Vote.LENGTH;
        final long window = config.windowSeqs();
        final long bodies = 2 + window * config.batchBytesMax();
        final long viewChangeSigned = Envelope.LENGTH + 8 + stable + 2 + window * prepared + Signer.SIGNATURE_LENGTH;
        final long viewChange = viewChangeSigned + bodies;
        final long newView = Envelope.LENGTH + 8 + 1 + n * viewChangeSigned + 2 + window * Vote.LENGTH
            + Signer.SIGNATURE_LENGTH + bodies;
        final long stateReply = Envelope.LENGTH + stable + Signer.SIGNATURE_LENGTH + 4 + config.snapshotBytesMax();
        final long proposal = Envelope.LENGTH + Vote.LENGTH * (long)(n + 1) + 1 + Signer.SIGNATURE_LENGTH + config.batchBytesMax();
        final long max = Math.max(Math.max(viewChange, newView), Math.max(stateReply, proposal));
        if (max > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("bounds allow messages of " + max + " bytes, above 2 GiB");
        }
        return new Limits(n, config.batchRecordsMax(), config.batchBytesMax(), config.payloadBytesMax(), config.windowSeqs(),
            config.snapshotBytesMax(), (int)max);
    }
}
