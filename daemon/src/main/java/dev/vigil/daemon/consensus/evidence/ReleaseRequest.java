package dev.vigil.daemon.consensus.evidence;

import dev.vigil.crypto.verdict.VerdictCertificate;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An operator's release of a convicted agent as the payload of one committee request: the release
 * certificate (a RELEASE signed with the cluster CA key) with the convict certificate it retracts.
 * The convict certificate travels along because the committee state keeps no certificates: it is
 * how the state tells that the release names the conviction it holds (see {@link EvidenceState}).
 *
 * <p>Layout, little-endian:
 * <pre>
 *   0  kind             u8   {@value #KIND} (an evidence batch begins with its version, 1)
 *   1  release length   u16  1..{@link VerdictCertificate#LENGTH_MAX}
 *   3  release          the release's verdict certificate
 *   r  convict length   u16  1..{@link VerdictCertificate#LENGTH_MAX}
 * r+2  convict          the retracted verdict's certificate
 * </pre>
 * At most {@link #BYTES_MAX} bytes in all, the bound of an evidence batch, which every committee's
 * payload bound admits ({@code VerdictConfig} checks it). Decoding checks the form only; the
 * signatures and what the two certificates say are {@link EvidenceState}'s to judge.
 */
public record ReleaseRequest(VerdictCertificate release, VerdictCertificate convict) {
    public static final int KIND = 0x81;
    public static final int BYTES_MAX = EvidenceBatch.BYTES_MAX;

    /** Whether a request's payload is a release (by its first byte; it may still not decode). */
    public static boolean isRelease(final byte[] payload) {
        return payload.length > 0 && (payload[0] & 0xFF) == KIND;
    }

    /** @throws IllegalArgumentException when the two certificates together exceed {@link #BYTES_MAX} */
    public byte[] encode() {
        final byte[] r = release.encoded();
        final byte[] c = convict.encoded();
        final int n = 1 + 2 + r.length + 2 + c.length;
        if (n > BYTES_MAX) {
            throw new IllegalArgumentException("a release request of " + n + " bytes, at most " + BYTES_MAX
                + " (the retracted verdict's certificate is " + c.length + " bytes)");
        }
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN).put((byte)KIND).putShort((short)r.length).put(r)
            .putShort((short)c.length).put(c).array();
    }

    /** @throws EvidenceBatch.Malformed naming what is wrong; nothing else, for any input */
    public static ReleaseRequest decode(final byte[] bytes) throws EvidenceBatch.Malformed {
        if (bytes.length > BYTES_MAX) {
            throw new EvidenceBatch.Malformed("release request of " + bytes.length + " bytes, at most " + BYTES_MAX);
        }
        final ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        try {
            final int kind = b.get() & 0xFF;
            if (kind != KIND) {
                throw new EvidenceBatch.Malformed("payload kind " + kind + " is not a release (" + KIND + ")");
            }
            final VerdictCertificate release = certificate(b, "release");
            final VerdictCertificate convict = certificate(b, "retracted verdict");
            if (b.hasRemaining()) {
                throw new EvidenceBatch.Malformed(b.remaining() + " trailing bytes after a release request");
            }
            return new ReleaseRequest(release, convict);
        } catch (final BufferUnderflowException e) {
            throw new EvidenceBatch.Malformed("release request truncated at byte " + b.position() + " of " + bytes.length);
        }
    }

    private static VerdictCertificate certificate(final ByteBuffer b, final String what) throws EvidenceBatch.Malformed {
        final int length = b.getShort() & 0xFFFF;
        if (length == 0) {
            throw new EvidenceBatch.Malformed("release request: the " + what + " certificate is empty");
        }
        if (length > b.remaining()) {
            throw new EvidenceBatch.Malformed("release request truncated: " + what + " certificate of " + length + " bytes, "
                + b.remaining() + " left");
        }
        final byte[] raw = Arrays.copyOfRange(b.array(), b.position(), b.position() + length);
        b.position(b.position() + length);
        try {
            return VerdictCertificate.decode(raw);
        } catch (final IllegalArgumentException e) {
            throw new EvidenceBatch.Malformed(what + " certificate: " + e.getMessage());
        }
    }
}
