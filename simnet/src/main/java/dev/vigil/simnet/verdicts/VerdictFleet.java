package dev.vigil.simnet.verdicts;

import dev.vigil.accel.Kernels;
import dev.vigil.crypto.Certificate;
import dev.vigil.crypto.ClusterCa;
import dev.vigil.crypto.PrivateKey;
import dev.vigil.crypto.verdict.VerdictCertificate;
import dev.vigil.daemon.consensus.CommitteeDirectory;
import dev.vigil.daemon.consensus.ConsensusLog;
import dev.vigil.daemon.consensus.Limits;
import dev.vigil.daemon.consensus.MemoryLog;
import dev.vigil.daemon.core.NodeLog;
import dev.vigil.daemon.core.Scheduler;
import dev.vigil.daemon.verdict.FleetVerdicts;
import dev.vigil.daemon.verdict.VerdictConfig;
import dev.vigil.daemon.verdict.VerdictEnv;
import dev.vigil.daemon.verdict.VerdictTree;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * N nodes, each running the daemon's {@link FleetVerdicts}, on a simulated network in virtual
 * time, one thread, from one seed. What stands in for the rest of a daemon: the tree is a fixed
 * {@value #FANOUT}-ary tree over the node indices (node 0 the root; neighbours are parent and
 * children, so a directory or certificate flooded through them reaches every node), the root's
 * candidates are the first {@code candidates} nodes, one-way latency is 5–60 ms per message,
 * drawn from the seed (-Dvigil.fleetdetect.latency_spread_us=0 makes it a constant 5 ms, to tell
 * what reordering causes), and keys are simnet's simulated signatures (a node's certificate from a
 * simulated cluster CA). Consensus logs are in memory.
 */
final class VerdictFleet {
    static final int FANOUT = 32;
    private static final long LATENCY_MICROS_MIN = 5_000;
    private static final long LATENCY_MICROS_SPREAD = Long.getLong("vigil.fleetdetect.latency_spread_us", 55_000);
    /** {@code -Dvigil.fleetdetect.trace=true}: every node's log lines, debug included, on stderr with the virtual time (debugging one seed). */
    private static final boolean TRACE = Boolean.getBoolean("vigil.fleetdetect.trace");

    interface Listener {
        void verdict(int node, VerdictCertificate certificate, long nowMicros);
    }

    final List<Node> nodes = new ArrayList<>();
    final ClusterCa ca;
    private final SplittableRandom rng;
    private final PriorityQueue<long[]> queue = new PriorityQueue<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    private final Map<Long, Runnable> actions = new HashMap<>();
    private final Map<Long, Integer> indexById = new HashMap<>();
    private final int candidates;
    private final Limits logLimits;
    private final Listener listener;
    private final Kernels kernels;
    private long seq;
    long nowMicros;
    long messages;
    long bytes;
    /** By fleet message tag (1..6), and replica messages by consensus message kind (16 + kind). */
    final long[] messagesByKind = new long[32];
    final long[] bytesByKind = new long[32];
    long events;

    final class Node {
        final int index;
        final PrivateKey key;
        final Certificate certificate;
        final FleetVerdicts verdicts;
        final String address;

        Node(final int index, final VerdictConfig config, final long seed) {
            this.index = index;
            this.key = key(seed, 1 + index);
            this.certificate = ca.issue(key.publicKey(), Instant.ofEpochSecond(nowMicros / 1_000_000).minus(Duration.ofDays(1)),
                Duration.ofDays(400));
            this.address = "n" + index;
            this.verdicts = new FleetVerdicts(config, key, ca.publicKey(), tree(), env());
        }

