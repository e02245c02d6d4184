package dev.vigil.daemon.consensus;

import java.util.Locale;

/**
 * Why a replica refused an input. Every inbound message ends in exactly one counter: accepted
 * (per kind) or refused for exactly one of these reasons, tested cheapest first.
 */
public enum Refusal {
    /** Not a canonical encoding: truncated, trailing bytes, a bad count, kind or version, or inconsistent fields. */
    MALFORMED,
    /** Larger than a stated bound: the message, a batch (records or bytes), a payload, a list, a snapshot. */
    OVERSIZED,
    /** Addressed to another shard or epoch. */
    WRONG_COMMITTEE,
    /** Signed by a node that is not a member (or, for a request, not a known client). */
    UNKNOWN_SENDER,
    BAD_SIGNATURE,
    /** For a view this replica is not operating in (older, or newer than it can buffer). */
    WRONG_VIEW,
    /** A pre-prepare or new-view from a replica that is not that view's primary, or a prepare from the primary. */
    NOT_PRIMARY,
    /** A sequence number outside (h, h + L]. */
    OUTSIDE_WATERMARKS,
    /** Seen already, or older than what this replica has moved past (an executed request, a checkpoint below h). */
    REPLAY,
    /** A second, different vote from one sender for one (view, seq): kept the first. */
    CONFLICT,
    /** A batch or snapshot whose digest is not the one its certificate names. */
    DIGEST_MISMATCH,
    /** A certificate (stable checkpoint, prepared, view-change set, new-view proposals) that does not verify. */
    BAD_CERTIFICATE,
    /** A bounded queue or buffer is full: the input is dropped, the holder keeps what it has. */
    FULL,
    /** The committee's epoch is closed (or closing): it orders nothing new. */
    CLOSED,
    /** This replica is still joining its epoch (fetching the state it starts from). */
    NOT_READY;

    /** Lower case with dashes, for counters and logs. */
    public final String label = name().toLowerCase(Locale.ROOT).replace('_', '-');
}
