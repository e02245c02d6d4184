package dev.vigil.simnet.consensus;

import dev.vigil.crypto.PrivateKey;
import dev.vigil.crypto.PublicKey;
import dev.vigil.daemon.consensus.Committee;
import dev.vigil.daemon.consensus.CommitteeDirectory;
import dev.vigil.daemon.consensus.Committees;
import dev.vigil.daemon.consensus.ConsensusCounters;
import dev.vigil.daemon.consensus.Delivery;
import dev.vigil.daemon.consensus.KeySigner;
import dev.vigil.daemon.consensus.Limits;
import dev.vigil.daemon.consensus.MessageKind;
import dev.vigil.daemon.consensus.Messages;
import dev.vigil.daemon.consensus.Replica;
import dev.vigil.daemon.consensus.ReplicaEffects;
import dev.vigil.daemon.consensus.ReplicaStatus;
import dev.vigil.daemon.consensus.Request;
import dev.vigil.daemon.consensus.Signer;
import dev.vigil.daemon.consensus.Verifier;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A deterministic in-memory committee: 3f + 1 replicas of any {@link Workload}'s state machine,
 * the workload's clients, and a seeded network that drops,
 * duplicates, delays, reorders and replays messages, all in virtual time on one thread. Faulty
 * members run the real replica behind a {@link Byzantine} filter on what they send. Invariants
 * are checked after every step and a failure names the seed ({@link SimScenario} replays it).
 *
 * <p>Checked after every step: no two honest replicas deliver different batches at one sequence
 * number, nor take different checkpoints at one; every message an honest or faulty replica
 * sends leaves after the record it depends on was persisted; no replica reports an internal
 * error (which includes its own invariants: window, bounds); every bound in its status holds;
 * the workload's own checks of each honest delivery ({@link Workload#delivered}).
 * At the end ({@link #run()}): every client's request committed and nothing more to send, every
 * honest replica at the same sequence number with the same state digest.
 */
public final class ConsensusSim {
    /**
     * What a member does to what its real replica sends ({@link Byzantine}). INFLATE, while
     * primary, relays one client request per batch with its payload made over by
     * {@link Workload#inflated} (its signature no longer matches), and resends old requests.
     */
    public enum Behaviour { HONEST, SILENT, EQUIVOCATE, FORGE, INFLATE }

    /** Clients one run holds: their keys and outstanding requests live in memory for the whole run. */
    public static final int CLIENTS_MAX = 1_000;
    public static final long T0_MICROS = 1_767_225_600_000_000L;
    /** -Dconsensus.trace=true prints every replica's log lines with the virtual time (debugging one seed). */
    static final boolean TRACE = Boolean.getBoolean("consensus.trace");
    static final boolean TRACE_DEBUG = Boolean.getBoolean("consensus.trace.debug");
    private static final int HISTORY_MAX = 2_000;

    final SimScenario scenario;
    final Workload workload;
    final Committee committee;
    final SimNode[] nodes;
    final Verifier verifier;
    final Signer issuer;
    private final SplittableRandom rng;
    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private final Map<Long, PublicKey> keys = new HashMap<>();
    private final Map<Long, Integer> indexById = new HashMap<>();
    private final SimClients clients;
    private final List<byte[]> history = new ArrayList<>();
    final TreeMap<Long, byte[]> decided = new TreeMap<>();
    final TreeMap<Long, byte[]> checkpointDigests = new TreeMap<>();
    final Limits limits;
    private long now = T0_MICROS;
    private long eventSeq;
    long steps;
    long messagesSent;
    /** Sequence numbers at which two honest replicas delivered (or checkpointed) different digests; the run stops at the first. */
    long conflictingCommits;
    /** The first broken invariant an effect found in the current step (see {@link #breakAfterStep}). */
    private AssertionError broken;

    private record Event(long at, long seq, Runnable action) implements Comparable<Event> {
        @Override
        public int compareTo(final Event o) {
            return at != o.at ? Long.compare(at, o.at) : Long.compare(seq, o.seq);
        }
    }

    public ConsensusSim(final SimScenario scenario, final Workload workload) {
        if (workload.clients() < 1 || workload.clients() > CLIENTS_MAX) {
            throw new IllegalArgumentException(workload.clients() + " clients, 1 to " + CLIENTS_MAX);
        }
        this.scenario = scenario;
        this.workload = workload;
        this.rng = new SplittableRandom(scenario.seed());
        this.limits = Limits.of(scenario.config(), scenario.n());
        final PrivateKey issuerKey = key(999);
        this.issuer = new KeySigner(issuerKey);
        keys.put(issuerKey.nodeId(), issuerKey.publicKey());
        final List<CommitteeDirectory.Candidate> candidates = new ArrayList<>();
        final PrivateKey[] memberKeys = new PrivateKey[scenario.n()];
        for (int i = 0; i < memberKeys.length; i++) {
            memberKeys[i] = key(i);
            keys.put(memberKeys[i].nodeId(), memberKeys[i].publicKey());
            candidates.add(new CommitteeDirectory.Candidate(memberKeys[i].nodeId(), memberKeys[i].publicKey().encoded(), "m" + i + ":7400"));
        }
        this.verifier = KeySigner.verifier(keys::get);
        final CommitteeDirectory directory = CommitteeDirectory.signed(0, issuer, candidates);
        this.committee = Committees.select(directory, 7, scenario.f());
        this.nodes = new SimNode[scenario.n()];
        for (final PrivateKey k : memberKeys) {
            final int index = committee.indexOf(k.nodeId());
            nodes[index] = new SimNode(this, index, k, scenario.behaviours().get(index));
            indexById.put(k.nodeId(), index);
        }
        final List<Signer> clientSigners = new ArrayList<>();
        final long[] clientIds = new long[workload.clients()];
        for (int c = 0; c < clientIds.length; c++) {
            final PrivateKey k = key(1000 + c);
            keys.put(k.nodeId(), k.publicKey());
            clientSigners.add(new KeySigner(k));
            clientIds[c] = k.nodeId();
        }
        this.clients = new SimClients(this, clientSigners);
        workload.bind(clientIds);
    }

    /** The simulated (fast, NOT secure) key number {@code which} of a seed. */
    public static PrivateKey simulatedKey(final long seed, final int which) {
        final byte[] secret = new byte[32];
        new SplittableRandom(seed * 1_000_003L + which).nextBytes(secret);
        return PrivateKey.simulatedInsecure(secret);
    }

    /** Key number {@code which} of this run's seed and scheme (members are 0 to n - 1, clients from 1000, the issuer 999). */
    public PrivateKey key(final int which) {
        if (!scenario.ed25519()) {
            return simulatedKey(scenario.seed(), which);
        }
        final byte[] secret = new byte[32];
        new SplittableRandom(scenario.seed() * 1_000_003L + which).nextBytes(secret);
        return PrivateKey.of(secret);
    }

    // ------------------------------------------------------------------ running

    /** Runs the scenario to convergence; throws {@link AssertionError} naming the seed on any violation. */
    public void run() {
        for (final SimNode node : nodes) {
            node.state = workload.newState();
            node.replica = Replica.start(scenario.config(), committee, node.signer, verifier, node.state, effects(node),
                node.log, now);
            check(node);
        }
        clients.start();
        if (scenario.crashMember() >= 0) {
            at(T0_MICROS + scenario.crashAtMicros(), () -> crash(nodes[scenario.crashMember()]));
        }
        while (!queue.isEmpty()) {
            final Event e = queue.poll();
            now = e.at();
            if (now - T0_MICROS > scenario.endMicros()) {
                throw fail("no convergence within " + scenario.endMicros() / 1_000_000 + " s: " + progress());
            }
            e.action().run();
            steps++;
            if (clients.allDone() && converged()) {
                return;
            }
        }
        throw fail("the simulation ran dry: " + progress());
    }

    /** After {@link #run()}: goes on for {@code micros} of virtual time (idle padding, late checkpoints), checks included. */
    public void settle(final long micros) {
        final long until = now + micros;
        while (!queue.isEmpty() && queue.peek().at() <= until) {
            final Event e = queue.poll();
            now = e.at();
            e.action().run();
            steps++;
        }
        now = until;
    }

    void at(final long atMicros, final Runnable action) {
        queue.add(new Event(atMicros, eventSeq++, action));
    }

    boolean fair() {
        return now - T0_MICROS >= scenario.unfairMicros();
    }

    /** One step of one node: the input, then its invariants; a pending crash takes effect after it. */
    void step(final SimNode node, final Runnable input) {
        if (!node.up) {
            return;
        }
        input.run();
        if (broken != null) {
            throw broken;
        }
        if (node.crashing) {
            down(node);
            return;
        }
        check(node);
    }

    /**
     * A broken invariant found inside a replica's effect: thrown once the replica's step returns,
     * so that the replica's own guard does not take it for a bug of its handler.
     */
    private void breakAfterStep(final String what) {
        if (broken == null) {
            broken = fail(what);
        }
    }

    // ------------------------------------------------------------------ network

    void send(final SimNode from, final long toId, final byte[] bytes) {
        final Integer to = indexById.get(toId);
        if (to == null || to == from.index) {
            throw fail("replica " + from.index + " sent to a non-member or itself");
        }
        messagesSent++;
        if (TRACE_DEBUG && (bytes.length > 0 && (bytes[0] == MessageKind.STATE_REQUEST.code || bytes[0] == MessageKind.STATE_REPLY.code
            || bytes[0] == MessageKind.CHECKPOINT.code))) {
            System.out.println((now - T0_MICROS) / 1000 + " ms: net " + from.index + " -> " + to + ": " + Messages.decode(bytes, limits).message()
                + (fair() ? "" : " (unfair)"));
        }
        if (!fair() && rng.nextDouble() < scenario.dropRate()) {
            return;
        }
        final int copies = !fair() && rng.nextDouble() < scenario.duplicateRate() ? 2 : 1;
        for (int c = 0; c < copies; c++) {
            final long delay = 200 + rng.nextLong(fair() ? scenario.delayMaxMicrosFair() : scenario.delayMaxMicrosUnfair());
            at(now + delay, () -> deliver(nodes[to], bytes));
        }
        if (history.size() < HISTORY_MAX) {
            history.add(bytes);
        } else {
            history.set(rng.nextInt(HISTORY_MAX), bytes);
        }
        if (!fair() && rng.nextDouble() < scenario.replayRate()) {
            final byte[] old = history.get(rng.nextInt(history.size()));
            final SimNode victim = nodes[rng.nextInt(nodes.length)];
            at(now + rng.nextLong(500_000), () -> deliver(victim, old));
        }
    }

    void deliver(final SimNode to, final byte[] bytes) {
        step(to, () -> to.replica.onMessage(bytes, now));
    }

    private ReplicaEffects effects(final SimNode node) {
        return new SimEffects(this, node);
    }

    void agree(final TreeMap<Long, byte[]> seen, final long seq, final byte[] digest, final String what) {
        final byte[] before = seen.putIfAbsent(seq, digest);
        if (before != null && !Arrays.equals(before, digest)) {
            conflictingCommits++;
            breakAfterStep("SAFETY: two honest replicas disagree on the " + what + " at " + seq + ": "
                + HexFormat.of().formatHex(before, 0, 4) + " vs " + HexFormat.of().formatHex(digest, 0, 4));
        }
    }

    // ------------------------------------------------------------------ crash and restart

    private void crash(final SimNode node) {
        if (scenario.crashEffects() > 0) {
            node.effectsBeforeCrash = scenario.crashEffects();
        } else {
            down(node);
        }
    }

    private void down(final SimNode node) {
        node.up = false;
        node.crashing = false;
        node.effectsBeforeCrash = -1;
        node.replica = null;
        node.state = null;
        Arrays.fill(node.timerAt, ReplicaEffects.NEVER);
        at(now + scenario.downMicros(), () -> restart(node));
    }

    private void restart(final SimNode node) {
        node.up = true;
        node.restarted = true;
        node.incarnation++;
        node.state = workload.newState();
        node.replica = Replica.recover(scenario.config(), committee, node.signer, verifier, node.state, effects(node),
            node.log, node.store.records(), now);
        check(node);
    }

    /** An honest member delivered a committed batch: the workload's checks, and its clients' completions. */
    void delivered(final SimNode node, final Delivery d) {
        final String problem = workload.delivered(node.index, d, node.state, now);
        if (problem != null) {
            breakAfterStep(problem);
        }
        for (final Delivery.Outcome o : d.outcomes()) {
            if (o.status() == Delivery.Status.APPLIED) {
                clients.completed(o.request());
            }
        }
    }

    /** Every honest replica up, at one sequence number, with one state digest. */
    public boolean converged() {
        byte[] digest = null;
        long seq = -1;
        for (final SimNode node : nodes) {
            if (!node.honest()) {
                continue;
            }
            if (!node.up) {
                return false;
            }
            final byte[] d = node.replica.stateDigest();
            final long executed = node.replica.status().lastExecuted();
            if (d == null || (digest != null && (!Arrays.equals(d, digest) || executed != seq))) {
                return false;
            }
            digest = d;
            seq = executed;
        }
        return true;
    }

    // ------------------------------------------------------------------ checks

    private void check(final SimNode node) {
        if (broken != null) {
            throw broken;
        }
        if (!node.up) {
            return;
        }
        final ConsensusCounters c = node.replica.counters();
        if (c.internalErrors() > 0) {
            throw fail("replica " + node.index + " had an internal error (a bug or a broken invariant): " + node.bugs);
        }
        if (node.honest() && c.diverged() > 0) {
            throw fail("replica " + node.index + "'s state diverged from a stable checkpoint");
        }
        for (final ReplicaStatus.Bound b : node.replica.status().bounds()) {
            if (b.size() > b.max()) {
                throw fail("replica " + node.index + " holds " + b.size() + " " + b.name() + ", bound " + b.max());
            }
        }
    }

    AssertionError fail(final String what) {
        return new AssertionError(what + "\n  replay: " + scenario + "\n  at " + (now - T0_MICROS) / 1000 + " ms, step " + steps
            + "\n" + progress());
    }

    String progress() {
        final StringBuilder b = new StringBuilder();
        clients.progress(b);
        for (final SimNode node : nodes) {
            b.append("  member ").append(node.index).append(' ').append(node.behaviour).append(node.up ? "" : " DOWN");
            if (node.up) {
                final ReplicaStatus s = node.replica.status();
                b.append(": view ").append(s.view()).append(s.changing() ? " changing to " + s.changingTo() : "")
                    .append(", h ").append(s.h()).append(", executed ").append(s.lastExecuted()).append(", ").append(s.mode())
                    .append(", state transfers ").append(node.replica.counters().stateTransfers());
            }
            b.append('\n');
        }
        return b.toString();
    }

    public long now() {
        return now;
    }

    SplittableRandom rng() {
        return rng;
    }

    public SimNode[] nodes() {
        return nodes;
    }

    public SimScenario scenario() {
        return scenario;
    }

    /** Steps run so far (inputs to a replica, client ticks, crashes and restarts). */
    public long steps() {
        return steps;
    }

    /** Messages replicas sent, before the network dropped or copied any. */
    public long messagesSent() {
        return messagesSent;
    }

    /** Sequence numbers at which honest replicas delivered or checkpointed different digests (the run stops at the first). */
    public long conflictingCommits() {
        return conflictingCommits;
    }

    /** The highest view any honest replica that is up operates in or is changing to: how many view changes the run went through. */
    public long viewMax() {
        long max = 0;
        for (final SimNode node : nodes) {
            if (node.honest() && node.replica != null) {
                final ReplicaStatus s = node.replica.status();
                max = Math.max(max, s.changing() ? s.changingTo() : s.view());
            }
        }
        return max;
    }

    /** The largest decided sequence number (for reports). */
    public long decidedMax() {
        return decided.isEmpty() ? 0 : decided.lastKey();
    }
}
