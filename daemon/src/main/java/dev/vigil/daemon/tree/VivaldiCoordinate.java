package dev.vigil.daemon.tree;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * A Vivaldi coordinate with height (Dabek et al., SIGCOMM 2004, §5.3): a position {@code (xMs, yMs)}
 * in a 2-D Euclidean plane, a height {@code heightMs} that models the access link (it only ever adds
 * to a distance), and {@code error}, the owner's relative error estimate (1 = knows nothing).
 *
 * <p>The record itself holds any doubles, because a coordinate decoded or handed over from a peer is
 * untrusted: {@link #isWithinBounds()} says whether it is one Vigil accepts. {@link #tryReadFrom}
 * only ever returns coordinates within bounds, and {@link Vivaldi} only ever produces them.
 *
 * <p>Wire layout, little-endian, {@value #ENCODED_LENGTH} bytes: x, y, height, error as IEEE-754
 * doubles, so encoding round-trips to the bit.
 */
public record VivaldiCoordinate(double xMs, double yMs, double heightMs, double error) {

    /** |x| and |y| bound: 1000 s, far beyond any RTT on Earth, small enough that squares stay exact-ish. */
    public static final double POSITION_MS_MAX = 1e6;
    /** Height bound: 100 s. */
    public static final double HEIGHT_MS_MAX = 1e5;
    /** Error bound on the wire; a node's own error stays at or below {@link Vivaldi#ERROR_MAX}. */
    public static final double ERROR_MAX = 10.0;

    public static final int X_OFFSET = 0;
    public static final int Y_OFFSET = X_OFFSET + Double.BYTES;
    public static final int HEIGHT_OFFSET = Y_OFFSET + Double.BYTES;
    public static final int ERROR_OFFSET = HEIGHT_OFFSET + Double.BYTES;
    public static final int ENCODED_LENGTH = ERROR_OFFSET + Double.BYTES;
    /** A coordinate that knows nothing yet: the origin with the initial error; stands in for one a peer sent malformed. */
    public static final VivaldiCoordinate ORIGIN = new VivaldiCoordinate(0.0, 0.0, Vivaldi.HEIGHT_MS_MIN_DEFAULT, Vivaldi.ERROR_INITIAL);

    /**
     * Predicted round-trip time to {@code other} in ms: the Euclidean distance between the positions
     * plus both heights (the height-vector norm of the difference).
     */
    public double distanceMs(final VivaldiCoordinate other) {
        return positionDistanceMs(other) + heightMs + other.heightMs;
    }

    /** Euclidean distance between the two positions alone, heights left out. */
    public double positionDistanceMs(final VivaldiCoordinate other) {
        final double dx = xMs - other.xMs;
        final double dy = yMs - other.yMs;
        // sqrt is correctly rounded, so this is the same bits on every JVM (Math.hypot need not be).
        return Math.sqrt(dx * dx + dy * dy);
    }

    /** True when every field is finite and within the bounds this class states; NaN fails every comparison. */
    public boolean isWithinBounds() {
        return Math.abs(xMs) <= POSITION_MS_MAX
            && Math.abs(yMs) <= POSITION_MS_MAX
            && heightMs >= 0.0 && heightMs <= HEIGHT_MS_MAX
            && error >= 0.0 && error <= ERROR_MAX;
    }

    /** Writes {@value #ENCODED_LENGTH} bytes at {@code offset}. */
    public void writeTo(final MutableDirectBuffer buffer, final int offset) {
        buffer.putDouble(offset + X_OFFSET, xMs, LITTLE_ENDIAN);
        buffer.putDouble(offset + Y_OFFSET, yMs, LITTLE_ENDIAN);
        buffer.putDouble(offset + HEIGHT_OFFSET, heightMs, LITTLE_ENDIAN);
        buffer.putDouble(offset + ERROR_OFFSET, error, LITTLE_ENDIAN);
    }

    /**
     * Reads a coordinate at {@code offset}, or null when the bytes do not hold one within bounds
     * (too short, NaN, infinite, out of range): bytes from a peer are hostile until shown otherwise,
     * and a refusal is an expected outcome, not an exception.
     */
    public static VivaldiCoordinate tryReadFrom(final DirectBuffer buffer, final int offset) {
        if (offset < 0 || offset > buffer.capacity() - ENCODED_LENGTH) {
            return null;
        }
        final VivaldiCoordinate coordinate = new VivaldiCoordinate(
            buffer.getDouble(offset + X_OFFSET, LITTLE_ENDIAN),
            buffer.getDouble(offset + Y_OFFSET, LITTLE_ENDIAN),
            buffer.getDouble(offset + HEIGHT_OFFSET, LITTLE_ENDIAN),
            buffer.getDouble(offset + ERROR_OFFSET, LITTLE_ENDIAN));
        return coordinate.isWithinBounds() ? coordinate : null;
    }
}
