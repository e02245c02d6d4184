package dev.vigil.daemon.verdict;

import dev.vigil.daemon.consensus.Committee;
import dev.vigil.daemon.consensus.CommitteeDirectory;
import dev.vigil.daemon.consensus.Committees;
import dev.vigil.daemon.consensus.Request;
import dev.vigil.daemon.consensus.Signer;
import dev.vigil.daemon.consensus.evidence.EvidenceBatch;

import java.util.HashMap;
import java.util.Map;

/**
 * This node as an observer: its detector's windows become excursion records ({@link Excursions}),
 * queued per shard ({@link ShardOutbox}) and sent, signed once per request, to every member of the
 * shard's committee (so each member holds the request, and the observer's certificate, before the
 * primary proposes it). Nothing is sent before the node holds a directory; records wait meanwhile.
 * An operator release handed to this node's API goes to the agent's committee the same way, as
 * this node's request ({@link #submitRelease}).
 */
public final class Observing {
    /** What status shows of the observer's side. */
    public record Status(int agentsFollowed, int recordsWaiting, int requestsInFlight, long recordsDropped, long requestsDone,
                         long resends, long renumbered) {
    }

    private final FleetVerdicts host;
    private final VerdictConfig config;
    private final VerdictEnv env;
    private final Signer signer;
    private final VerdictTree tree;
    private final VerdictCounters counters;
    private final Excursions excursions;
    private final Map<Integer, ShardOutbox> outboxes = new HashMap<>();
    private FleetVerdicts.RequestListener requestsDone = FleetVerdicts.RequestListener.NONE;

    Observing(final FleetVerdicts host, final VerdictConfig config, final VerdictEnv env, final Signer signer, final VerdictTree tree,
              final VerdictCounters counters) {
        this.host = host;
        this.config = config;
        this.env = env;
        this.signer = signer;
        this.tree = tree;
        this.counters = counters;
        this.excursions = new Excursions(config.sendLevel(), config.agentsMax());
    }

    /** The detector's raw LLR and CUSUM; the excursion follows the raw CUSUM, the increments sent are tempered. */
    void onScore(final String agent, final double llr, final double cusumAfter) {
        for (final Excursions.Pending p : excursions.onScore(agent, llr * config.llrTemper(), cusumAfter)) {
            final int shard = Committees.shardOf(agent, config.shards());
            final ShardOutbox box = outboxes.computeIfAbsent(shard, s -> new ShardOutbox(s, config.outboxRecordsMax(), host::releasedSeen));
            box.add(p);
            sendNext(box, env.nowMicros());
        }
    }

    void onDirectory(final CommitteeDirectory next) {
        final long now = env.nowMicros();
        for (final ShardOutbox box : outboxes.values()) {
            final ShardOutbox.InFlight f = box.inFlight();
            if (f != null) {
                send(box, f); // to the new committee, which continues from the old one's state
            } else {
                sendNext(box, now);
            }
        }
    }

    FleetVerdicts.Outcome onAck(final long fromId, final FleetMessage.Ack ack) {
        final ShardOutbox box = outboxes.get(ack.shard());
        final Committee committee = host.committee(ack.shard(), ack.epoch());
        if (box == null || committee == null) {
            return FleetVerdicts.Outcome.IGNORED; // an ack for nothing this node has out (a late repeat): not an error
        }
        if (committee.indexOf(fromId) < 0) {
            return host.refuse("ack-not-member", fromId, "ack for shard " + ack.shard() + " epoch " + ack.epoch()
                + " from a node not on its committee");
        }
        final ShardOutbox.InFlight f = box.inFlight();
        if (f == null || f.requestSeq != ack.requestSeq()) {
            return FleetVerdicts.Outcome.IGNORED; // for a request done already, or not yet sent: a late repeat
        }
        final ShardOutbox.InFlight out = box.inFlight();
        if (box.onAck(committee, fromId, ack)) {
            final long now = env.nowMicros();
            requestsDone.done(box.shard, out.records.size(), now - out.firstSentMicros);
            sendNext(box, now);
        }
        return FleetVerdicts.Outcome.ACCEPTED;
    }

    /** See {@link FleetVerdicts#offerEvidence}: queued as if the excursion tracking had produced them, then sent as usual. */
    int offer(final String agent, final long excursion, final double[][] increments) {
        final int shard = Committees.shardOf(agent, config.shards());
        final ShardOutbox box = outboxes.computeIfAbsent(shard, s -> new ShardOutbox(s, config.outboxRecordsMax(), host::releasedSeen));
        for (final double[] xs : increments) {
            box.add(new Excursions.Pending(agent, excursion, xs));
        }
        sendNext(box, env.nowMicros());
        return box.waiting();
    }

    /**
     * Queues an operator release (a {@code ReleaseRequest} payload) for the shard's committee, sent
     * as this node's request like its evidence (see {@link ShardOutbox}).
     *
     * @return false when the shard's outbox holds as many releases as it may
     */
    boolean submitRelease(final int shard, final byte[] payload) {
        final ShardOutbox box = outboxes.computeIfAbsent(shard, s -> new ShardOutbox(s, config.outboxRecordsMax(), host::releasedSeen));
        if (!box.addRelease(payload)) {
            return false;
        }
        sendNext(box, env.nowMicros());
        return true;
    }

    void onRequestDone(final FleetVerdicts.RequestListener listener) {
        this.requestsDone = listener;
    }

    void onTick(final long now) {
        for (final ShardOutbox box : outboxes.values()) {
            final ShardOutbox.InFlight again = box.resendDue(now, config.resendMicrosMax());
            if (again != null) {
                send(box, again);
            } else {
                sendNext(box, now);
            }
        }
    }

    private void sendNext(final ShardOutbox box, final long now) {
        if (host.committee(box.shard) == null) {
            return;
        }
        final ShardOutbox.InFlight f = box.next(now, config.resendMicrosMin());
        if (f != null) {
            counters.evidenceRecordsSent += f.records.size(); // 0 for a release
            send(box, f);
        }
    }

    private void send(final ShardOutbox box, final ShardOutbox.InFlight f) {
        final Committee committee = host.committee(box.shard);
        if (committee == null) {
            return;
        }
        final byte[] payload = f.release != null ? f.release : new EvidenceBatch(env.nowMicros(), f.records).encode();
        final byte[] request = Request.signed(signer, box.shard, f.requestSeq, payload).encode();
        final byte[] message = new FleetMessage.EvidenceMessage(tree.selfCertificate(), box.shard, committee.epoch(), request).encode();
        counters.evidenceRequestsSent++;
        for (final CommitteeDirectory.Candidate m : committee.members()) {
            host.send(m.nodeId(), m.address(), message);
            counters.evidenceBytesSent += message.length;
        }
    }

    boolean follows(final String agent) {
        return excursions.follows(agent);
    }

    Status status() {
        int waiting = 0;
        int inFlight = 0;
        long dropped = 0;
        long done = 0;
        long resends = 0;
        long renumbered = 0;
        for (final ShardOutbox b : outboxes.values()) {
            waiting += b.waiting();
            inFlight += b.inFlight() == null ? 0 : 1;
            dropped += b.dropped;
            done += b.requestsDone;
            resends += b.resends;
            renumbered += b.renumbered;
        }
        return new Status(excursions.agents(), waiting, inFlight, dropped, done, resends, renumbered);
    }
}
