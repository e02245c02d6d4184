package dev.vigil.crypto.verdict;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Laws of the verdict encoding: round trips, one encoding per verdict, a total decoder. */
class VerdictProperties {

    @Property
    void decodingTheEncodingGivesTheSameVerdict(@ForAll("verdicts") final Verdict v) {
        final Verdict back = Verdict.decode(v.encoded());

        assertThat(back).isEqualTo(v);
        assertThat(back.encoded()).isEqualTo(v.encoded());
        assertThat(back.id()).isEqualTo(v.id());
    }

    /** Whatever the decoder accepts is exactly what the builder writes for the same fields: one encoding per verdict. */
    @Property
    void everyAcceptedEncodingIsTheCanonicalOne(
        @ForAll("verdicts") final Verdict v, @ForAll @IntRange(min = 0, max = 4000) final int position, @ForAll final byte value) {
        final byte[] b = v.encoded();
        b[position % b.length] = value;
        final Verdict decoded;
        try {
            decoded = Verdict.decode(b);
        } catch (final VerdictFormatException e) {
            return;
        }
        assertThat(rebuild(decoded).encoded()).isEqualTo(b);
    }

    @Property
    void theDecoderRefusesWithAReasonAndNeverThrowsAnythingElse(@ForAll @Size(max = 400) final byte[] bytes) {
        try {
            Verdict.decode(bytes);
        } catch (final VerdictFormatException e) {
            assertThat(e.reason()).isNotNull();
            assertThat(e.getMessage()).startsWith(e.reason().label + ": ");
        }
    }

    @Property
    void equalFieldsGiveEqualBytesWhateverTheObserverOrder(@ForAll("verdicts") final Verdict v, @ForAll final long seed) {
        final long[] observers = v.observers();
        final java.util.Random random = new java.util.Random(seed);
        for (int i = observers.length - 1; i > 0; i--) {
            final int j = random.nextInt(i + 1);
            final long t = observers[i];
            observers[i] = observers[j];
            observers[j] = t;
        }
        final Verdict.Builder b = builderOf(v);
        b.observers(observers);

        assertThat(b.build().encoded()).isEqualTo(v.encoded());
    }

    static Verdict rebuild(final Verdict v) {
        return builderOf(v).build();
    }

    private static Verdict.Builder builderOf(final Verdict v) {
        final Verdict.Builder b = v.kind() == Verdict.Kind.CONVICT ? Verdict.convict(v.agentId()) : Verdict.release(v.agentId(), v.retractedId());
        return b.f(v.f()).shard(v.shard()).epoch(v.epoch()).view(v.view()).sequence(v.sequence())
            .issuedAtMicros(v.issuedAtMicros()).logOdds(v.logOdds()).posterior(v.posterior())
            .versionVectorDigest(v.versionVectorDigest()).observers(v.observers());
    }

    @Provide
    Arbitrary<Verdict> verdicts() {
        return verdictArbitrary();
    }

    static Arbitrary<Verdict> verdictArbitrary() {
        final Arbitrary<String> agents = Arbitraries.strings()
            .withCharRange(' ', '~').withCharRange('\u00a0', '\u024f').withCharRange('\u4e00', '\u4e40')
            .ofMinLength(1).ofMaxLength(90)
            .filter(s -> s.getBytes(StandardCharsets.UTF_8).length <= Verdict.AGENT_BYTES_MAX)
            // U+00AD, the soft hyphen, is a format character, which agent ids may not hold
            .filter(s -> s.codePoints().noneMatch(c -> Character.getType(c) == Character.FORMAT));
        final Arbitrary<Long> nonNegative = Arbitraries.longs().between(0, Long.MAX_VALUE);
        final Arbitrary<Double> finite = Arbitraries.doubles().ofScale(6).between(-1e6, 1e6);
        final Arbitrary<byte[]> digests = Arbitraries.bytes().array(byte[].class).ofSize(Verdict.DIGEST_LENGTH);
        final Arbitrary<long[]> observers = Arbitraries.longs().set().ofMaxSize(20)
            .map(s -> s.stream().mapToLong(Long::longValue).toArray());
        final Arbitrary<Verdict.Builder> starts = Arbitraries.oneOf(
            agents.map(Verdict::convict),
            agents.flatMap(a -> digests.filter(d -> !Arrays.equals(d, new byte[32]))
                .map(d -> Verdict.release(a, java.util.HexFormat.of().formatHex(d)))));
        return Builders.withBuilder(() -> new Holder())
            .use(starts).in((h, s) -> h.with(s))
            .use(Arbitraries.integers().between(0, Verdict.F_MAX)).in((h, f) -> h.then(b -> b.f(f)))
            .use(Arbitraries.integers().between(0, Integer.MAX_VALUE)).in((h, s) -> h.then(b -> b.shard(s)))
            .use(nonNegative).in((h, e) -> h.then(b -> b.epoch(e)))
            .use(nonNegative).in((h, e) -> h.then(b -> b.view(e)))
            .use(nonNegative).in((h, e) -> h.then(b -> b.sequence(e)))
            .use(nonNegative).in((h, e) -> h.then(b -> b.issuedAtMicros(e)))
            .use(finite).in((h, d) -> h.then(b -> b.logOdds(d)))
            .use(Arbitraries.doubles().between(0, 1)).in((h, d) -> h.then(b -> b.posterior(d)))
            .use(digests).in((h, d) -> h.then(b -> b.versionVectorDigest(d)))
            .use(observers).in((h, o) -> h.then(b -> b.observers(o)))
            .build(h -> h.builder.build());
    }

    /** jqwik's builder needs a mutable holder; the verdict builder is made by the first step. */
    private static final class Holder {
        Verdict.Builder builder;

        Holder with(final Verdict.Builder b) {
            builder = b;
            return this;
        }

        Holder then(final java.util.function.UnaryOperator<Verdict.Builder> step) {
            builder = step.apply(builder);
            return this;
        }
    }
}
