package dev.vigil.daemon.ingest.otlp;

import dev.vigil.daemon.detect.FeatureSchema;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A window's observation is a function of its spans, not of how they arrived: any order, any
 * split into batches, gives the same vectors (up to floating-point summation order).
 */
class SpanWindowsOrderPropertyTest {
    private static final String[] AGENTS = {"a", "b", "c"};
    private static final String[] OPERATIONS = {"chat", "execute_tool", "embeddings"};

    @Property(tries = 200)
    void observationsDoNotDependOnArrivalOrderOrBatching(@ForAll final long seed) {
        final SplittableRandom random = new SplittableRandom(seed);
        final List<SpanFacts> spans = generate(random, 1 + random.nextInt(200));
        final List<RecordingSink.Observation> reference = run(List.of(spans));

        final List<SpanFacts> shuffled = new ArrayList<>(spans);
        Collections.shuffle(shuffled, new Random(random.nextLong()));
        final List<List<SpanFacts>> batches = new ArrayList<>();
        int i = 0;
        while (i < shuffled.size()) {
            final int n = 1 + random.nextInt(20);
            batches.add(shuffled.subList(i, Math.min(shuffled.size(), i + n)));
            i += n;
        }
        final List<RecordingSink.Observation> reordered = run(batches);

        assertThat(reordered).hasSameSizeAs(reference);
        for (int k = 0; k < reference.size(); k++) {
            final RecordingSink.Observation want = reference.get(k);
            final RecordingSink.Observation got = reordered.get(k);
            assertThat(got.agent()).isEqualTo(want.agent());
            assertThat(got.role()).isEqualTo(want.role());
            assertThat(got.tsMicros()).isEqualTo(want.tsMicros());
            for (int f = 0; f < want.raw().length; f++) {
                assertThat(got.raw()[f]).as("seed %d, %s feature %d", seed, want.agent(), f)
                    .isCloseTo(want.raw()[f], within(1e-9 * Math.max(1, Math.abs(want.raw()[f]))));
            }
        }
    }

    private static List<RecordingSink.Observation> run(final List<List<SpanFacts>> batches) {
        final RecordingSink sink = new RecordingSink();
        final SpanWindows windows = new SpanWindows(FeatureSchema.agentDefault(), sink);
        for (final List<SpanFacts> batch : batches) {
            final SpanWindows.OfferResult r = windows.offer(batch, Facts.micros(0));
            assertThat(r.accepted()).isEqualTo(batch.size());
        }
        windows.flush(Facts.micros(100));
        return sink.all();
    }

    private static List<SpanFacts> generate(final SplittableRandom r, final int n) {
        final List<SpanFacts> spans = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            final int agent = r.nextInt(AGENTS.length);
            final double startMs = r.nextInt(-2000, 30_000) + r.nextInt(1000) / 1000.0;
            final Facts f = Facts.span(AGENTS[agent], startMs, startMs + r.nextInt(3000))
                // a role that changed between spans would make "latest wins" order-dependent by design
                .role(agent == 0 ? null : "role-" + agent);
            if (r.nextInt(10) < 7) {
                f.op(OPERATIONS[r.nextInt(OPERATIONS.length)]);
            }
            if (r.nextInt(10) < 6) {
                f.model("m" + r.nextInt(3));
            }
            if (r.nextInt(10) < 3) {
                f.tool("t" + r.nextInt(5));
            }
            if (r.nextInt(10) < 5) {
                f.host("h" + r.nextInt(4));
            }
            if (r.nextInt(10) == 0) {
                f.error();
            }
            f.tokens(r.nextInt(5000), r.nextInt(2000)).bytes(r.nextInt(100_000));
            spans.add(f.build());
        }
        return spans;
    }
}
