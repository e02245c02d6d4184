package dev.vigil.simnet.consensus;

import dev.vigil.daemon.consensus.Batch;
import dev.vigil.daemon.consensus.Checkpoint;
import dev.vigil.daemon.consensus.Committee;
import dev.vigil.daemon.consensus.CommitteeDirectory;
import dev.vigil.daemon.consensus.Message;
import dev.vigil.daemon.consensus.MessageKind;
import dev.vigil.daemon.consensus.Messages;
import dev.vigil.daemon.consensus.PreparedCertificate;
import dev.vigil.daemon.consensus.Proposal;
import dev.vigil.daemon.consensus.Request;
import dev.vigil.daemon.consensus.StableCertificate;
import dev.vigil.daemon.consensus.StateReply;
import dev.vigil.daemon.consensus.ViewChange;
import dev.vigil.daemon.consensus.Vote;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What a faulty member does to the messages its (real) replica sends. SILENT sends nothing.
 * EQUIVOCATE, while primary, sends one batch to some backups and a conflicting one (signed) to
 * the others, and both to one of them half the time. FORGE sends, beside or instead of its
 * real messages: flipped bytes, garbage, validly signed conflicting votes, votes claiming another
 * sender, checkpoints with a made-up digest, votes for a far view, view-changes with a forged
 * prepared certificate, state replies whose snapshot it altered under a valid certificate.
 * INFLATE, while primary, proposes each batch with one client request's payload made over by the
 * workload (a validly signed pre-prepare around a request whose client signature no longer
 * matches), and sends requests it proposed before to the others again.
 */
final class Byzantine {
    /** Requests an INFLATE member keeps from its own proposals to replay. */
    private static final int PROPOSED_KEPT_MAX = 16;
    private final ConsensusSim sim;
    private final SimNode node;
    private final SplittableRandom rng;
    private final List<Request> proposed = new ArrayList<>();

    Byzantine(final ConsensusSim sim, final SimNode node, final SplittableRandom rng) {
        this.sim = sim;
        this.node = node;
        this.rng = rng;
    }

    void broadcast(final byte[] message) {
        if (node.behaviour == ConsensusSim.Behaviour.EQUIVOCATE && message[0] == MessageKind.PRE_PREPARE.code) {
            equivocate(message);
            return;
        }
        final byte[] sent = node.behaviour == ConsensusSim.Behaviour.INFLATE && message[0] == MessageKind.PRE_PREPARE.code
            ? inflate(message) : message;
        for (final CommitteeDirectory.Candidate c : sim.committee.members()) {
            if (c.nodeId() != node.key.nodeId()) {
                send(c.nodeId(), sent);
            }
        }
    }

    void send(final long to, final byte[] message) {
        switch (node.behaviour) {
            case HONEST, EQUIVOCATE -> sim.send(node, to, message);
            case INFLATE -> {
                sim.send(node, to, message);
                if (!proposed.isEmpty() && rng.nextInt(8) == 0) {
                    sim.send(node, to, proposed.get(rng.nextInt(proposed.size())).encode());
                }
            }
            case SILENT -> {
            }
            case FORGE -> forge(to, message);
        }
    }

    private void equivocate(final byte[] message) {
        final Proposal p = (Proposal)Messages.decode(message, sim.limits).message();
        final List<CommitteeDirectory.Candidate> others = new ArrayList<>(sim.committee.members());
        others.removeIf(c -> c.nodeId() == node.key.nodeId());
        if (p.batch().isNull()) {
            others.forEach(c -> sim.send(node, c.nodeId(), message));
            return;
        }
        final List<Request> fewer = new ArrayList<>(p.batch().requests());
        fewer.remove(fewer.size() - 1);
        final Batch alt = new Batch(fewer);
        final Vote altHeader = Vote.signed(MessageKind.PRE_PREPARE, sim.committee, node.signer, p.header().view(),
            p.header().seq(), alt.digest());
        final byte[] altMessage = new Proposal(altHeader, alt).encode();
        final int split = 1 + rng.nextInt(others.size());
        final int both = rng.nextBoolean() ? rng.nextInt(others.size()) : -1;
        for (int i = 0; i < others.size(); i++) {
            final long to = others.get(i).nodeId();
            sim.send(node, to, i < split ? message : altMessage);
            if (i == both) {
                sim.send(node, to, i < split ? altMessage : message);
            }
        }
    }

