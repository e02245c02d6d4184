package dev.vigil.daemon.consensus;

import dev.vigil.storage.MemoryStore;

/** The stored log over a heap store (simnet's) meets the contract; reopening scans the store again. */
class StoredLogOnHeapTest extends ConsensusLogContract {
    static final LogSizing SIZING = LogSizing.of(LogSamples.CONFIG, 4, 8, 4L << 20);
    private final MemoryStore store = new MemoryStore("consensus-log", 1_000_000);

    @Override
    ConsensusLog open() {
        return StoredLogs.open(store, SIZING, LogSamples.LIMITS).log(3, 0);
    }

    @Override
    ConsensusLog reopen(final ConsensusLog log) {
        final StoredLogs logs = StoredLogs.open(store, SIZING, LogSamples.LIMITS);
        org.assertj.core.api.Assertions.assertThat(logs.damage()).as("a log closed between operations is intact").isEmpty();
        return logs.log(3, 0);
    }
}
