package dev.vigil.daemon.verdict;

import dev.vigil.daemon.consensus.Committee;
import dev.vigil.daemon.consensus.evidence.EvidenceBatch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What this node, as an observer, has to tell one shard's committee: records waiting, and at most
 * one request in flight (PBFT's one outstanding request per client). A request counts as done when
 * f + 1 members of the committee acknowledged it with the same next expected dot (at least one of
 * them honest, and honest replicas agree); until then it is sent again, with backoff.
 *
 * <p>Dots are given when records are packed into a request, consecutive from the committee's next
 * expected one: a restarted observer starts at 1, learns from the acknowledgement that its records
 * were taken for duplicates of its earlier life and sends them again from where the committee is.
 *
 * <p>Operator releases ({@code ReleaseRequest} payloads) share the one request in flight: each goes
 * alone in a request of its own, before any evidence waiting (a release is rare and the operator
 * waits on it), done like evidence on f + 1 agreeing acknowledgements; it carries no dots and
 * changes none.
 *
 * <p>Bounds: {@code recordsMax} records waiting; at the bound the newest is dropped and counted
 * (evidence is about the present; an agent that stays anomalous produces more).
 * {@value #RELEASES_MAX} releases waiting; at the bound a new one is refused to its submitter
 * (the API answers 503: the operator tries again).
 */
final class ShardOutbox {
    static final int RELEASES_MAX = 16;

    final int shard;
    private final int recordsMax;
    private final ArrayDeque<Excursions.Pending> waiting = new ArrayDeque<>();
    private final ArrayDeque<byte[]> releases = new ArrayDeque<>();
    private long nextDot = 1;
    private long lastRequestSeq;
    private InFlight inFlight;
    long dropped;
    long requestsDone;
    long resends;
    long renumbered;

    /** The request out now: its records with their dots (or a release), and the acknowledgements so far by member. */
    static final class InFlight {
        final long requestSeq;
        final List<EvidenceBatch.Record> records;
        /** A release request's payload, sent as it is; null for evidence. */
        final byte[] release;
        final Map<Long, FleetMessage.Ack> acks = new HashMap<>();
        final long firstSentMicros;
        long resendAtMicros;
        long backoffMicros;

        InFlight(final long requestSeq, final List<EvidenceBatch.Record> records, final byte[] release, final long now,
                 final long backoffMicros) {
            assert (release == null) != records.isEmpty() : "a request carries records or one release";
            this.requestSeq = requestSeq;
            this.records = records;
            this.release = release;
            this.firstSentMicros = now;
            this.backoffMicros = backoffMicros;
            this.resendAtMicros = now + backoffMicros;
        }

        long firstDot() {
            return records.get(0).seq();
        }

        long lastDot() {
            return records.get(records.size() - 1).seq();
        }
    }

    /** Per agent, the conviction whose release this node saw last (0: none): each record names it (it depends on that release). */
    private final java.util.function.ToLongFunction<String> releasedOf;

    ShardOutbox(final int shard, final int recordsMax, final java.util.function.ToLongFunction<String> releasedOf) {
        this.shard = shard;
        this.recordsMax = recordsMax;
        this.releasedOf = releasedOf;
    }

    void add(final Excursions.Pending p) {
        if (waiting.size() >= recordsMax) {
            dropped++;
            return;
        }
        waiting.add(p);
    }

    /** @return false when {@link #RELEASES_MAX} releases wait already (nothing queued) */
    boolean addRelease(final byte[] payload) {
        if (releases.size() >= RELEASES_MAX) {
            return false;
        }
        releases.add(payload);
        return true;
    }

    int waiting() {
        return waiting.size();
    }

    int releasesWaiting() {
        return releases.size();
    }

    InFlight inFlight() {
        return inFlight;
    }

    /** Packs the next request if none is in flight and records wait; null otherwise. */
    InFlight next(final long nowMicros, final long backoffMicros) {
        if (inFlight != null || waiting.isEmpty() && releases.isEmpty()) {
            return null;
        }
        if (!releases.isEmpty()) {
            lastRequestSeq = Math.max(lastRequestSeq + 1, nowMicros);
            inFlight = new InFlight(lastRequestSeq, List.of(), releases.poll(), nowMicros, backoffMicros);
            return inFlight;
        }
        final List<EvidenceBatch.Record> records = new ArrayList<>();
        int bytes = 32;
        while (!waiting.isEmpty() && records.size() < EvidenceBatch.RECORDS_MAX) {
            final Excursions.Pending p = waiting.peek();
            final int size = 24 + p.agent().length() * 3 + 8 * p.increments().length;
            if (!records.isEmpty() && bytes + size > EvidenceBatch.BYTES_MAX) {
                break;
            }
            waiting.poll();
            bytes += size;
            records.add(new EvidenceBatch.Record(nextDot++, p.agent(), p.excursion(), p.increments(), releasedOf.applyAsLong(p.agent())));
        }
        lastRequestSeq = Math.max(lastRequestSeq + 1, nowMicros);
        inFlight = new InFlight(lastRequestSeq, records, null, nowMicros, backoffMicros);
        return inFlight;
    }

    /**
     * An acknowledgement from a member of {@code committee}.
     *
     * @return true when it completed the request in flight (the caller sends the next)
     */
    boolean onAck(final Committee committee, final long from, final FleetMessage.Ack ack) {
        if (inFlight == null || ack.requestSeq() != inFlight.requestSeq || committee.indexOf(from) < 0) {
            return false;
        }
        inFlight.acks.put(from, ack);
        int agreeing = 0;
        for (final FleetMessage.Ack a : inFlight.acks.values()) {
            if (a.nextExpected() == ack.nextExpected() && a.duplicates() == ack.duplicates()) {
                agreeing++;
            }
        }
        if (agreeing < committee.f() + 1) {
            return false;
        }
        final InFlight done = inFlight;
        inFlight = null;
        requestsDone++;
        if (done.release != null) {
            return true; // a release carries no dots: where the committee expects this observer's next ones is unchanged
        }
        if (ack.nextExpected() > done.lastDot()) {
            nextDot = ack.nextExpected();
            return true;
        }
        // the committee wants dots from nextExpected: records it took for duplicates of an earlier
        // life (duplicates > 0), or that wait behind a gap, go again, numbered from there
        final List<EvidenceBatch.Record> again = new ArrayList<>();
        for (final EvidenceBatch.Record r : done.records) {
            if (ack.duplicates() > 0 || r.seq() >= ack.nextExpected()) {
                again.add(r);
            }
        }
        renumbered += again.size();
        nextDot = ack.nextExpected();
        for (int i = again.size() - 1; i >= 0; i--) {
            final EvidenceBatch.Record r = again.get(i);
            waiting.addFirst(new Excursions.Pending(r.agent(), r.excursion(), r.increments()));
        }
        return true;
    }

    /** @return the request to send again now, or null */
    InFlight resendDue(final long nowMicros, final long backoffMaxMicros) {
        if (inFlight == null || nowMicros < inFlight.resendAtMicros) {
            return null;
        }
        inFlight.backoffMicros = Math.min(backoffMaxMicros, inFlight.backoffMicros * 2);
        inFlight.resendAtMicros = nowMicros + inFlight.backoffMicros;
        resends++;
        return inFlight;
    }
}
