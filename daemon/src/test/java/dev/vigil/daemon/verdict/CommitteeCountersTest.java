package dev.vigil.daemon.verdict;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the committees' counters sum over seats (rounds executed, view changes, refusals) keeps
 * what closed seats counted: {@code /metrics} exports them as Prometheus counters, which must
 * never go down while the process lives. Seats close when a directory two epochs newer arrives.
 */
class CommitteeCountersTest {
    private static final VerdictConfig CONFIG = VerdictConfig.defaults().withShards(4).withDirectoryInterval(1_000_000).withSendLevel(3.0);
    private static final long STEP_MICROS = 250_000;

    @Test
    void roundsViewChangesAndRefusalsNeverGoDownAsEpochsCloseSeats() {
        final VerdictNet net = new VerdictNet(5, CONFIG);
        net.dropDownCandidates = true;
        final Map<Integer, long[]> last = new HashMap<>();
        run(net, 3_000_000, last);
        final long first = net.nodes.get(0).verdicts.directory().epoch();
        for (int round = 0; round < 20; round++) {
            for (int o = 1; o <= 3; o++) {
                final FleetVerdicts v = net.nodes.get(o).verdicts;
                for (int k = 0; k < 8; k++) {
                    v.onScore("agent-" + k, 1.5, 1.5 * (1 + (round + k) % 4));
                }
            }
            run(net, 50_000, last);
        }
        final long roundsBefore = total(net, 0);
        assertThat(roundsBefore).as("rounds ran in the first epoch").isPositive();
        final long firstEpochSeats = seatsOf(net, first);
        assertThat(firstEpochSeats).isPositive();

        net.nodes.get(4).kill();
        run(net, 6_000_000, last); // an epoch without node 4
        net.nodes.get(4).restart();
        run(net, 38_000_000, last); // one with it again: the first epoch's seats close
        assertThat(net.nodes.get(0).verdicts.directory().epoch()).isEqualTo(first + 2);
        assertThat(seatsOf(net, first)).as("seats of the first epoch closed").isLessThan(firstEpochSeats);
        assertThat(total(net, 0)).as("the closed seats' rounds are still counted").isGreaterThanOrEqualTo(roundsBefore);
        assertThat(total(net, 1)).as("a view change happened (node 4 was a primary when it died)").isPositive();
    }

    /** Runs in steps, checking after each that no node's counters went down. */
    private static void run(final VerdictNet net, final long micros, final Map<Integer, long[]> last) {
        for (long done = 0; done < micros; done += STEP_MICROS) {
            net.run(Math.min(STEP_MICROS, micros - done));
            for (int i = 0; i < 4; i++) { // node 4 is killed and restarted: a new life starts from zero
                final long[] now = counters(net.nodes.get(i).verdicts);
                final long[] before = last.put(i, now);
                if (before != null) {
                    for (int c = 0; c < now.length; c++) {
                        assertThat(now[c]).as("node %d counter %d at %d µs", i, c, net.now - VerdictNet.T0).isGreaterThanOrEqualTo(before[c]);
                    }
                }
            }
        }
    }

    private static long seatsOf(final VerdictNet net, final long epoch) {
        long n = 0;
        for (int i = 0; i < 4; i++) {
            n += net.nodes.get(i).verdicts.seats().stream().filter(s -> s.epoch() == epoch).count();
        }
        return n;
    }

    private static long[] counters(final FleetVerdicts v) {
        return new long[] {v.executedBatches(), v.viewChanges(), v.replicaRefusals().values().stream().mapToLong(Long::longValue).sum()};
    }

    private static long total(final VerdictNet net, final int counter) {
        long sum = 0;
        for (int i = 0; i < 4; i++) {
            sum += counters(net.nodes.get(i).verdicts)[counter];
        }
        return sum;
    }
}
