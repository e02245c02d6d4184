package dev.vigil.daemon.consensus;

import dev.vigil.storage.MemoryStore;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * View changes re-accept and re-prepare the window: the stored log drops what a newer record of
 * the same sequence number supersedes, so that any number of view changes fits its record bound,
 * and keeps what a view change still needs (the newest prepared certificate and its batch).
 */
class StoredLogSupersedeTest {
    private static final int SHARD = 3;
    private final SplittableRandom r = new SplittableRandom(7);
    private final MemoryStore store = new MemoryStore("consensus-log", 1_000_000);

    private Vote prePrepare(final long view, final long seq) {
        return new Vote(MessageKind.PRE_PREPARE, SHARD, 0, 1, view, seq, LogSamples.bytes(r, Digests.LENGTH),
            LogSamples.bytes(r, Signer.SIGNATURE_LENGTH));
    }

    private static LogRecord.Accepted accepted(final Vote pp) {
        return new LogRecord.Accepted(pp, new Batch(List.of()));
    }

    private LogRecord.Prepared prepared(final Vote pp) {
        final List<Vote> prepares = new ArrayList<>();
        for (int i = 2; i <= 3; i++) {
            prepares.add(new Vote(MessageKind.PREPARE, SHARD, 0, i, pp.view(), pp.seq(), pp.digest(), LogSamples.bytes(r, Signer.SIGNATURE_LENGTH)));
        }
        return new LogRecord.Prepared(new PreparedCertificate(pp, prepares));
    }

    private static String describe(final LogRecord x) {
        if (x instanceof LogRecord.Accepted a) {
            return "accepted@" + a.seq() + "/v" + a.prePrepare().view();
        }
        if (x instanceof LogRecord.Prepared p) {
            return "prepared@" + p.seq() + "/v" + p.certificate().view();
        }
        return x.getClass().getSimpleName() + "@" + x.seq();
    }

    @Test
    void newerViewsSupersedeOlderRecordsButTheNewestPreparedCertificateKeepsItsBatch() {
        final LogSizing sizing = LogSizing.of(LogSamples.CONFIG, 4, 8, 4L << 20);
        final ConsensusLog log = StoredLogs.open(store, sizing, LogSamples.LIMITS).log(SHARD, 0);
        final Vote v0 = prePrepare(0, 5);
        final Vote v2 = prePrepare(2, 5);
        log.append(accepted(v0));
        log.append(prepared(v0));
        log.append(accepted(prePrepare(0, 6)));
        log.append(accepted(prePrepare(1, 5)));
        log.append(accepted(v2));
        log.append(prepared(v2));
        log.append(accepted(prePrepare(3, 5)));
        final List<String> expected = List.of("accepted@6/v0", "accepted@5/v2", "prepared@5/v2", "accepted@5/v3");
        assertThat(log.records().stream().map(StoredLogSupersedeTest::describe).toList()).isEqualTo(expected);
        final ConsensusLog reopened = StoredLogs.open(store, sizing, LogSamples.LIMITS).log(SHARD, 0);
        assertThat(reopened.records().stream().map(StoredLogSupersedeTest::describe).toList()).isEqualTo(expected);
    }

    @Test
    void tenViewChangesOverAFullWindowFitTheRecordBound() {
        final LogSizing sizing = LogSizing.of(LogSamples.CONFIG, 4, 8, 64L << 20);
        final ConsensusLog log = StoredLogs.open(store, sizing, LogSamples.LIMITS).log(SHARD, 0);
        final int window = LogSamples.CONFIG.windowSeqs();
        for (long view = 0; view < 10; view++) {
            log.append(new LogRecord.View(view, false));
            for (long seq = 1; seq <= window; seq++) {
                final Vote pp = prePrepare(view, seq);
                log.append(accepted(pp));
                log.append(prepared(pp));
            }
        }
        assertThat(log.records()).hasSize(1 + 2 * window);
        assertThat(log.records().size()).isLessThanOrEqualTo(sizing.recordsPerLogMax());
    }
}
