package dev.vigil.daemon.verdict;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A committee member killed mid-round and restarted on its logs, in memory and virtual time
 * ({@link VerdictNet}; the real-process version is {@code CommitteeReplicaKillTest}): within the
 * epoch it rebuilds its seats from their logs, catches up, and no (shard, epoch, seq) is ever
 * executed with two batches; restarted into a later epoch, it drops the logs of epochs it will
 * never rebuild.
 */
class MemberRestartTest {
    /** The load's excursions peak at 6 nats: the send level is pinned below that, so they all go out. */
    private static final VerdictConfig CONFIG = VerdictConfig.defaults().withShards(4).withDirectoryInterval(1_000_000).withSendLevel(3.0);

    /** Benign excursions of a few agents at observers 1, 2 and 3: records flow, nobody is convicted. */
    private static void load(final VerdictNet net, final int fromRound, final int rounds) {
        for (int round = fromRound; round < fromRound + rounds; round++) {
            for (int o = 1; o <= 3; o++) {
                final FleetVerdicts v = net.nodes.get(o).verdicts;
                for (int k = 0; k < 8; k++) {
                    final int phase = (round + k) % 5;
                    if (phase < 4) {
                        v.onScore("agent-" + k, 1.5, 1.5 * (phase + 1));
                    } else {
                        v.onScore("agent-" + k, -20, 0);
                    }
                }
            }
            net.run(50_000);
        }
    }

    /** (shard/epoch/seq) → digests executed there, over every node's record. */
    private static Map<String, Set<String>> executed(final VerdictNet net, final Map<String, Set<String>> into) {
        for (final VerdictNet.Node n : net.nodes) {
            if (!n.down) {
                for (final Committeeship.Executed e : n.verdicts.executed()) {
                    into.computeIfAbsent(e.shard() + "/" + e.epoch() + "/" + e.seq(), k -> new HashSet<>()).add(e.digest());
                }
            }
        }
        return into;
    }

    @Test
    void aMemberKilledMidRoundRecoversItsSeatsFromItsLogsCatchesUpAndNothingConflictingIsExecuted() {
        final VerdictNet net = new VerdictNet(5, CONFIG);
        net.run(3_000_000);
        final long epoch = net.nodes.get(0).verdicts.directory().epoch();
        final VerdictNet.Node member = net.nodes.get(4);
        final int seats = member.verdicts.seats().size();
        assertThat(seats).isPositive();
        final Map<String, Set<String>> seen = new HashMap<>();
        load(net, 0, 60);
        executed(net, seen);
        final long executedBefore = member.verdicts.seats().stream().mapToLong(Committeeship.SeatStatus::lastExecuted).sum();
        assertThat(executedBefore).as("rounds ran on the member's seats").isGreaterThan(10);

        member.kill(); // mid-round: the load goes on
        load(net, 60, 20);
        executed(net, seen);
        member.restart();
        assertThat(member.verdicts.directory()).isNull();
        net.run(1_500_000); // the directory comes down again
        assertThat(member.verdicts.directory().epoch()).as("the same epoch: a member's restart changes no directory").isEqualTo(epoch);
        assertThat(member.verdicts.counters().seatsRecovered()).as("seats rebuilt from their logs").isEqualTo(seats);
        load(net, 80, 60);
        net.run(20_000_000);
        executed(net, seen);

        // caught up: every seat of the member executed what the others did
        final Map<Integer, Long> others = new HashMap<>();
        for (final VerdictNet.Node n : net.nodes) {
            if (n != member) {
                n.verdicts.seats().forEach(s -> others.merge(s.shard(), s.lastExecuted(), Math::max));
            }
        }
        for (final Committeeship.SeatStatus s : member.verdicts.seats()) {
            assertThat(s.mode()).isEqualTo("active");
            assertThat(s.lastExecuted()).as("shard " + s.shard()).isEqualTo(others.get(s.shard()));
            assertThat(s.executedConflicts()).isZero();
        }
        final List<String> conflicts = seen.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey).toList();
        assertThat(conflicts).as("slots executed with two batches").isEmpty();
        assertThat(seen).hasSizeGreaterThan(50);
        for (final VerdictNet.Node n : net.nodes) {
            assertThat(n.verdicts.internalErrors()).isZero();
            assertThat(n.received).as("nobody convicted").isEmpty();
        }
    }

    @Test
    void aMemberRestartedIntoALaterEpochDropsTheLogsOfEpochsItWillNeverRebuild() {
        final VerdictNet net = new VerdictNet(5, CONFIG);
        net.dropDownCandidates = true;
        net.run(3_000_000);
        final long first = net.nodes.get(0).verdicts.directory().epoch();
        final VerdictNet.Node member = net.nodes.get(4);
        load(net, 0, 20);
        assertThat(member.logs.keySet()).anyMatch(k -> k.endsWith("/" + first));

        member.kill();
        net.run(6_000_000); // the root forgets it and issues an epoch without it
        assertThat(net.nodes.get(0).verdicts.directory().epoch()).isEqualTo(first + 1);
        member.restart();
        net.run(8_000_000); // and one with it again
        final long now = net.nodes.get(0).verdicts.directory().epoch();
        assertThat(now).isEqualTo(first + 2);
        assertThat(member.verdicts.directory().epoch()).isEqualTo(now);
        assertThat(member.logs.keySet()).as("logs left of epoch " + first).noneMatch(k -> k.endsWith("/" + first));
        assertThat(member.verdicts.counters().orphanLogsDropped()).isPositive();
        // a committee of the first epoch whose primary was the member changes view (10 s request timeout) before it
        // closes; the next epoch's seats join from it and close in turn (proposeReconfigurationAgain)
        net.run(30_000_000);
        assertThat(member.verdicts.seats()).isNotEmpty().allMatch(s -> s.epoch() == now && s.mode().equals("active"));
    }
}
