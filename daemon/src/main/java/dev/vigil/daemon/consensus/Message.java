package dev.vigil.daemon.consensus;

/**
 * A top-level consensus message, as it travels. Each is a record with a canonical byte encoding
 * ({@link #encode()}); {@link Messages#decode} is the strict inverse. Signatures cover
 * {@code signedBytes()} of each signed part; batches and snapshots attached to a message travel
 * outside its signature and are bound to it by digest.
 */
public sealed interface Message
    permits Request, Proposal, Vote, Checkpoint, ViewChange, NewView, StateRequest, StateReply, Accusation, Committed {

    MessageKind kind();

    /** The signer: a committee member, or for a {@link Request} its client. */
    long sender();

    byte[] encode();
}
