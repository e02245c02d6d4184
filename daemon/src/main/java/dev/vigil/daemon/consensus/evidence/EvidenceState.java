package dev.vigil.daemon.consensus.evidence;

import dev.vigil.accel.Combination;
import dev.vigil.accel.CombineRule;
import dev.vigil.accel.ExactSum;
import dev.vigil.accel.Kernels;
import dev.vigil.crypto.PublicKey;
import dev.vigil.crypto.verdict.Attestation;
import dev.vigil.crypto.verdict.Verdict;
import dev.vigil.crypto.verdict.VerificationResult;
import dev.vigil.daemon.consensus.ReplicatedState;
import dev.vigil.daemon.consensus.Request;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
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
 * <h2>Operator releases</h2>
 * A convicted agent stays convicted (no second decision) until a committed {@link ReleaseRequest}
 * releases it: the operator's RELEASE certificate with the convict certificate it retracts. Every
 * replica checks, the same way: the release verifies as the operator's (signed with the cluster CA
 * key given to the constructor; a state without one refuses every release); the convict certificate
 * verifies (2f + 1 valid committee signatures for the f it states); the release retracts exactly
 * that verdict, for the same agent and shard, and the shard is the request's; and the conviction it
 * names is the one this state holds: the agent is convicted here, at the same consensus sequence and
 * on the same version-vector digest (recorded per agent at the decision). The last check is what
 * makes a release unrepeatable: once the agent is convicted again (on newer evidence, so another
 * version vector), replaying the old release with its old convict certificate is refused as stale.
 * A release that passes clears the conviction and starts every observer's total for the agent
 * again at 0 (each keeps its excursion number: its next records, of that excursion or a newer one,
 * count from zero), so that only new evidence can convict the agent again. Anything else is
 * refused with the reason in the result, never thrown, and changes nothing.
 *
 * <p>The convict certificate's f is not held to the committee's configured f: a committee of a
 * small directory runs with a smaller f and its certificates say so. The check that the conviction
 * is the one held here is what matters, and the operator's signature is what authorises it.
 *
 * <h2>Evidence that depends on a verdict</h2>
 * A record names the conviction of its agent whose operator release its observer had seen last
 * when it sent it ({@link EvidenceBatch.Record#released}: the conviction's version-vector digest,
 * its first 8 bytes). While this state still holds exactly that conviction the record waits, like
 * a record behind a gap (with its observer's later dots, in the same bound); once the release is
 * applied here it goes in, counted from the release's zero. So evidence made after a release never
 * counts toward the conviction the release retracted, and a release that reaches observers
 * (flooded) before its committee orders it does not let their new evidence count early. The rule
 * names a conviction, not a count: a second release of the same conviction, a stale release of an
 * older one, or a replayed one changes nothing here. What it cannot help: a release the committee
 * never orders (every submitter gone) leaves such records waiting while the conviction stands.
 */
public final class EvidenceState implements ReplicatedState {
    /**
     * 2 adds, per convicted agent, the sequence and version-vector digest of its conviction; a
     * version 1 snapshot still restores, its convicted agents with the conviction unknown (see
     * {@link #CONVICTED_SEQ_UNKNOWN}). 3 adds the released conviction per held record (versions 1
     * and 2: none).
     */
    static final int SNAPSHOT_VERSION = 3;
    static final int SNAPSHOT_VERSION_V1 = 1;
    /** Version 2: convictions with their sequence and digest, held records without the conviction they wait on. */
    static final int SNAPSHOT_VERSION_V2 = 2;
    /**
     * The conviction of an agent restored from a version 1 snapshot, taken before releases existed:
     * such an agent was convicted in no other way than this, never released since, so a valid operator
     * release of any valid conviction of it, in this shard, releases it.
     */
    static final long CONVICTED_SEQ_UNKNOWN = -1;
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
    private final PublicKey ca;
    private final TreeMap<Long, Long> versionVector = new TreeMap<>(Long::compareUnsigned);
    private final TreeMap<Long, TreeMap<Long, EvidenceBatch.Record>> held = new TreeMap<>(Long::compareUnsigned);
    private final TreeMap<String, Agent> agents = new TreeMap<>();

    private static final class Agent {
        final TreeMap<Long, Total> byObserver = new TreeMap<>(Long::compareUnsigned);
        boolean convicted;
        /** While convicted: the consensus sequence of the decision, or {@link #CONVICTED_SEQ_UNKNOWN}. */
        long convictedSeq;
        /** While convicted: the version-vector digest the decision named (zeros when the sequence is unknown). */
        byte[] convictedDigest = new byte[32];
    }

    private static final class Total {
        long excursion;
        ExactSum sum = new ExactSum();
    }

    /** A state that refuses every operator release (it has no CA key to check one with). */
    public EvidenceState(final Config config, final Kernels kernels) {
        this(config, kernels, null);
    }

    /** @param ca the cluster CA's public key, which alone may sign a release; null refuses releases */
    public EvidenceState(final Config config, final Kernels kernels, final PublicKey ca) {
        this.config = config;
        this.kernels = kernels;
        this.ca = ca;
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
        if (ReleaseRequest.isRelease(request.payload())) {
            return release(seq, request);
        }
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
        final PendingIncrements increments = new PendingIncrements(kernels);
        final TreeMap<Long, EvidenceBatch.Record> waiting = held.computeIfAbsent(observer, o -> new TreeMap<>());
        for (final EvidenceBatch.Record rec : batch.records()) {
            final long last = versionVector.getOrDefault(observer, 0L);
            if (rec.seq() <= last || waiting.containsKey(rec.seq())) {
                tally[1]++;
            } else if (rec.seq() == last + 1 && ready(rec)) {
                take(observer, rec, tally, touched, increments);
            } else if (waiting.size() < config.heldPerObserverMax()) {
                waiting.put(rec.seq(), rec);
            } else {
                tally[3]++;
            }
            fill(observer, waiting, tally, touched, increments);
        }
        if (waiting.isEmpty()) {
            held.remove(observer);
        }
        increments.flush(); // the decisions read the totals
        final List<Decision> decisions = new ArrayList<>();
        for (final String agent : touched) {
            final Decision d = decide(agent, seq, batch.sentAtMicros());
            if (d != null) {
                decisions.add(d);
            }
        }
        return new EvidenceResult(null, (int)tally[0], (int)tally[1], waiting.size(), (int)tally[2],
            versionVector.getOrDefault(observer, 0L) + 1, decisions, null);
    }

    /** See the class comment: every check, cheapest first; only a release that passed them all changes the state. */
    private EvidenceResult release(final long seq, final Request request) {
        if (ca == null) {
            return EvidenceResult.refused("release refused: this committee state has no CA key to check releases with");
        }
        final ReleaseRequest r;
        try {
            r = ReleaseRequest.decode(request.payload());
        } catch (final EvidenceBatch.Malformed e) {
            return EvidenceResult.refused(e.getMessage());
        }
        final Verdict release = r.release().verdict();
        final Verdict convict = r.convict().verdict();
        if (release.kind() != Verdict.Kind.RELEASE || r.release().attestation() != Attestation.OPERATOR) {
            return EvidenceResult.refused("release refused: not an operator's RELEASE but a " + r.release().attestation() + " "
                + release.kind());
        }
        if (convict.kind() != Verdict.Kind.CONVICT) {
            return EvidenceResult.refused("release refused: it retracts a " + convict.kind() + ", not a conviction");
        }
        if (!convict.id().equals(release.retractedId())) {
            return EvidenceResult.refused("release refused: it retracts verdict " + release.retractedId() + ", the request carries "
                + convict.id());
        }
        if (!release.agentId().equals(convict.agentId())) {
            return EvidenceResult.refused("release refused: it names agent '" + release.agentId() + "', the retracted verdict '"
                + convict.agentId() + "'");
        }
        if (release.shard() != convict.shard() || convict.shard() != request.shard()) {
            return EvidenceResult.refused("release refused: release of shard " + release.shard() + ", conviction of shard "
                + convict.shard() + ", request for shard " + request.shard());
        }
        final Agent a = agents.get(convict.agentId());
        if (a == null || !a.convicted) {
            return EvidenceResult.refused("release refused: agent '" + convict.agentId() + "' is not convicted here");
        }
        if (a.convictedSeq != CONVICTED_SEQ_UNKNOWN
            && (a.convictedSeq != convict.sequence() || !Arrays.equals(a.convictedDigest, convict.versionVectorDigest()))) {
            return EvidenceResult.refused("release refused: stale, agent '" + convict.agentId() + "' stands convicted at seq "
                + a.convictedSeq + ", the retracted verdict is of seq " + convict.sequence());
        }
        final VerificationResult operator = r.release().verify(ca, 0);
        if (!operator.isValid()) {
            return EvidenceResult.refused("release refused: " + operator.problem());
        }
        final VerificationResult quorum = r.convict().verify(ca, 0);
        if (!quorum.isValid()) {
            return EvidenceResult.refused("release refused: the retracted verdict's certificate: " + quorum.problem());
        }
        a.convicted = false;
        a.convictedSeq = 0;
        a.convictedDigest = new byte[32];
        for (final Total t : a.byObserver.values()) {
            t.sum = new ExactSum();
        }
        // records that waited for this release go in now (with what waited behind them)
        final long[] tally = new long[4];
        final TreeSet<String> touched = new TreeSet<>();
        final PendingIncrements increments = new PendingIncrements(kernels);
        final Iterator<Map.Entry<Long, TreeMap<Long, EvidenceBatch.Record>>> it = held.entrySet().iterator();
        while (it.hasNext()) {
            final Map.Entry<Long, TreeMap<Long, EvidenceBatch.Record>> e = it.next();
            fill(e.getKey(), e.getValue(), tally, touched, increments);
            if (e.getValue().isEmpty()) {
                it.remove();
            }
        }
        increments.flush(); // the decisions read the totals
        final List<Decision> decisions = new ArrayList<>();
        for (final String agent : touched) {
            final Decision d = decide(agent, seq, release.issuedAtMicros());
            if (d != null) {
                decisions.add(d);
            }
        }
        return EvidenceResult.released(convict.agentId(), versionVector.getOrDefault(request.client(), 0L) + 1, decisions);
    }

    /** A filled gap, or a release applied, lets what waited behind it in: in dot order, while each is ready. */
    private void fill(final long observer, final TreeMap<Long, EvidenceBatch.Record> waiting, final long[] tally, final TreeSet<String> touched,
                      final PendingIncrements increments) {
        for (Map.Entry<Long, EvidenceBatch.Record> next = waiting.firstEntry();
             next != null && next.getKey() == versionVector.getOrDefault(observer, 0L) + 1 && ready(next.getValue());
             next = waiting.firstEntry()) {
            waiting.pollFirstEntry();
            take(observer, next.getValue(), tally, touched, increments);
        }
    }

    /** Whether a record may go in: not while this state holds the conviction whose release the record's observer saw. */
    private boolean ready(final EvidenceBatch.Record rec) {
        if (rec.released() == 0) {
            return true;
        }
        final Agent a = agents.get(rec.agent());
        return a == null || !a.convicted || EvidenceBatch.convictionKey(a.convictedDigest) != rec.released();
    }

    /** Takes a record in: its dot, its agent and total, and its increments into {@code increments} (added before any total is read). */
    private void take(final long observer, final EvidenceBatch.Record rec, final long[] tally, final TreeSet<String> touched,
                      final PendingIncrements increments) {
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
        increments.add(rec, t.sum);
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
        a.convictedSeq = seq;
        a.convictedDigest = versionVectorDigest();
        return new Decision(agent, seq, issuedAtMicros, c.logOdds(), c.posterior(), names(c.kept(), ids), names(c.trimmedLow(), ids),
            names(c.trimmedHigh(), ids), a.convictedDigest.clone());
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

    /** The consensus sequence at which the agent was convicted; 0 when it is not convicted, -1 when unknown (see {@link #CONVICTED_SEQ_UNKNOWN}). */
    public long convictedSeq(final String agent) {
        final Agent a = agents.get(agent);
        return a != null && a.convicted ? a.convictedSeq : 0;
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
            n += 2 + e.getKey().getBytes(StandardCharsets.UTF_8).length + 1 + (e.getValue().convicted ? 8 + 32 : 0) + 2;
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
            b.putShort((short)idBytes.length).put(idBytes).put((byte)(a.convicted ? 1 : 0));
            if (a.convicted) {
                b.putLong(a.convictedSeq).put(a.convictedDigest);
            }
            b.putShort((short)a.byObserver.size());
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
            final int version = b.get();
            if (version != SNAPSHOT_VERSION && version != SNAPSHOT_VERSION_V2 && version != SNAPSHOT_VERSION_V1) {
                throw new IllegalArgumentException("evidence snapshot version " + version + ", this node reads " + SNAPSHOT_VERSION_V1
                    + " to " + SNAPSHOT_VERSION);
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
                    final long released = version == SNAPSHOT_VERSION ? b.getLong() : 0;
                    final double[] xs = new double[b.getShort() & 0xFFFF];
                    for (int x = 0; x < xs.length; x++) {
                        xs[x] = b.getDouble();
                    }
                    w.put(s, new EvidenceBatch.Record(s, new String(id, StandardCharsets.UTF_8), excursion, xs, released));
                }
                waiting.put(o, w);
            }
            for (int i = b.getInt(); i > 0; i--) {
                final byte[] id = new byte[b.getShort() & 0xFFFF];
                b.get(id);
                final Agent a = new Agent();
                a.convicted = b.get() == 1;
                if (a.convicted && version != SNAPSHOT_VERSION_V1) {
                    a.convictedSeq = b.getLong();
                    b.get(a.convictedDigest);
                } else if (a.convicted) {
                    a.convictedSeq = CONVICTED_SEQ_UNKNOWN;
                }
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
