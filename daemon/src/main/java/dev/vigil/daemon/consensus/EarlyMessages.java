package dev.vigil.daemon.consensus;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Verified pre-prepares, prepares and commits of the view this replica is about to enter, which
 * arrived before its new-view (reordering makes that common). Replayed when the view is
 * installed, dropped when a later one is. Bound: {@code earlyMessagesMax} in all and an equal
 * share per member; beyond either a message is refused ({@link Refusal#FULL}), so a faulty member
 * can fill only its own share.
 */
final class EarlyMessages {
    private record Held(int member, long view, Message message) {
    }

    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private final int[] perMember;
    private final int max;
    private final int perMemberMax;

    EarlyMessages(final int max, final int members) {
        this.max = max;
        this.perMember = new int[members];
        this.perMemberMax = max / members;
    }

    Refusal hold(final int member, final long view, final Message m) {
        if (held.size() >= max || perMember[member] >= perMemberMax) {
            return Refusal.FULL;
        }
        held.add(new Held(member, view, m));
        perMember[member]++;
        return null;
    }

    /** Removes and returns the messages of {@code view} in arrival order; drops those of earlier views. */
    List<Message> take(final long view) {
        final List<Message> out = new ArrayList<>();
        final Iterator<Held> it = held.iterator();
        while (it.hasNext()) {
            final Held h = it.next();
            if (h.view <= view) {
                it.remove();
                perMember[h.member]--;
                if (h.view == view) {
                    out.add(h.message);
                }
            }
        }
        return out;
    }

    int size() {
        return held.size();
    }

    int max() {
        return max;
    }
}
