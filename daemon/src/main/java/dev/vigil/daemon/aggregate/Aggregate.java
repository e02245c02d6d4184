package dev.vigil.daemon.aggregate;

import dev.vigil.daemon.stats.Moments;
import dev.vigil.wire.StatUpdateBody;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A head's state-based aggregate: the latest summary of each contributor, and their merge.
 * Mutable and single-threaded (it lives on the node core's thread).
 *
 * <p>Only the latest version per contributor counts: an older or equal version is ignored (and
 * counted), so duplicates, resends, reordering and a healed partition never count anything twice,
 * and the state after any interleaving of offers is that of offering only the latest versions.
 * {@link #merged()} merges in ascending unsigned contributor id order, so every node holding the
 * same contributor versions computes the same bits, and {@link #versionsDigest()} names those
 * versions so members can check which inputs their head claims to have merged.
 *
 * <p>Bounds: at most {@code contributorsMax} contributors (a new one beyond that is refused and
 * counted); a removed contributor leaves a tombstone of its last version, so a late resend of
 * that version does not bring it back (re-parenting must not double count), while a newer one
 * (it came back) does. At most {@code contributorsMax} tombstones are kept, the oldest dropped first.
 */
public final class Aggregate {
    /** Bound on {@code contributorsMax}: keeps count sums (each at most {@link Summary#COUNT_MAX}) below 2^60. */
    public static final int CONTRIBUTORS_MAX_LIMIT = 4096;
    private static final byte[] DIGEST_DOMAIN = "vigil/aggregate-versions/v1".getBytes(StandardCharsets.US_ASCII);

    private final int dimension;
    private final int contributorsMax;
    private final TreeMap<Long, Summary> latest = new TreeMap<>(Long::compareUnsigned);
    /** Contributor id to its version when removed; insertion order is the eviction order. */
    private final LinkedHashMap<Long, Long> departed = new LinkedHashMap<>();
    private Moments merged;

    private long accepted;
    private long ignoredOlder;
    private long ignoredSame;
    private long ignoredConflicting;
    private long ignoredDeparted;
    private long refusedFull;

    public Aggregate(final int dimension, final int contributorsMax) {
        if (dimension < 1 || dimension > StatUpdateBody.FEATURES_MAX) {
            throw new IllegalArgumentException("dimension " + dimension + " outside [1, " + StatUpdateBody.FEATURES_MAX + "]");
        }
        if (contributorsMax < 1 || contributorsMax > CONTRIBUTORS_MAX_LIMIT) {
            throw new IllegalArgumentException("contributors max " + contributorsMax + " outside [1, " + CONTRIBUTORS_MAX_LIMIT + "]");
        }
        this.dimension = dimension;
        this.contributorsMax = contributorsMax;
    }

    /**
     * Takes {@code s} if it is newer than what is held for its contributor.
     *
     * @return whether the aggregate changed.
     */
    public boolean offer(final Summary s) {
        if (s.dimension() != dimension) {
            throw new IllegalArgumentException("summary of dimension " + s.dimension() + " offered to an aggregate of " + dimension);
        }
        final Long id = s.contributorId();
        final Summary held = latest.get(id);
        if (held != null) {
            if (s.version() < held.version()) {
                ignoredOlder++;
                return false;
            }
            if (s.version() == held.version()) {
                // Same version, other content: the contributor equivocated. Keep the first; the count is the evidence.
                if (s.sameContent(held)) {
                    ignoredSame++;
                } else {
                    ignoredConflicting++;
                }
                return false;
            }
        } else {
            final Long departedVersion = departed.get(id);
            if (departedVersion != null && s.version() <= departedVersion) {
                ignoredDeparted++;
                return false;
            }
            if (latest.size() >= contributorsMax) {
                refusedFull++;
                return false;
            }
            departed.remove(id);
        }
        latest.put(id, s);
        merged = null;
        accepted++;
        return true;
    }

    /**
     * A member left (or re-parented): its statistics no longer count.
     *
     * @return whether it was held.
     */
    public boolean remove(final long contributorId) {
        final Summary held = latest.remove(contributorId);
        if (held == null) {
            return false;
        }
        departed.remove(contributorId);
        departed.put(contributorId, held.version());
        if (departed.size() > contributorsMax) {
            final Iterator<Long> oldest = departed.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        merged = null;
        return true;
    }

    /** The merge of every contributor's latest statistics, in ascending unsigned contributor id order (a new object). */
    public Moments merged() {
        if (merged == null) {
            final List<Moments> parts = new ArrayList<>(latest.size());
            for (final Summary s : latest.values()) {
                parts.add(s.momentsView());
            }
            merged = Moments.mergeInOrder(dimension, parts);
        }
        return merged.copy();
    }

    /**
     * SHA-256 over a domain tag, the number of contributors, and each (contributor id, version)
     * as two little-endian u64 in ascending unsigned id order: what a head claims it merged.
     */
    public byte[] versionsDigest() {
        final MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        sha.update(DIGEST_DOMAIN);
        final ByteBuffer pair = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        pair.putInt(0, latest.size());
        sha.update(pair.array(), 0, 4);
        for (final Map.Entry<Long, Summary> e : latest.entrySet()) {
            pair.putLong(0, e.getKey());
            pair.putLong(8, e.getValue().version());
            sha.update(pair.array(), 0, 16);
        }
        return sha.digest();
    }

    /**
     * The contributor was admitted again (after it was removed): its next summary is taken even if
     * its version is not newer than the one held when it was removed (it re-sends what it had).
     */
    public void readmit(final long contributorId) {
        departed.remove(contributorId);
    }

    /** The held summary of {@code contributorId}, or {@code null}. */
    public Summary held(final long contributorId) {
        return latest.get(contributorId);
    }

    /** Held summaries in merge order (ascending unsigned contributor id); a read-only view. */
    public java.util.Collection<Summary> summaries() {
        return java.util.Collections.unmodifiableCollection(latest.values());
    }

    /**
     * The merge of the held summaries that {@code excluded} does not reject, in the same order as
     * {@link #merged()}: what a head sends up when some contributors are quarantined. Bits equal
     * {@link #merged()} when nothing is excluded.
     */
    public Moments mergedExcluding(final java.util.function.LongPredicate excluded) {
        final List<Moments> parts = new ArrayList<>(latest.size());
        for (final Summary s : latest.values()) {
            if (!excluded.test(s.contributorId())) {
                parts.add(s.momentsView());
            }
        }
        return Moments.mergeInOrder(dimension, parts);
    }

    /** The held version of {@code contributorId}, or -1 when none is held. */
    public long version(final long contributorId) {
        final Summary held = latest.get(contributorId);
        return held == null ? -1 : held.version();
    }

    /** Contributors held (direct children of this aggregate). */
    public int contributors() {
        return latest.size();
    }

    /** Agents covered: the sum of the held summaries' agent counts. */
    public long agentCount() {
        long sum = 0;
        for (final Summary s : latest.values()) {
            sum += s.agentCount();
        }
        return sum;
    }

    /** Leaf nodes covered: the sum of the held summaries' contributor counts. */
    public long leafCount() {
        long sum = 0;
        for (final Summary s : latest.values()) {
            sum += s.contributorCount();
        }
        return sum;
    }

    /**
     * This aggregate as the summary {@code selfId} sends up at tree level {@code level}. Agent and
     * leaf counts beyond u32 (only reachable with implausible inputs) are reported as u32's maximum.
     */
    public Summary toSummary(final long selfId, final long version, final int level) {
        if (level < 1) {
            throw new IllegalArgumentException("an aggregate's summary is at level >= 1, got " + level);
        }
        if (latest.isEmpty()) {
            throw new IllegalStateException("an empty aggregate has no summary (a head always holds its own)");
        }
        return new Summary(selfId, version, level, Math.min(agentCount(), StatUpdateBody.U32_MAX),
            Math.min(leafCount(), StatUpdateBody.U32_MAX), merged());
    }

    public int dimension() {
        return dimension;
    }

    public long accepted() {
        return accepted;
    }

    /** Offers of a version older than the one held. */
    public long ignoredOlder() {
        return ignoredOlder;
    }

    /** Offers of the held version with the same content: duplicates and resends. */
    public long ignoredSame() {
        return ignoredSame;
    }

    /** Offers of the held version with different content: the contributor equivocated. */
    public long ignoredConflicting() {
        return ignoredConflicting;
    }

    /** Offers from a removed contributor of a version no newer than the one it left with. */
    public long ignoredDeparted() {
        return ignoredDeparted;
    }

    /** New contributors refused because {@code contributorsMax} were held. */
    public long refusedFull() {
        return refusedFull;
    }

    /** Every offer that did not change the aggregate. */
    public long ignored() {
        return ignoredOlder + ignoredSame + ignoredConflicting + ignoredDeparted + refusedFull;
    }
}
