package dev.vigil.daemon.consensus.evidence;

import dev.vigil.accel.Combination;
import dev.vigil.accel.CombineRule;
import dev.vigil.accel.ExactSum;
import dev.vigil.accel.Kernels;
import dev.vigil.daemon.consensus.ReplicatedState;
import dev.vigil.daemon.consensus.Request;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The evidence state machine a shard's committee replicates: per agent and observer the exact sum
 * of the observer's log-likelihood ratios over its current excursion, the version vector of dots
 * applied, and which agents stand convicted. Deterministic: the same committed requests in the
 * same order give the same results and the same snapshot bytes on every replica and backend
 * ({@link ExactSum} is exact, {@link Kernels#combine} is specified to the bit).
 *
 * <h2>The statistic</h2>
 * An observer's detector scores each window of an agent with a clipped log-likelihood ratio
 * ℓ = log p₁(x)/p₀(x) of a covariance-inflated alternative against the agent's baseline, and runs
 * a CUSUM S ← max(0, S + ℓ). While S is above 0 the observer is in an <em>excursion</em>; the sum of
 * the ℓ since the excursion began is the log-likelihood ratio of those windows under "changed when
 * the excursion began" against "unchanged" (the CUSUM's own maximum-likelihood change point), a
 * proper likelihood ratio of the clipped model. Observers see the agent through independent
 * channels with independent noise, so their ratios multiply: the committee's log-odds is the
 * prior log-odds plus the sum of the observers' totals, each clipped to ±clip, after trimming the f
 * highest and f lowest (so that f lying observers can neither hide nor frame an agent alone).
 * An observer that sent nothing about the agent counts as a total of 0, as many as it takes to make
 * 2f + 1: a host that hides its agent by staying silent is then trimmed like one that reports 0, and
 * f + 1 agreeing observers are what a verdict needs at the least. Decisions name real observers only.
 *
 * <h2>Dots, duplicates and gaps</h2>
 * Every record carries its observer's dot (observer, seq), seq consecutive from 1. A record at or
 * below the observer's applied seq is a duplicate and dropped; one above seq + 1 waits (at most
 * {@link Config#heldPerObserverMax} per observer; beyond, it is dropped and the result's
 * {@code nextExpected} tells the observer where to resend from) until the gap fills. A request's
 * own sequence number (the consensus layer's per-client dedup) is separate from dots, so an
 * observer may resend lost records in a new request.
 *
 * <h2>Bounds</h2>
 * {@link Config#observersMax} observers, counting those with applied dots and those with records
 * waiting (a new one beyond: its records are refused, its dots not recorded), {@link Config#agentsMax} agents and
 * {@link Config#observersPerAgentMax} observers per agent (records beyond are refused; their dots
 * count as applied). Refusals are counted in the request's result.
 *
 * <p>Not yet here: operator releases (a convicted agent stays convicted), and evidence that waits
 * for a verdict it depends on.
 */
public final class EvidenceState implements ReplicatedState {
    static final int SNAPSHOT_VERSION = 1;
    private static final byte[] VV_DOMAIN = "vigil-version-vector-v1".getBytes(StandardCharsets.US_ASCII);

    /**
     * @param rule                 clip, f and prior log-odds of the combination
     * @param verdictLevel         posterior at or above which the committee decides (default 0.999)
     * @param observersMax         observers the version vector holds
     * @param agentsMax            agents the shard holds
     * @param observersPerAgentMax observers counted per agent
     * @param heldPerObserverMax   records waiting for a gap, per observer
     */
    public record Config(CombineRule rule, double verdictLevel, int observersMax, int agentsMax,
                         int observersPerAgentMax, int heldPerObserverMax) {
        public Config {
            if (!(verdictLevel > 0.5 && verdictLevel < 1)) {
                throw new IllegalArgumentException("consensus.verdict_level " + verdictLevel + " must lie in (0.5, 1)");
            }
            if (observersMax < 1 || agentsMax < 1 || observersPerAgentMax < 1 || heldPerObserverMax < 0) {
                throw new IllegalArgumentException("evidence bounds must be positive");
            }
            if (observersPerAgentMax > Kernels.OBSERVERS_MAX) {
                throw new IllegalArgumentException("observers per agent " + observersPerAgentMax + " above " + Kernels.OBSERVERS_MAX);
            }
        }

        /** Defaults: clip 20 (nats) per observer, prior log-odds ln(1e-4 / (1 - 1e-4)), level 0.999. */
        public static Config defaults(final int f) {
            return new Config(new CombineRule(20.0, f, StrictMath.log(1e-4 / (1 - 1e-4))), 0.999, 4096, 65_536, 16, 1024);
        }
    }

    private final Config config;
    private final Kernels kernels;
    private final TreeMap<Long, Long> versionVector = new TreeMap<>(Long::compareUnsigned);
    private final TreeMap<Long, TreeMap<Long, EvidenceBatch.Record>> held = new TreeMap<>(Long::compareUnsigned);
    private final TreeMap<String, Agent> agents = new TreeMap<>();

    private static final class Agent {
        final TreeMap<Long, Total> byObserver = new TreeMap<>(Long::compareUnsigned);
        boolean convicted;
    }

    private static final class Total {
        long excursion;
        ExactSum sum = new ExactSum();
    }

    public EvidenceState(final Config config, final Kernels kernels) {
        this.config = config;
        this.kernels = kernels;
    }

    @Override
    public List<byte[]> apply(final long seq, final List<Request> requests) {
        final List<byte[]> results = new ArrayList<>(requests.size());
        for (final Request r : requests) {
            results.add(apply(seq, r).encode());
        }
        return results;
    }

    private EvidenceResult apply(final long seq, final Request request) {
        final EvidenceBatch batch;
        try {
            batch = EvidenceBatch.decode(request.payload());
        } catch (final EvidenceBatch.Malformed e) {
            return EvidenceResult.refused(e.getMessage());
        }
        final long observer = request.client();
        if (!versionVector.containsKey(observer) && !held.containsKey(observer) && observers() >= config.observersMax()) {
            return EvidenceResult.refused("the committee holds evidence of " + config.observersMax() + " observers (observers_max)");
        }
        final long[] tally = new long[4]; // applied, duplicates, refused, dropped held
        final TreeSet<String> touched = new TreeSet<>();
        final TreeMap<Long, EvidenceBatch.Record> waiting = held.computeIfAbsent(observer, o -> new TreeMap<>());
        for (final EvidenceBatch.Record rec : batch.records()) {
            final long last = versionVector.getOrDefault(observer, 0L);
            if (rec.seq() <= last || waiting.containsKey(rec.seq())) {
                tally[1]++;
            } else if (rec.seq() == last + 1) {
                take(observer, rec, tally, touched);
            } else if (waiting.size() < config.heldPerObserverMax()) {
                waiting.put(rec.seq(), rec);
            } else {
                tally[3]++;
            }
            // a filled gap releases what waited behind it
            for (Map.Entry<Long, EvidenceBatch.Record> next = waiting.firstEntry();
                 next != null && next.getKey() == versionVector.getOrDefault(observer, 0L) + 1;
                 next = waiting.firstEntry()) {
                waiting.pollFirstEntry();
                take(observer, next.getValue(), tally, touched);
            }
        }
        if (waiting.isEmpty()) {
            held.remove(observer);
        }
        final List<Decision> decisions = new ArrayList<>();
        for (final String agent : touched) {
            final Decision d = decide(agent, seq, batch.sentAtMicros());
            if (d != null) {
                decisions.add(d);
            }
        }
        return new EvidenceResult(null, (int)tally[0], (int)tally[1], waiting.size(), (int)tally[2],
            versionVector.getOrDefault(observer, 0L) + 1, decisions);
    }

    private void take(final long observer, final EvidenceBatch.Record rec, final long[] tally, final TreeSet<String> touched) {
        versionVector.put(observer, rec.seq());
        Agent a = agents.get(rec.agent());
        if (a == null) {
            if (agents.size() >= config.agentsMax()) {
                tally[2]++;
                return;
            }
            a = new Agent();
            agents.put(rec.agent(), a);
        }
        Total t = a.byObserver.get(observer);
        if (t == null) {
            if (a.byObserver.size() >= config.observersPerAgentMax()) {
                tally[2]++;
                return;
            }
            t = new Total();
            t.excursion = rec.excursion();
            a.byObserver.put(observer, t);
        }
        if (rec.excursion() < t.excursion) {
            tally[1]++; // evidence of an excursion this observer has already closed
            return;
        }
        if (rec.excursion() > t.excursion) {
            t.excursion = rec.excursion();
            t.sum = new ExactSum();
        }
        final double[] xs = rec.increments();
        kernels.sum(xs, 0, xs.length, t.sum);
        tally[0]++;
        touched.add(rec.agent());
    }

    private Decision decide(final String agent, final long seq, final long issuedAtMicros) {
        final Agent a = agents.get(agent);
        if (a == null || a.convicted) {
            return null;
        }
        final int n = a.byObserver.size();
        // absent observers count as 0 (no evidence either way) up to 2f + 1, so that a silent host
        // cannot block a quorum: f + 1 agreeing observers outvote it, and f liars alone are trimmed
        final int padded = Math.max(n, 2 * config.rule().f() + 1);
        final double[] totals = new double[padded];
        final long[] ids = new long[n];
        int i = 0;
        for (final Map.Entry<Long, Total> e : a.byObserver.entrySet()) {
            ids[i] = e.getKey();
            totals[i++] = e.getValue().sum.value();
        }
        final Combination c = kernels.combine(totals, padded, config.rule());
        if (!c.quorum() || c.posterior() < config.verdictLevel()) {
            return null;
        }
        a.convicted = true;
        return new Decision(agent, seq, issuedAtMicros, c.logOdds(), c.posterior(), names(c.kept(), ids), names(c.trimmedLow(), ids),
            names(c.trimmedHigh(), ids), versionVectorDigest());
    }

    private static List<Long> names(final List<Integer> indices, final long[] ids) {
        final List<Long> out = new ArrayList<>(indices.size());
        indices.stream().filter(i -> i < ids.length).forEach(i -> out.add(ids[i]));
        return out;
    }

    /** The combination the committee would make for this agent now (for status and tests), or null if it holds none. */
    public Combination combination(final String agent) {
        final Agent a = agents.get(agent);
        if (a == null) {
            return null;
        }
        final double[] totals = a.byObserver.values().stream().mapToDouble(t -> t.sum.value()).toArray();
        return kernels.combine(totals, totals.length, config.rule());
    }

    public boolean convicted(final String agent) {
        final Agent a = agents.get(agent);
        return a != null && a.convicted;
    }

    /** Observers the state holds anything of: applied dots, or records waiting for a gap. */
    private int observers() {
        int n = versionVector.size();
        for (final Long o : held.keySet()) {
            if (!versionVector.containsKey(o)) {
                n++;
            }
        }
        return n;
    }

    /** The observer's highest applied dot, 0 if none. */
    public long applied(final long observer) {
        return versionVector.getOrDefault(observer, 0L);
    }

    public int agents() {
        return agents.size();
    }

    /** SHA-256 over a domain tag and the version vector's (observer, seq) pairs in ascending unsigned observer order. */
    public byte[] versionVectorDigest() {
        final ByteBuffer b = ByteBuffer.allocate(16 * versionVector.size()).order(ByteOrder.LITTLE_ENDIAN);
        versionVector.forEach((o, s) -> b.putLong(o).putLong(s));
        final MessageDigest sha = sha256();
        sha.update(VV_DOMAIN);
        sha.update(b.array());
        return sha.digest();
    }

    @Override
    public byte[] snapshot() {
        int n = 1 + 4 + 16 * versionVector.size() + 4;
        for (final TreeMap<Long, EvidenceBatch.Record> w : held.values()) {
            n += 8 + 4;
            for (final EvidenceBatch.Record r : w.values()) {
                n += r.encodedLength();
            }
        }
        n += 4;
        for (final Map.Entry<String, Agent> e : agents.entrySet()) {
            n += 2 + e.getKey().getBytes(StandardCharsets.UTF_8).length + 1 + 2;
            for (final Total t : e.getValue().byObserver.values()) {
                n += 8 + 4 + 2 + t.sum.serializedSize();
            }
        }
        final ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte)SNAPSHOT_VERSION).putInt(versionVector.size());
        versionVector.forEach((o, s) -> b.putLong(o).putLong(s));
        b.putInt(held.size());
        held.forEach((o, w) -> {
            b.putLong(o).putInt(w.size());
            w.values().forEach(r -> r.writeTo(b));
        });
        b.putInt(agents.size());
        agents.forEach((id, a) -> {
            final byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
            b.putShort((short)idBytes.length).put(idBytes).put((byte)(a.convicted ? 1 : 0)).putShort((short)a.byObserver.size());
            a.byObserver.forEach((o, t) -> {
                final byte[] sum = t.sum.toBytes();
                b.putLong(o).putInt((int)t.excursion).putShort((short)sum.length).put(sum);
            });
        });
        return b.array();
    }

    @Override
    public void restore(final byte[] snapshot) {
        final ByteBuffer b = ByteBuffer.wrap(snapshot).order(ByteOrder.LITTLE_ENDIAN);
        final TreeMap<Long, Long> vv = new TreeMap<>(Long::compareUnsigned);
        final TreeMap<Long, TreeMap<Long, EvidenceBatch.Record>> waiting = new TreeMap<>(Long::compareUnsigned);
        final TreeMap<String, Agent> as = new TreeMap<>();
        try {
            if (b.get() != SNAPSHOT_VERSION) {
                throw new IllegalArgumentException("evidence snapshot of another version");
            }
            for (int i = b.getInt(); i > 0; i--) {
                vv.put(b.getLong(), b.getLong());
            }
            for (int i = b.getInt(); i > 0; i--) {
                final long o = b.getLong();
                final TreeMap<Long, EvidenceBatch.Record> w = new TreeMap<>();
                for (int k = b.getInt(); k > 0; k--) {
                    final long s = b.getLong();
                    final byte[] id = new byte[b.getShort() & 0xFFFF];
                    b.get(id);
                    final long excursion = b.getInt() & 0xFFFF_FFFFL;
                    final double[] xs = new double[b.getShort() & 0xFFFF];
                    for (int x = 0; x < xs.length; x++) {
                        xs[x] = b.getDouble();
                    }
                    w.put(s, new EvidenceBatch.Record(s, new String(id, StandardCharsets.UTF_8), excursion, xs));
                }
                waiting.put(o, w);
            }
            for (int i = b.getInt(); i > 0; i--) {
                final byte[] id = new byte[b.getShort() & 0xFFFF];
                b.get(id);
                final Agent a = new Agent();
                a.convicted = b.get() == 1;
                for (int k = b.getShort() & 0xFFFF; k > 0; k--) {
                    final long o = b.getLong();
                    final Total t = new Total();
                    t.excursion = b.getInt() & 0xFFFF_FFFFL;
                    final int len = b.getShort() & 0xFFFF;
                    if (len > b.remaining()) {
                        throw new BufferUnderflowException();
                    }
                    t.sum = ExactSum.readFrom(snapshot, b.position(), len);
                    b.position(b.position() + len);
                    a.byObserver.put(o, t);
                }
                as.put(new String(id, StandardCharsets.UTF_8), a);
            }
            if (b.hasRemaining()) {
                throw new IllegalArgumentException(b.remaining() + " trailing bytes in an evidence snapshot");
            }
        } catch (final BufferUnderflowException e) {
            throw new IllegalArgumentException("evidence snapshot truncated at byte " + b.position(), e);
        }
        versionVector.clear();
        versionVector.putAll(vv);
        held.clear();
        held.putAll(waiting);
        agents.clear();
        agents.putAll(as);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    /** For tests: the agents' ids in order. */
    List<String> agentIds() {
        return new ArrayList<>(agents.keySet());
    }

    /** For tests: an iterator over the held dots of an observer. */
    Iterator<Long> heldDots(final long observer) {
        return held.getOrDefault(observer, new TreeMap<>()).keySet().iterator();
    }
}
