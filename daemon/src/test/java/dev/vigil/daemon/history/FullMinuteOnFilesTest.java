package dev.vigil.daemon.history;

import dev.vigil.daemon.detect.AgentRecord;
import dev.vigil.daemon.detect.AgentStatus;
import dev.vigil.daemon.detect.FeatureSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An agent at the bound on observations per minute, on Chronicle Map files: the minute's raw block
 * and the write-ahead record that carries it (the largest values the history writes) fit, and a
 * restart without a clean stop reads every one of them back.
 */
class FullMinuteOnFilesTest {
    private static final long S = 1_000_000L;
    private static final long T0 = 1_700_000_000L * S / 60_000_000L * 60_000_000L;

    @TempDir
    Path dir;

    @Test
    void aMinuteAtTheBoundFitsItsStoresAndComesBack() {
        final HistoryConfig c = HistoryConfig.defaults().withExpectedAgents(16);
        final int d = FeatureSchema.agentDefault().size();
        final int n = c.observationsPerMinuteMax();
        final HistoryStores first = HistoryStores.open(dir, "test", c, d);
        final AgentHistory h = first.history(c, d);
        h.load();
        for (int i = 0; i < n; i++) {
            final long ts = T0 + i * (60 * S / n);
            h.append(new AgentRecord("busy", "r", AgentStatus.NORMAL, 0, i + 1, 0, ts, -1, -1), ts, new double[d], true, 1);
        }
        first.abandon();
        final HistoryStores second = HistoryStores.open(dir, "test", c, d);
        try {
            final AgentHistory restarted = second.history(c, d);
            assertThat(restarted.load()).singleElement().satisfies(s -> assertThat(s.record().observations()).isEqualTo(n));
            assertThat(restarted.counters().writesRedone()).isEqualTo(1);
            final Series s = restarted.series("busy", T0, T0 + 60 * S, 60 * S, T0 + 60 * S);
            assertThat(s.points()).singleElement().satisfies(p -> assertThat(p.count()).isEqualTo(n));
        } finally {
            second.close();
        }
    }
}
