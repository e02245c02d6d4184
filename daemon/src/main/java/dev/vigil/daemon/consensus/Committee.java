package dev.vigil.daemon.consensus;

import java.util.List;

/**
 * One shard's committee in one epoch: n = 3f + 1 members in rendezvous order (the order primaries
 * rotate in: the primary of view v is {@code members[v mod n]}). {@code f} may be below the
 * configured one when the directory is too small; {@link #describe()} says so.
 *
 * @param directoryDigest digest of the directory the committee was drawn from
 * @param candidates      how many candidates that directory had
 */
public record Committee(int shard, long epoch, List<CommitteeDirectory.Candidate> members, int f, int fConfigured,
                        int candidates, byte[] directoryDigest) {
    public Committee {
        members = List.copyOf(members);
        if (members.size() != 3 * f + 1) {
            throw new IllegalArgumentException("a committee has 3f + 1 members: f = " + f + ", " + members.size() + " members");
        }
        if (shard < 0 || shard > 0xFFFF) {
            throw new IllegalArgumentException("shard out of range: " + shard);
        }
    }

    public int n() {
        return members.size();
    }

    /** 2f + 1: prepares with the pre-prepare, commits, checkpoints, view-changes. */
    public int quorum() {
        return 2 * f + 1;
    }

    public int primaryIndex(final long view) {
        return (int)Long.remainderUnsigned(view, members.size());
    }

    public long memberId(final int index) {
        return members.get(index).nodeId();
    }

    /** @return the member's index, or -1 for a non-member */
    public int indexOf(final long nodeId) {
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).nodeId() == nodeId) {
                return i;
            }
        }
        return -1;
    }

    /** Whether f is below the configured f because the directory is too small. */
    public boolean reduced() {
        return f < fConfigured;
    }

    /** One line for status and logs, naming a reduced f and why. */
    public String describe() {
        final String base = "shard " + shard + " epoch " + epoch + ": " + n() + " members, f = " + f;
        if (!reduced()) {
            return base;
        }
        return base + " (configured " + fConfigured + ", reduced: " + candidates + " candidates, " + (3 * fConfigured + 1)
            + " needed" + (f == 0 ? "; f = 0 tolerates no faulty member" : "") + ")";
    }
}
