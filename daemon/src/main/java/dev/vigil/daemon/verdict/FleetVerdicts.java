package dev.vigil.daemon.verdict;

import dev.vigil.crypto.Certificate;
import dev.vigil.crypto.CertificateStatus;
import dev.vigil.crypto.NodeIds;
import dev.vigil.crypto.PrivateKey;
import dev.vigil.crypto.PublicKey;
import dev.vigil.crypto.verdict.Attestation;
import dev.vigil.crypto.verdict.Verdict;
import dev.vigil.crypto.verdict.VerdictCertificate;
import dev.vigil.crypto.verdict.VerdictSignature;
import dev.vigil.crypto.verdict.VerificationResult;
import dev.vigil.daemon.consensus.Committee;
import dev.vigil.daemon.consensus.CommitteeDirectory;
import dev.vigil.daemon.consensus.Committees;
import dev.vigil.daemon.consensus.KeySigner;
import dev.vigil.daemon.consensus.Signer;
import dev.vigil.daemon.consensus.evidence.EvidenceBatch;
import dev.vigil.daemon.consensus.evidence.ReleaseRequest;
import dev.vigil.daemon.core.LogIds;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node's part in fleet verdicts. Three roles, one class each: the directory (which committees
 * exist: adopted from the root, passed down, issued when this node is the root), here; a seat on
 * committees ({@link Committeeship}); an observer's evidence ({@link Observing}). Certificates are
 * flooded through the tree's clusters: each node passes a new, valid one once to its neighbours.
 *
 * <p>Trust: a directory is taken only when its issuer is the root this node's tree knows (or this
 * node), its issuer's certificate is the cluster CA's and its signature holds, and its epoch is
 * newer. A lying root can therefore choose the candidates (up to all of them its accomplices) and so
 * control committees; it cannot forge members' signatures, observers' evidence or verdicts of
 * committees it does not control, and the tree replaces a root its members catch lying about
 * counts. A lying head can withhold a directory from the nodes below it (they keep the previous
 * one) but cannot alter one. Everything arrives over frames signed by their sender.
 */
public final class FleetVerdicts {
    private final VerdictConfig config;
    private final VerdictEnv env;
    private final VerdictTree tree;
    private final PublicKey ca;
    private final PrivateKey key;
    private final Signer signer;
    private final long selfId;
    private final VerdictCounters counters = new VerdictCounters();
    private final Committeeship seats;
    private final Observing observing;
    private final LinkedHashMap<String, Boolean> certificatesSeen;
    private CommitteeDirectory directory;
    private CommitteeDirectory previous;
    private Certificate issuer;
    private long nextDirectoryMicros;

