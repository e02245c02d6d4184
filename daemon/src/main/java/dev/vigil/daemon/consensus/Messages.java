package dev.vigil.daemon.consensus;

/**
 * The strict decoder of every consensus message: total (any byte string gives a message or a
 * refusal, never an exception), canonical (a decoded message re-encodes to the same bytes) and
 * bounded (sizes checked against {@link Limits} before allocation). Context checks (view,
 * watermarks, sender, signature, replay) come after, in the replica.
 */
public final class Messages {
    private Messages() {
    }

    /** A decoded message, or why not. */
    public record Decoded(Message message, Refusal refusal, String detail) {
        public boolean ok() {
            return message != null;
        }
    }

    public static Decoded decode(final byte[] bytes, final Limits limits) {
        if (bytes.length > limits.messageBytesMax()) {
            return new Decoded(null, Refusal.OVERSIZED, bytes.length + " bytes, at most " + limits.messageBytesMax());
        }
        if (bytes.length == 0) {
            return new Decoded(null, Refusal.MALFORMED, "empty");
        }
        final MessageKind kind = MessageKind.of(bytes[0] & 0xFF);
        if (kind == null) {
            return new Decoded(null, Refusal.MALFORMED, "unknown kind " + (bytes[0] & 0xFF));
        }
        try {
            final CanonicalReader r = new CanonicalReader(bytes);
            final Message m = switch (kind) {
                case REQUEST -> Request.read(r, limits);
                case PRE_PREPARE -> Proposal.read(r, limits);
                case PREPARE, COMMIT -> Vote.read(r, kind);
                case CHECKPOINT -> Checkpoint.read(r);
                case VIEW_CHANGE -> ViewChange.read(r, limits, true);
                case NEW_VIEW -> NewView.read(r, limits);
                case STATE_REQUEST -> StateRequest.read(r);
                case STATE_REPLY -> StateReply.read(r, limits);
                case ACCUSATION -> Accusation.read(r);
                case COMMITTED -> Committed.read(r, limits);
            };
            r.end();
            return new Decoded(m, null, null);
        } catch (final DecodeException e) {
            return new Decoded(null, e.reason, e.getMessage());
        }
    }

    /** The epoch a committee message names in its envelope, or -1 (a request, or too short): see {@link Envelope#epochOf}. */
    public static long epochOf(final byte[] message) {
        return Envelope.epochOf(message);
    }
}
