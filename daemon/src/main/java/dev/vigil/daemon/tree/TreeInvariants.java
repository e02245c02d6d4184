package dev.vigil.daemon.tree;

import static dev.vigil.daemon.tree.TreeState.hex;

/**
 * What must hold of this node's tree state after every input, whatever its peers said: checked in
 * tests and in simnet ({@link TreeConfig#checkInvariants()}), where a violation is a bug that fails
 * the run with its seed. Hostile input never breaks these: it is refused before it changes anything.
 */
final class TreeInvariants {
    private TreeInvariants() {
    }

    /** @throws IllegalStateException naming the first invariant that does not hold */
    static void check(final TreeState s) {
        for (int l = 0; l < TreeState.LEVELS; l++) {
            final Cluster c = s.levels[l];
            if (c == null) {
                continue;
            }
            if (c.level != l) {
                fail(s, "the level " + l + " slot holds a level " + c.level + " cluster");
            }
            if (!c.members.containsKey(s.selfId)) {
                fail(s, "its level " + l + " cluster does not list it");
            }
            if (!c.members.containsKey(c.headId())) {
                fail(s, "its level " + l + " cluster does not list its head " + hex(c.headId()));
            }
            if (l > 0 && !s.headsBelow(l)) {
                fail(s, "it is in a level " + l + " cluster but heads no level " + (l - 1) + " cluster");
            }
            if (c.isHead() && c.members.size() > s.config.b() + 1) {
                fail(s, "it heads a level " + l + " cluster of " + c.members.size() + ", over B + 1 = " + (s.config.b() + 1));
            }
        }
    }

    private static void fail(final TreeState s, final String what) {
        throw new IllegalStateException("tree invariant broken at node " + hex(s.selfId) + ": " + what);
    }
}
