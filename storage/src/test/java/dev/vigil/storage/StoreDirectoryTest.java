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
        StoreSpec.fixedKey("things", 1_000, 8, 64),
        StoreSpec.variableKey("meta", 100, 16, 128));

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
    void storesSizedDifferentlyAreRefused() {
        StoreDirectory.open(dir, "features=3", SPECS).close();
        final List<StoreSpec> bigger = List.of(StoreSpec.fixedKey("things", 2_000, 8, 64), SPECS.get(1));
        assertThatThrownBy(() -> StoreDirectory.open(dir, "features=3", bigger))
            .isInstanceOf(StoreException.class)
            .hasMessageContaining("sized");
    }

    @Test
    void aDamagedManifestIsRefused() throws Exception {
        StoreDirectory.open(dir, "features=3", SPECS).close();
        final Path m = dir.resolve(StoreDirectory.MANIFEST);
        Files.writeString(m, Files.readString(m).replace("format=1", "format=2"));
        assertThatThrownBy(() -> StoreDirectory.open(dir, "features=3", SPECS))
            .isInstanceOf(StoreException.class)
            .hasMessageContaining("damaged");
    }

    @Test
    void aFormatFromAnotherVersionIsRefused() throws Exception {
        StoreDirectory.open(dir, "features=3", SPECS).close();
        final Path m = dir.resolve(StoreDirectory.MANIFEST);
        final String body = Files.readString(m).replace("format=1", "format=99");
        final String noCrc = body.substring(0, body.indexOf("crc="));
        final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(noCrc.getBytes(StandardCharsets.UTF_8));
        Files.writeString(m, noCrc + "crc=" + Long.toHexString(crc.getValue()) + "\n");
        assertThatThrownBy(() -> StoreDirectory.open(dir, "features=3", SPECS))
            .isInstanceOf(StoreException.class)
            .hasMessageContaining("format [99]")
            .hasMessageContaining("reads format 1");
    }

    @Test
    void aFullStoreRefusesThePutAndKeepsWhatItHad() {
        final List<StoreSpec> tiny = List.of(new StoreSpec("tiny", 100, 8, 8, 64, 1.0));
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
            assertThat(full.getMessage()).contains("tiny").contains("sized for 100");
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
