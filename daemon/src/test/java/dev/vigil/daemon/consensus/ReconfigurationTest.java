package dev.vigil.daemon.consensus;

import dev.vigil.crypto.PrivateKey;
import dev.vigil.crypto.PublicKey;
import dev.vigil.daemon.core.NodeLog;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A new directory epoch: the old committee orders the reconfiguration request, closes at the next
 * checkpoint, and the new committee (one member left, one joined) starts from that closing
 * checkpoint by state transfer, then orders new requests. Nodes host one replica per epoch;
 * messages go by (node id, epoch in their envelope), with random delays.
 */
class ReconfigurationTest {
    private static final ConsensusConfig CONFIG = TestKeys.testConfig(1);
    private static final int SHARD = 9;

    @Test
    void theNextCommitteeStartsFromTheClosingCheckpointAndGoesOn() {
        new TwoEpochs(11).run();
    }

    @Test
    void severalSeedsAgree() {
        for (long seed = 1; seed <= 8; seed++) {
            new TwoEpochs(seed).run();
        }
    }

    /** One run: four members in epoch 0, one of them replaced in epoch 1. */
    private static final class TwoEpochs {

    private final SplittableRandom rng;
    private final Map<Long, PublicKey> keys = new HashMap<>();
    private final Map<String, Replica> replicas = new HashMap<>();
    private final Map<String, ChainState> states = new HashMap<>();
    private final Map<String, List<Delivery>> delivered = new HashMap<>();
    private final PriorityQueue<long[]> queue = new PriorityQueue<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    private final List<Runnable> actions = new ArrayList<>();
    private final Map<Long, long[]> timers = new HashMap<>();
    private final List<StableCertificate> closedAt = new ArrayList<>();
    private long now = TestKeys.T0_MICROS;
    private final Verifier verifier;
    private final Signer issuer;
    private final Signer client;

    TwoEpochs(final long seed) {
        rng = new SplittableRandom(seed);
        final PrivateKey i = TestKeys.simulatedKey(seed, 999);
        final PrivateKey c = TestKeys.simulatedKey(seed, 500);
        keys.put(i.nodeId(), i.publicKey());
        keys.put(c.nodeId(), c.publicKey());
        issuer = new KeySigner(i);
        client = new KeySigner(c);
        verifier = KeySigner.verifier(keys::get);
    }

    private static String at(final long nodeId, final long epoch) {
        return Long.toHexString(nodeId) + "/" + epoch;
    }

    private void later(final long delayMicros, final Runnable action) {
        actions.add(action);
        queue.add(new long[] {now + delayMicros, actions.size() - 1});
    }

    private void runUntil(final java.util.function.BooleanSupplier done, final long maxMicros) {
        final long end = now + maxMicros;
        while (!done.getAsBoolean()) {
            final long[] e = queue.poll();
            assertThat(e).as(() -> "events left: " + statuses()).isNotNull();
            assertThat(e[0]).as(() -> "done in time: " + statuses()).isLessThanOrEqualTo(end);
            now = e[0];
            actions.get((int)e[1]).run();
        }
    }

    private String statuses() {
        final StringBuilder b = new StringBuilder();
        replicas.forEach((where, r) -> b.append("\n  ").append(where).append(": ").append(r.status().mode()).append(" view ")
            .append(r.status().view()).append(" h ").append(r.status().h()).append(" executed ").append(r.status().lastExecuted())
            .append(" ").append(r.counters().snapshot().entrySet().stream().filter(e -> e.getValue() > 0).toList()));
        return b.toString();
    }

    /** Routes by the node id and the epoch in the envelope (little-endian u64 at byte 4). */
    private void route(final long nodeId, final byte[] bytes) {
        long epoch = 0;
        for (int b = 0; b < 8; b++) {
            epoch |= (long)(bytes[4 + b] & 0xFF) << (8 * b);
        }
        // a state reply of epoch e may be for a replica of epoch e + 1 joining from it (see ReplicaEffects.send)
        final long[] epochs = bytes[0] == MessageKind.STATE_REPLY.code ? new long[] {epoch, epoch + 1} : new long[] {epoch};
        final long delay = 200 + rng.nextLong(8_000);
        for (final long e : epochs) {
            final String where = at(nodeId, e);
            later(delay, () -> {
                final Replica r = replicas.get(where);
                if (r != null) {
                    r.onMessage(bytes, now);
                    assertThat(r.counters().internalErrors()).as(where).isZero();
                }
            });
        }
    }

    private ReplicaEffects effects(final String where, final Committee committee, final long selfId) {
        return new ReplicaEffects() {
            @Override
            public void persist(final LogRecord record) {
            }

            @Override
            public void truncate(final long stableSeq) {
            }

            @Override
            public void send(final long nodeId, final byte[] message) {
                route(nodeId, message);
            }

            @Override
            public void broadcast(final byte[] message) {
                for (final CommitteeDirectory.Candidate c : committee.members()) {
                    if (c.nodeId() != selfId) {
                        route(c.nodeId(), message);
                    }
                }
            }

            @Override
            public void deliver(final Delivery d) {
                delivered.computeIfAbsent(where, x -> new ArrayList<>()).add(d);
            }

            @Override
            public void setTimer(final TimerKind kind, final long atMicros) {
                if (atMicros != NEVER) {
                    later(Math.max(0, atMicros - now), () -> {
                        final Replica r = replicas.get(where);
                        if (r != null) {
                            r.onTimer(kind, now);
                        }
                    });
                }
            }

            @Override
            public void epochClosed(final StableCertificate closing) {
                closedAt.add(closing);
            }
        };
    }

