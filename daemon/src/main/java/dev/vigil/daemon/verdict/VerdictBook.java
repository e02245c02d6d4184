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
 * <p>Bound: {@code entriesMax} certificates; at the bound the one issued earliest is dropped from
 * the store (an agent's latest verdict is what responses and {@code /v1/agents} need).
 */
public final class VerdictBook {
    /** One line of {@code GET /v1/verdicts}. */
    public record Entry(String id, String kind, String agent, int shard, long epoch, long sequence, int f, double logOdds,
                        double posterior, long issuedAtMicros, int signers, List<String> observers, String retracts) {
        public static Entry of(final VerdictCertificate c) {
            final Verdict v = c.verdict();
            final List<String> observers = new ArrayList<>();
            for (final long o : v.observers()) {
                observers.add(dev.vigil.crypto.NodeIds.toHex(o));
            }
            return new Entry(v.id(), v.kind().name().toLowerCase(java.util.Locale.ROOT), v.agentId(), v.shard(), v.epoch(), v.sequence(),
                v.f(), v.logOdds(), v.posterior(), v.issuedAtMicros(), c.signatures().size(), observers, v.retractedId());
        }
    }

    private final KeyValueStore store;
    private final int entriesMax;
    private final TreeMap<String, VerdictCertificate> byId = new TreeMap<>();
    private final Map<String, List<String>> byAgent = new HashMap<>();
    private long skippedAtOpen;
    private long storeFailures;

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
        byAgent.computeIfAbsent(c.verdict().agentId(), a -> new ArrayList<>()).add(c.verdict().id());
    }

    private void drop(final VerdictCertificate c) {
        final String id = c.verdict().id();
        byId.remove(id);
        final List<String> ids = byAgent.get(c.verdict().agentId());
        if (ids != null) {
            ids.remove(id);
            if (ids.isEmpty()) {
                byAgent.remove(c.verdict().agentId());
            }
        }
        store.remove(key(id));
    }

    private static byte[] key(final String id) {
        return ("v/" + id).getBytes(StandardCharsets.US_ASCII);
    }

    public VerdictCertificate get(final String id) {
        return byId.get(id);
    }

    /** Every certificate held, newest first. */
    public List<Entry> list() {
        final List<Entry> out = new ArrayList<>();
        byId.values().forEach(c -> out.add(Entry.of(c)));
        out.sort(Comparator.comparingLong(Entry::issuedAtMicros).reversed().thenComparing(Entry::id));
        return out;
    }

    /**
     * The fleet's standing verdict on an agent: its latest convict not retracted by a later release,
     * or null.
     */
    public VerdictCertificate standing(final String agent) {
        final List<String> ids = byAgent.get(agent);
        if (ids == null) {
            return null;
        }
        VerdictCertificate latest = null;
        for (final String id : ids) {
            final VerdictCertificate c = byId.get(id);
            if (latest == null || c.verdict().issuedAtMicros() > latest.verdict().issuedAtMicros()) {
                latest = c;
            }
        }
        return latest == null || latest.verdict().kind() != Verdict.Kind.CONVICT ? null : latest;
    }

    public int size() {
        return byId.size();
    }

    public long skippedAtOpen() {
        return skippedAtOpen;
    }

    public long storeFailures() {
        return storeFailures;
    }
}
