package dev.vigil.daemon.consensus;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The codec's laws: every message round-trips to the same bytes; the decoder is total (any byte
 * string gives a message or a refusal, never an exception) and canonical (whatever it accepts
 * re-encodes to exactly the input), also for messages damaged at random.
 */
class MessagesProperties {
    private static final OneReplica FIXTURE = new OneReplica(1, 1, ConsensusConfig.defaults().withCheckpointSeqs(8));
    private static final Limits LIMITS = FIXTURE.limits();

    /** A random, well-formed message of any kind, signed by the fixture's members. */
    static Message randomMessage(final SplittableRandom rng) {
        final OneReplica x = FIXTURE;
        final long view = rng.nextInt(5);
        final long seq = 1 + rng.nextInt(16);
        final Batch batch = batch(rng);
        final int member = rng.nextInt(4);
        return switch (rng.nextInt(11)) {
            case 0 -> x.request(1 + rng.nextInt(100));
            case 1 -> x.proposal(view, seq, batch);
            case 2 -> x.vote(MessageKind.PREPARE, member, view, seq, batch.digest());
            case 3 -> x.vote(MessageKind.COMMIT, member, view, seq, batch.digest());
            case 4 -> Checkpoint.signed(x.committee, x.members[member], 8L * (1 + rng.nextInt(4)), digest(rng));
            case 5 -> viewChange(rng, member, view + 1);
            case 6 -> newView(rng, view + 1);
            case 7 -> StateRequest.signed(x.committee.shard(), 0, x.members[member], rng.nextInt(100), rng.nextInt(100));
            case 8 -> StateReply.signed(x.committee, x.members[member], stable(rng), bytes(rng, 200));
            case 9 -> Accusation.signed(x.committee, x.members[member], x.proposal(view, seq, batch).header(),
                x.proposal(view, seq, Batch.EMPTY.equals(batch) ? new Batch(List.of(x.request(7))) : Batch.EMPTY).header());
            default -> {
                final List<Vote> commits = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    commits.add(x.vote(MessageKind.COMMIT, i, view, seq, batch.digest()));
                }
                commits.sort((a, b) -> Long.compareUnsigned(a.sender(), b.sender()));
                yield Committed.signed(x.committee, x.members[member], x.proposal(view, seq, batch).header(), commits, batch);
            }
        };
    }

    private static Batch batch(final SplittableRandom rng) {
        final List<Request> requests = new ArrayList<>();
        for (int i = rng.nextInt(4); i > 0; i--) {
            requests.add(Request.signed(FIXTURE.client, FIXTURE.committee.shard(), rng.nextInt(1000), bytes(rng, 40)));
        }
        return new Batch(requests);
    }

    private static byte[] bytes(final SplittableRandom rng, final int max) {
        final byte[] b = new byte[rng.nextInt(max + 1)];
        rng.nextBytes(b);
        return b;
    }

    private static byte[] digest(final SplittableRandom rng) {
        final byte[] d = new byte[32];
        rng.nextBytes(d);
        return d;
    }

    private static StableCertificate stable(final SplittableRandom rng) {
        if (rng.nextBoolean()) {
            return StableCertificate.base(0, digest(rng));
        }
        final long seq = 8L * (1 + rng.nextInt(3));
        final byte[] d = digest(rng);
        final List<Checkpoint> proofs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            proofs.add(Checkpoint.signed(FIXTURE.committee, FIXTURE.members[i], seq, d));
        }
        proofs.sort((a, b) -> Long.compareUnsigned(a.sender(), b.sender()));
        return new StableCertificate(seq, d, proofs);
    }

    private static ViewChange viewChange(final SplittableRandom rng, final int member, final long newView) {
        final StableCertificate stable = stable(rng);
        final List<PreparedCertificate> prepared = new ArrayList<>();
        final List<Batch> bodies = new ArrayList<>();
        long seq = stable.seq();
        for (int i = rng.nextInt(3); i > 0; i--) {
            seq += 1 + rng.nextInt(3);
            final long v = rng.nextLong(newView);
            final Batch b = batch(rng);
            final Vote pp = FIXTURE.proposal(v, seq, b).header();
            final List<Vote> prepares = new ArrayList<>();
            for (int m = 0; m < 4 && prepares.size() < 2; m++) {
                if (m != FIXTURE.committee.primaryIndex(v)) {
                    prepares.add(FIXTURE.vote(MessageKind.PREPARE, m, v, seq, b.digest()));
                }
            }
            prepares.sort((a, c) -> Long.compareUnsigned(a.sender(), c.sender()));
            prepared.add(new PreparedCertificate(pp, prepares));
            bodies.add(b);
        }
        return ViewChange.signed(FIXTURE.committee, FIXTURE.members[member], newView, stable, prepared, bodies);
    }

    private static NewView newView(final SplittableRandom rng, final long view) {
        final List<ViewChange> vcs = new ArrayList<>();
        for (int m = 0; m < 3; m++) {
            vcs.add(viewChange(rng, m, view));
        }
        vcs.sort((a, b) -> Long.compareUnsigned(a.sender(), b.sender()));
        final NewViewRule.Outcome o = NewViewRule.compute(vcs);
        final Signer primary = FIXTURE.members[FIXTURE.committee.primaryIndex(view)];
        final List<Vote> pps = new ArrayList<>();
        final List<Batch> bodies = new ArrayList<>();
        for (final NewViewRule.Entry e : o.entries()) {
            pps.add(Vote.signed(MessageKind.PRE_PREPARE, FIXTURE.committee, primary, view, e.seq(), e.digest()));
            Batch body = Batch.EMPTY;
            for (final ViewChange vc : e.from() == null ? List.<ViewChange>of() : vcs) {
                final int i = vc.prepared().indexOf(e.from());
                if (i >= 0) {
                    body = vc.bodies().get(i);
                }
            }
            bodies.add(body);
        }
        return NewView.signed(FIXTURE.committee, primary, view, vcs, pps, bodies);
    }

    @Property(tries = 400)
    void everyMessageRoundTripsToTheSameBytes(@ForAll final long seed) {
        final Message m = randomMessage(new SplittableRandom(seed));
        final byte[] bytes = m.encode();
        final Messages.Decoded d = Messages.decode(bytes, LIMITS);
        assertThat(d.ok()).as(m + ": " + d.refusal() + " " + d.detail()).isTrue();
        assertThat(d.message().kind()).isEqualTo(m.kind());
        assertThat(d.message().encode()).isEqualTo(bytes);
    }

    @Property(tries = 2000)
    void theDecoderIsTotalAndCanonicalOnDamagedMessages(@ForAll final long seed) {
        final SplittableRandom rng = new SplittableRandom(seed);
        byte[] bytes = randomMessage(rng).encode();
        switch (rng.nextInt(4)) {
            case 0 -> bytes[rng.nextInt(bytes.length)] ^= (byte)(1 << rng.nextInt(8));
            case 1 -> bytes = java.util.Arrays.copyOf(bytes, rng.nextInt(bytes.length));
            case 2 -> bytes = java.util.Arrays.copyOf(bytes, bytes.length + 1 + rng.nextInt(8));
            default -> {
                for (int i = 1 + rng.nextInt(6); i > 0; i--) {
                    bytes[rng.nextInt(bytes.length)] = (byte)rng.nextInt(256);
                }
            }
        }
        final Messages.Decoded d = Messages.decode(bytes, LIMITS);
        assertThat(d.ok() || d.refusal() != null).isTrue();
        if (d.ok()) {
            assertThat(d.message().encode()).as("accepted only in canonical form").isEqualTo(bytes);
        }
    }

    @Property(tries = 1000)
    void randomBytesNeverThrow(@ForAll final byte[] bytes) {
        final Messages.Decoded d = Messages.decode(bytes, LIMITS);
        assertThat(d.ok() || d.refusal() != null).isTrue();
        if (d.ok()) {
            assertThat(d.message().encode()).isEqualTo(bytes);
        }
    }

    @Property(tries = 300)
    void logRecordsRoundTrip(@ForAll final long seed) {
        final SplittableRandom rng = new SplittableRandom(seed);
        final Batch b = batch(rng);
        final Vote pp = FIXTURE.proposal(1, 3, b).header();
        final LogRecord record = switch (rng.nextInt(7)) {
            case 0 -> new LogRecord.Base(8, digest(rng));
            case 1 -> new LogRecord.View(rng.nextInt(9), rng.nextBoolean());
            case 2 -> new LogRecord.Accepted(pp, b);
            case 3 -> new LogRecord.Prepared(new PreparedCertificate(pp, List.of()));
            case 4 -> new LogRecord.Committed(3, b.digest(), b);
            case 5 -> new LogRecord.OwnCheckpoint(8, digest(rng), bytes(rng, 100));
            default -> new LogRecord.Stable(stable(rng), bytes(rng, 100));
        };
        final byte[] bytes = LogRecords.encode(record);
        final LogRecord back = LogRecords.decode(bytes, LIMITS);
        assertThat(back).isNotNull();
        assertThat(LogRecords.encode(back)).isEqualTo(bytes);
        assertThat(LogRecords.decode(java.util.Arrays.copyOf(bytes, bytes.length + 1), LIMITS)).isNull();
    }
}
