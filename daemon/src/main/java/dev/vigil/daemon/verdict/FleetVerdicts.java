package dev.vigil.daemon.verdict;

import dev.vigil.crypto.Certificate;
import dev.vigil.crypto.CertificateStatus;
import dev.vigil.crypto.NodeIds;
import dev.vigil.crypto.PrivateKey;
import dev.vigil.crypto.PublicKey;
import dev.vigil.crypto.verdict.VerdictCertificate;
import dev.vigil.crypto.verdict.VerificationResult;
import dev.vigil.daemon.consensus.Committee;
import dev.vigil.daemon.consensus.CommitteeDirectory;
import dev.vigil.daemon.consensus.Committees;
import dev.vigil.daemon.consensus.KeySigner;
import dev.vigil.daemon.consensus.Signer;

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
    }

    // ---------------------------------------------------------------- inputs

    /** One fleet message from an authenticated peer (the core checked the frames it came in). */
    public void onMessage(final long fromId, final String fromAddress, final byte[] bytes) {
        if (!config.enabled()) {
            return;
        }
        final FleetMessage m = FleetMessage.decode(bytes);
        if (m instanceof FleetMessage.Malformed bad) {
            refuse("malformed", fromId, bad.reason());
        } else if (m instanceof FleetMessage.DirectoryMessage d) {
            onDirectory(fromId, d);
        } else if (m instanceof FleetMessage.ReplicaMessage r) {
            seats.onReplicaMessage(fromId, r);
        } else if (m instanceof FleetMessage.EvidenceMessage e) {
            seats.onEvidence(fromId, fromAddress, e);
        } else if (m instanceof FleetMessage.Ack a) {
            observing.onAck(fromId, a);
        } else if (m instanceof FleetMessage.Share s) {
            seats.onShare(fromId, s);
        } else if (m instanceof FleetMessage.CertificateMessage c) {
            onCertificate(fromId, c.certificate());
        }
    }

    /** One scored window of an agent this node observes (its detector's clipped LLR, the CUSUM after). */
    public void onScore(final String agent, final double llr, final double cusumAfter) {
        if (config.enabled()) {
            observing.onScore(agent, llr, cusumAfter);
        }
    }

    /** Housekeeping: the directory's issue and passing down, evidence resends. */
    public void onTick() {
        if (!config.enabled()) {
            return;
        }
        final long now = env.nowMicros();
        if (now >= nextDirectoryMicros) {
            nextDirectoryMicros = now + config.directoryIntervalMicros();
            if (tree.isRoot()) {
                maybeIssue();
            }
            if (directory != null) {
                passDown(new FleetMessage.DirectoryMessage(issuer, directory, previous).encode());
            }
        }
        observing.onTick(now);
    }

    public void shutdown() {
        seats.closeAll();
    }

    // ---------------------------------------------------------------- directory

    private void maybeIssue() {
        final List<CommitteeDirectory.Candidate> candidates = tree.candidates(config.candidatesMax());
        if (candidates.isEmpty()) {
            return;
        }
        if (directory != null && directory.issuer() == selfId && directory.candidates().equals(sortedCopy(candidates))) {
            return;
        }
        final long epoch = directory == null ? 1 : directory.epoch() + 1;
        final CommitteeDirectory next = CommitteeDirectory.signed(epoch, signer, candidates);
        counters.directoriesIssued++;
        env.log().info("node " + NodeIds.toHex(selfId) + ": as root, issues committee directory epoch " + epoch + " of "
            + candidates.size() + " candidates");
        adopt(tree.selfCertificate(), next);
    }

    private static List<CommitteeDirectory.Candidate> sortedCopy(final List<CommitteeDirectory.Candidate> c) {
        final List<CommitteeDirectory.Candidate> s = new ArrayList<>(c);
        s.sort((a, b) -> Long.compareUnsigned(a.nodeId(), b.nodeId()));
        return s;
    }

    private void onDirectory(final long fromId, final FleetMessage.DirectoryMessage d) {
        final CommitteeDirectory next = d.directory();
        if (directory != null && next.epoch() <= directory.epoch()) {
            return; // the one we hold, passed down again, or older
        }
        if (d.issuer().nodeId() != next.issuer()) {
            refuse("directory-issuer", fromId, "directory of issuer " + NodeIds.toHex(next.issuer()) + " comes with the certificate of "
                + NodeIds.toHex(d.issuer().nodeId()));
            return;
        }
        if (next.issuer() != tree.rootId()) {
            refuse("directory-not-root", fromId, "directory epoch " + next.epoch() + " issued by " + NodeIds.toHex(next.issuer())
                + ", not by the root this node knows (" + NodeIds.toHex(tree.rootId()) + ")");
            return;
        }
        final CertificateStatus status = d.issuer().verify(ca, env.nowMicros() / 1_000_000);
        if (status != CertificateStatus.VALID) {
            refuse("directory-certificate", fromId, "directory issuer's certificate: " + status);
            return;
        }
        final PublicKey issuerKey = d.issuer().publicKey();
        if (!next.verify(KeySigner.verifier(id -> id == issuerKey.nodeId() ? issuerKey : null))) {
            refuse("directory-signature", fromId, "directory epoch " + next.epoch() + ": the issuer's signature does not verify");
            return;
        }
        CommitteeDirectory prior = null;
        if (d.previous() != null && d.previous().epoch() + 1 == next.epoch()
            && d.previous().verify(KeySigner.verifier(id -> id == issuerKey.nodeId() ? issuerKey : null))) {
            prior = d.previous();
        }
        if (directory != null && directory.epoch() + 1 == next.epoch()) {
            prior = directory;
        }
        previous = prior;
        adopt(d.issuer(), next);
    }

    private void adopt(final Certificate issuerCertificate, final CommitteeDirectory next) {
        final CommitteeDirectory before = directory;
        if (before != null && before.epoch() + 1 == next.epoch()) {
            previous = before;
        }
        directory = next;
        issuer = issuerCertificate;
        counters.directoriesAdopted++;
        seats.onDirectory(next, previous);
        observing.onDirectory(next);
        passDown(new FleetMessage.DirectoryMessage(issuer, directory, previous).encode());
    }

    private void passDown(final byte[] message) {
        for (final VerdictTree.Neighbour n : tree.neighbours()) {
            send(n.id(), n.address(), message);
        }
    }

    /** The committee of the shard in the directory this node holds, or null before it has one. */
    Committee committee(final int shard) {
        return directory == null ? null : Committees.select(directory, shard, config.f());
    }

    /** The committee of a shard in the epoch named, if this node holds that directory (current or previous). */
    Committee committee(final int shard, final long epoch) {
        if (directory != null && directory.epoch() == epoch) {
            return Committees.select(directory, shard, config.f());
        }
        if (previous != null && previous.epoch() == epoch) {
            return Committees.select(previous, shard, config.f());
        }
        return null;
    }

    // ---------------------------------------------------------------- certificates

    /** A certificate this node assembled or received: checked, kept once, passed on once. */
    void onCertificate(final long fromId, final VerdictCertificate certificate) {
        final String id = certificate.verdict().id();
        if (certificatesSeen.containsKey(id)) {
            return;
        }
        final VerificationResult ok = certificate.verify(ca, 0);
        if (!ok.isValid()) {
            refuse("certificate", fromId, "verdict certificate " + id + ": " + ok.problem());
            return;
        }
        certificatesSeen.put(id, Boolean.TRUE);
        seats.completed(id);
        if (fromId == selfId) {
            counters.certificatesAssembled++;
        } else {
            counters.certificatesReceived++;
        }
        env.verdict(certificate);
        final byte[] message = new FleetMessage.CertificateMessage(certificate).encode();
        for (final VerdictTree.Neighbour n : tree.neighbours()) {
            if (n.id() != fromId) {
                send(n.id(), n.address(), message);
                counters.certificatesForwarded++;
            }
        }
    }

    /** Every fleet message leaves here; one to this node itself comes back through the scheduler, not re-entrantly. */
    void send(final long nodeId, final String address, final byte[] message) {
        if (nodeId == selfId) {
            env.scheduler().schedule(0, () -> onMessage(selfId, address, message));
        } else {
            env.send(nodeId, address, message);
        }
    }

    void refuse(final String reason, final long fromId, final String detail) {
        counters.refuse(reason);
        env.log().warn("node " + NodeIds.toHex(selfId) + ": refused a fleet message from " + NodeIds.toHex(fromId) + " ("
            + reason + "): " + detail);
    }

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
