package dev.vigil.daemon.verdict;

import dev.vigil.crypto.Certificate;
import dev.vigil.daemon.consensus.CommitteeDirectory;

import java.util.List;

/** What fleet verdicts need to know of the tree and of peers' certificates; read on the core's thread. */
public interface VerdictTree {
    /** A node to pass directories and certificates to. */
    record Neighbour(long id, String address) {
    }

    /** Members of every cluster this node is in (not itself): a directory or certificate flooded this way reaches every node. */
    List<Neighbour> neighbours();

    boolean isRoot();

    /** The root as this node knows it, or 0 when it does not know one yet. */
    long rootId();

    /**
     * Candidates for the committee directory, asked of the root only, at most {@code max}: first
     * those of {@code previous} this node still knows alive (so that a directory changes when a
     * candidate dies or leaves, not whenever the tree reshapes), then nodes of the upper levels of
     * the tree, highest level first, with the keys their CA-checked certificates vouch for and
     * their addresses, this node included.
     */
    List<CommitteeDirectory.Candidate> candidates(List<CommitteeDirectory.Candidate> previous, int max);

    /** This node's own certificate (issuer of directories, signer of verdicts). */
    Certificate selfCertificate();
}
