package dev.vigil.daemon.consensus;

import dev.vigil.storage.StoreDirectory;
import dev.vigil.storage.StoreException;
import dev.vigil.storage.StoreFullException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A damaged log is cut back to its intact prefix and says where; every bound refuses with nothing written. */
class StoredLogDamageTest {
    private static final LogSizing SIZING = StoredLogOnHeapTest.SIZING;
    private final SplittableRandom random = new SplittableRandom(11);

    @TempDir
    Path dir;

    private List<LogRecord> fill(final StoredLog log, final int n) {
        final List<LogRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            final LogRecord r = LogSamples.of(2 + i % 3, i, random);
            log.append(r);
            out.add(r);
        }
        return out;
    }

    @Test
    void aTornLastRecordIsCutAndReportedAsWhatACrashLeaves() {
        final CrashingStore store = new CrashingStore();
        final List<LogRecord> written = fill(StoredLogs.open(store, SIZING, LogSamples.LIMITS).log(5, 2), 6);
        store.damage(LogKeys.key(5, 2, 5, 0));
        final StoredLogs back = StoredLogs.open(store, SIZING, LogSamples.LIMITS);
        assertThat(back.damage()).singleElement().satisfies(d -> {
            assertThat(d.shard()).isEqualTo(5);
            assertThat(d.epoch()).isEqualTo(2);
            assertThat(d.index()).isEqualTo(5);
            assertThat(d.crashLeftIt()).isTrue();
            assertThat(d.toString()).contains("shard 5 epoch 2: record 5", "died inside its append");
        });
        assertThat(LogSamples.encoded(back.log(5, 2).records())).isEqualTo(LogSamples.encoded(written.subList(0, 5)));
        assertThat(store.size()).isEqualTo(back.log(5, 2).entries());
    }

    @Test
    void damageInsideTheLogCutsEverythingAfterItAndSaysPromisesMayBeLost() {
        final CrashingStore store = new CrashingStore();
        final List<LogRecord> written = fill(StoredLogs.open(store, SIZING, LogSamples.LIMITS).log(5, 2), 8);
        store.damage(LogKeys.key(5, 2, 3, 0));
        final StoredLogs back = StoredLogs.open(store, SIZING, LogSamples.LIMITS);
        assertThat(back.damage()).singleElement().satisfies(d -> {
            assertThat(d.index()).isEqualTo(3);
            assertThat(d.recordsDropped()).isEqualTo(4);
            assertThat(d.crashLeftIt()).isFalse();
            assertThat(d.toString()).contains("record 3", "dropping 4 later records", "lost promises");
        });
        assertThat(LogSamples.encoded(back.log(5, 2).records())).isEqualTo(LogSamples.encoded(written.subList(0, 3)));
        final LogRecord next = LogSamples.of(4, 9, random);
        back.log(5, 2).append(next);
        assertThat(LogSamples.encoded(StoredLogs.open(store, SIZING, LogSamples.LIMITS).log(5, 2).records()))
            .as("appends go on after the cut").hasSize(4).endsWith(LogSamples.encoded(List.of(next)).get(0));
    }

    @Test
    void aFlippedByteInAChronicleFileCutsTheLogThere() throws Exception {
        final LogSizing sizing = StoredLogOnChronicleTest.SIZING;
        final byte[] payload = "a distinctive request payload of fifty bytes!!!!!!".getBytes();
        final List<LogRecord> written = new ArrayList<>();
        try (StoreDirectory d = StoreDirectory.open(dir, "t", List.of(sizing.spec()))) {
            final StoredLog log = StoredLogs.open(d.store(LogSizing.STORE), sizing, LogSamples.LIMITS).log(1, 0);
            for (int i = 0; i < 5; i++) {
                final byte[] p = i == 3 ? payload : LogSamples.bytes(random, 50);
                final Batch b = new Batch(List.of(new Request(1, 9, i, p, new byte[Signer.SIGNATURE_LENGTH])));
                final LogRecord r = new LogRecord.Committed(i + 1, new byte[Digests.LENGTH], b);
                log.append(r);
                written.add(r);
            }
        }
        final Path file = dir.resolve(LogSizing.STORE + ".cm3");
        final byte[] bytes = Files.readAllBytes(file);
        final int at = indexOf(bytes, payload);
        assertThat(at).isNotNegative();
        bytes[at + 7] ^= 0x10;
        Files.write(file, bytes);
        try (StoreDirectory d = StoreDirectory.open(dir, "t", List.of(sizing.spec()))) {
            final StoredLogs back = StoredLogs.open(d.store(LogSizing.STORE), sizing, LogSamples.LIMITS);
            assertThat(back.damage()).as(back.damage().toString()).singleElement().satisfies(x -> {
                assertThat(x.index()).isEqualTo(3);
                assertThat(x.recordsDropped()).isEqualTo(1);
            });
            assertThat(LogSamples.encoded(back.log(1, 0).records())).isEqualTo(LogSamples.encoded(written.subList(0, 3)));
        }
    }

    @Test
    void anAppendBeyondTheRecordBoundIsRefusedWithNothingWrittenAndTheLogTakesNoMore() {
        final CrashingStore store = new CrashingStore();
        final LogSizing small = new LogSizing(8, 1 << 20, 2, LogSizing.CHUNK_BYTES_MAX, 0);
        final StoredLog log = StoredLogs.open(store, small, LogSamples.LIMITS).log(0, 0);
        final List<LogRecord> written = fill(log, 8);
        final long entries = store.size();
        assertThatThrownBy(() -> log.append(LogSamples.of(2, 50, random))).isInstanceOf(StoreFullException.class)
            .hasMessageContaining("8 records of at most 8").hasMessageContaining("nothing written");
        assertThat(store.size()).isEqualTo(entries);
        assertThat(log.failed()).isTrue();
        log.truncate(100);
        assertThatThrownBy(() -> log.append(LogSamples.of(2, 101, random))).isInstanceOf(StoreException.class)
            .hasMessageContaining("restarted");
        assertThat(StoredLogs.open(store, small, LogSamples.LIMITS).log(0, 0).failed()).as("a reopened log appends again").isFalse();
        assertThat(written).hasSize(8);
    }

    @Test
    void anAppendBeyondTheByteBoundIsRefused() {
        final CrashingStore store = new CrashingStore();
        final LogSizing small = new LogSizing(100, 8192, 2, LogSizing.CHUNK_BYTES_MAX, 0);
        final StoredLog log = StoredLogs.open(store, small, LogSamples.LIMITS).log(0, 0);
        log.append(new LogRecord.OwnCheckpoint(1, new byte[Digests.LENGTH], new byte[6000]));
        assertThatThrownBy(() -> log.append(new LogRecord.OwnCheckpoint(2, new byte[Digests.LENGTH], new byte[6000])))
            .isInstanceOf(StoreFullException.class).hasMessageContaining("storage.consensus_log_kib_per_replica");
        assertThat(log.size()).isOne();
    }

    @Test
    void logsBeyondTheReplicaBoundAreRefusedAndADroppedLogLeavesNothing() {
        final CrashingStore store = new CrashingStore();
        final LogSizing two = new LogSizing(100, 1 << 20, 2, LogSizing.CHUNK_BYTES_MAX, 0);
        final StoredLogs logs = StoredLogs.open(store, two, LogSamples.LIMITS);
        fill(logs.log(0, 0), 3);
        fill(logs.log(0, 1), 3);
        assertThatThrownBy(() -> logs.log(1, 0)).isInstanceOf(StoreFullException.class).hasMessageContaining("storage.consensus_replicas");
        logs.drop(0, 0);
        assertThat(logs.logs()).containsExactly(new StoredLogs.Id(0, 1));
        assertThat(store.size()).isEqualTo(logs.log(0, 1).entries());
        assertThat(StoredLogs.open(store, two, LogSamples.LIMITS).logs()).containsExactly(new StoredLogs.Id(0, 1));
        fill(logs.log(1, 0), 1);
    }

    @Test
    void theSmallestStoreTheKeysAllowTakesAFullLogOfLargestChunks() {
        final LogSizing smallest = new ConsensusLogConfig(1, 64 * 1024).sizing(LogSamples.CONFIG, 4);
        try (StoreDirectory d = StoreDirectory.open(dir, "t", List.of(smallest.spec()))) {
            final StoredLog log = StoredLogs.open(d.store(LogSizing.STORE), smallest, LogSamples.LIMITS).log(0, 0);
            final LogRecord big = new LogRecord.OwnCheckpoint(1, new byte[Digests.LENGTH], LogSamples.bytes(random, 60 * 1024));
            log.append(big);
            assertThat(LogSamples.encoded(log.records())).isEqualTo(LogSamples.encoded(List.of(big)));
            log.truncate(1);
            for (int i = 0; i < smallest.recordsPerLogMax(); i++) {
                log.append(new LogRecord.View(i, false));
            }
            assertThat(log.size()).isOne();
        }
    }

    private static int indexOf(final byte[] hay, final byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
