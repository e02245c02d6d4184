package dev.vigil.daemon.consensus;

import dev.vigil.daemon.core.NodeLog;
import dev.vigil.storage.StoreDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The durability promise with a real process: a JVM running a replica that persists into a
 * Chronicle Map file is killed with SIGKILL while it appends and truncates; the log read back is
 * exactly what it had acknowledged, plus the operation in flight wholly or not at all, every record
 * intact, and a replica recovers from it. (The launch copies {@code KillRestartTest}'s: the same
 * JVM, its Chronicle flags and class path.)
 */
class StoredLogKillTest {
    /** Log operations acknowledged before the kill is let go: several checkpoints and truncations. */
    private static final int ACKED_BEFORE_KILL = 400;

    @TempDir
    Path dir;
    private Process child;

    @AfterEach
    void stop() {
        if (child != null) {
            child.destroyForcibly();
        }
    }

    /** One log operation as the child announced it. */
    private record Op(LogRecord record, long truncateAt) {
        void applyTo(final MemoryLog log) {
            if (record != null) {
                log.append(record);
            } else {
                log.truncate(truncateAt);
            }
        }
    }

    @Test
    void aReplicaKilledInsideItsLogWritesRestartsFromExactlyWhatItAcknowledged() throws Exception {
        final OneReplica keys = StoredLogWriter.committee();
        child = spawn();
        final List<Op> begun = new ArrayList<>();
        int done = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("B ")) {
                    begun.add(new Op(LogRecords.decode(HexFormat.of().parseHex(line.substring(2)), keys.limits()), 0));
                } else if (line.startsWith("T ")) {
                    begun.add(new Op(null, Long.parseLong(line.substring(2))));
                } else if (line.equals("D")) {
                    done++;
                    if (done == ACKED_BEFORE_KILL) {
                        // SIGKILL, somewhere in what the child does next (through the handle: Process.destroy closes its streams)
                        child.toHandle().destroyForcibly();
                    }
                } else {
                    throw new AssertionError("the writer said: " + line);
                }
            }
        }
        child.waitFor();
        assertThat(done).isGreaterThanOrEqualTo(ACKED_BEFORE_KILL);
        assertThat(begun.size()).as("at most one operation in flight").isIn(done, done + 1);
        assertThat(begun.stream().filter(o -> o.record() == null).count()).as("truncations before the kill").isGreaterThan(5);

        final MemoryLog acked = new MemoryLog(keys.limits());
        begun.subList(0, done).forEach(o -> o.applyTo(acked));
        final MemoryLog withInFlight = new MemoryLog(keys.limits());
        begun.forEach(o -> o.applyTo(withInFlight));

        try (StoreDirectory stores = StoredLogWriter.stores(dir.resolve("stores"))) {
            assertThat(stores.recovered()).as("opened after an unclean stop").isTrue();
            final StoredLogs logs = StoredLogs.open(stores.store(LogSizing.STORE), StoredLogWriter.SIZING, keys.limits());
            assertThat(logs.damage()).allSatisfy(d -> assertThat(d.crashLeftIt()).as(d.toString()).isTrue());
            final StoredLog log = logs.log(keys.committee.shard(), 0);
            final List<LogRecord> back = log.records();
            final List<String> found = LogSamples.encoded(back);
            final boolean inFlightStored = begun.size() > done && found.equals(LogSamples.encoded(withInFlight.records()));
            if (!inFlightStored) {
                assertThat(found).as("the acknowledged log").isEqualTo(LogSamples.encoded(acked.records()));
            }
            System.out.printf("stored-log kill: %d operations acknowledged, %s; %d records read back, damage %s%n", done,
                begun.size() == done ? "none in flight" : "the one in flight " + (inFlightStored ? "stored" : "not stored"),
                back.size(), logs.damage());

            final long stable = back.stream().filter(r -> r instanceof LogRecord.Stable).mapToLong(LogRecord::seq).max().orElseThrow();
            final Replica recovered = Replica.recover(StoredLogWriter.CONFIG, keys.committee, keys.members[StoredLogWriter.SELF],
                keys.verifier, new ChainState(), silent(), NodeLog.DISCARD, back, keys.now);
            assertThat(recovered.counters().internalErrors()).isZero();
            assertThat(recovered.status().lastExecuted()).as("executed again up to what it had committed").isGreaterThanOrEqualTo(stable);
            assertThat(stable).isGreaterThanOrEqualTo(8);
        }
    }

    private static ReplicaEffects silent() {
        return new ReplicaEffects() {
            @Override
            public void persist(final LogRecord record) {
            }

            @Override
            public void truncate(final long stableSeq) {
            }

            @Override
            public void send(final long nodeId, final byte[] message) {
            }

            @Override
            public void broadcast(final byte[] message) {
            }

            @Override
            public void deliver(final Delivery delivery) {
            }

            @Override
            public void setTimer(final TimerKind kind, final long atMicros) {
            }
        };
    }

    private Process spawn() throws Exception {
        return new ProcessBuilder(dev.vigil.daemon.testing.ChildJvm.command(true, StoredLogWriter.class.getName(), dir.resolve("stores").toString()))
            .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("writer.log").toFile())).start();
    }
}
