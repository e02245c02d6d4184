package dev.vigil.daemon.consensus;

import dev.vigil.crypto.PrivateKey;
import dev.vigil.crypto.PublicKey;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommitteesTest {
    private static final Map<Long, PublicKey> KEYS = new HashMap<>();
    private static final Signer ISSUER = signer(999);

    private static Signer signer(final int which) {
        final PrivateKey k = TestKeys.simulatedKey(5, which);
        KEYS.put(k.nodeId(), k.publicKey());
        return new KeySigner(k);
    }

    private static List<CommitteeDirectory.Candidate> candidates(final int count) {
        final List<CommitteeDirectory.Candidate> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            final PrivateKey k = TestKeys.simulatedKey(5, i);
            out.add(new CommitteeDirectory.Candidate(k.nodeId(), k.publicKey().encoded(), "10.0.0." + i + ":7400"));
        }
        return out;
    }

    private static List<Long> ids(final Committee c) {
        return c.members().stream().map(CommitteeDirectory.Candidate::nodeId).toList();
    }

    @Test
    void anAgentsShardIsStableAndTheShardsAreEvenlyUsed() {
        assertThat(Committees.shardOf("agent-7", 64)).isEqualTo(Committees.shardOf("agent-7", 64));
        // pinned (computed apart, in Python's hashlib): shards must not move between releases, or committees lose their state
        assertThat(Committees.shardOf("agent-7", 64)).isEqualTo(12);
        assertThat(Committees.shardOf("gen_ai.agent.id:research-bot", 64)).isZero();
        final int[] perShard = new int[64];
        for (int i = 0; i < 64_000; i++) {
            perShard[Committees.shardOf("agent-" + i, 64)]++;
        }
        for (final int n : perShard) {
            assertThat(n).isBetween(850, 1150);
        }
    }

    @Test
    void aCommitteeIsThe3fPlus1HighestWeightsInWeightOrder() {
        final CommitteeDirectory d = CommitteeDirectory.signed(3, ISSUER, candidates(20));
        final Committee c = Committees.select(d, 11, 2);
        assertThat(c.n()).isEqualTo(7);
        assertThat(c.f()).isEqualTo(2);
        assertThat(c.quorum()).isEqualTo(5);
        assertThat(c.reduced()).isFalse();
        final List<Long> byWeight = d.candidates().stream().map(CommitteeDirectory.Candidate::nodeId)
            .sorted((a, b) -> Long.compareUnsigned(Committees.weight(11, b), Committees.weight(11, a))).limit(7).toList();
        assertThat(ids(c)).isEqualTo(byWeight);
        assertThat(c.primaryIndex(0)).isZero();
        assertThat(c.primaryIndex(9)).isEqualTo(2);
    }

    @Test
    void aCandidateLeavingMovesOnlyTheCommitteesItSatOnAndThoseKeepTheirOtherMembers() {
        final List<CommitteeDirectory.Candidate> all = candidates(30);
        final CommitteeDirectory before = CommitteeDirectory.signed(1, ISSUER, all);
        final CommitteeDirectory.Candidate leaving = all.get(4);
        final List<CommitteeDirectory.Candidate> rest = new ArrayList<>(all);
        rest.remove(leaving);
        final CommitteeDirectory after = CommitteeDirectory.signed(2, ISSUER, rest);
        int moved = 0;
        for (int shard = 0; shard < 64; shard++) {
            final List<Long> was = ids(Committees.select(before, shard, 1));
            final List<Long> now = ids(Committees.select(after, shard, 1));
            if (!was.contains(leaving.nodeId())) {
                assertThat(now).as("shard " + shard + " did not have the leaver").isEqualTo(was);
            } else {
                moved++;
                final List<Long> stayed = new ArrayList<>(was);
                stayed.remove(leaving.nodeId());
                assertThat(now).containsAll(stayed).hasSize(4);
            }
        }
        assertThat(moved).isPositive();
    }

    @Test
    void theEpochAloneChangesNoCommittee() {
        final List<CommitteeDirectory.Candidate> all = candidates(12);
        for (int shard = 0; shard < 64; shard++) {
            assertThat(ids(Committees.select(CommitteeDirectory.signed(1, ISSUER, all), shard, 1)))
                .isEqualTo(ids(Committees.select(CommitteeDirectory.signed(2, ISSUER, all), shard, 1)));
        }
    }

    @Test
    void fIsReducedForSmallDirectoriesAndSaysSo() {
        final Committee nine = Committees.select(CommitteeDirectory.signed(0, ISSUER, candidates(9)), 0, 3);
        assertThat(nine.f()).isEqualTo(2);
        assertThat(nine.n()).isEqualTo(7);
        assertThat(nine.reduced()).isTrue();
        assertThat(nine.describe()).contains("f = 2").contains("configured 3").contains("9 candidates");

        final Committee three = Committees.select(CommitteeDirectory.signed(0, ISSUER, candidates(3)), 0, 1);
        assertThat(three.f()).isZero();
        assertThat(three.n()).isOne();
        assertThat(three.describe()).contains("tolerates no faulty member");

        assertThat(Committees.effectiveF(4, 1)).isOne();
        assertThat(Committees.effectiveF(64, 21)).isEqualTo(21);
        assertThat(Committees.effectiveF(64, 30)).isEqualTo(21);
        assertThatThrownBy(() -> Committees.select(CommitteeDirectory.signed(0, ISSUER, List.of()), 0, 1))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDirectoryRoundTripsVerifiesAndRefusesTamperingAndNonCanonicalForms() {
        final CommitteeDirectory d = CommitteeDirectory.signed(7, ISSUER, candidates(64));
        final byte[] bytes = d.encode();
        assertThat(bytes.length).isLessThanOrEqualTo(CommitteeDirectory.ENCODED_BYTES_MAX);
        final CommitteeDirectory back = CommitteeDirectory.decode(bytes).directory();
        assertThat(back).isEqualTo(d);
        final Verifier verifier = KeySigner.verifier(KEYS::get);
        assertThat(back.verify(verifier)).isTrue();

        final byte[] tampered = bytes.clone();
        tampered[40] ^= 1;
        final CommitteeDirectory t = CommitteeDirectory.decode(tampered).directory();
        assertThat(t == null || !t.verify(verifier)).isTrue();

        assertThat(CommitteeDirectory.decode(java.util.Arrays.copyOf(bytes, bytes.length + 1)).refusal()).isEqualTo(Refusal.MALFORMED);
        assertThat(CommitteeDirectory.decode(java.util.Arrays.copyOf(bytes, bytes.length - 1)).refusal()).isEqualTo(Refusal.MALFORMED);
        final byte[] tooMany = bytes.clone();
        tooMany[18] = 65;
        assertThat(CommitteeDirectory.decode(tooMany).refusal()).isEqualTo(Refusal.OVERSIZED);

        // two candidates swapped: not increasing id order, so not canonical
        final CommitteeDirectory two = CommitteeDirectory.signed(1, ISSUER, candidates(2));
        final byte[] b2 = two.encode();
        final int entry = 8 + 32 + 1 + "10.0.0.0:7400".length();
        final byte[] swapped = b2.clone();
        System.arraycopy(b2, 19, swapped, 19 + entry, entry);
        System.arraycopy(b2, 19 + entry, swapped, 19, entry);
        assertThat(CommitteeDirectory.decode(swapped).refusal()).isEqualTo(Refusal.MALFORMED);

        assertThatThrownBy(() -> CommitteeDirectory.signed(1, ISSUER, List.of(candidates(1).get(0), candidates(1).get(0))))
            .hasMessageContaining("listed twice");
    }
}
