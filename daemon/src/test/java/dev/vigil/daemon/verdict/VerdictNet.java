package dev.vigil.daemon.verdict;

import dev.vigil.crypto.Certificate;
import dev.vigil.crypto.ClusterCa;
import dev.vigil.crypto.PrivateKey;
import dev.vigil.crypto.verdict.VerdictCertificate;
import dev.vigil.daemon.consensus.CommitteeDirectory;
import dev.vigil.daemon.consensus.ConsensusLog;
import dev.vigil.daemon.consensus.LogRecord;
import dev.vigil.daemon.core.NodeLog;
import dev.vigil.daemon.core.Scheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Predicate;

/**
 * Nodes running {@link FleetVerdicts} over an in-memory network in virtual time, one thread: every
 * node in one cluster, node 0 the root, each message delayed 200 µs. A per-node filter may drop
 * what a node sends (a silent or partitioned node).
 */
final class VerdictNet {
    static final long T0 = Instant.parse("2026-06-01T00:00:00Z").toEpochMilli() * 1000;

    final List<Node> nodes = new ArrayList<>();
    final ClusterCa ca;
    final PrivateKey caKey;
    private final PriorityQueue<long[]> queue = new PriorityQueue<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    private final Map<Long, Runnable> actions = new HashMap<>();
    private long seq;
    long now = T0;
    /** Whether a node that is down drops out of the root's candidates (as the tree forgets a dead node); off by default. */
    boolean dropDownCandidates;
    long messages;
    long bytes;

    final class Node {
        final int index;
        final PrivateKey key;
        final Certificate certificate;
        /** Replaced by {@link #restart}: a new life on the same key, certificate and logs (its data dir). */
        FleetVerdicts verdicts;
        private final VerdictConfig config;
        final List<VerdictCertificate> received = new ArrayList<>();
        final Map<String, List<LogRecord>> logs = new HashMap<>();
        Predicate<byte[]> sendFilter = m -> true;
        boolean down;

        Node(final int index, final VerdictConfig config) {
            this.index = index;
            this.key = key(100 + index);
            this.certificate = ca.issue(key.publicKey(), Instant.parse("2026-01-01T00:00:00Z"), Duration.ofDays(365));
            this.config = config;
            this.verdicts = new FleetVerdicts(config, key, ca.publicKey(), tree(), env());
        }

        /** The node is killed: nothing it held in memory survives, its logs (and anything on disk) do. */
        void kill() {
            down = true;
        }

        /** The node starts again on its logs with a new {@link FleetVerdicts} (its timers of the old life never fire). */
        void restart() {
            verdicts = new FleetVerdicts(config, key, ca.publicKey(), tree(), env());
            life++;
            down = false;
        }

        /** Incremented at each restart: timers and messages of an earlier life are dropped. */
        int life;

        private VerdictTree tree() {
            return new VerdictTree() {
                @Override
                public List<Neighbour> neighbours() {
                    final List<Neighbour> out = new ArrayList<>();
                    for (final Node n : nodes) {
                        if (n != Node.this) {
                            out.add(new Neighbour(n.key.nodeId(), "n" + n.index));
                        }
                    }
                    return out;
                }

                @Override
                public boolean isRoot() {
                    return index == 0;
                }

                @Override
                public long rootId() {
                    return nodes.get(0).key.nodeId();
                }

                @Override
                public List<CommitteeDirectory.Candidate> candidates(final List<CommitteeDirectory.Candidate> previous, final int max) {
                    final List<CommitteeDirectory.Candidate> out = new ArrayList<>();
                    for (final Node n : nodes) {
                        if (n.down && dropDownCandidates) {
                            continue; // the tree forgot it
                        }
                        out.add(new CommitteeDirectory.Candidate(n.key.nodeId(), n.key.publicKey().encoded(), "n" + n.index));
                    }
                    return out.subList(0, Math.min(max, out.size()));
                }

                @Override
                public Certificate selfCertificate() {
                    return certificate;
                }
            };
        }

