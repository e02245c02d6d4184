package dev.vigil.daemon.history;

import dev.vigil.daemon.detect.AgentRecord;
import dev.vigil.daemon.detect.AgentStatus;
import dev.vigil.storage.CorruptEntryException;
import dev.vigil.storage.KeyValueStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A process killed at each write of an observation's write path in turn, in each way a kill can
 * leave a write (not begun, or torn: the entry damaged, what it held before lost with it), comes
 * back from its stores with every observation it had stored before, and the one it was storing
 * either all there (raw block, minute, hour and day rollups, agent record) or not there at all.
 */
class InterruptedWriteTest {
    private static final long S = 1_000_000L;
    private static final long MIN = 60 * S;
    private static final long HOUR = 60 * MIN;
    private static final long DAY = 24 * HOUR;
    private static final long T0 = 1_700_000_000L * S / DAY * DAY; // a day boundary
    private static final long NOW = T0 + 3 * HOUR;
    private static final int D = 3;
    private static final HistoryConfig CONFIG = HistoryConfig.defaults().withExpectedAgents(4);

    /** The observation whose write path is killed, by what it does besides its raw block. */
    enum Case {
        FIRST_OF_AN_AGENT("b", T0 + 5 * S),
        SAME_MINUTE("a", T0 + 2 * MIN + 25 * S),
        CLOSES_A_MINUTE_AND_AN_HOUR("a", T0 + HOUR + 5 * S),
        LATE_INTO_A_WRITTEN_MINUTE("a", T0 + 30 * S + 1);

        final String agent;
        final long tsMicros;

        Case(final String agent, final long tsMicros) {
            this.agent = agent;
            this.tsMicros = tsMicros;
        }
    }

    @ParameterizedTest
    @EnumSource(Case.class)
    void anObservationKilledAtAnyWriteIsWhollyStoredOrNotAtAll(final Case c) {
        int writes = -1;
        for (final boolean tear : new boolean[] {false, true}) {
            for (int k = 0; ; k++) {
                final Disk disk = new Disk();
                final HistoryStores stores = HistoryStores.of(CONFIG, D, s -> new DyingStore(s.name(), disk));
                final AgentHistory before = stores.history(CONFIG, D);
                before.load();
                final long n = feed(before);
                disk.dieAt(k, tear);
                boolean died = false;
                try {
                    before.append(rec(c.agent, (c.agent.equals("a") ? n : 0) + 1, c.tsMicros), c.tsMicros, new double[] {7, 7, 7}, true, 1);
                } catch (final Killed e) {
                    died = true;
                }
                disk.dieAt(Integer.MAX_VALUE, false);
                final AgentHistory restarted = stores.history(CONFIG, D);
                final Map<String, Long> stored = new TreeMap<>();
                restarted.load().forEach(s -> stored.put(s.record().id(), s.record().observations()));
                final String at = c + ", killed at write " + k + (tear ? " (torn)" : " (not begun)");
                final long a = stored.getOrDefault("a", 0L);
                final long b = stored.getOrDefault("b", 0L);
                assertThat(a).as(at + ": agent a's stored count").isIn(c.agent.equals("a") ? List.of(n, n + 1) : List.of(n));
                assertThat(b).as(at + ": agent b's stored count").isIn(c.agent.equals("b") ? List.of(0L, 1L) : List.of(0L));
                if (b == 0) {
                    assertThat(stores.store(HistoryStores.RAW).get(AgentHistory.bucketKey(AgentHistory.agentKey("b"),
                        Tier.RAW.bucketOf(Case.FIRST_OF_AN_AGENT.tsMicros)))).as(at + ": a raw block of agent b, which is not stored").isNull();
                }
                for (final String agent : List.of("a", "b")) {
                    final long want = agent.equals("a") ? a : b;
                    for (final long from : new long[] {T0 - MIN, NOW - 2 * DAY, NOW - 8 * DAY, NOW - 60 * DAY}) {
                        final Series s = restarted.series(agent, from, NOW, NOW - from, NOW);
                        final long inSeries = s == null ? 0 : s.points().stream().mapToLong(Series.Point::count).sum();
                        assertThat(inSeries).as(at + ": agent " + agent + " in its " + (s == null ? "-" : s.tier()) + " series")
                            .isEqualTo(want);
                    }
                }
                if (!died) {
                    writes = k;
                    break;
                }
            }
        }
        assertThat(writes).as("writes of the observation's path (write-ahead record, raw block, rollups, agent record)")
            .isGreaterThanOrEqualTo(3);
    }

    /** Agent a: one observation every 10 s over the first three minutes, flushed as the daemon's timer would. */
    private static long feed(final AgentHistory h) {
        long n = 0;
        for (long t = T0; t < T0 + 2 * MIN + 30 * S; t += 10 * S) {
            n++;
            h.append(rec("a", n, t), t, new double[] {n, 1, 2}, true, 1);
        }
        h.flushClosed(T0 + 2 * MIN);
        return n;
    }

    private static AgentRecord rec(final String id, final long n, final long ts) {
        return new AgentRecord(id, "r", AgentStatus.NORMAL, 0, n, 0, ts, -1, -1);
    }

    /** The process died: nothing after the write that threw this runs. */
    static final class Killed extends Error {
        private static final long serialVersionUID = 1L;
    }

    /** Counts the writes of every store; the process dies at the chosen one. */
    static final class Disk {
        private int writesLeft = Integer.MAX_VALUE;
        private boolean tear;

        void dieAt(final int write, final boolean tearIt) {
            writesLeft = write;
            tear = tearIt;
        }

        /** @return whether the process dies in this write */
        boolean dies() {
            return writesLeft != Integer.MAX_VALUE && writesLeft-- == 0;
        }
    }

    /** A heap store whose writes can be where the process dies; a torn entry fails its checksum. */
    static final class DyingStore implements KeyValueStore {
        private static final byte[] DAMAGED = new byte[0];
        private final String name;
        private final Disk disk;
        private final TreeMap<byte[], byte[]> map = new TreeMap<>(Arrays::compareUnsigned);

        DyingStore(final String name, final Disk disk) {
            this.name = name;
            this.disk = disk;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public byte[] get(final byte[] key) {
            final byte[] v = map.get(key);
            if (v == DAMAGED) {
                throw new CorruptEntryException("store " + name + ": torn entry");
            }
            return v == null ? null : v.clone();
        }

        @Override
        public void put(final byte[] key, final byte[] value) {
            if (disk.dies()) {
                if (disk.tear) {
                    map.put(key.clone(), DAMAGED);
                }
                throw new Killed();
            }
            map.put(key.clone(), value.clone());
        }

        @Override
        public boolean remove(final byte[] key) {
            if (disk.dies()) {
                throw new Killed();
            }
            return map.remove(key) != null;
        }

        @Override
        public long size() {
            return map.size();
        }

        @Override
        public void forEach(final BiConsumer<byte[], byte[]> entry, final Consumer<byte[]> corrupt) {
            final List<Map.Entry<byte[], byte[]>> all = new ArrayList<>(map.entrySet());
            for (final Map.Entry<byte[], byte[]> e : all) {
                if (e.getValue() == DAMAGED) {
                    corrupt.accept(e.getKey().clone());
                } else {
                    entry.accept(e.getKey().clone(), e.getValue().clone());
                }
            }
        }

        @Override
        public long bytesOnDisk() {
            return 0;
        }

        @Override
        public void close() {
        }
    }
}
