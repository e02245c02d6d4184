package dev.vigil.daemon.consensus;

import dev.vigil.crypto.PrivateKey;
import dev.vigil.crypto.PublicKey;
import dev.vigil.daemon.core.NodeLog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One replica of a committee of 3f + 1 under test, with the other members' keys so a test can
 * craft their (validly signed) messages, and every effect recorded in order.
 */
final class OneReplica {
    static final long T0 = TestKeys.T0_MICROS;

    /** One recorded effect. */
    record Effect(String kind, LogRecord record, long to, byte[] message, Delivery delivery) {
        Message decoded(final Limits limits) {
            return message == null ? null : Messages.decode(message, limits).message();
        }

        @Override
        public String toString() {
            return kind + (record != null ? " " + record.getClass().getSimpleName() + "@" + record.seq() : "")
                + (message != null ? " " + Messages.decode(message, Limits.of(ConsensusConfig.defaults(), 64)).message() : "");
        }
    }

    final ConsensusConfig config;
    final Committee committee;
    final Signer[] members;
    final Signer client;
    final Signer issuer;
    final Verifier verifier;
    /** Keys the replica's verifier does not hold (yet): a test takes one out to show a client learned late. */
    final java.util.Set<Long> hiddenKeys = new java.util.HashSet<>();
    final int self;
    final List<Effect> effects = new ArrayList<>();
    final ChainState state = new ChainState();
    final Replica replica;
    long now = T0;

    OneReplica(final int f, final int self, final ConsensusConfig config) {
        this.config = config;
        this.self = self;
        final Map<Long, PublicKey> keys = new HashMap<>();
        final List<CommitteeDirectory.Candidate> candidates = new ArrayList<>();
        final List<PrivateKey> memberKeys = new ArrayList<>();
        for (int i = 0; i < 3 * f + 1; i++) {
            final PrivateKey k = TestKeys.simulatedKey(77, i);
            memberKeys.add(k);
            keys.put(k.nodeId(), k.publicKey());
            candidates.add(new CommitteeDirectory.Candidate(k.nodeId(), k.publicKey().encoded(), "m" + i));
        }
        final PrivateKey clientKey = TestKeys.simulatedKey(77, 500);
        final PrivateKey issuerKey = TestKeys.simulatedKey(77, 999);
        keys.put(clientKey.nodeId(), clientKey.publicKey());
        keys.put(issuerKey.nodeId(), issuerKey.publicKey());
        this.client = new KeySigner(clientKey);
        this.issuer = new KeySigner(issuerKey);
        this.verifier = KeySigner.verifier(id -> hiddenKeys.contains(id) ? null : keys.get(id));
        this.committee = Committees.select(CommitteeDirectory.signed(0, issuer, candidates), 3, f);
        this.members = new Signer[committee.n()];
        for (final PrivateKey k : memberKeys) {
            members[committee.indexOf(k.nodeId())] = new KeySigner(k);
        }
        this.replica = Replica.start(config, committee, members[self], verifier, state, recorder(), NodeLog.DISCARD, now);
    }

    private ReplicaEffects recorder() {
        return new ReplicaEffects() {
            @Override
            public void persist(final LogRecord record) {
                effects.add(new Effect("persist", record, 0, null, null));
            }

            @Override
            public void truncate(final long stableSeq) {
                effects.add(new Effect("truncate", null, stableSeq, null, null));
            }

            @Override
            public void send(final long nodeId, final byte[] message) {
                effects.add(new Effect("send", null, nodeId, message, null));
            }

            @Override
            public void broadcast(final byte[] message) {
                effects.add(new Effect("broadcast", null, 0, message, null));
            }

            @Override
            public void deliver(final Delivery delivery) {
                effects.add(new Effect("deliver", null, 0, null, delivery));
            }

            @Override
            public void setTimer(final TimerKind kind, final long atMicros) {
                effects.add(new Effect("timer-" + kind, null, atMicros, null, null));
            }
        };
    }

    Limits limits() {
        return replica.limits();
    }

    void receive(final Message m) {
        replica.onMessage(m.encode(), now);
    }

    Request request(final long seq) {
        return Request.signed(client, committee.shard(), seq, ("op " + seq).getBytes());
    }

    /** The pre-prepare the primary of {@code view} would send for {@code batch} at {@code seq}. */
    Proposal proposal(final long view, final long seq, final Batch batch) {
        final Signer primary = members[committee.primaryIndex(view)];
        return new Proposal(Vote.signed(MessageKind.PRE_PREPARE, committee, primary, view, seq, batch.digest()), batch);
    }

    Vote vote(final MessageKind kind, final int member, final long view, final long seq, final byte[] digest) {
        return Vote.signed(kind, committee, members[member], view, seq, digest);
    }

    /** Effects recorded since {@code from}, decoded messages of a kind. */
    List<Message> sent(final MessageKind kind) {
        final List<Message> out = new ArrayList<>();
        for (final Effect e : effects) {
            final Message m = e.decoded(limits());
            if (m != null && m.kind() == kind) {
                out.add(m);
            }
        }
        return out;
    }

    long refused(final Refusal r) {
        return replica.counters().refused(r);
    }

    long accepted(final MessageKind k) {
        return replica.counters().accepted(k);
    }
}
