package dev.vigil.daemon.core;

import dev.vigil.crypto.Certificate;
import dev.vigil.crypto.PrivateKey;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The bounded store of checked certificates: least recently heard first out, peers never. */
class TrustStoreTest {
    private final CoreNet keys = new CoreNet(9);

    private Certificate certificate() {
        return keys.certify(keys.key());
    }

    @Test
    void pastTheBoundTheLeastRecentlyHeardUnpinnedNodeIsForgotten() {
        final List<Certificate> c = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            c.add(certificate());
        }
        final long pinned = c.get(0).nodeId();
        final TrustStore trust = new TrustStore(3, id -> id == pinned);
        trust.put(c.get(0), "a");
        trust.put(c.get(1), "b");
        trust.put(c.get(2), "c");
        assertThat(trust.size()).isEqualTo(3);
        trust.get(c.get(1).nodeId()); // heard recently
        trust.put(c.get(3), "d");
        assertThat(trust.size()).isEqualTo(3);
        assertThat(trust.get(c.get(0).nodeId())).as("pinned").isNotNull();
        assertThat(trust.get(c.get(2).nodeId())).as("least recently heard").isNull();
        assertThat(trust.get(c.get(1).nodeId()).address).isEqualTo("b");
        assertThat(trust.get(c.get(3).nodeId()).address).isEqualTo("d");
    }

    @Test
    void theSameCertificateAgainKeepsItsEntryAndAReissuedOneKeepsTheReplayWindow() {
        final PrivateKey key = keys.key();
        final Certificate first = keys.certify(key);
        final TrustStore trust = new TrustStore(8, id -> false);
        final TrustStore.Trusted t = trust.put(first, "a:1");
        t.window.mark(500);
        assertThat(trust.put(first, null)).isSameAs(t);
        assertThat(t.address).as("no address given: the old one stays").isEqualTo("a:1");
        assertThat(trust.put(first, "a:2")).isSameAs(t);
        assertThat(t.address).isEqualTo("a:2");

        final Certificate reissued = keys.ca().issue(key.publicKey(), Instant.ofEpochSecond(CoreNet.T0_MICROS / 1_000_000),
            Duration.ofDays(60));
        final TrustStore.Trusted renewed = trust.put(reissued, null);
        assertThat(renewed).isNotSameAs(t);
        assertThat(renewed.certificate).isSameAs(reissued);
        assertThat(renewed.address).isEqualTo("a:2");
        assertThat(renewed.window.isFresh(500)).isFalse();
        assertThat(renewed.window.isFresh(501)).isTrue();
        assertThat(trust.size()).isEqualTo(1);
        assertThat(trust.put(keys.certify(keys.key()), null).address).isNull();
    }
}
