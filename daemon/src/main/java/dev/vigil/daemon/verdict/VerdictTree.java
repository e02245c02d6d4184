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
     * Candidates for the committee directory, asked of the root only: nodes of the upper levels of
     * the tree, highest level first, with the keys their CA-checked certificates vouch for and their
     * addresses, this node included, at most {@code max}.
     */
    List<CommitteeDirectory.Candidate> candidates(int max);

    /** This node's own certificate (issuer of directories, signer of verdicts). */
    Certificate selfCertificate();
}