        private VerdictEnv env() {
            return new VerdictEnv() {
                @Override
                public long nowMicros() {
                    return now;
                }

                @Override
                public void send(final long nodeId, final String address, final byte[] message) {
                    if (down || !sendFilter.test(message)) {
                        return;
                    }
                    final Node to = nodes.get(Integer.parseInt(address.substring(1)));
                    if (to.key.nodeId() != nodeId) {
                        throw new AssertionError("address " + address + " is not node " + nodeId);
                    }
                    messages++;
                    bytes += message.length;
                    final long from = key.nodeId();
                    final String fromAddress = "n" + index;
                    final int toLife = to.life;
                    at(now + 200, () -> {
                        if (!to.down && to.life == toLife) {
                            to.verdicts.onMessage(from, fromAddress, message);
                        }
                    });
                }

                @Override
                public Scheduler scheduler() {
                    final int scheduledIn = life;
                    return (delay, action) -> {
                        final long id = at(now + delay, () -> {
                            if (!down && life == scheduledIn) {
                                action.run();
                            }
                        });
                        return () -> actions.remove(id);
                    };
                }

                @Override
                public NodeLog log() {
                    return NodeLog.DISCARD;
                }

                @Override
                public ConsensusLog consensusLog(final int shard, final long epoch) {
                    final List<LogRecord> records = logs.computeIfAbsent(shard + "/" + epoch, k -> new ArrayList<>());
                    return new ConsensusLog() {
                        @Override
                        public void append(final LogRecord record) {
                            records.add(record);
                        }

                        @Override
                        public void truncate(final long stableSeq) {
                        }

                        @Override
                        public List<LogRecord> records() {
                            return List.copyOf(records);
                        }
                    };
                }

                @Override
                public void dropConsensusLog(final int shard, final long epoch) {
                    logs.remove(shard + "/" + epoch);
                }

                @Override
                public List<dev.vigil.daemon.consensus.StoredLogs.Id> consensusLogsHeld() {
                    final List<dev.vigil.daemon.consensus.StoredLogs.Id> out = new ArrayList<>();
                    for (final String k : logs.keySet()) {
                        final String[] p = k.split("/");
                        out.add(new dev.vigil.daemon.consensus.StoredLogs.Id(Integer.parseInt(p[0]), Long.parseLong(p[1])));
                    }
                    return out;
                }

                @Override
                public void verdict(final VerdictCertificate certificate) {
                    received.add(certificate);
                }
            };
        }
    }

    VerdictNet(final int n, final VerdictConfig config) {
        this.caKey = key(1);
        this.ca = new ClusterCa(caKey);
        for (int i = 0; i < n; i++) {
            nodes.add(new Node(i, config));
        }
    }

    static PrivateKey key(final int seed) {
        final byte[] secret = new byte[PrivateKey.LENGTH];
        Arrays.fill(secret, (byte)seed);
        secret[1] = (byte)0x5A;
        return PrivateKey.of(secret);
    }

    long at(final long atMicros, final Runnable action) {
        final long id = seq++;
        actions.put(id, action);
        queue.add(new long[] {atMicros, id});
        return id;
    }

    /** Runs events and every node's tick each 100 ms until {@code forMicros} passed. */
    void run(final long forMicros) {
        final long end = now + forMicros;
        long nextTick = now;
        while (true) {
            final long[] head = queue.peek();
            final long nextEvent = head == null ? Long.MAX_VALUE : head[0];
            final long t = Math.min(nextEvent, nextTick);
            if (t > end) {
                now = end;
                return;
            }
            now = Math.max(now, t);
            if (t == nextTick && nextTick <= nextEvent) {
                nextTick += 100_000;
                for (final Node node : nodes) {
                    if (!node.down) {
                        node.verdicts.onTick();
                    }
                }
                continue;
            }
            queue.poll();
            final Runnable a = actions.remove(head[1]);
            if (a != null) {
                a.run();
            }
        }
    }
}
