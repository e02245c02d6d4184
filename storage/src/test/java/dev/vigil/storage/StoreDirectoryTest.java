package dev.vigil.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoreDirectoryTest {
    private static final List<StoreSpec> SPECS = List.of(
        StoreSpec.fixedKey("things", 1_000, 8, 64, "test.things"),
        StoreSpec.variableKey("meta", 100, 16, 128, "test.meta"));

    @TempDir
    Path dir;

    private static byte[] key(final long k) {
        return java.nio.ByteBuffer.allocate(8).putLong(k).array();
    }

    @Test
    void whatWasPutIsThereAfterACleanReopen() {
        try (StoreDirectory d = StoreDirectory.open(dir, "features=3", SPECS)) {
            assertThat(d.recovered()).isFalse();
            d.store("things").put(key(1), "one".getBytes(StandardCharsets.US_ASCII));
            d.store("things").put(key(2), "two".getBytes(StandardCharsets.US_ASCII));
            d.store("things").remove(key(2));
            d.store("meta").put("tree".getBytes(StandardCharsets.US_ASCII), new byte[300]);
        }
        try (StoreDirectory d = StoreDirectory.open(dir, "features=3", SPECS)) {
            assertThat(d.recovered()).isFalse();
            assertThat(new String(d.store("things").get(key(1)), StandardCharsets.US_ASCII)).isEqualTo("one");
            assertThat(d.store("things").get(key(2))).isNull();
            assertThat(d.store("things").size()).isEqualTo(1);
            assertThat(d.store("meta").get("tree".getBytes(StandardCharsets.US_ASCII))).hasSize(300);
        }
    }

    @Test
    void aDirectoryNotClosedCleanlyIsRecoveredAndKeepsItsEntries() throws Exception {
        final StoreDirectory d = StoreDirectory.open(dir, "features=3", SPECS);
        d.store("things").put(key(7), new byte[]{1, 2, 3});
        // as if killed: the marker is never written (the maps are closed only to free the files)
        d.store("things").close();
        d.store("meta").close();
        assertThat(Files.exists(dir.resolve(StoreDirectory.CLEAN))).isFalse();
        try (StoreDirectory again = StoreDirectory.open(dir, "features=3", SPECS)) {
            assertThat(again.recovered()).isTrue();
            assertThat(again.store("things").get(key(7))).containsExactly(1, 2, 3);
        }
    }

    @Test
    void aDamagedValueIsReportedNotReturned() throws Exception {
        final byte[] payload = "a distinctive payload of forty-two bytes!!".getBytes(StandardCharsets.US_ASCII);
        try (StoreDirectory d = StoreDirectory.open(dir, "features=3", SPECS)) {
            d.store("things").put(key(9), payload);
        }
        final Path file = dir.resolve("things.cm3");
        final byte[] bytes = Files.readAllBytes(file);
        final int at = indexOf(bytes, payload);
        assertThat(at).isNotNegative();
        bytes[at + 5] ^= 0x40;
        Files.write(file, bytes);
        try (StoreDirectory d = StoreDirectory.open(dir, "features=3", SPECS)) {
            assertThatThrownBy(() -> d.store("things").get(key(9)))
                .isInstanceOf(CorruptEntryException.class)
                .hasMessageContaining("things")
                .hasMessageContaining("checksum");
            final int[] corrupt = new int[1];
            d.store("things").forEach((k, v) -> { }, k -> corrupt[0]++);
            assertThat(corrupt[0]).isEqualTo(1);
        }
    }

    @Test
    void storesWrittenForAnotherSchemaAreRefusedWithWhatToDo() {
        StoreDirectory.open(dir, "features=3", SPECS).close();
        assertThatThrownBy(() -> StoreDirectory.open(dir, "features=4", SPECS))
            .isInstanceOf(StoreException.class)
            .hasMessageContaining("features=3")
            .hasMessageContaining("features=4")
            .hasMessageContaining("Move the directory aside");
    }

    @Test
    void aRaisedCeilingOpensTheSameFilesWithWhatTheyHeld() {
        try (StoreDirectory d = StoreDirectory.open(dir, "features=3", SPECS)) {
            d.store("things").put(key(1), new byte[]{1});
        }
        final List<StoreSpec> bigger = List.of(StoreSpec.fixedKey("things", 200_000, 8, 64, "test.things"), SPECS.get(1));
        try (StoreDirectory d = StoreDirectory.open(dir, "features=3", bigger)) {
            assertThat(d.store("things").get(key(1))).containsExactly(1);
        }
    }

    @Test
    void storesWithAnotherKeyLayoutAreRefused() {
        StoreDirectory.open(dir, "features=3", SPECS).close();
        final List<StoreSpec> otherKeys = List.of(StoreSpec.fixedKey("things", 1_000, 16, 64, "test.things"), SPECS.get(1));
        assertThatThrownBy(() -> StoreDirectory.open(dir, "features=3", otherKeys))
            .isInstanceOf(StoreException.class)
            .hasMessageContaining("things:8")
            .hasMessageContaining("things:16")
            .hasMessageContaining("Move the directory aside");
    }

    @Test
    void anEmptyStoreIsSmallAndGrowsPastItsInitialLayoutAsEntriesArrive() {
        final StoreSpec spec = new StoreSpec("growing", 50_000, 500, 8, 8, 200, "test.growing");
        try (StoreDirectory d = StoreDirectory.open(dir, "x", List.of(spec))) {
            final long empty = d.bytesOnDisk().get("growing");
            assertThat(empty).as("laid out for 500 entries of ~212 bytes, not for the 50,000 of its ceiling").isLessThan(1L << 20);
            final KeyValueStore s = d.store("growing");
            for (int i = 0; i < 20_000; i++) {
                s.put(key(i), new byte[200]);
            }
            assertThat(s.size()).isEqualTo(20_000);
            assertThat(d.bytesOnDisk().get("growing")).as("40 times its initial layout: the file grew")
                .isGreaterThan(20_000L * 200).isGreaterThan(4 * empty);
            assertThat(s.get(key(0))).hasSize(200);
            assertThat(s.get(key(19_999))).hasSize(200);
        }
        try (StoreDirectory d = StoreDirectory.open(dir, "x", List.of(spec))) {
            assertThat(d.store("growing").size()).isEqualTo(20_000);
            assertThat(d.store("growing").get(key(12_345))).hasSize(200);
        }
    }

    @Test
    void aStoreThatGrewPastItsLayoutIsRecoveredWholeAfterAnUncleanStop() {
        final StoreSpec spec = new StoreSpec("growing", 50_000, 500, 8, 8, 200, "test.growing");
        final StoreDirectory d = StoreDirectory.open(dir, "x", List.of(spec));
        for (int i = 0; i < 10_000; i++) {
            d.store("growing").put(key(i), java.util.Arrays.copyOf(key(i), 200));
        }
        d.abandon(); // as if killed: no clean-stop marker
        try (StoreDirectory again = StoreDirectory.open(dir, "x", List.of(spec))) {
            assertThat(again.recovered()).isTrue();
            final KeyValueStore s = again.store("growing");
            assertThat(s.size()).isEqualTo(10_000);
            for (int i = 0; i < 10_000; i += 97) {
                assertThat(s.get(key(i))).isEqualTo(java.util.Arrays.copyOf(key(i), 200));
            }
            s.put(key(10_000), new byte[200]); // and it keeps growing
            assertThat(s.size()).isEqualTo(10_001);
        }
    }

    @Test
    void aStoreAtItsCeilingRefusesNewKeysByNameButTakesOverwrites() {
        final StoreSpec spec = new StoreSpec("capped", 1_000, 256, 8, 8, 64, "storage.test_ceiling");
        try (StoreDirectory d = StoreDirectory.open(dir, "x", List.of(spec))) {
            final KeyValueStore s = d.store("capped");
            for (int i = 0; i < 1_000; i++) {
                s.put(key(i), new byte[64]);
            }
            assertThatThrownBy(() -> s.put(key(1_000), new byte[64]))
                .isInstanceOf(StoreFullException.class)
                .hasMessageContaining("store capped")
                .hasMessageContaining("holds 1000 entries")
                .hasMessageContaining("ceiling is 1000")
                .hasMessageContaining("storage.test_ceiling");
            s.put(key(7), new byte[]{7});
            assertThat(s.get(key(7))).containsExactly(7);
            assertThat(s.get(key(1_000))).isNull();
            assertThat(s.size()).isEqualTo(1_000);
        }
    }

    @Test
    void aSpecThatWouldGrowBeyondChronicleMapsLimitIsRefused() {
        assertThatThrownBy(() -> new StoreSpec("x", 1_000_000, 100, 8, 8, 8, "k")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("1000 times");
        assertThat(StoreSpec.fixedKey("x", 5_000_000, 16, 600, "k").entriesInitial()).isEqualTo(5_000);
        assertThat(StoreSpec.fixedKey("x", 100, 16, 600, "k").entriesInitial()).isEqualTo(100);
    }

    @Test
    void aDamagedManifestIsRefused() throws Exception {
        StoreDirectory.open(dir, "features=3", SPECS).close();
        final Path m = dir.resolve(StoreDirectory.MANIFEST);
        Files.writeString(m, Files.readString(m).replace("format=2", "format=3"));
        assertThatThrownBy(() -> StoreDirectory.open(dir, "features=3", SPECS))
            .isInstanceOf(StoreException.class)
            .hasMessageContaining("damaged");
    }

    @Test
    void aFormatFromAnotherVersionIsRefused() throws Exception {
        StoreDirectory.open(dir, "features=3", SPECS).close();
        final Path m = dir.resolve(StoreDirectory.MANIFEST);
        final String body = Files.readString(m).replace("format=2", "format=99");
        final String noCrc = body.substring(0, body.indexOf("crc="));
        final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(noCrc.getBytes(StandardCharsets.UTF_8));
        Files.writeString(m, noCrc + "crc=" + Long.toHexString(crc.getValue()) + "\n");
        assertThatThrownBy(() -> StoreDirectory.open(dir, "features=3", SPECS))
            .isInstanceOf(StoreException.class)
            .hasMessageContaining("format [99]")
            .hasMessageContaining("reads format 2");
    }

    @Test
    void aFullStoreRefusesThePutAndKeepsWhatItHad() {
        final List<StoreSpec> tiny = List.of(new StoreSpec("tiny", 100, 100, 8, 8, 64, "storage.tiny"));
        try (StoreDirectory d = StoreDirectory.open(dir, "x", tiny)) {
            final KeyValueStore s = d.store("tiny");
            int written = 0;
            StoreFullException full = null;
            for (int i = 0; i < 100_000 && full == null; i++) {
                try {
                    s.put(key(i), new byte[64]);
                    written++;
                } catch (final StoreFullException e) {
                    full = e;
                }
            }
            assertThat(full).as("a store sized for 100 entries refuses at some point").isNotNull();
            assertThat(full.getMessage()).contains("tiny").contains("ceiling is 100").contains("storage.tiny");
            assertThat(s.size()).isEqualTo(written);
            assertThat(s.get(key(0))).hasSize(64);
        }
    }

    @Test
    void memoryStoreRefusesBeyondItsBound() {
        final MemoryStore m = new MemoryStore("m", 2);
        m.put(key(1), new byte[1]);
        m.put(key(2), new byte[1]);
        m.put(key(2), new byte[2]);
        assertThatThrownBy(() -> m.put(key(3), new byte[1])).isInstanceOf(StoreFullException.class);
        assertThat(m.payloadBytes()).isEqualTo(8 + 1 + 8 + 2);
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
