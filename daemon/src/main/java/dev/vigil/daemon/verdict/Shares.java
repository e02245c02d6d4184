package dev.vigil.daemon.verdict;

import dev.vigil.crypto.PublicKey;
import dev.vigil.crypto.verdict.Verdict;
import dev.vigil.crypto.verdict.VerdictCertificate;
import dev.vigil.crypto.verdict.VerdictSignature;
import dev.vigil.daemon.consensus.Committee;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects committee members' signatures of verdicts until 2f + 1 make a certificate. A share is
 * taken only from a member of the verdict's committee, for the verdict as that member signed it,
 * with a signature and certificate that check (so a lying member cannot spoil a certificate); shares
 * of one verdict id are the same verdict bytes by construction (the id is their hash).
 *
 * <p>Bound: {@code pendingMax} verdicts collecting; at the bound the oldest is dropped (its
 * certificate may still come whole from another member).
 */
final class Shares {
    private final PublicKey ca;
    private final LinkedHashMap<String, TreeMap<Long, VerdictSignature>> pending;
    private final LinkedHashMap<String, Boolean> done;
    long refused;

    Shares(final PublicKey ca, final int pendingMax) {
        this.ca = ca;
        this.pending = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(final Map.Entry<String, TreeMap<Long, VerdictSignature>> eldest) {
                return size() > pendingMax;
            }
        };
        this.done = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(final Map.Entry<String, Boolean> eldest) {
                return size() > pendingMax;
            }
        };
    }

    /**
     * @param committee the committee of the verdict's shard and epoch, as this node knows it
     * @return the certificate when this share completed a quorum, else null
     */
    VerdictCertificate add(final Committee committee, final Verdict verdict, final VerdictSignature share, final StringBuilder problem) {
        if (committee == null || committee.indexOf(share.signerId()) < 0) {
            problem.append("signer is not a member of the committee of shard ").append(verdict.shard()).append(" epoch ")
                .append(verdict.epoch());
            refused++;
            return null;
        }
        if (verdict.f() != committee.f()) {
            problem.append("verdict says f = ").append(verdict.f()).append(", the committee has f = ").append(committee.f());
            refused++;
            return null;
        }
        final String id = verdict.id();
        if (done.containsKey(id)) {
            return null;
        }
        final String bad = share.problemAsMember(verdict, ca);
        if (bad != null) {
            problem.append(bad);
            refused++;
            return null;
        }
        final TreeMap<Long, VerdictSignature> got = pending.computeIfAbsent(id, k -> new TreeMap<>(Long::compareUnsigned));
        got.put(share.signerId(), share);
        if (got.size() < verdict.quorum()) {
            return null;
        }
        pending.remove(id);
        done.put(id, Boolean.TRUE);
        return VerdictCertificate.ofQuorum(verdict, got.values());
    }

    /** A whole certificate for this verdict arrived: stop collecting for it. */
    void completed(final String verdictId) {
        pending.remove(verdictId);
        done.put(verdictId, Boolean.TRUE);
    }

    int pending() {
        return pending.size();
    }
}
