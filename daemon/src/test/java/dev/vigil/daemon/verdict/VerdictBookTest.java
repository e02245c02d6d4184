package dev.vigil.daemon.verdict;

import dev.vigil.crypto.ClusterCa;
import dev.vigil.crypto.PrivateKey;
import dev.vigil.crypto.verdict.Verdict;
import dev.vigil.crypto.verdict.VerdictCertificate;
import dev.vigil.crypto.verdict.VerdictSignature;
import dev.vigil.storage.MemoryStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the book says of an agent once the operator released a conviction: exactly that one is retracted. */
class VerdictBookTest {
    private static final PrivateKey CA_KEY = VerdictNet.key(1);
    private static final PrivateKey NODE = VerdictNet.key(2);
    private static final long T0 = VerdictNet.T0;

    private static VerdictCertificate convict(final String agent, final long seq, final long issuedAtMicros) {
        final Verdict v = Verdict.convict(agent).f(0).shard(1).epoch(1).sequence(seq).issuedAtMicros(issuedAtMicros).logOdds(9)
            .posterior(0.9999).versionVectorDigest(new byte[32]).build();
        return VerdictCertificate.ofQuorum(v, List.of(VerdictSignature.sign(v, NODE,
            new ClusterCa(CA_KEY).issue(NODE.publicKey(), Instant.parse("2026-01-01T00:00:00Z"), Duration.ofDays(365)))));
    }

    private static VerdictCertificate release(final VerdictCertificate convict, final long issuedAtMicros) {
        return FleetVerdictsTest.release(convict, CA_KEY, issuedAtMicros);
    }

    @Test
    void aReleaseRetractsTheConvictionItNamesAndALaterConvictionStands() {
        final MemoryStore store = new MemoryStore("verdicts", 100);
        final VerdictBook book = new VerdictBook(store, 100);
        final VerdictCertificate first = convict("rogue", 5, T0);
        book.add(first);
        assertThat(book.standing("rogue")).isEqualTo(first);

        final VerdictCertificate release = release(first, T0 + 10);
        book.add(release);
        assertThat(book.standing("rogue")).as("released").isNull();
        assertThat(book.latestConviction("rogue")).isEqualTo(first);
        assertThat(book.releasedBy(first.verdict().id())).isEqualTo(release.verdict().id());
        final List<VerdictBook.Entry> listed = book.list();
        assertThat(listed).extracting(VerdictBook.Entry::kind).containsExactly("release", "convict");
        assertThat(listed.get(0).retracts()).isEqualTo(first.verdict().id());
        assertThat(listed.get(0).releasedBy()).isNull();
        assertThat(listed.get(1).releasedBy()).isEqualTo(release.verdict().id());

        // a conviction issued before the release but not named by it still stands (a release retracts one verdict)
        final VerdictCertificate between = convict("rogue", 6, T0 + 5);
        book.add(between);
        assertThat(book.standing("rogue")).isEqualTo(between);
        final VerdictCertificate again = convict("rogue", 9, T0 + 20);
        book.add(again);
        assertThat(book.standing("rogue")).isEqualTo(again);
        assertThat(book.entry(again).releasedBy()).isNull();

        assertThat(book.held(Verdict.Kind.CONVICT)).isEqualTo(3);
        assertThat(book.held(Verdict.Kind.RELEASE)).isEqualTo(1);

        final VerdictBook reopened = new VerdictBook(store, 100);
        assertThat(reopened.releasedBy(first.verdict().id())).as("rebuilt from the store").isEqualTo(release.verdict().id());
        assertThat(reopened.standing("rogue")).isEqualTo(again);
        assertThat(reopened.held(Verdict.Kind.CONVICT)).isEqualTo(3);
        assertThat(reopened.held(Verdict.Kind.RELEASE)).isEqualTo(1);
    }

    @Test
    void droppingAReleaseAtTheBoundLeavesAnotherReleaseOfTheSameVerdict() {
        final VerdictBook book = new VerdictBook(new MemoryStore("verdicts", 100), 3);
        final VerdictCertificate convict = convict("rogue", 5, T0 + 100);
        final VerdictCertificate early = release(convict, T0 + 1); // an operator clock behind the committee's
        final VerdictCertificate late = release(convict, T0 + 200);
        book.add(convict);
        book.add(early);
        book.add(late);
        assertThat(book.releasedBy(convict.verdict().id())).isEqualTo(early.verdict().id());
        book.add(convict("other", 1, T0 + 300)); // drops the earliest issued: the early release
        assertThat(book.get(early.verdict().id())).isNull();
        assertThat(book.releasedBy(convict.verdict().id())).isEqualTo(late.verdict().id());
        assertThat(book.standing("rogue")).isNull();
        assertThat(book.held(Verdict.Kind.CONVICT) + book.held(Verdict.Kind.RELEASE)).as("counted by kind as held").isEqualTo(book.size());
        assertThat(book.held(Verdict.Kind.RELEASE)).isEqualTo(1);
    }
}
