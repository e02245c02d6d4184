package dev.vigil.daemon.consensus;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stored log is the reference {@link MemoryLog} under any sequence of appends, truncations and
 * reopenings, and a process killed inside any store write of an append or a truncation (the write
 * lost, or left torn) restarts with the log as it was before that operation or after it, never
 * anything else, and every damage reported is one a crash leaves.
 */
class StoredLogProperties {
    private static final int OPS = 80;

    @Property(tries = 200)
    void theStoredLogIsTheMemoryLogAcrossReopensAndCrashesInsideWrites(@ForAll final long seed) {
        final SplittableRandom r = new SplittableRandom(seed);
        final CrashingStore store = new CrashingStore();
        StoredLog log = StoredLogs.open(store, StoredLogOnHeapTest.SIZING, LogSamples.LIMITS).log(3, 0);
        MemoryLog model = new MemoryLog(LogSamples.LIMITS);
        long h = 0;
        for (int op = 0; op < OPS; op++) {
            final int what = r.nextInt(20);
            if (what == 0) {
                log = reopen(store, model);
                continue;
            }
            final boolean crash = r.nextInt(6) == 0;
            final MemoryLog before = copy(model);
            final Runnable action;
            if (what < 3) {
                h += r.nextInt(12);
                final long stable = h;
                model.truncate(stable);
                final StoredLog l = log;
                action = () -> l.truncate(stable);
            } else {
                final LogRecord rec = LogSamples.of(r.nextInt(LogSamples.KINDS), h + r.nextInt(30), r);
                model.append(rec);
                final StoredLog l = log;
                action = () -> l.append(rec);
            }
            if (!crash) {
                action.run();
                assertThat(LogSamples.encoded(log.records())).as("op %d", op).isEqualTo(LogSamples.encoded(model.records()));
                continue;
            }
            store.crashAfter(r.nextInt(4), r.nextBoolean());
            try {
                action.run();
            } catch (final CrashingStore.Crash e) {
                // the process died inside this operation
            }
            store.noCrash();
            final StoredLogs back = StoredLogs.open(store, StoredLogOnHeapTest.SIZING, LogSamples.LIMITS);
            assertThat(back.damage()).as("op %d: what a crash leaves", op).allSatisfy(d -> assertThat(d.crashLeftIt()).isTrue());
            log = back.log(3, 0);
            assertThat(store.size()).as("op %d: every entry left is a chunk of a record or the mark", op).isEqualTo(log.entries());
            final List<String> found = LogSamples.encoded(log.records());
            if (found.equals(LogSamples.encoded(before.records()))) {
                model = before;
            } else {
                assertThat(found).as("op %d: the log after a crash inside it is the log before or after it", op)
                    .isEqualTo(LogSamples.encoded(model.records()));
            }
        }
    }

    private static StoredLog reopen(final CrashingStore store, final MemoryLog model) {
        final StoredLogs back = StoredLogs.open(store, StoredLogOnHeapTest.SIZING, LogSamples.LIMITS);
        assertThat(back.damage()).isEmpty();
        final StoredLog log = back.log(3, 0);
        assertThat(store.size()).isEqualTo(log.entries());
        assertThat(LogSamples.encoded(log.records())).isEqualTo(LogSamples.encoded(model.records()));
        return log;
    }

    private static MemoryLog copy(final MemoryLog m) {
        final MemoryLog c = new MemoryLog(LogSamples.LIMITS);
        m.records().forEach(c::append);
        return c;
    }
}