        private VerdictTree tree() {
            return new VerdictTree() {
                @Override
                public List<Neighbour> neighbours() {
                    final List<Neighbour> out = new ArrayList<>();
                    if (index > 0) {
                        final Node parent = nodes.get((index - 1) / FANOUT);
                        out.add(new Neighbour(parent.key.nodeId(), parent.address));
                    }
                    for (int c = index * FANOUT + 1; c <= index * FANOUT + FANOUT && c < nodes.size(); c++) {
                        out.add(new Neighbour(nodes.get(c).key.nodeId(), nodes.get(c).address));
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
                    for (int i = 0; i < Math.min(Math.min(candidates, max), nodes.size()); i++) {
                        final Node n = nodes.get(i);
                        out.add(new CommitteeDirectory.Candidate(n.key.nodeId(), n.key.publicKey().encoded(), n.address));
                    }
                    return out;
                }

                @Override
                public Certificate selfCertificate() {
                    return certificate;
                }
            };
        }

        private VerdictEnv env() {
            final Map<String, ConsensusLog> logs = new HashMap<>();
            return new VerdictEnv() {
                @Override
                public long nowMicros() {
                    return VerdictFleet.this.nowMicros;
                }

                @Override
                public void send(final long nodeId, final String address, final byte[] message) {
                    final Node to = nodes.get(Integer.parseInt(address.substring(1)));
                    if (to.key.nodeId() != nodeId) {
                        throw new IllegalStateException("address " + address + " is not node " + Long.toHexString(nodeId));
                    }
                    messages++;
                    bytes += message.length;
                    final int kind = message[0] == 1 && message.length > 11 ? 16 + (message[11] & 0x0F) : message[0] & 0x0F;
                    messagesByKind[kind]++;
                    bytesByKind[kind] += message.length;
                    final long from = key.nodeId();
                    at(VerdictFleet.this.nowMicros + LATENCY_MICROS_MIN + (LATENCY_MICROS_SPREAD == 0 ? 0 : rng.nextLong(LATENCY_MICROS_SPREAD)),
                        () -> to.verdicts.onMessage(from, address(), message));
                }

                @Override
                public Scheduler scheduler() {
                    return (delay, action) -> {
                        final long id = at(VerdictFleet.this.nowMicros + delay, action);
                        return () -> actions.remove(id);
                    };
                }

                @Override
                public NodeLog log() {
                    if (TRACE) {
                        final String who = address();
                        return new NodeLog() {
                            @Override
                            public void info(final String m) {
                                System.err.println("TRACE " + (VerdictFleet.this.nowMicros / 1000) + " " + who + " " + m);
                            }

                            @Override
                            public void warn(final String m) {
                                System.err.println("TRACE " + (VerdictFleet.this.nowMicros / 1000) + " " + who + " WARN " + m);
                            }

                            @Override
                            public boolean debugEnabled() {
                                return true;
                            }

                            @Override
                            public void debug(final String m) {
                                System.err.println("TRACE " + (VerdictFleet.this.nowMicros / 1000) + " " + who + " DEBUG " + m);
                            }
                        };
                    }
                    return NodeLog.DISCARD;
                }

                @Override
                public Kernels kernels() {
                    return kernels;
                }

                @Override
                public ConsensusLog consensusLog(final int shard, final long epoch) {
                    return logs.computeIfAbsent(shard + "/" + epoch, k -> new MemoryLog(logLimits));
                }

                @Override
                public void dropConsensusLog(final int shard, final long epoch) {
                    logs.remove(shard + "/" + epoch);
                }

                @Override
                public void verdict(final VerdictCertificate certificate) {
                    listener.verdict(index, certificate, VerdictFleet.this.nowMicros);
                }
            };
        }

        private String address() {
            return address;
        }
    }

    /** @param kernels what every node's committees add and combine evidence with */
    VerdictFleet(final int n, final int candidates, final VerdictConfig config, final long seed, final long startMicros,
                 final Listener listener, final Kernels kernels) {
        this.kernels = kernels;
        this.rng = new SplittableRandom(seed ^ 0x7665_7264_6963_7473L);
        this.nowMicros = startMicros;
        this.candidates = candidates;
        this.listener = listener;
        this.logLimits = Limits.of(config.consensus(), 3 * config.f() + 1);
        this.ca = new ClusterCa(key(seed, 0));
        for (int i = 0; i < n; i++) {
            final Node node = new Node(i, config, seed);
            nodes.add(node);
            indexById.put(node.key.nodeId(), i);
        }
    }

    static PrivateKey key(final long seed, final int which) {
        final byte[] secret = new byte[32];
        new SplittableRandom(seed * 1_000_003L + which).nextBytes(secret);
        return PrivateKey.simulatedInsecure(secret);
    }

    int indexOf(final long nodeId) {
        return indexById.getOrDefault(nodeId, -1);
    }

    long at(final long atMicros, final Runnable action) {
        final long id = seq++;
        actions.put(id, action);
        queue.add(new long[] {atMicros, id});
        return id;
    }

    /** Runs events and every node's tick each {@code tickMicros} until virtual time {@code untilMicros}. */
    void runUntil(final long untilMicros, final long tickMicros) {
        long nextTick = (nowMicros / tickMicros + 1) * tickMicros;
        while (true) {
            final long[] head = queue.peek();
            final long nextEvent = head == null ? Long.MAX_VALUE : head[0];
            final long t = Math.min(nextEvent, nextTick);
            if (t > untilMicros) {
                nowMicros = untilMicros;
                return;
            }
            nowMicros = Math.max(nowMicros, t);
            if (nextTick <= nextEvent) {
                nextTick += tickMicros;
                for (final Node node : nodes) {
                    node.verdicts.onTick();
                }
                continue;
            }
            queue.poll();
            final Runnable a = actions.remove(head[1]);
            if (a != null) {
                events++;
                a.run();
            }
        }
    }
}
