package dev.vigil.daemon.tree;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Totality of {@link Vivaldi#observe}: whatever finite, in-bounds coordinates and RTTs a peer sends,
 * extremes and coinciding positions included, the local coordinate stays finite and within bounds,
 * and every in-bounds sample is accepted.
 */
class VivaldiProperties {

    record Sample(VivaldiCoordinate remote, long rttMicros) {
    }

    @Provide
    Arbitrary<List<Sample>> samples() {
        final Arbitrary<Double> position = Arbitraries.oneOf(
            Arbitraries.doubles().between(-VivaldiCoordinate.POSITION_MS_MAX, VivaldiCoordinate.POSITION_MS_MAX),
            Arbitraries.doubles().between(-500.0, 500.0),
            Arbitraries.of(0.0, -0.0, VivaldiCoordinate.POSITION_MS_MAX, -VivaldiCoordinate.POSITION_MS_MAX, Double.MIN_VALUE));
        final Arbitrary<Double> height = Arbitraries.oneOf(
            Arbitraries.doubles().between(0.0, VivaldiCoordinate.HEIGHT_MS_MAX),
            Arbitraries.of(0.0, VivaldiCoordinate.HEIGHT_MS_MAX));
        final Arbitrary<Double> error = Arbitraries.oneOf(
            Arbitraries.doubles().between(0.0, VivaldiCoordinate.ERROR_MAX),
            Arbitraries.of(0.0, VivaldiCoordinate.ERROR_MAX));
        final Arbitrary<VivaldiCoordinate> remote = Combinators.combine(position, position, height, error)
            .as(VivaldiCoordinate::new);
        final Arbitrary<Long> rtt = Arbitraries.oneOf(
            Arbitraries.longs().between(1, Vivaldi.RTT_MICROS_MAX),
            Arbitraries.longs().between(1, 500_000),
            Arbitraries.of(1L, Vivaldi.RTT_MICROS_MAX));
        return Combinators.combine(remote, rtt).as(Sample::new).list().ofMinSize(1).ofMaxSize(200);
    }

    @Property
    void localCoordinateStaysFiniteAndWithinBounds(@ForAll("samples") final List<Sample> samples, @ForAll final long seed) {
        final Vivaldi vivaldi = new Vivaldi(new SplittableRandom(seed));
        for (final Sample sample : samples) {
            vivaldi.observe(sample.remote(), sample.rttMicros());
            final VivaldiCoordinate local = vivaldi.coordinate();
            assertThat(local.isWithinBounds()).as("%s after %s", local, sample).isTrue();
            assertThat(local.heightMs()).isGreaterThanOrEqualTo(Vivaldi.HEIGHT_MS_MIN_DEFAULT);
            assertThat(local.error()).isBetween(Vivaldi.ERROR_MIN, Vivaldi.ERROR_MAX);
        }
        assertThat(vivaldi.samplesAccepted()).isEqualTo(samples.size());
        assertThat(vivaldi.samplesRejected()).isZero();
    }

    @Property
    void theSameSeedAndSamplesGiveTheSameBits(@ForAll("samples") final List<Sample> samples, @ForAll final long seed) {
        final Vivaldi first = new Vivaldi(new SplittableRandom(seed));
        final Vivaldi second = new Vivaldi(new SplittableRandom(seed));
        for (final Sample sample : samples) {
            first.observe(sample.remote(), sample.rttMicros());
            second.observe(sample.remote(), sample.rttMicros());
        }
        assertThat(first.coordinate()).isEqualTo(second.coordinate());
    }
}
