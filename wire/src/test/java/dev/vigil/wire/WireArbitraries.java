package dev.vigil.wire;

import dev.vigil.wire.TestFrames.Frame;
import dev.vigil.wire.TestFrames.Sample;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators shared by the wire properties. */
final class WireArbitraries {
    private WireArbitraries() {
    }

    /** Where a frame starts inside its buffer: decoders must not assume offset 0. */
    static Arbitrary<Integer> frameOffsets() {
        return Arbitraries.integers().between(0, 17);
    }

    /** Printable ASCII without spaces, 1 to 255 characters: every address the wire can carry. */
    static Arbitrary<String> addresses() {
        return Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(JoinBody.ADDRESS_LENGTH_MAX);
    }

    /** Certificates are opaque to the wire module: any 1 to 512 bytes. */
    static Arbitrary<byte[]> certificates() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(JoinBody.CERTIFICATE_LENGTH_MAX);
    }

    static Arbitrary<Sample> samples() {
        return Combinators.combine(Arbitraries.longs(), addresses()).as(Sample::new);
    }

    static Arbitrary<Frame> joinFrames() {
        return Combinators.combine(frameOffsets(), certificates(), addresses()).as(TestFrames::join);
    }

    static Arbitrary<Frame> joinAcceptFrames() {
        return Combinators.combine(
                frameOffsets(), Arbitraries.of(true, false), certificates(), addresses(),
                samples().list().ofMaxSize(JoinAcceptBody.SAMPLE_MAX))
            .as(TestFrames::joinAccept);
    }

    static Arbitrary<Frame> probeFrames() {
        return Combinators.combine(Arbitraries.of(MessageType.PING, MessageType.ACK), frameOffsets(), Arbitraries.longs())
            .as(TestFrames::probe);
    }

    static Arbitrary<Frame> leaveFrames() {
        return Combinators.combine(frameOffsets(), Arbitraries.of(LeaveBody.REASON_SHUTDOWN, LeaveBody.REASON_NO_ROOM))
            .as(TestFrames::leave);
    }

    /** Well-formed frames of every v1 type. */
    static Arbitrary<Frame> validFrames() {
        return Arbitraries.oneOf(joinFrames(), joinAcceptFrames(), probeFrames(), leaveFrames());
    }
}
