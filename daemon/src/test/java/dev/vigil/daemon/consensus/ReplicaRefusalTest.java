package dev.vigil.daemon.consensus;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every inbound message ends in exactly one counter, and each refusal reason is the one the message earns. */
class ReplicaRefusalTest {
    private static final ConsensusConfig CONFIG = ConsensusConfig.defaults().withCheckpointSeqs(8).withInvariantChecks(true)
        .withPending(64, 2, 16);

    private static OneReplica backup() {
        final OneReplica r = new OneReplica(1, 1, CONFIG);
        assertThat(r.committee.primaryIndex(0)).isZero();
        return r;
    }

    private static long total(final OneReplica r) {
        return r.replica.counters().acceptedTotal() + r.replica.counters().refusedTotal() + r.replica.counters().held();
    }

    @Test
    void aValidProposalIsAcceptedAndAnExactCopyIsAReplay() {
        final OneReplica r = backup();
        final Proposal p = r.proposal(0, 1, new Batch(List.of(r.request(1))));
        r.receive(p);
        r.receive(p);
        assertThat(r.accepted(MessageKind.PRE_PREPARE)).isOne();
        assertThat(r.refused(Refusal.REPLAY)).isOne();
        assertThat(total(r)).isEqualTo(2);
    }

    @Test
    void eachMalformedOrHostileInputIsRefusedForItsOwnReason() {
        final OneReplica r = backup();
        final Batch batch = new Batch(List.of(r.request(1)));
        final byte[] digest = batch.digest();
        final Vote goodPrepare = r.vote(MessageKind.PREPARE, 2, 0, 1, digest);

        r.replica.onMessage(new byte[0], r.now);
        assertThat(r.refused(Refusal.MALFORMED)).isOne();
        final byte[] trailing = java.util.Arrays.copyOf(goodPrepare.encode(), Vote.LENGTH + 1);
        r.replica.onMessage(trailing, r.now);
        assertThat(r.refused(Refusal.MALFORMED)).isEqualTo(2);

        final byte[] flipped = goodPrepare.encode();
        flipped[flipped.length - 10] ^= 1;
        r.replica.onMessage(flipped, r.now);
        assertThat(r.refused(Refusal.BAD_SIGNATURE)).isOne();

        r.receive(Vote.signed(MessageKind.PREPARE, new Committee(r.committee.shard() + 1, 0, r.committee.members(), 1, 1, 4,
            r.committee.directoryDigest()), r.members[2], 0, 1, digest));
        assertThat(r.refused(Refusal.WRONG_COMMITTEE)).isOne();

        r.receive(Vote.signed(MessageKind.PREPARE, r.committee, r.client, 0, 1, digest));
        assertThat(r.refused(Refusal.UNKNOWN_SENDER)).isOne();

        r.receive(r.vote(MessageKind.PREPARE, 0, 0, 1, digest));
        assertThat(r.refused(Refusal.NOT_PRIMARY)).as("the primary does not prepare").isOne();

        r.receive(r.vote(MessageKind.PREPARE, 2, 0, 1 + CONFIG.windowSeqs(), digest));
        assertThat(r.refused(Refusal.OUTSIDE_WATERMARKS)).isOne();

        r.receive(r.proposal(2, 1, batch));
        assertThat(r.replica.counters().held()).as("a later view's proposal is held for it").isOne();

        final Proposal lying = new Proposal(r.proposal(0, 1, batch).header(), Batch.EMPTY);
        r.receive(lying);
        assertThat(r.refused(Refusal.DIGEST_MISMATCH)).isOne();

        r.receive(goodPrepare);
        r.receive(r.vote(MessageKind.PREPARE, 2, 0, 1, Batch.EMPTY.digest()));
        assertThat(r.refused(Refusal.CONFLICT)).as("a second, different prepare from one member").isOne();

        final Request forged = new Request(r.committee.shard(), r.client.id(), 9, "x".getBytes(), new byte[64]);
        r.receive(forged);
        assertThat(r.refused(Refusal.BAD_SIGNATURE)).isEqualTo(2);

        final byte[] huge = new byte[r.limits().messageBytesMax() + 1];
        huge[0] = (byte)MessageKind.PREPARE.code;
        r.replica.onMessage(huge, r.now);
        assertThat(r.refused(Refusal.OVERSIZED)).isOne();

        assertThat(total(r)).as("one counter per message").isEqualTo(13);
        assertThat(r.replica.counters().internalErrors()).isZero();
    }

    @Test
    void pendingRequestsAreBoundedInAllAndPerClient() {
        final OneReplica r = backup();
        r.receive(r.request(1));
        r.receive(r.request(2));
        r.receive(r.request(3));
        assertThat(r.accepted(MessageKind.REQUEST)).isEqualTo(2);
        assertThat(r.refused(Refusal.FULL)).as("pendingPerClientMax = 2").isOne();
        r.receive(r.request(1));
        assertThat(r.refused(Refusal.REPLAY)).isOne();
        assertThat(r.replica.status().bounds()).anySatisfy(b -> {
            assertThat(b.name()).isEqualTo("pending-requests");
            assertThat(b.size()).isEqualTo(2);
        });
    }

    @Test
    void aBatchWithAForgedRequestIsRefusedWhole() {
        final OneReplica r = backup();
        final Request forged = new Request(r.committee.shard(), r.client.id(), 5, "x".getBytes(), new byte[64]);
        r.receive(r.proposal(0, 1, new Batch(List.of(r.request(1), forged))));
        assertThat(r.refused(Refusal.BAD_SIGNATURE)).isOne();
        assertThat(r.sent(MessageKind.PREPARE)).isEmpty();
    }

    /**
     * The primary's pre-prepare can overtake the client's own copy of the request, which is how a
     * backup learns the client's key: the pre-prepare is held, not refused, and taken once the
     * request arrives. Refusing it left the backup without the slot, and it changed view alone.
     */
    @Test
    void aProposalNamingAClientNotKnownYetIsHeldUntilTheClientsRequestArrives() {
        final OneReplica r = backup();
        r.hiddenKeys.add(r.client.id());
        final Request req = r.request(1);
        r.receive(r.proposal(0, 1, new Batch(List.of(req))));
        assertThat(r.refused(Refusal.BAD_SIGNATURE)).isZero();
        assertThat(r.replica.counters().held()).isOne();
        assertThat(r.sent(MessageKind.PREPARE)).isEmpty();

        r.hiddenKeys.clear(); // the client's request brings its key
        r.receive(req);
        assertThat(r.sent(MessageKind.PREPARE)).singleElement().satisfies(m -> assertThat(((Vote)m).seq()).isOne());
        assertThat(r.accepted(MessageKind.PRE_PREPARE)).isOne();
        assertThat(r.accepted(MessageKind.REQUEST)).isOne();
        assertThat(total(r)).as("the held pre-prepare ends in one more outcome when taken").isEqualTo(3);
    }

    @Test
    void twoSignedProposalsForOneSequenceAreProofOfEquivocation() {
        final OneReplica r = backup();
        r.receive(r.proposal(0, 1, new Batch(List.of(r.request(1)))));
        r.receive(r.proposal(0, 1, Batch.EMPTY));
        assertThat(r.refused(Refusal.CONFLICT)).isOne();
        assertThat(r.replica.counters().equivocations()).isOne();
        assertThat(r.sent(MessageKind.ACCUSATION)).hasSize(1);
        assertThat(r.sent(MessageKind.VIEW_CHANGE)).singleElement().satisfies(m -> assertThat(((ViewChange)m).newView()).isOne());
        assertThat(r.replica.status().changing()).isTrue();
    }
}
