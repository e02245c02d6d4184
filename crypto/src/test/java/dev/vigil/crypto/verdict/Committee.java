package dev.vigil.crypto.verdict;

import dev.vigil.crypto.Certificate;
import dev.vigil.crypto.ClusterCa;
import dev.vigil.crypto.PrivateKey;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A test fleet: a cluster CA and 3f+1 node keys it certified, all from fixed seeds so that
 * failures replay, and verdicts for them to sign.
 */
final class Committee {
    static final Instant NOT_BEFORE = Instant.ofEpochSecond(1_750_000_000L);
    static final Duration VALIDITY = Duration.ofDays(365);
    /** Thirty days into the certificates' validity, with a fraction of a second. */
    static final long ISSUED_AT_MICROS = (NOT_BEFORE.getEpochSecond() + Duration.ofDays(30).getSeconds()) * 1_000_000L + 123_456L;

    final int f;
    final PrivateKey caKey;
    final ClusterCa ca;
    final List<PrivateKey> keys = new ArrayList<>();
    final List<Certificate> certificates = new ArrayList<>();

    private Committee(final int f, final int caSeed, final int members) {
        this.f = f;
        this.caKey = key(caSeed);
        this.ca = new ClusterCa(caKey);
        for (int i = 0; i < members; i++) {
            final PrivateKey k = key(caSeed * 100 + i + 1);
            keys.add(k);
            certificates.add(ca.issue(k.publicKey(), NOT_BEFORE, VALIDITY));
        }
    }

    /** 3f+1 members certified by the CA of seed {@code caSeed}. */
    static Committee of(final int f, final int caSeed) {
        return new Committee(f, caSeed, 3 * f + 1);
    }

    static Committee of(final int f) {
        return of(f, 1);
    }

    /** A fixed Ed25519 key per seed; every 32-byte string is a valid secret. */
    static PrivateKey key(final int seed) {
        final byte[] secret = new byte[PrivateKey.LENGTH];
        Arrays.fill(secret, (byte)seed);
        secret[0] = (byte)(seed >>> 8);
        secret[1] = (byte)0x5A;
        return PrivateKey.of(secret);
    }

    static byte[] digest(final int seed) {
        final byte[] d = new byte[Verdict.DIGEST_LENGTH];
        for (int i = 0; i < d.length; i++) {
            d[i] = (byte)(seed * 31 + i);
        }
        return d;
    }

    /** A CONVICT with every field set to something other than its default. */
    Verdict.Builder convictBuilder() {
        return Verdict.convict("agent-7/planner")
            .f(f).shard(3).epoch(2).view(1).sequence(17)
            .issuedAtMicros(ISSUED_AT_MICROS)
            .logOdds(7.25).posterior(0.9992903296).versionVectorDigest(digest(9))
            .observers(keys.stream().limit(3).mapToLong(PrivateKey::nodeId).toArray());
    }

    Verdict convict() {
        return convictBuilder().build();
    }

    VerdictSignature signature(final int member, final Verdict verdict) {
        return VerdictSignature.sign(verdict, keys.get(member), certificates.get(member));
    }

    /** Signed by the first {@code signers} members. */
    VerdictCertificate certify(final Verdict verdict, final int signers) {
        final List<VerdictSignature> s = new ArrayList<>();
        for (int i = 0; i < signers; i++) {
            s.add(signature(i, verdict));
        }
        return VerdictCertificate.ofQuorum(verdict, s);
    }

    /** Signed by exactly 2f+1 members. */
    VerdictCertificate certifyQuorum(final Verdict verdict) {
        return certify(verdict, 2 * f + 1);
    }
}
