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

    /** What became of a share: taken (and, when it completed a quorum, the certificate), a repeat, or refused by reason. */
    enum Status {
        TAKEN(null),
        /** Of a verdict already certified, or this signer's again. */
        REPEAT(null),
        NOT_MEMBER("share-not-member"),
        WRONG_F("share-wrong-f"),
        /** The signature or the signer's certificate does not check. */
        BAD_SIGNATURE("share-signature");

        /** The refusal counter's reason, null when not refused. */
        final String reason;

        Status(final String reason) {
            this.reason = reason;
        }
    }

    record Result(Status status, VerdictCertificate certificate, String problem) {
    }

    /**
     * @param committee the committee of the verdict's shard and epoch, as this node knows it
     * @return the outcome; its certificate is set when this share completed a quorum
     */
    Result add(final Committee committee, final Verdict verdict, final VerdictSignature share) {
        if (committee == null || committee.indexOf(share.signerId()) < 0) {
            refused++;
            return new Result(Status.NOT_MEMBER, null, "signer is not a member of the committee of shard " + verdict.shard() + " epoch "
                + verdict.epoch());
        }
        if (verdict.f() != committee.f()) {
            refused++;
            return new Result(Status.WRONG_F, null, "verdict says f = " + verdict.f() + ", the committee has f = " + committee.f());
        }
        final String id = verdict.id();
        if (done.containsKey(id)) {
            return new Result(Status.REPEAT, null, null);
        }
        final String bad = share.problemAsMember(verdict, ca);
        if (bad != null) {
            refused++;
            return new Result(Status.BAD_SIGNATURE, null, bad);
        }
        final TreeMap<Long, VerdictSignature> got = pending.computeIfAbsent(id, k -> new TreeMap<>(Long::compareUnsigned));
        if (got.put(share.signerId(), share) != null) {
            return new Result(Status.REPEAT, null, null);
        }
        if (got.size() < verdict.quorum()) {
            return new Result(Status.TAKEN, null, null);
        }
        pending.remove(id);
        done.put(id, Boolean.TRUE);
        return new Result(Status.TAKEN, VerdictCertificate.ofQuorum(verdict, got.values()), null);
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
