package dev.vigil.daemon.consensus;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link ConsensusLog} does, once for all of them ({@link MemoryLogTest}, the stored
 * log on a heap store and on Chronicle Map files): records back in append order, only the latest
 * view record, and truncation that keeps the base, the view, the latest stable, the latest stable
 * with a snapshot and everything above the stable sequence number. Every check is made on the
 * log as written and again on what a restart reads back ({@link #reopen}).
 */
abstract class ConsensusLogContract {
    /** A new, empty log. */
    abstract ConsensusLog open();

    /** The log a restarted replica gets back (the same object for a heap log); {@code log} is not used after. */
    abstract ConsensusLog reopen(ConsensusLog log);

    private final SplittableRandom random = new SplittableRandom(7);

    private LogRecord sample(final int kind, final long seq) {
        return LogSamples.of(kind, seq, random);
    }

    private static LogRecord.Stable stable(final long seq, final boolean withState) {
        final LogRecord.Stable s = (LogRecord.Stable)LogSamples.of(6, seq, new SplittableRandom(seq));
        return new LogRecord.Stable(s.certificate(), withState ? new byte[] {1, 2, 3} : new byte[0]);
    }

    /** Checks the log and what a restart reads back; returns the log to go on with (the reopened one). */
    private ConsensusLog assertHolds(final ConsensusLog log, final List<LogRecord> expected) {
        assertThat(LogSamples.encoded(log.records())).as("as written").isEqualTo(LogSamples.encoded(expected));
        final ConsensusLog back = reopen(log);
        assertThat(LogSamples.encoded(back.records())).as("read back").isEqualTo(LogSamples.encoded(expected));
        return back;
    }

    @Test
    void everyRecordKindComesBackByteForByteInAppendOrder() {
        ConsensusLog log = open();
        final List<LogRecord> appended = new ArrayList<>();
        for (int kind = 0; kind < LogSamples.KINDS; kind++) {
            if (kind == 1) {
                continue; // views: below
            }
            for (int i = 0; i < 6; i++) {
                // a sequence number per record: records of one seq may supersede each other (StoredLogSupersedeTest)
                final LogRecord r = sample(kind, 10 + 10L * kind + i);
                log.append(r);
                appended.add(r);
            }
        }
        final LogRecord view = new LogRecord.View(4, true);
        log.append(view);
        appended.add(view);
        assertHolds(log, appended);
    }

    @Test
    void aRecordLargerThanOneStoreEntryComesBackWhole() {
        ConsensusLog log = open();
        final LogRecord big = new LogRecord.OwnCheckpoint(64, new byte[Digests.LENGTH], LogSamples.bytes(random, 100_000));
        log.append(big);
        assertHolds(log, List.of(big));
    }

    @Test
    void onlyTheLatestViewRecordIsKept() {
        ConsensusLog log = open();
        final LogRecord base = sample(0, 0);
        log.append(base);
        log.append(new LogRecord.View(0, false));
        final LogRecord accepted = sample(2, 1);
        log.append(accepted);
        log.append(new LogRecord.View(1, true));
        final LogRecord last = new LogRecord.View(1, false);
        log.append(last);
        assertHolds(log, List.of(base, accepted, last));
    }

    @Test
    void truncateKeepsTheBaseTheViewTheLatestStableTheLatestStateAndWhatIsAbove() {
        ConsensusLog log = open();
        final LogRecord base = sample(0, 0);
        final LogRecord view = new LogRecord.View(2, false);
        final LogRecord withState = stable(8, true);
        final LogRecord without = stable(16, false);
        final LogRecord above = sample(4, 17);
        final LogRecord aboveStable = stable(24, true);
        log.append(base);
        log.append(stable(0, true));
        log.append(sample(2, 3));
        log.append(sample(3, 3));
        log.append(view);
        log.append(withState);
        log.append(sample(5, 8));
        log.append(sample(4, 16));
        log.append(without);
        log.append(above);
        log.append(aboveStable);
        log.truncate(16);
        log = assertHolds(log, List.of(base, view, withState, without, above, aboveStable));
        log.truncate(16);
        log = assertHolds(log, List.of(base, view, withState, without, above, aboveStable));
        log.truncate(24);
        assertHolds(log, List.of(base, view, aboveStable));
    }

    @Test
    void ofTwoStablesAtTheSameSeqTheLaterIsKept() {
        ConsensusLog log = open();
        final LogRecord first = stable(8, false);
        final LogRecord second = stable(8, true);
        log.append(first);
        log.append(second);
        log.truncate(8);
        assertHolds(log, List.of(second));
    }

    @Test
    void truncatingAnEmptyLogOrBelowEverythingChangesNothing() {
        ConsensusLog log = open();
        log.truncate(5);
        assertThat(log.records()).isEmpty();
        log = reopen(log);
        final LogRecord a = sample(2, 9);
        log.append(a);
        log.truncate(5);
        assertHolds(log, List.of(a));
    }
}
