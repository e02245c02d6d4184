package dev.vigil.daemon.tree;

import java.util.LinkedHashMap;
import java.util.Map;

/** What the tree protocol did and refused on this node; single-threaded like the core. */
public final class TreeCounters {
    long malformed;
    long stale;
    long ignored;
    long seekAttempts;
    long joined;
    long admitted;
    long removed;
    long splits;
    long merges;
    long headChanges;
    long suspicions;
    long refutations;
    long viewsSent;
    long contributionsSent;
    long contributionsRefused;
    long announcements;
    long verifyOk;
    long verifyMismatch;
    long verifyInconclusive;
    long challengesSent;
    long challengesReceived;
    long quarantined;
    long outliers;
    long relocations;
    long internalErrors;
    long refreshCorrections;
    /** Members asked to introduce themselves again because we could not verify their frames. */
    long introduceRequests;
    /** Inputs after which a cluster this node heads held more than B members. */
    long clustersOverB;

    /** Counter name (lower case, dashes) to value, in a fixed order. */
    public Map<String, Long> snapshot() {
        final Map<String, Long> m = new LinkedHashMap<>();
        m.put("malformed", malformed);
        m.put("stale", stale);
        m.put("ignored", ignored);
        m.put("seek-attempts", seekAttempts);
        m.put("placements", joined);
        m.put("admitted", admitted);
        m.put("removed", removed);
        m.put("splits", splits);
        m.put("merges", merges);
        m.put("head-changes", headChanges);
        m.put("suspicions", suspicions);
        m.put("refutations", refutations);
        m.put("views-sent", viewsSent);
        m.put("contributions-sent", contributionsSent);
        m.put("contributions-refused", contributionsRefused);
        m.put("announcements", announcements);
        m.put("verify-ok", verifyOk);
        m.put("verify-mismatch", verifyMismatch);
        m.put("verify-inconclusive", verifyInconclusive);
        m.put("challenges-sent", challengesSent);
        m.put("challenges-received", challengesReceived);
        m.put("quarantined", quarantined);
        m.put("outliers-excluded", outliers);
        m.put("relocations", relocations);
        m.put("internal-errors", internalErrors);
        m.put("refresh-corrections", refreshCorrections);
        m.put("introduce-requests", introduceRequests);
        m.put("clusters-over-b", clustersOverB);
        return m;
    }

    public long splits() {
        return splits;
    }

    public long merges() {
        return merges;
    }

    public long headChanges() {
        return headChanges;
    }

    public long verifyOk() {
        return verifyOk;
    }

    public long verifyMismatch() {
        return verifyMismatch;
    }

    public long clustersOverB() {
        return clustersOverB;
    }

    public long challengesSent() {
        return challengesSent;
    }
}
