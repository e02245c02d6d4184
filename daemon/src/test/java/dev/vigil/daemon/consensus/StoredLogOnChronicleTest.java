package dev.vigil.daemon.consensus;

import dev.vigil.storage.StoreDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The stored log in a Chronicle Map file meets the contract; reopening closes the file and opens it again. */
class StoredLogOnChronicleTest extends ConsensusLogContract {
    static final LogSizing SIZING = LogSizing.of(LogSamples.CONFIG, 4, 2, 1L << 20);

    @TempDir
    Path dir;
    private StoreDirectory stores;

    private StoredLogs openStores() {
        stores = StoreDirectory.open(dir, "consensus-log-test", List.of(SIZING.spec()));
        return StoredLogs.open(stores.store(LogSizing.STORE), SIZING, LogSamples.LIMITS);
    }

    @Override
    ConsensusLog open() {
        return openStores().log(3, 0);
    }

    @Override
    ConsensusLog reopen(final ConsensusLog log) {
        stores.close();
        final StoredLogs logs = openStores();
        assertThat(logs.damage()).as("a log closed cleanly is intact").isEmpty();
        return logs.log(3, 0);
    }

    @AfterEach
    void close() {
        if (stores != null) {
            stores.close();
        }
    }
}
