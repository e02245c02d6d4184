package dev.vigil.wire;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.agrona.concurrent.UnsafeBuffer;

import static org.assertj.core.api.Assertions.assertThat;

class ReplicaBodyTest {
    @Property(tries = 200)
    void aReplicaRoundTrips(@ForAll final long key, @ForAll final long version, @ForAll @IntRange(min = 1, max = ReplicaBody.PAYLOAD_MAX) final int n) {
        final byte[] payload = new byte[n];
        for (int i = 0; i < n; i++) {
            payload[i] = (byte)(i * 31 + key);
        }
        final UnsafeBuffer b = new UnsafeBuffer(new byte[ReplicaBody.bodyLength(n) + 8]);
        final int len = ReplicaBody.encode(b, 3, key, version, payload);
        assertThat(ReplicaBody.isWellFormed(b, 3, len)).isTrue();
        assertThat(ReplicaBody.agentKey(b, 3)).isEqualTo(key);
        assertThat(ReplicaBody.version(b, 3)).isEqualTo(version);
        final byte[] back = new byte[ReplicaBody.payloadLength(b, 3)];
        b.getBytes(3 + ReplicaBody.PAYLOAD_OFFSET, back);
        assertThat(back).isEqualTo(payload);
        assertThat(ReplicaBody.isWellFormed(b, 3, len - 1)).isFalse();
        assertThat(ReplicaBody.isWellFormed(b, 3, len + 1)).isFalse();
    }

    @Property(tries = 500)
    void anyBytesAreJudgedWithoutThrowing(@ForAll final byte[] bytes) {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[Math.max(1, bytes.length)]);
        b.putBytes(0, bytes);
        ReplicaBody.isWellFormed(b, 0, bytes.length);
    }
}
