package dev.vigil.daemon.tree;

/**
 * Lifeguard's local health: how much this node doubts its own timeliness. Every probe of ours
 * that goes unanswered raises it, every answer lowers it; probe timeouts are stretched by
 * {@link #multiplier()}, so a node that is itself slow (overloaded, or on a bad link) suspects
 * others less readily instead of flooding its clusters with false suspicions.
 */
final class LocalHealth {
    /** The score's bound: timeouts stretch at most (1 + MAX) times. */
    static final int MAX = 8;
    private int score;

    /** What probe timeouts are multiplied by: 1 when healthy, up to 1 + {@link #MAX}. */
    int multiplier() {
        return 1 + score;
    }

    void probeMissed() {
        score = Math.min(MAX, score + 1);
    }

    void probeAnswered() {
        score = Math.max(0, score - 1);
    }

    int score() {
        return score;
    }
}
