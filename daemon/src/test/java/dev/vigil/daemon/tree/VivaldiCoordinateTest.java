package dev.vigil.daemon.tree;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.assertj.core.api.Assertions.assertThat;

class VivaldiCoordinateTest {

    private static final VivaldiCoordinate A = new VivaldiCoordinate(3.0, 4.0, 1.5, 0.2);
    private static final VivaldiCoordinate B = new VivaldiCoordinate(-9.0, 9.0, 0.5, 1.0);

    @Test
    void distanceIsPositionNormPlusBothHeights() {
        final VivaldiCoordinate origin = new VivaldiCoordinate(0.0, 0.0, 2.0, 1.0);
        assertThat(A.distanceMs(origin)).isEqualTo(5.0 + 1.5 + 2.0);
        assertThat(A.positionDistanceMs(origin)).isEqualTo(5.0);
    }

    @Test
    void distanceIsSymmetricAndNonNegative() {
        assertThat(A.distanceMs(B)).isEqualTo(B.distanceMs(A)).isPositive();
        assertThat(A.distanceMs(A)).isEqualTo(2 * A.heightMs());
        final VivaldiCoordinate flat = new VivaldiCoordinate(7.0, -7.0, 0.0, 0.0);
        assertThat(flat.distanceMs(flat)).isZero();
    }

    @Test
    void encodingRoundTripsToTheBitAtAnOffset() {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[5 + VivaldiCoordinate.ENCODED_LENGTH]);
        for (final VivaldiCoordinate c : List.of(A, B,
            new VivaldiCoordinate(-0.0, Double.MIN_VALUE, 0.0, 0.0),
            new VivaldiCoordinate(VivaldiCoordinate.POSITION_MS_MAX, -VivaldiCoordinate.POSITION_MS_MAX,
                VivaldiCoordinate.HEIGHT_MS_MAX, VivaldiCoordinate.ERROR_MAX),
            new VivaldiCoordinate(0.1 + 0.2, Math.PI, Math.E, 1.0 / 3))) {
            c.writeTo(buffer, 5);
            final VivaldiCoordinate back = VivaldiCoordinate.tryReadFrom(buffer, 5);
            assertThat(back).isEqualTo(c);
            assertThat(Double.doubleToRawLongBits(back.xMs())).isEqualTo(Double.doubleToRawLongBits(c.xMs()));
        }
    }

    @Test
    void encodingIsLittleEndianDoublesInFieldOrder() {
        assertThat(VivaldiCoordinate.ENCODED_LENGTH).isEqualTo(32);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[VivaldiCoordinate.ENCODED_LENGTH]);
        A.writeTo(buffer, 0);
        assertThat(buffer.getDouble(VivaldiCoordinate.X_OFFSET, LITTLE_ENDIAN)).isEqualTo(3.0);
        assertThat(buffer.getDouble(VivaldiCoordinate.Y_OFFSET, LITTLE_ENDIAN)).isEqualTo(4.0);
        assertThat(buffer.getDouble(VivaldiCoordinate.HEIGHT_OFFSET, LITTLE_ENDIAN)).isEqualTo(1.5);
        assertThat(buffer.getDouble(VivaldiCoordinate.ERROR_OFFSET, LITTLE_ENDIAN)).isEqualTo(0.2);
    }

    @Test
    void hostileFieldValuesAreRefused() {
        final double[] badPosition = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Math.nextUp(VivaldiCoordinate.POSITION_MS_MAX), -1e300, Double.MAX_VALUE};
        final double[] badHeight = {Double.NaN, Double.POSITIVE_INFINITY, -Double.MIN_VALUE, -1.0,
            Math.nextUp(VivaldiCoordinate.HEIGHT_MS_MAX)};
        final double[] badError = {Double.NaN, Double.POSITIVE_INFINITY, -1e-9, Math.nextUp(VivaldiCoordinate.ERROR_MAX)};
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[VivaldiCoordinate.ENCODED_LENGTH]);
        for (final int field : new int[] {VivaldiCoordinate.X_OFFSET, VivaldiCoordinate.Y_OFFSET}) {
            for (final double bad : badPosition) {
                assertRefused(buffer, field, bad);
            }
        }
        for (final double bad : badHeight) {
            assertRefused(buffer, VivaldiCoordinate.HEIGHT_OFFSET, bad);
        }
        for (final double bad : badError) {
            assertRefused(buffer, VivaldiCoordinate.ERROR_OFFSET, bad);
        }
        // A NaN with a payload (not the canonical bits) is refused too.
        A.writeTo(buffer, 0);
        buffer.putLong(VivaldiCoordinate.X_OFFSET, 0x7FF0_0000_0000_0001L, LITTLE_ENDIAN);
        assertThat(VivaldiCoordinate.tryReadFrom(buffer, 0)).isNull();
    }

    @Test
    void shortBuffersAndBadOffsetsAreRefused() {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[VivaldiCoordinate.ENCODED_LENGTH + 3]);
        A.writeTo(buffer, 3);
        assertThat(VivaldiCoordinate.tryReadFrom(buffer, 3)).isEqualTo(A);
        assertThat(VivaldiCoordinate.tryReadFrom(buffer, 4)).isNull();
        assertThat(VivaldiCoordinate.tryReadFrom(buffer, -1)).isNull();
        assertThat(VivaldiCoordinate.tryReadFrom(new UnsafeBuffer(new byte[VivaldiCoordinate.ENCODED_LENGTH - 1]), 0)).isNull();
    }

    private static void assertRefused(final UnsafeBuffer buffer, final int fieldOffset, final double bad) {
        A.writeTo(buffer, 0);
        assertThat(VivaldiCoordinate.tryReadFrom(buffer, 0)).isEqualTo(A);
        buffer.putDouble(fieldOffset, bad, LITTLE_ENDIAN);
        assertThat(VivaldiCoordinate.tryReadFrom(buffer, 0)).as("field at %d = %s", fieldOffset, bad).isNull();
    }
}