    /** The same proposal, validly signed by this primary, with one client's payload made over. */
    private byte[] inflate(final byte[] message) {
        final Proposal p = (Proposal)Messages.decode(message, sim.limits).message();
        final List<Request> requests = new ArrayList<>(p.batch().requests());
        final List<Integer> clients = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            if (!requests.get(i).isReconfiguration()) {
                clients.add(i);
            }
        }
        if (clients.isEmpty()) {
            return message;
        }
        final int at = clients.get(rng.nextInt(clients.size()));
        final Request r = requests.get(at);
        if (proposed.size() < PROPOSED_KEPT_MAX) {
            proposed.add(r);
        } else {
            proposed.set(rng.nextInt(PROPOSED_KEPT_MAX), r);
        }
        requests.set(at, new Request(r.shard(), r.client(), r.requestSeq(), sim.workload.inflated(r.payload(), rng), r.signature()));
        final Batch forged = new Batch(requests);
        final Vote header = Vote.signed(MessageKind.PRE_PREPARE, sim.committee, node.signer, p.header().view(), p.header().seq(),
            forged.digest());
        return new Proposal(header, forged).encode();
    }

    private void forge(final long to, final byte[] message) {
        final Message m = Messages.decode(message, sim.limits).message();
        final Committee c = sim.committee;
        if (m instanceof StateReply r && r.snapshot().length > 0 && rng.nextBoolean()) {
            // the snapshot travels outside the signature: a faulty member can swap bytes and keep a valid certificate
            final byte[] tampered = r.snapshot().clone();
            tampered[tampered.length - 1 - rng.nextInt(Math.min(40, tampered.length))] ^= 1;
            sim.send(node, to, new StateReply(r.shard(), r.epoch(), r.sender(), r.certificate(), r.signature(), tampered).encode());
            return;
        }
        switch (rng.nextInt(12)) {
            case 0 -> {
                final byte[] flipped = message.clone();
                for (int i = 1 + rng.nextInt(3); i > 0; i--) {
                    flipped[rng.nextInt(flipped.length)] ^= (byte)(1 << rng.nextInt(8));
                }
                sim.send(node, to, flipped);
            }
            case 1 -> {
                final byte[] garbage = new byte[rng.nextInt(300)];
                rng.nextBytes(garbage);
                if (garbage.length > 0 && rng.nextBoolean()) {
                    garbage[0] = (byte)(1 + rng.nextInt(10));
                }
                sim.send(node, to, garbage);
                sim.send(node, to, message);
            }
            case 2 -> {
                if (m instanceof Vote v) {
                    sim.send(node, to, Vote.signed(v.kind(), c, node.signer, v.view(), v.seq(), randomDigest()).encode());
                } else {
                    sim.send(node, to, message);
                }
            }
            case 3 -> {
                if (m instanceof Vote v) {
                    final long other = c.memberId(rng.nextInt(c.n()));
                    final Vote spoofed = new Vote(v.kind(), v.shard(), v.epoch(), other, v.view(), v.seq(), v.digest(), v.signature());
                    sim.send(node, to, spoofed.withSignature(node.signer.sign(spoofed.signedBytes())).encode());
                }
                sim.send(node, to, message);
            }
            case 4 -> {
                final long seq = sim.scenario.config().checkpointSeqs() * (1L + rng.nextInt(40));
                sim.send(node, to, Checkpoint.signed(c, node.signer, seq, randomDigest()).encode());
                sim.send(node, to, message);
            }
            case 5 -> {
                final long seq = 1 + rng.nextInt(200);
                sim.send(node, to, Vote.signed(MessageKind.PREPARE, c, node.signer, 1000 + rng.nextInt(5), seq, randomDigest()).encode());
                sim.send(node, to, message);
            }
            case 6 -> {
                final long view = 1 + rng.nextInt(4);
                final Vote fakePp = Vote.signed(MessageKind.PRE_PREPARE, c, node.signer, view - 1, 1 + rng.nextInt(8), randomDigest());
                final PreparedCertificate fake = new PreparedCertificate(fakePp, List.of());
                final Batch body = Batch.EMPTY;
                final PreparedCertificate bodyMatching = new PreparedCertificate(
                    Vote.signed(MessageKind.PRE_PREPARE, c, node.signer, view - 1, fakePp.seq(), body.digest()), List.of());
                final StableCertificate genesis = StableCertificate.base(0, new byte[32]);
                final ViewChange vc = ViewChange.signed(c, node.signer, view, genesis, List.of(rng.nextBoolean() ? bodyMatching : fake),
                    List.of(body));
                sim.send(node, to, vc.encode());
                sim.send(node, to, message);
            }
            default -> sim.send(node, to, message);
        }
    }

    private byte[] randomDigest() {
        final byte[] d = new byte[32];
        rng.nextBytes(d);
        return d;
    }
}
