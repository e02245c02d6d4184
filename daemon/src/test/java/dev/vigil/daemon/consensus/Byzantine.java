package dev.vigil.daemon.consensus;

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
 */
final class Byzantine {
    private final ConsensusSim sim;
    private final SimNode node;
    private final SplittableRandom rng;

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
        for (final CommitteeDirectory.Candidate c : sim.committee.members()) {
            if (c.nodeId() != node.key.nodeId()) {
                send(c.nodeId(), message);
            }
        }
    }

    void send(final long to, final byte[] message) {
        switch (node.behaviour) {
            case HONEST, EQUIVOCATE -> sim.send(node, to, message);
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
