package dev.vigil.daemon.core;

import java.util.Locale;

/** Liveness of a peer as this node sees it. */
public enum PeerState {
    /** Heard from within the suspect timeout. */
    ALIVE,
    /** Silent for longer than the suspect timeout; still probed, not yet given up. */
    SUSPECT,
    /** Silent for longer than the dead timeout; probed only by periodic re-joins. */
    DEAD;

    public final String label = name().toLowerCase(Locale.ROOT);
}