    private Signer member(final int which) {
        final PrivateKey k = TestKeys.simulatedKey(11, which);
        keys.put(k.nodeId(), k.publicKey());
        return new KeySigner(k);
    }

    private void submit(final Committee committee, final long epoch, final Request r) {
        for (final CommitteeDirectory.Candidate c : committee.members()) {
            final String where = at(c.nodeId(), epoch);
            later(200 + rng.nextLong(5_000), () -> replicas.get(where).onMessage(r.encode(), now));
        }
    }

    private long appliedEverywhere(final Committee committee, final long epoch, final Request r) {
        return committee.members().stream().filter(c -> delivered.getOrDefault(at(c.nodeId(), epoch), List.of()).stream()
            .flatMap(d -> d.outcomes().stream())
            .anyMatch(o -> o.request().sameAs(r) && o.status() == Delivery.Status.APPLIED)).count();
    }

    void run() {
        final Signer[] nodes = new Signer[5];
        final List<CommitteeDirectory.Candidate> all = new ArrayList<>();
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = member(i);
            all.add(new CommitteeDirectory.Candidate(nodes[i].id(), keys.get(nodes[i].id()).encoded(), "n" + i));
        }
        final CommitteeDirectory d0 = CommitteeDirectory.signed(0, issuer, all.subList(0, 4));
        final CommitteeDirectory d1 = CommitteeDirectory.signed(1, issuer, all.subList(1, 5));
        final Committee c0 = Committees.select(d0, SHARD, 1);
        final Committee c1 = Committees.select(d1, SHARD, 1);
        final Map<Long, Signer> byId = new HashMap<>();
        Arrays.stream(nodes).forEach(s -> byId.put(s.id(), s));
        for (final CommitteeDirectory.Candidate c : c0.members()) {
            final String where = at(c.nodeId(), 0);
            states.put(where, new ChainState());
            replicas.put(where, Replica.start(CONFIG, c0, byId.get(c.nodeId()), verifier, states.get(where),
                effects(where, c0, c.nodeId()), NodeLog.DISCARD, now));
        }

        // a client keeps one request outstanding: a lower one overtaken by a higher one would be a duplicate
        final List<Request> before = new ArrayList<>();
        for (int i = 1; i <= 13; i++) {
            final Request r = Request.signed(client, SHARD, i, ("before " + i).getBytes());
            before.add(r);
            submit(c0, 0, r);
            runUntil(() -> appliedEverywhere(c0, 0, r) == 4, 10_000_000);
        }

        // the new directory reaches every node: old members submit the reconfiguration, new ones join
        for (final CommitteeDirectory.Candidate c : c0.members()) {
            replicas.get(at(c.nodeId(), 0)).proposeReconfiguration(d1, now);
        }
        for (final CommitteeDirectory.Candidate c : c1.members()) {
            final String where = at(c.nodeId(), 1);
            states.put(where, new ChainState());
            replicas.put(where, Replica.join(CONFIG, c1, c0, byId.get(c.nodeId()), verifier, states.get(where),
                effects(where, c1, c.nodeId()), NodeLog.DISCARD, now));
        }
        runUntil(() -> c1.members().stream().allMatch(c -> replicas.get(at(c.nodeId(), 1)).status().active()), 20_000_000);

        assertThat(closedAt).isNotEmpty();
        final long closing = closedAt.get(0).seq();
        assertThat(closing % CONFIG.checkpointSeqs()).isZero();
        for (final CommitteeDirectory.Candidate c : c0.members()) {
            assertThat(replicas.get(at(c.nodeId(), 0)).status().closed()).as("old replicas closed").isTrue();
        }
        for (final CommitteeDirectory.Candidate c : c1.members()) {
            final ReplicaStatus s = replicas.get(at(c.nodeId(), 1)).status();
            assertThat(s.h()).isEqualTo(closing);
            assertThat(s.lastExecuted()).isEqualTo(closing);
            assertThat(states.get(at(c.nodeId(), 1)).applied()).as("state carried over").isEqualTo(13);
        }
        final Replica old = replicas.get(at(c0.memberId(0), 0));
        final long closedBefore = old.counters().refused(Refusal.CLOSED);
        old.onMessage(Request.signed(client, SHARD, 14, "too late".getBytes()).encode(), now);
        assertThat(old.counters().refused(Refusal.CLOSED)).as("a closed epoch takes no request").isEqualTo(closedBefore + 1);

        submit(c1, 1, before.get(3)); // executed in epoch 0: the carried client table refuses it
        for (int i = 14; i <= 30; i++) {
            final Request r = Request.signed(client, SHARD, i, ("after " + i).getBytes());
            submit(c1, 1, r);
            runUntil(() -> appliedEverywhere(c1, 1, r) == 4, 10_000_000);
        }
        byte[] digest = null;
        for (final CommitteeDirectory.Candidate c : c1.members()) {
            final Replica r = replicas.get(at(c.nodeId(), 1));
            assertThat(states.get(at(c.nodeId(), 1)).applied()).isEqualTo(30);
            assertThat(r.counters().refused(Refusal.REPLAY)).isPositive();
            digest = digest == null ? r.stateDigest() : digest;
            assertThat(r.stateDigest()).isEqualTo(digest);
            assertThat(r.counters().stateTransfers()).as("joined by state transfer").isOne();
        }
        assertThat(delivered.get(at(c1.memberId(0), 1)).get(0).seq()).isEqualTo(closing + 1);
        if (Boolean.getBoolean("consensus.trace")) {
            System.out.println(statuses());
        }
    }
    }
}
