package dev.vigil.daemon.tree;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class VivaldiTest {

    private static final VivaldiCoordinate FIXED_REMOTE = new VivaldiCoordinate(10.0, -20.0, 1.0, 0.05);

    @Test
    void aFreshNodeSitsAtTheOriginWithMinimumHeightAndFullError() {
        final Vivaldi vivaldi = new Vivaldi(new SplittableRandom(1));
        assertThat(vivaldi.coordinate()).isEqualTo(new VivaldiCoordinate(0.0, 0.0, Vivaldi.HEIGHT_MS_MIN_DEFAULT, Vivaldi.ERROR_INITIAL));
    }

    @Test
    void observingOneFixedRemoteAt50MsConvergesWithin5Percent() {
        final Vivaldi vivaldi = new Vivaldi(new SplittableRandom(7));
        for (int i = 0; i < 200; i++) {
            vivaldi.observe(FIXED_REMOTE, 50_000);
        }
        assertThat(vivaldi.coordinate().distanceMs(FIXED_REMOTE)).isCloseTo(50.0, within(2.5));
        assertThat(vivaldi.coordinate().error()).isLessThan(0.05);
        assertThat(vivaldi.samplesAccepted()).isEqualTo(200);
        assertThat(vivaldi.samplesRejected()).isZero();
    }

    @Test
    void coincidingPositionsSeparateInARandomDirectionFromTheInjectedGenerator() {
        final VivaldiCoordinate atOrigin = new VivaldiCoordinate(0.0, 0.0, 0.1, 1.0);
        final Vivaldi first = new Vivaldi(new SplittableRandom(42));
        final Vivaldi second = new Vivaldi(new SplittableRandom(42));
        final Vivaldi other = new Vivaldi(new SplittableRandom(43));
        first.observe(atOrigin, 30_000);
        second.observe(atOrigin, 30_000);
        other.observe(atOrigin, 30_000);
        assertThat(first.coordinate().positionDistanceMs(atOrigin)).isGreaterThan(1.0);
        assertThat(first.coordinate()).isEqualTo(second.coordinate());
        assertThat(first.coordinate()).isNotEqualTo(other.coordinate());
    }

    @Test
    void tooLongPredictionsShrinkTheHeightButNeverBelowTheMinimum() {
        final Vivaldi vivaldi = new Vivaldi(new SplittableRandom(3));
        final VivaldiCoordinate tall = new VivaldiCoordinate(0.0, 0.0, 50.0, 0.1);
        for (int i = 0; i < 100; i++) {
            vivaldi.observe(tall, 1_000);
        }
        assertThat(vivaldi.coordinate().heightMs()).isEqualTo(Vivaldi.HEIGHT_MS_MIN_DEFAULT);
        assertThat(vivaldi.coordinate().isWithinBounds()).isTrue();
    }

    @Test
    void hostileSamplesAreIgnoredAndCounted() {
        final Vivaldi vivaldi = new Vivaldi(new SplittableRandom(11));
        vivaldi.observe(FIXED_REMOTE, 40_000);
        final VivaldiCoordinate before = vivaldi.coordinate();

        vivaldi.observe(null, 40_000);
        vivaldi.observe(new VivaldiCoordinate(Double.NaN, 0.0, 1.0, 0.5), 40_000);
        vivaldi.observe(new VivaldiCoordinate(0.0, Double.POSITIVE_INFINITY, 1.0, 0.5), 40_000);
        vivaldi.observe(new VivaldiCoordinate(1e300, 0.0, 1.0, 0.5), 40_000);
        vivaldi.observe(new VivaldiCoordinate(0.0, 0.0, -1.0, 0.5), 40_000);
        vivaldi.observe(new VivaldiCoordinate(0.0, 0.0, 1e9, 0.5), 40_000);
        vivaldi.observe(new VivaldiCoordinate(0.0, 0.0, 1.0, Double.NaN), 40_000);
        vivaldi.observe(new VivaldiCoordinate(0.0, 0.0, 1.0, -0.5), 40_000);
        vivaldi.observe(FIXED_REMOTE, 0);
        vivaldi.observe(FIXED_REMOTE, -5);
        vivaldi.observe(FIXED_REMOTE, Long.MIN_VALUE);
        vivaldi.observe(FIXED_REMOTE, Vivaldi.RTT_MICROS_MAX + 1);
        vivaldi.observe(FIXED_REMOTE, Long.MAX_VALUE);

        assertThat(vivaldi.samplesRejected()).isEqualTo(13);
        assertThat(vivaldi.samplesAccepted()).isEqualTo(1);
        assertThat(vivaldi.coordinate()).isEqualTo(before);
    }

    @Test
    void aRemoteClaimingZeroErrorGetsBoundedTrust() {
        final Vivaldi vivaldi = new Vivaldi(new SplittableRandom(5));
        vivaldi.observe(new VivaldiCoordinate(100.0, 0.0, 0.1, 0.0), 10_000);
        assertThat(vivaldi.coordinate().isWithinBounds()).isTrue();
        assertThat(vivaldi.coordinate().error()).isBetween(Vivaldi.ERROR_MIN, Vivaldi.ERROR_MAX);
    }

    @Test
    void constantsOutsideTheirRangeAreRefused() {
        assertThatThrownBy(() -> new Vivaldi(new SplittableRandom(1), 0.0, 0.25, 0.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Vivaldi(new SplittableRandom(1), 0.25, Double.NaN, 0.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Vivaldi(new SplittableRandom(1), 0.25, 0.25, -1.0)).isInstanceOf(IllegalArgumentException.class);
    }
}
