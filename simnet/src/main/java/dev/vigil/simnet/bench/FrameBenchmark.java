package dev.vigil.simnet.bench;

import dev.vigil.crypto.Certificate;
import dev.vigil.crypto.ClusterCa;
import dev.vigil.crypto.PrivateKey;
import dev.vigil.crypto.PublicKey;
import dev.vigil.wire.FrameDecoder;
import dev.vigil.wire.FrameHeader;
import dev.vigil.wire.FrameStatus;
import dev.vigil.wire.JoinAcceptBody;
import dev.vigil.wire.MessageType;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The per-frame cost of the wire path for a 600-byte frame (a join-accept carrying a peer
 * sample): header + body encode + Ed25519 sign on the way out; structural decode + signature
 * verify + body walk on the way in.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FrameBenchmark {
    /** Target frame size of the benchmark. */
    public static final int FRAME_BYTES = 600;

    private final byte[] scratch = new byte[FrameHeader.FRAME_LENGTH_MAX];
    private final UnsafeBuffer out = new UnsafeBuffer(scratch);
    private final UnsafeBuffer in = new UnsafeBuffer(new byte[0]);
    private PrivateKey key;
    private PublicKey verifier;
    private byte[] certificate;
    private byte[] signed;
    private int samples;
    private long sequence;

    @Setup
    public void setUp() {
        final SplittableRandom random = new SplittableRandom(1);
        final byte[] secret = new byte[PrivateKey.LENGTH];
        random.nextBytes(secret);
        key = PrivateKey.of(secret);
        random.nextBytes(secret);
        final Certificate c = new ClusterCa(PrivateKey.of(secret)).issue(key.publicKey(), Instant.EPOCH, Duration.ofDays(1));
        certificate = c.encoded();
        verifier = key.publicKey();
        // grow the sample until the frame reaches FRAME_BYTES
        int length = 0;
        for (samples = 0; samples <= JoinAcceptBody.SAMPLE_MAX && length < FRAME_BYTES; samples++) {
            length = encode();
        }
        signed = Arrays.copyOf(scratch, length);
    }

    /** Frame length actually used (reported next to the figures). */
    public int frameLength() {
        return signed.length;
    }

    private int encode() {
        final int bodyOffset = FrameHeader.HEADER_LENGTH;
        int bodyLength = JoinAcceptBody.encodeStart(out, bodyOffset, true, certificate, "10.20.30.40:7400");
        for (int i = 0; i < samples; i++) {
            bodyLength = JoinAcceptBody.appendSample(out, bodyOffset, bodyLength, 0x1000 + i, "10.0.0." + (i + 10) + ":7400");
        }
        final int length = FrameHeader.write(out, 0, MessageType.JOIN_ACCEPT.code, 0, bodyLength, 0, key.nodeId(),
            ++sequence, sequence << 16);
        key.sign(scratch, 0, FrameHeader.signedLength(length), scratch, FrameHeader.signatureOffset(0, length));
        return length;
    }

    @Benchmark
    public int encodeAndSign() {
        return encode();
    }

    @Benchmark
    public void verifyAndDecode(final Blackhole bh) {
        in.wrap(signed);
        final FrameStatus status = FrameDecoder.check(in, 0, signed.length);
        final boolean valid = verifier.verify(signed, FrameHeader.signatureOffset(0, signed.length),
            signed, 0, FrameHeader.signedLength(signed.length));
        bh.consume(status);
        bh.consume(valid);
        JoinAcceptBody.forEachSample(in, FrameHeader.HEADER_LENGTH, (id, address) -> {
            bh.consume(id);
            bh.consume(address);
        });
    }
}
