package dev.vigil.simnet;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A SHA-256 over every frame the simulated network was offered, in the order they were sent:
 * virtual send time, sender host, destination address and the frame's bytes. Two runs with the
 * same digest put the same bytes on the wire at the same instants, so a refactoring that keeps
 * the digest of every scenario run keeps the protocol's behaviour, not only its reports.
 */
public final class FrameDigest {
    private final MessageDigest sha256;
    private final byte[] fixed = new byte[20];
    private long frames;
    private long bytes;

    public FrameDigest() {
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    void frame(final long atMicros, final int fromIndex, final String to, final byte[] frame, final int offset, final int length) {
        putLong(0, atMicros);
        putLong(8, fromIndex);
        putInt(16, length);
        sha256.update(fixed);
        sha256.update(to.getBytes(StandardCharsets.US_ASCII));
        sha256.update((byte)0);
        sha256.update(frame, offset, length);
        frames++;
        bytes += length;
    }

    private void putLong(final int at, final long v) {
        for (int i = 0; i < 8; i++) {
            fixed[at + i] = (byte)(v >>> (8 * i));
        }
    }

    private void putInt(final int at, final int v) {
        for (int i = 0; i < 4; i++) {
            fixed[at + i] = (byte)(v >>> (8 * i));
        }
    }

    public long frames() {
        return frames;
    }

    public long bytes() {
        return bytes;
    }

    /** The digest so far, as lower-case hex; the digest goes on after it. */
    public String hex() {
        try {
            return HexFormat.of().formatHex(((MessageDigest)sha256.clone()).digest());
        } catch (final CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
        }
    }
}
