package dev.vigil.daemon.verdict;

import dev.vigil.crypto.verdict.Verdict;
import dev.vigil.crypto.verdict.VerdictCertificate;
import dev.vigil.storage.KeyValueStore;
import dev.vigil.storage.StoreException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The verdict certificates this node holds, by id, kept in a store (key: "v/" and the verdict id;
 * value: the certificate's bytes) so that they survive a restart, and indexed in memory by agent.
 * Only certificates that verified are added; a stored entry that no longer decodes at start is
 * skipped and counted.
 *
 * <p>An operator's release retracts exactly the conviction it names: that conviction is listed with
 * the release's id ({@link Entry#releasedBy}) and no longer stands; a later conviction of the agent
 * (on new evidence) stands again.
 *
 * <p>Bound: {@code entriesMax} certificates; at the bound the one issued earliest is dropped from
 * the store (an agent's latest verdict is what responses and {@code /v1/agents} need). The index of
 * releases by the verdict they retract holds only certificates the book holds.
 */
public final class VerdictBook {
    /**
     * One line of {@code GET /v1/verdicts}.
     *
     * @param retracts   a release: the id of the verdict it retracts; null for a conviction
     * @param releasedBy a conviction: the id of an operator release of it this node holds; null while it stands (and for a release)
     */
    public record Entry(String id, String kind, String agent, int shard, long epoch, long sequence, int f, double logOdds,
                        double posterior, long issuedAtMicros, int signers, List<String> observers, String retracts,
                        String releasedBy) {
        /** The certificate as it stands alone (no release known). */
        public static Entry of(final VerdictCertificate c) {
            return of(c, null);
        }

        public static Entry of(final VerdictCertificate c, final String releasedBy) {
            final Verdict v = c.verdict();
            final List<String> observers = new ArrayList<>();
            for (final long o : v.observers()) {
                observers.add(dev.vigil.crypto.NodeIds.toHex(o));
            }
            return new Entry(v.id(), v.kind().name().toLowerCase(java.util.Locale.ROOT), v.agentId(), v.shard(), v.epoch(), v.sequence(),
                v.f(), v.logOdds(), v.posterior(), v.issuedAtMicros(), c.signatures().size(), observers, v.retractedId(), releasedBy);
        }
    }

    private final KeyValueStore store;
    private final int entriesMax;
    private final TreeMap<String, VerdictCertificate> byId = new TreeMap<>();
    private final Map<String, List<String>> byAgent = new HashMap<>();
    /** Retracted verdict id → the id of a release of it held (the first one held); as bounded as the book. */
    private final Map<String, String> releasedBy = new HashMap<>();
    private long skippedAtOpen;
    private long storeFailures;
    /** Certificates held, by {@link Verdict.Kind} ordinal. */
    private final int[] heldByKind = new int[Verdict.Kind.values().length];

    public VerdictBook(final KeyValueStore store, final int entriesMax) {
        this.store = store;
        this.entriesMax = entriesMax;
        store.forEach((k, v) -> {
            if (k.length < 2 || k[0] != 'v' || k[1] != '/') {
                return; // the store is shared with what the node did about verdicts
            }
            try {
                index(VerdictCertificate.decode(v));
            } catch (final IllegalArgumentException e) {
                skippedAtOpen++;
            }
        }, k -> skippedAtOpen++);
    }

    /** @return whether it was new */
    public boolean add(final VerdictCertificate c) {
        final String id = c.verdict().id();
        if (byId.containsKey(id)) {
            return false;
        }
        while (byId.size() >= entriesMax) {
            final VerdictCertificate oldest = byId.values().stream()
                .min(Comparator.comparingLong(x -> x.verdict().issuedAtMicros())).orElseThrow();
            drop(oldest);
        }
        try {
            store.put(key(id), c.encoded());
        } catch (final StoreException e) {
            storeFailures++; // held in memory still: it verified, and losing it on restart is the lesser harm
        }
        index(c);
        return true;
    }

    private void index(final VerdictCertificate c) {
        byId.put(c.verdict().id(), c);
        heldByKind[c.verdict().kind().ordinal()]++;
        byAgent.computeIfAbsent(c.verdict().agentId(), a -> new ArrayList<>()).add(c.verdict().id());
        if (c.verdict().kind() == Verdict.Kind.RELEASE) {
            releasedBy.putIfAbsent(c.verdict().retractedId(), c.verdict().id());
        }
    }

    private void drop(final VerdictCertificate c) {
        final String id = c.verdict().id();
        byId.remove(id);
        heldByKind[c.verdict().kind().ordinal()]--;
        final List<String> ids = byAgent.get(c.verdict().agentId());
        if (ids != null) {
            ids.remove(id);
            if (ids.isEmpty()) {
                byAgent.remove(c.verdict().agentId());
            }
        }
        store.remove(key(id));
        if (c.verdict().kind() == Verdict.Kind.RELEASE && id.equals(releasedBy.get(c.verdict().retractedId()))) {
            // another release of the same verdict may still be held
            releasedBy.remove(c.verdict().retractedId());
            for (final String other : byAgent.getOrDefault(c.verdict().agentId(), List.of())) {
                final Verdict v = byId.get(other).verdict();
                if (v.kind() == Verdict.Kind.RELEASE && v.retractedId().equals(c.verdict().retractedId())) {
                    releasedBy.put(v.retractedId(), other);
                    break;
                }
            }
        }
    }

    private static byte[] key(final String id) {
        return ("v/" + id).getBytes(StandardCharsets.US_ASCII);
    }

    public VerdictCertificate get(final String id) {
        return byId.get(id);
    }

    /** Every certificate held, newest first; a conviction names a release of it held ({@link Entry#releasedBy}). */
    public List<Entry> list() {
        final List<Entry> out = new ArrayList<>();
        byId.values().forEach(c -> out.add(entry(c)));
        out.sort(Comparator.comparingLong(Entry::issuedAtMicros).reversed().thenComparing(Entry::id));
        return out;
    }

    /** One held certificate as a line of {@link #list}, with the release of it if one is held. */
    public Entry entry(final VerdictCertificate c) {
        return Entry.of(c, releasedBy(c.verdict().id()));
    }

    /** The id of a release held that retracts the verdict {@code id}, or null. */
    public String releasedBy(final String id) {
        return releasedBy.get(id);
    }

    /**
     * The fleet's standing verdict on an agent: its latest conviction that no release held retracts,
     * or null. A release retracts exactly the verdict it names, so a conviction issued after it (on
     * new evidence) stands.
     */
    public VerdictCertificate standing(final String agent) {
        final VerdictCertificate latest = latestConviction(agent);
        return latest == null || releasedBy.containsKey(latest.verdict().id()) ? null : latest;
    }

    /** The agent's latest conviction held, released or not (see {@link #releasedBy}), or null. */
    public VerdictCertificate latestConviction(final String agent) {
        final List<String> ids = byAgent.get(agent);
        if (ids == null) {
            return null;
        }
        VerdictCertificate latest = null;
        for (final String id : ids) {
            final VerdictCertificate c = byId.get(id);
            if (c.verdict().kind() == Verdict.Kind.CONVICT
                && (latest == null || c.verdict().issuedAtMicros() > latest.verdict().issuedAtMicros())) {
                latest = c;
            }
        }
        return latest;
    }

    public int size() {
        return byId.size();
    }

    /** Certificates held of one kind. */
    public int held(final Verdict.Kind kind) {
        return heldByKind[kind.ordinal()];
    }

    public long skippedAtOpen() {
        return skippedAtOpen;
    }

    public long storeFailures() {
        return storeFailures;
    }
}