    public FleetVerdicts(final VerdictConfig config, final PrivateKey key, final PublicKey ca, final VerdictTree tree,
                         final VerdictEnv env) {
        this.config = config;
        this.env = env;
        this.tree = tree;
        this.ca = ca;
        this.key = key;
        this.signer = new KeySigner(key);
        this.selfId = key.nodeId();
        this.seats = new Committeeship(this, config, env, signer, key, ca, tree, counters);
        this.observing = new Observing(this, config, env, signer, tree, counters);
        this.certificatesSeen = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(final Map.Entry<String, Boolean> eldest) {
                return size() > 4 * config.sharesPendingMax();
            }
        };
        this.releasedSeen = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(final Map.Entry<String, Long> eldest) {
                return size() > config.agentsMax();
            }
        };
        this.recentConvictions = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(final Map.Entry<String, VerdictCertificate> eldest) {
                return size() > RECENT_CONVICTIONS_MAX;
            }
        };
    }

    /**
     * Per agent, the conviction whose operator release this node kept last
     * ({@link EvidenceBatch#convictionKey}; at most {@code agentsMax} agents, the least recently
     * touched forgotten): its evidence records name it, and the committee holds such a record while
     * it still holds that conviction, so evidence made after a release never counts before it. Not
     * persisted: after a restart records name none until a release is seen again, and wait for
     * nothing (they count as before).
     */
    private final LinkedHashMap<String, Long> releasedSeen;
    /** Convict certificates kept lately, by id: a committee member submits a release of one it sees flooded. */
    private final LinkedHashMap<String, VerdictCertificate> recentConvictions;
    static final int RECENT_CONVICTIONS_MAX = 1024;

    long releasedSeen(final String agent) {
        final Long n = releasedSeen.get(agent);
        return n == null ? 0 : n;
    }

    // ---------------------------------------------------------------- inputs

    /** One fleet message from an authenticated peer (the core checked the frames it came in). */
    public void onMessage(final long fromId, final String fromAddress, final byte[] bytes) {
        if (config.enabled()) {
            guarded("a fleet message from " + NodeIds.toHex(fromId), () -> dispatch(fromId, fromAddress, bytes));
        }
    }

    /** What became of one fleet message: each ends in exactly one (see {@link VerdictCounters}). */
    enum Outcome {
        ACCEPTED,
        IGNORED,
        HELD,
        /** Counted by reason where it was refused ({@link #refuse}). */
        REFUSED
    }

    private void dispatch(final long fromId, final String fromAddress, final byte[] bytes) {
        counters.received++;
        final FleetMessage m = FleetMessage.decode(bytes);
        final Outcome outcome;
        if (m instanceof FleetMessage.Malformed bad) {
            outcome = refuse("malformed", fromId, bad.reason());
        } else if (m instanceof FleetMessage.DirectoryMessage d) {
            outcome = onDirectory(fromId, d);
        } else if (m instanceof FleetMessage.ReplicaMessage r) {
            outcome = seats.onReplicaMessage(fromId, r);
        } else if (m instanceof FleetMessage.EvidenceMessage e) {
            outcome = seats.onEvidence(fromId, fromAddress, e);
        } else if (m instanceof FleetMessage.Ack a) {
            outcome = observing.onAck(fromId, a);
        } else if (m instanceof FleetMessage.Share s) {
            outcome = seats.onShare(fromId, s);
        } else if (m instanceof FleetMessage.CertificateMessage c) {
            outcome = onCertificate(fromId, c.certificate());
        } else {
            throw new IllegalStateException("no handler for " + m.label());
        }
        switch (outcome) {
            case ACCEPTED -> counters.accept(m.label());
            case IGNORED -> counters.ignore(m.label());
            case HELD -> counters.held++;
            case REFUSED -> {
            }
        }
    }

    /** One scored window of an agent this node observes (its detector's clipped LLR, the CUSUM after). */
    public void onScore(final String agent, final double llr, final double cusumAfter) {
        if (config.enabled()) {
            guarded("a score of " + agent, () -> score(agent, llr, cusumAfter));
        }
    }

    private void score(final String agent, final double llr, final double cusumAfter) {
        switch (lie) {
            case NONE -> observing.onScore(agent, llr, cusumAfter);
            case HIDE -> {
            }
            case FRAME -> observing.onScore(agent, FRAMING_LLR, FRAMING_LLR);
        }
    }

    /** How a lying observer lies: fault injection for simnet's and the tests' lying hosts, never set by configuration. */
    public enum Lie {
        NONE,
        /** Sends no evidence about the agents it observes (a compromised host hiding its own agents). */
        HIDE,
        /** Reports every window of every agent it observes as strongly anomalous (a host framing agents). */
        FRAME
    }

    /** The framing observer's increment per window: well above the detector's clip, trimmed or clipped by the committee. */
    static final double FRAMING_LLR = 50.0;

    private Lie lie = Lie.NONE;

    /** Makes this node lie as an observer from now on (simnet's and tests' lying hosts). */
    public void lie(final Lie how) {
        this.lie = how;
    }

    /**
     * Benchmark and test hook ({@code vigil bench consensus}), like {@link #lie}: queues one evidence
     * record per element of {@code increments} about {@code agent}, as if this node's detector had
     * scored it and its excursion tracking had let the records go, and sends the agent's shard
     * outbox's next request if none is in flight. The outbox's bound, dots, one request in flight
     * and acknowledgement rule apply as to any evidence. Never called by the daemon itself.
     *
     * @return records now waiting in the agent's shard outbox (not yet in a request)
     */
    public int offerEvidence(final String agent, final long excursion, final double[][] increments) {
        return config.enabled() ? observing.offer(agent, excursion, increments) : 0;
    }

    /** What an observer learns when one of its evidence requests is done (f + 1 members acknowledged it). */
    public interface RequestListener {
        /**
         * @param records       records the request carried
         * @param latencyMicros from its first send to the acknowledgement that completed it (resends included)
         */
        void done(int shard, int records, long latencyMicros);

        RequestListener NONE = (shard, records, latencyMicros) -> { };
    }

    /** Benchmark and test hook: {@code listener} hears of every evidence request of this node's that is done, on the core's thread. */
    public void onRequestDone(final RequestListener listener) {
        observing.onRequestDone(listener == null ? RequestListener.NONE : listener);
    }

    /** Housekeeping: the directory's issue and passing down, evidence resends. */
    public void onTick() {
        if (config.enabled()) {
            guarded("the tick", this::tick);
        }
    }

    /**
     * A bug: an exception out of handling input that decoded, or out of the tick. Counted and logged
     * with its stack trace the first time per place; the node goes on (simnet's log fails the run).
     */
    private void guarded(final String during, final Runnable action) {
        try {
            action.run();
        } catch (final RuntimeException e) {
            internalErrors++;
            final String where = dev.vigil.daemon.core.InternalErrors.location(e);
            if (internalErrorPlaces.add(where) && internalErrorPlaces.size() < 1024) {
                env.log().bug("node " + NodeIds.toHex(selfId) + ": internal error in fleet verdicts handling " + during + " at " + where
                    + " (counted; later ones there are only counted)", e);
            }
        }
    }

    private long internalErrors;
    private final java.util.Set<String> internalErrorPlaces = new java.util.HashSet<>();

    /** Bugs caught at the entry points (see {@link #guarded}). */
    public long internalErrors() {
        return internalErrors;
    }

    private void tick() {
        final long now = env.nowMicros();
        if (now >= nextDirectoryMicros) {
            nextDirectoryMicros = now + config.directoryIntervalMicros();
            if (tree.isRoot()) {
                maybeIssue(now);
            }
            if (directory != null) {
                passDown(new FleetMessage.DirectoryMessage(issuer, directory, previous).encode());
                seats.proposeReconfigurationAgain(directory, now);
            }
        }
        observing.onTick(now);
    }

    /** Whether this node has scored the agent lately (it is one of its observers). */
    public boolean observes(final String agent) {
        return observing.follows(agent);
    }

    public void shutdown() {
        seats.closeAll();
    }

    // ---------------------------------------------------------------- directory

    /**
     * The root issues a new epoch when its candidates changed and have stayed the same for
     * {@link #SETTLE_INTERVALS} directory intervals: each epoch moves every shard's state to a new
     * committee, so a fleet still assembling (nodes joining one by one) should not pay for each step.
     */
    private void maybeIssue(final long now) {
        final List<CommitteeDirectory.Candidate> candidates = sortedCopy(tree.candidates(directory == null ? List.of() : directory.candidates(),
            config.candidatesMax()));
        if (candidates.isEmpty()) {
            return;
        }
        if (!candidates.equals(lastCandidates)) {
            lastCandidates = candidates;
            candidatesSinceMicros = now;
        }
        if (directory != null && directory.issuer() == selfId && directory.candidates().equals(candidates)) {
            return;
        }
        if (directory != null && now - candidatesSinceMicros < SETTLE_INTERVALS * config.directoryIntervalMicros()) {
            return;
        }
        final long epoch = directory == null ? 1 : directory.epoch() + 1;
        final CommitteeDirectory next = CommitteeDirectory.signed(epoch, signer, candidates);
        counters.directoriesIssued++;
        env.log().info("node " + NodeIds.toHex(selfId) + ": as root, issues committee directory epoch " + epoch + " of "
            + candidates.size() + " candidates");
        adopt(tree.selfCertificate(), next, directory != null && directory.epoch() + 1 == epoch ? directory : null);
    }

    /** Directory intervals a changed candidate set must hold still before the root issues it. */
    static final int SETTLE_INTERVALS = 3;

    private List<CommitteeDirectory.Candidate> lastCandidates = List.of();
    private long candidatesSinceMicros;

    private static List<CommitteeDirectory.Candidate> sortedCopy(final List<CommitteeDirectory.Candidate> c) {
        final List<CommitteeDirectory.Candidate> s = new ArrayList<>(c);
        s.sort((a, b) -> Long.compareUnsigned(a.nodeId(), b.nodeId()));
        return s;
    }

    private Outcome onDirectory(final long fromId, final FleetMessage.DirectoryMessage d) {
        final CommitteeDirectory next = d.directory();
        if (directory != null && next.epoch() <= directory.epoch()) {
            return Outcome.IGNORED; // the one we hold, passed down again, or older
        }
        if (d.issuer().nodeId() != next.issuer()) {
            return refuse("directory-issuer", fromId, "directory of issuer " + NodeIds.toHex(next.issuer()) + " comes with the certificate of "
                + NodeIds.toHex(d.issuer().nodeId()));
        }
        if (next.issuer() != tree.rootId()) {
            return refuse("directory-not-root", fromId, "directory epoch " + next.epoch() + " issued by " + NodeIds.toHex(next.issuer())
                + ", not by the root this node knows (" + NodeIds.toHex(tree.rootId()) + ")");
        }
        final CertificateStatus status = d.issuer().verify(ca, env.nowMicros() / 1_000_000);
        if (status != CertificateStatus.VALID) {
            return refuse("directory-certificate", fromId, "directory issuer's certificate: " + status);
        }
        final PublicKey issuerKey = d.issuer().publicKey();
        if (!next.verify(KeySigner.verifier(id -> id == issuerKey.nodeId() ? issuerKey : null))) {
            return refuse("directory-signature", fromId, "directory epoch " + next.epoch() + ": the issuer's signature does not verify");
        }
        // The epoch the new one follows is the issuer's: every member of the new committees must join from the same
        // closing state. The one this node holds differs from it only after a fork (two roots issued one epoch each while
        // the tree was split); joining from the held one would start this member from another state than the others.
        final CommitteeDirectory offered = d.previous() != null && d.previous().epoch() + 1 == next.epoch()
            && d.previous().verify(KeySigner.verifier(id -> id == issuerKey.nodeId() ? issuerKey : null)) ? d.previous() : null;
        final CommitteeDirectory held = directory != null && directory.epoch() + 1 == next.epoch() ? directory : null;
        if (offered != null && held != null && !offered.equals(held)) {
            counters.directoryForks++;
            warnLimited("directory-fork", fromId, "follows the issuer's epoch " + held.epoch(), "the epoch " + held.epoch()
                + " this node held is not the one epoch " + next.epoch() + " follows; its seats join from the issuer's");
        }
        adopt(d.issuer(), next, offered != null ? offered : held);
        return Outcome.ACCEPTED;
    }

    /** @param prior the directory of epoch next - 1 the new committees follow, or null when this node has none */
    private void adopt(final Certificate issuerCertificate, final CommitteeDirectory next, final CommitteeDirectory prior) {
        previous = prior;
        directory = next;
        issuer = issuerCertificate;
        counters.directoriesAdopted++;
        remember(prior);
        remember(next);
        seats.onDirectory(next, previous);
        observing.onDirectory(next);
        passDown(new FleetMessage.DirectoryMessage(issuer, directory, previous).encode());
        // certificates of this epoch that came before its directory can be checked now
        final List<Map.Entry<Long, VerdictCertificate>> early = new ArrayList<>(certificatesEarly);
        certificatesEarly.clear();
        for (final Map.Entry<Long, VerdictCertificate> e : early) {
            onCertificate(e.getKey(), e.getValue());
        }
    }

    /** The directories this node adopted lately, newest last (at most {@link #DIRECTORIES_KEPT}): what certificates are checked against. */
    private final java.util.ArrayDeque<CommitteeDirectory> directories = new java.util.ArrayDeque<>();
    static final int DIRECTORIES_KEPT = 8;
    /** Certificates of an epoch newer than the directory held, waiting for it (at most {@link #CERTIFICATES_EARLY_MAX}). */
    private final List<Map.Entry<Long, VerdictCertificate>> certificatesEarly = new ArrayList<>();
    static final int CERTIFICATES_EARLY_MAX = 64;

    private void remember(final CommitteeDirectory d) {
        if (d == null || directories.stream().anyMatch(x -> x.epoch() == d.epoch())) {
            return;
        }
        directories.addLast(d);
        while (directories.size() > DIRECTORIES_KEPT) {
            directories.removeFirst();
        }
    }

    private CommitteeDirectory directoryOf(final long epoch) {
        for (final CommitteeDirectory d : directories) {
            if (d.epoch() == epoch) {
                return d;
            }
        }
        return null;
    }

    private void passDown(final byte[] message) {
        for (final VerdictTree.Neighbour n : tree.neighbours()) {
            send(n.id(), n.address(), message);
        }
    }

    /** The committee of the shard in the directory this node holds, or null before it has one (or for a shard outside the fleet's). */
    Committee committee(final int shard) {
        return directory == null ? null : committees(directory, shard);
    }

    /** The committee of a shard in the epoch named, if this node holds that directory (current or previous). */
    Committee committee(final int shard, final long epoch) {
        if (directory != null && directory.epoch() == epoch) {
            return committees(directory, shard);
        }
        if (previous != null && previous.epoch() == epoch) {
            return committees(previous, shard);
        }
        return null;
    }

    /** Rendezvous selection hashes every candidate per shard: computed once per directory, for the two held. */
    private Committee committees(final CommitteeDirectory d, final int shard) {
        if (shard < 0 || shard >= config.shards()) {
            return null; // a shard this fleet does not have (a peer's message names it): no committee
        }
        if (d != cachedA && d != cachedB) {
            cachedB = cachedA;
            committeesB = committeesA;
            cachedA = d;
            committeesA = new Committee[config.shards()];
        }
        final Committee[] all = d == cachedA ? committeesA : committeesB;
        if (all[shard] == null) {
            all[shard] = Committees.select(d, shard, config.f());
        }
        return all[shard];
    }

    private CommitteeDirectory cachedA;
    private CommitteeDirectory cachedB;
    private Committee[] committeesA;
    private Committee[] committeesB;

    // ---------------------------------------------------------------- certificates

    /**
     * A certificate this node assembled or received: checked, kept once, passed on once. A release
     * must be the operator's (signed with the cluster CA key): committees never issue releases, and
     * a quorum certificate of one would let a single node with f = 0 retract any verdict.
     */
    Outcome onCertificate(final long fromId, final VerdictCertificate certificate) {
        final String id = certificate.verdict().id();
        if (certificatesSeen.containsKey(id)) {
            return Outcome.IGNORED;
        }
        if (certificate.verdict().kind() == Verdict.Kind.RELEASE && certificate.attestation() != Attestation.OPERATOR) {
            return refuse("release-not-operator", fromId, "release " + id + " attested by " + certificate.attestation()
                + ", only the operator (the cluster CA key) releases");
        }
        final VerificationResult ok = certificate.verify(ca, 0);
        if (!ok.isValid()) {
            return refuse("certificate", fromId, "verdict certificate " + id + ": " + ok.problem());
        }
        if (certificate.attestation() == Attestation.QUORUM) {
            final String problem = committeeProblem(fromId, certificate);
            if (problem == EARLY) {
                return Outcome.HELD;
            }
            if (problem != null) {
                return refuse("certificate-committee", fromId, "verdict certificate " + id + ": " + problem);
            }
        }
        if (fromId == selfId) {
            counters.certificatesAssembled++;
        } else {
            counters.certificatesReceived++;
        }
        keep(fromId, certificate);
        return Outcome.ACCEPTED;
    }

    /**
     * What the CA key alone cannot show (any 2f + 1 certified nodes can sign, and f = 0 makes one a
     * quorum): that the signers were the committee of the agent's shard in the verdict's epoch. The
     * shard must be the agent's; the node must hold that epoch's directory (the current one, or one
     * of the last {@value #DIRECTORIES_KEPT} it adopted): the verdict's f must be that committee's and
     * every signer a member. A certificate of a newer epoch waits (bounded) for its directory; one of
     * an epoch older than those kept cannot be checked and is refused.
     *
     * @return null when it holds, {@link #EARLY} when it waits for its directory, else the reason
     */
    private String committeeProblem(final long fromId, final VerdictCertificate certificate) {
        final Verdict v = certificate.verdict();
        if (v.shard() < 0 || v.shard() >= config.shards() || v.shard() != Committees.shardOf(v.agentId(), config.shards())) {
            return "names shard " + v.shard() + ", agent '" + v.agentId() + "' maps to shard "
                + Committees.shardOf(v.agentId(), config.shards()) + " of " + config.shards();
        }
        final CommitteeDirectory d = directoryOf(v.epoch());
        if (d == null) {
            if (directory == null || v.epoch() > directory.epoch()) {
                if (certificatesEarly.size() >= CERTIFICATES_EARLY_MAX) {
                    return "of epoch " + v.epoch() + ", whose directory this node does not hold yet, and "
                        + CERTIFICATES_EARLY_MAX + " such certificates wait already";
                }
                certificatesEarly.add(Map.entry(fromId, certificate));
                return EARLY;
            }
            return "of epoch " + v.epoch() + ", older than the directories this node keeps (from epoch "
                + directories.peekFirst().epoch() + "): its committee cannot be checked";
        }
        final Committee named = Committees.select(d, v.shard(), config.f());
        if (v.f() != named.f()) {
            return "claims f = " + v.f() + ", the committee of shard " + v.shard() + " in epoch " + v.epoch() + " has f = " + named.f();
        }
        for (final VerdictSignature sig : certificate.signatures()) {
            if (named.indexOf(sig.signerId()) < 0) {
                return "signer " + NodeIds.toHex(sig.signerId()) + " is not on the committee of shard " + v.shard() + " in epoch " + v.epoch();
            }
        }
        return null;
    }

    /** {@link #committeeProblem}'s answer for a certificate held until its epoch's directory arrives. */
    private static final String EARLY = "early";

    /** A verified certificate new to this node: stored and acted on, passed to every neighbour but the one it came from. */
    private void keep(final long fromId, final VerdictCertificate certificate) {
        final String id = certificate.verdict().id();
        certificatesSeen.put(id, Boolean.TRUE);
        seats.completed(id);
        env.verdict(certificate);
        final Verdict v = certificate.verdict();
        if (v.kind() == Verdict.Kind.CONVICT) {
            recentConvictions.put(id, certificate);
        } else {
            releasedSeen.put(v.agentId(), EvidenceBatch.convictionKey(v.versionVectorDigest()));
            if (fromId != selfId) { // from the API this node submitted it already
                submitAsMember(certificate);
            }
        }
        final byte[] message = new FleetMessage.CertificateMessage(certificate).encode();
        for (final VerdictTree.Neighbour n : tree.neighbours()) {
            if (n.id() != fromId) {
                send(n.id(), n.address(), message);
                counters.certificatesForwarded++;
            }
        }
    }

    /**
     * A release flooded to a member of the agent's committee: it submits it too, so the committee
     * orders it even if the node that took it from the operator died first (the state refuses the
     * copies after the first as not convicted any more). Needs the convict certificate, kept lately.
     */
    private void submitAsMember(final VerdictCertificate release) {
        final Verdict r = release.verdict();
        final Committee c = committee(r.shard());
        final VerdictCertificate convict = recentConvictions.get(r.retractedId());
        if (c == null || c.indexOf(selfId) < 0 || convict == null || releaseProblem(release, convict) != null) {
            return;
        }
        if (observing.submitRelease(r.shard(), new ReleaseRequest(release, convict).encode())) {
            counters.releasesSubmitted++;
        }
    }

    /**
     * The operator's release of a conviction, as {@code POST /v1/verdicts/{id}/release} hands it in:
     * checked (the operator's RELEASE of exactly {@code convict}, same agent and shard, signed with
     * the cluster CA key), kept and flooded to the fleet like any certificate (every node checks it
     * again), and queued for the agent's committee as this node's request, so that the committee
     * clears the conviction in its ordered state (see {@code EvidenceState}). Submitting the same
     * release again is harmless: the committee refuses it as not convicted any more.
     *
     * @param convict the convict certificate the release retracts, as this node holds it (verified)
     * @return taken, or why not (then nothing was kept, flooded or queued)
     */
    public ReleaseOutcome release(final VerdictCertificate release, final VerdictCertificate convict) {
        if (!config.enabled()) {
            return ReleaseOutcome.refused("fleet verdicts are off on this node (verdicts.enabled: false)");
        }
        final String problem = releaseProblem(release, convict);
        if (problem != null) {
            return ReleaseOutcome.refused(problem);
        }
        final Verdict r = release.verdict();
        final Verdict c = convict.verdict();
        final byte[] payload;
        try {
            payload = new ReleaseRequest(release, convict).encode();
        } catch (final IllegalArgumentException e) {
            return ReleaseOutcome.refused(e.getMessage());
        }
        if (!observing.submitRelease(c.shard(), payload)) {
            return new ReleaseOutcome("shard " + c.shard() + " has " + ShardOutbox.RELEASES_MAX
                + " releases waiting for its committee already; try again", true);
        }
        counters.releasesSubmitted++;
        env.log().agentInfo(c.agentId(), "node " + NodeIds.toHex(selfId) + ": operator release " + r.id() + " of verdict " + c.id()
            + " (" + LogIds.agent(c.agentId()) + ") taken; flooded and submitted to the committee of shard " + c.shard());
        if (!certificatesSeen.containsKey(r.id())) {
            keep(selfId, release);
        }
        return ReleaseOutcome.TAKEN;
    }

    /**
     * What became of a release handed in.
     *
     * @param problem null when taken
     * @param busy    not taken only because the committee's queue of releases is full: try again later
     */
    public record ReleaseOutcome(String problem, boolean busy) {
        static final ReleaseOutcome TAKEN = new ReleaseOutcome(null, false);

        static ReleaseOutcome refused(final String problem) {
            return new ReleaseOutcome(problem, false);
        }
    }

    /** Why the release cannot be taken, cheapest check first; null when it can. */
    private String releaseProblem(final VerdictCertificate release, final VerdictCertificate convict) {
        final Verdict r = release.verdict();
        final Verdict c = convict.verdict();
        if (r.kind() != Verdict.Kind.RELEASE || release.attestation() != Attestation.OPERATOR) {
            return "not an operator's release: a " + release.attestation() + " " + r.kind();
        }
        if (c.kind() != Verdict.Kind.CONVICT) {
            return "verdict " + c.id() + " is a " + c.kind() + ", only a conviction is released";
        }
        if (!c.id().equals(r.retractedId())) {
            return "the release retracts verdict " + r.retractedId() + ", not " + c.id();
        }
        if (!r.agentId().equals(c.agentId())) {
            return "the release names agent '" + r.agentId() + "', the retracted verdict agent '" + c.agentId() + "'";
        }
        if (r.shard() != c.shard()) {
            return "the release names shard " + r.shard() + ", the retracted verdict shard " + c.shard();
        }
        final VerificationResult ok = release.verify(ca, 0);
        return ok.isValid() ? null : ok.problem();
    }

    /** Every fleet message leaves here; one to this node itself comes back through the scheduler, not re-entrantly. */
    void send(final long nodeId, final String address, final byte[] message) {
        if (nodeId == selfId) {
            env.scheduler().schedule(0, () -> onMessage(selfId, address, message));
        } else {
            env.send(nodeId, address, message);
        }
    }

    /** Counted always; logged the first time per (sender, reason) and then at every power of ten, so a flood costs a few lines. */
    Outcome refuse(final String reason, final long fromId, final String detail) {
        counters.refuse(reason);
        warnLimited(reason, fromId, "refused a fleet message from " + LogIds.peer(fromId, null), detail);
        return Outcome.REFUSED;
    }

    /** Logged the first time per (sender or place, reason) and then at every power of ten. */
    void warnLimited(final String reason, final long fromId, final String what, final String detail) {
        final String key = reason + "/" + fromId;
        final long n = refusalsLogged.merge(key, 1L, Long::sum);
        if (n == 1 || isPowerOfTen(n)) {
            final String line = "node " + NodeIds.toHex(selfId) + ": " + what + " (" + reason + (n > 1 ? ", " + n + " so far" : "")
                + "): " + detail;
            if (fromId == selfId) {
                env.log().warn(line);
            } else {
                env.log().peerWarn(fromId, null, line);
            }
        }
    }

    private static boolean isPowerOfTen(final long n) {
        long p = 10;
        while (p < n) {
            p *= 10;
        }
        return p == n;
    }

    private final LinkedHashMap<String, Long> refusalsLogged = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(final Map.Entry<String, Long> eldest) {
            return size() > 1024;
        }
    };

    // ---------------------------------------------------------------- views

    public VerdictCounters counters() {
        return counters;
    }

    public CommitteeDirectory directory() {
        return directory;
    }

    public List<Committeeship.SeatStatus> seats() {
        return seats.status();
    }

    /** Whether each of this node's running seats holds the agent convicted, by "shard/epoch" (tests compare members). */
    Map<String, Boolean> convictedBySeat(final String agent) {
        return seats.convictedBySeat(agent);
    }

    /** The batches this node's seats executed lately, by (shard, epoch, seq): what tests compare across members. */
    public List<Committeeship.Executed> executed() {
        return seats.executed();
    }

    /** Messages the replicas of this node's seats refused, by reason, summed over seats (seats closed since included). */
    public Map<String, Long> replicaRefusals() {
        return seats.refusals();
    }

    /** View changes the replicas of this node's seats started, summed (seats closed since included). */
    public long viewChanges() {
        return seats.viewChanges();
    }

    /** Committee rounds (committed batches) the replicas of this node's seats executed, summed (seats closed since included). */
    public long executedBatches() {
        return seats.executedBatches();
    }

    /** This node's running seats by replica mode. */
    public Map<String, Integer> seatsByMode() {
        return seats.seatsByMode();
    }

    public Observing.Status observing() {
        return observing.status();
    }

    long selfId() {
        return selfId;
    }

    PrivateKey key() {
        return key;
    }
}
