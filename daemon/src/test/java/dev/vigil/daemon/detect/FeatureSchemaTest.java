package dev.vigil.daemon.detect;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * A feature schema: its bounds, lookups, transform, and its hash, which every frame carries (a
 * node refuses frames of another schema), so it must be the same on every node and release.
 */
class FeatureSchemaTest {
    private static Feature feature(final String name, final Feature.Transform transform) {
        return new Feature(name, transform, "u", "s", "d");
    }

    private static int firstFourBytesOfSha256(final String s) throws Exception {
        final byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        return java.nio.ByteBuffer.wrap(d, 0, 4).getInt();
    }

    @Test
    void theHashIsTheFirstFourBytesOfSha256OverNamesAndTransformsInOrder() throws Exception {
        final FeatureSchema s = new FeatureSchema(List.of(feature("b", Feature.Transform.LOG1P), feature("a", Feature.Transform.IDENTITY)));
        assertThat(s.hash()).isEqualTo(firstFourBytesOfSha256("b:LOG1P\na:IDENTITY\n"));
        final StringBuilder canonical = new StringBuilder();
        for (final Feature f : FeatureSchema.agentDefault().features()) {
            canonical.append(f.name()).append(':').append(f.transform().name()).append('\n');
        }
        assertThat(FeatureSchema.agentDefault().hash()).isEqualTo(firstFourBytesOfSha256(canonical.toString()));
        assertThat(new FeatureSchema(List.of(feature("a", Feature.Transform.IDENTITY), feature("b", Feature.Transform.LOG1P))).hash())
            .as("order matters").isNotEqualTo(s.hash());
    }

    @Test
    void aSchemaHasOneToSixteenUniquelyNamedSnakeCaseFeatures() {
        final List<Feature> sixteen = new ArrayList<>();
        for (int i = 0; i < FeatureSchema.FEATURES_MAX; i++) {
            sixteen.add(feature("f" + i, Feature.Transform.IDENTITY));
        }
        assertThat(new FeatureSchema(sixteen).size()).isEqualTo(16);
        assertThat(new FeatureSchema(sixteen.subList(0, 1)).size()).isEqualTo(1);
        final List<Feature> seventeen = new ArrayList<>(sixteen);
        seventeen.add(feature("g", Feature.Transform.IDENTITY));
        assertThatThrownBy(() -> new FeatureSchema(seventeen)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FeatureSchema(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FeatureSchema(List.of(feature("a", Feature.Transform.IDENTITY), feature("a", Feature.Transform.LOG1P))))
            .isInstanceOf(IllegalArgumentException.class);
        for (final String bad : new String[] {"Ops", "1ops", "ops-per-min", "a".repeat(64)}) {
            assertThatThrownBy(() -> new FeatureSchema(List.of(feature(bad, Feature.Transform.IDENTITY))))
                .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(new FeatureSchema(List.of(feature("a".repeat(63), Feature.Transform.IDENTITY))).size()).isEqualTo(1);
    }

    @Test
    void featuresAreFoundByNameAndTransformedInPlace() {
        final FeatureSchema s = FeatureSchema.agentDefault();
        assertThat(s.size()).isEqualTo(10);
        assertThat(s.features()).hasSize(10);
        assertThat(s.indexOf(FeatureSchema.OPS_PER_MIN)).isZero();
        assertThat(s.indexOf(FeatureSchema.ERROR_RATE)).isEqualTo(5);
        assertThat(s.feature(5).name()).isEqualTo(FeatureSchema.ERROR_RATE);
        assertThat(s.indexOf("no_such_feature")).isEqualTo(-1);
        final double[] raw = new double[10];
        raw[0] = Math.E - 1;
        raw[5] = 0.25;
        s.transform(raw);
        assertThat(raw[0]).as("log1p").isCloseTo(1.0, within(1e-15));
        assertThat(raw[5]).as("identity").isEqualTo(0.25);
    }
}
