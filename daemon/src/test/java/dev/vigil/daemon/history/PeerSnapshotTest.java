package dev.vigil.daemon.history;

import dev.vigil.storage.CorruptEntryException;
import dev.vigil.storage.KeyValueStore;
import dev.vigil.storage.MemoryStore;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The peer snapshot survives one of its two copies torn by a kill; only both torn leave nothing to join through. */
class PeerSnapshotTest {
    private static final String FIRST = "membership.peers";
    private static final String SECOND = "membership.peers.2";

    @Test
    void aTornCopyLeavesTheOtherToJoinThrough() {
        final TearingStore meta = new TearingStore();
        PeerSnapshot.store(meta, List.of("a:7400", "b:7400", "self:7400"));
        assertThat(PeerSnapshot.read(meta, "self:7400")).containsExactly("a:7400", "b:7400");

        meta.torn = FIRST;
        assertThat(PeerSnapshot.read(meta, "self:7400")).containsExactly("a:7400", "b:7400");
        meta.torn = SECOND;
        assertThat(PeerSnapshot.read(meta, "self:7400")).containsExactly("a:7400", "b:7400");
    }

    @Test
    void aKillBetweenTheTwoPutsReadsTheAddressesOfBoth() {
        final MemoryStore meta = new MemoryStore("meta", 16);
        PeerSnapshot.store(meta, List.of("a:7400", "b:7400"));
        meta.put(FIRST.getBytes(StandardCharsets.US_ASCII), "c:7400".getBytes(StandardCharsets.US_ASCII));
        assertThat(PeerSnapshot.read(meta, "self:7400")).containsExactly("a:7400", "b:7400", "c:7400");
    }

    @Test
    void nothingReadableIsReportedAndNothingStoredIsEmpty() {
        assertThat(PeerSnapshot.read(new MemoryStore("meta", 16), "self:7400")).isEmpty();
        final TearingStore meta = new TearingStore();
        PeerSnapshot.store(meta, List.of("a:7400"));
        meta.torn = "both";
        assertThatThrownBy(() -> PeerSnapshot.read(meta, "self:7400")).isInstanceOf(CorruptEntryException.class);
    }

    /** A heap store whose entry {@code torn} ("both": every entry) fails its checksum. */
    private static final class TearingStore implements KeyValueStore {
        private final MemoryStore inner = new MemoryStore("meta", 16);
        String torn = "";

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public byte[] get(final byte[] key) {
            final String k = new String(key, StandardCharsets.US_ASCII);
            if (torn.equals("both") || torn.equals(k)) {
                throw new CorruptEntryException("store meta: " + k + " is torn");
            }
            return inner.get(key);
        }

        @Override
        public void put(final byte[] key, final byte[] value) {
            inner.put(key, value);
        }

        @Override
        public boolean remove(final byte[] key) {
            return inner.remove(key);
        }

        @Override
        public long size() {
            return inner.size();
        }

        @Override
        public void forEach(final BiConsumer<byte[], byte[]> entry, final Consumer<byte[]> corrupt) {
            inner.forEach(entry, corrupt);
        }

        @Override
        public long bytesOnDisk() {
            return inner.bytesOnDisk();
        }

        @Override
        public void close() {
        }
    }
}
