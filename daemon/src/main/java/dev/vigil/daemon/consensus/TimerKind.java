package dev.vigil.daemon.consensus;

/** The replica's timers; at most one of each is armed at a time. */
public enum TimerKind {
    /** Primary: propose a partial batch, or pad an idle window with null batches to the next checkpoint. */
    BATCH,
    /** A request pending without progress this long starts a view change. */
    REQUEST,
    /** No valid new-view this long after a view-change: try the next view. */
    VIEW_CHANGE,
    /** A state fetch without an answer: ask the next member. */
    STATE,
    /** A stable checkpoint this replica has not executed to yet: fetch its state if still behind by then. */
    CATCH_UP
}
