package dev.vigil.daemon.tree;

import java.util.HashMap;
import java.util.Map;

/**
 * A pending descent: looking for a cluster at {@link #level} to be admitted into. It asks a node
 * (the root, a bootstrap address, a head named in a referral) and, one level above the goal,
 * measures round trips to the candidate heads before it picks one.
 */
final class Seek {
    final int level;
    /** The gone head this node replaces one level up (0: none). */
    long replaces;
    long deadlineMicros = TreeState.NEVER;
    long backoffMicros;
    String askedAddress;
    // measured descent: candidates being probed, by probe id
    final Map<Long, TreeNode.NodeRef> probing = new HashMap<>();
    final Map<Long, Long> probeSentMicros = new HashMap<>();
    int probingLevel = -1;
    long bestId;
    String bestAddress;
    long bestRttMicros = Long.MAX_VALUE;
    long probeDeadlineMicros = TreeState.NEVER;
    final Map<Long, Long> rttsMicros = new HashMap<>();
    /** Placed already: only move if a cluster is much nearer than our head. */
    boolean relocating;
    /** Relocating: the head we asked to drop us (0: none), and the nearer head to ask once it has. */
    long releasingFrom;
    TreeNode.NodeRef movingTo;

    Seek(final int level) {
        this.level = level;
    }
}
