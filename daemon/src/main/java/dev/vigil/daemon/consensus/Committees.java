package dev.vigil.daemon.consensus;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which shard an agent belongs to, and which candidates of a directory form a shard's committee.
 * Anyone holding the (bounded, signed) directory can recompute both, so a committee's membership
 * is checkable by every observer.
 *
 * <p><b>Shards.</b> {@code shard(agent) = u64(first 8 bytes of SHA-256("vigil-shard-v1" ||
 * UTF-8(agent id)))} mod shards, the 8 bytes read big-endian. Stable across epochs, processes and
 * platforms; with a power-of-two shard count the modulus adds no bias.
 *
 * <p><b>Committees: rendezvous (highest random weight) hashing.</b> A candidate's weight for a
 * shard is {@code u64(first 8 bytes of SHA-256("vigil-rendezvous-v1" || u16le(shard) ||
 * u64le(node id))))}; the committee is the 3f + 1 candidates of highest weight (ties by id), in
 * decreasing weight. The epoch is deliberately not hashed: a shard's committee changes only when
 * its own members leave or a candidate with a higher weight arrives. A candidate leaving moves
 * only the committees it sat on, each of which gains the next candidate and keeps its other
 * members (their state carries over); hashing the epoch would reshuffle every committee at every
 * epoch and force a full state transfer each time. The price: weights are fixed per node id, so
 * a party able to mint many node ids could grind for a high weight on one shard; node ids are
 * hashes of keys that the cluster CA must certify before a node becomes a candidate, so grinding
 * needs the CA's cooperation (see the package notes).
 *
 * <p><b>f.</b> The configured f (default {@value #F_DEFAULT}), reduced to ⌊(candidates − 1) / 3⌋
 * when the directory is too small, and 0 (a committee of one, which tolerates no fault) below 4
 * candidates; {@link Committee#describe()} reports the reduction.
 */
public final class Committees {
    public static final int SHARDS_DEFAULT = 64;
    public static final int F_DEFAULT = 1;
    public static final int SHARDS_MAX = 1 << 16;

    private Committees() {
    }

    public static int shardOf(final String agentId, final int shards) {
        if (shards < 1 || shards > SHARDS_MAX) {
            throw new IllegalArgumentException("shards must be in [1, " + SHARDS_MAX + "]: " + shards);
        }
        final long h = Digests.first8(Digests.sha256(Digests.SHARD, agentId.getBytes(StandardCharsets.UTF_8)));
        return (int)Long.remainderUnsigned(h, shards);
    }

    /** The rendezvous weight of a candidate for a shard (compare unsigned). */
    public static long weight(final int shard, final long nodeId) {
        final byte[] material = new CanonicalWriter(10).u16(shard).u64(nodeId).toBytes();
        return Digests.first8(Digests.sha256(Digests.RENDEZVOUS, material));
    }

    /** The f a directory of {@code candidates} supports when {@code fConfigured} is asked for. */
    public static int effectiveF(final int candidates, final int fConfigured) {
        if (fConfigured < 0) {
            throw new IllegalArgumentException("f must be non-negative: " + fConfigured);
        }
        return candidates < 4 ? 0 : Math.min(fConfigured, (candidates - 1) / 3);
    }

    /** The committee of {@code shard} drawn from {@code directory}. */
    public static Committee select(final CommitteeDirectory directory, final int shard, final int fConfigured) {
        if (directory.candidates().isEmpty()) {
            throw new IllegalArgumentException("an empty directory has no committees");
        }
        final int f = effectiveF(directory.candidates().size(), fConfigured);
        final List<CommitteeDirectory.Candidate> ranked = new ArrayList<>(directory.candidates());
        final Comparator<CommitteeDirectory.Candidate> byWeight =
            (a, b) -> Long.compareUnsigned(weight(shard, b.nodeId()), weight(shard, a.nodeId()));
        ranked.sort(byWeight.thenComparing((a, b) -> Long.compareUnsigned(a.nodeId(), b.nodeId())));
        return new Committee(shard, directory.epoch(), ranked.subList(0, 3 * f + 1), f, fConfigured,
            directory.candidates().size(), directory.digest());
    }
}
