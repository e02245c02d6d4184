package dev.vigil.daemon.ingest.otlp;

import dev.vigil.daemon.detect.Feature;
import dev.vigil.daemon.detect.FeatureSchema;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.vigil.daemon.ingest.otlp.Facts.micros;
import static dev.vigil.daemon.ingest.otlp.Facts.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The window arithmetic of {@link SpanWindows}, feature by feature, and its bounds. */
class SpanWindowsTest {
    private static final FeatureSchema SCHEMA = FeatureSchema.agentDefault();
    private final RecordingSink sink = new RecordingSink();
    private SpanWindows windows = new SpanWindows(SCHEMA, sink);

    private SpanWindows.OfferResult offer(final Facts... spans) {
        return windows.offer(java.util.Arrays.stream(spans).map(Facts::build).toList(), micros(0));
    }

    /** Flushes past the first window's grace and returns that window's observation of {@code agent}. */
    private RecordingSink.Observation firstWindow(final String agent) {
        windows.flush(micros(20));
        return sink.get(agent, micros(10));
    }

    private static double f(final RecordingSink.Observation o, final String feature) {
        return o.raw()[SCHEMA.indexOf(feature)];
    }

    @Test
    void tokensPerOpAreMeansOverOperationsOnly() {
        offer(span("a", 0, 100).chat("m").tokens(100, 10),
            span("a", 0, 200).chat("m").tokens(300, 50),
            span("a", 0, 300).op("execute_tool").tool("t"),
            // Not an operation: its tokens do not count, and it does not dilute the mean.
            span("a", 0, 400).tokens(10_000, 10_000));
        final RecordingSink.Observation o = firstWindow("a");
        assertThat(f(o, FeatureSchema.INPUT_TOKENS_PER_OP)).isEqualTo(400.0 / 3);
        assertThat(f(o, FeatureSchema.OUTPUT_TOKENS_PER_OP)).isEqualTo(60.0 / 3);
    }

    @Test
    void perOpMeansAreZeroWithoutOperations() {
        offer(span("a", 0, 100).tokens(100, 10).host("h"));
        final RecordingSink.Observation o = firstWindow("a");
        assertThat(f(o, FeatureSchema.OPS_PER_MIN)).isZero();
        assertThat(f(o, FeatureSchema.INPUT_TOKENS_PER_OP)).isZero();
        assertThat(f(o, FeatureSchema.OUTPUT_TOKENS_PER_OP)).isZero();
        assertThat(f(o, FeatureSchema.LATENCY_MS_MEAN)).isZero();
        assertThat(f(o, FeatureSchema.DISTINCT_HOSTS)).isEqualTo(1);
    }

    @Test
    void opsAndToolCallsAreScaledToPerMinuteByTheWindowLength() {
        offer(span("a", 0, 100).chat("m"),
            span("a", 0, 100).op("execute_tool"),
            span("a", 0, 100).op("execute_tool").tool("search"),
            // A tool name alone makes a tool call, not an operation.
            span("a", 0, 100).tool("fetch"));
        final RecordingSink.Observation o = firstWindow("a");
        assertThat(f(o, FeatureSchema.OPS_PER_MIN)).isEqualTo(3 * 6.0);
        assertThat(f(o, FeatureSchema.TOOL_CALLS_PER_MIN)).isEqualTo(3 * 6.0);
        assertThat(f(o, FeatureSchema.DISTINCT_TOOLS)).isEqualTo(2);

        windows = new SpanWindows(SCHEMA, sink, SpanWindows.Config.defaults().withWindowSeconds(20));
        windows.offer(List.of(span("b", 0, 100).chat("m").build(), span("b", 0, 100).op("execute_tool").build()), micros(0));
        windows.flush(micros(40));
        final RecordingSink.Observation b = sink.get("b", micros(20));
        assertThat(f(b, FeatureSchema.OPS_PER_MIN)).isEqualTo(2 * 3.0);
        assertThat(f(b, FeatureSchema.TOOL_CALLS_PER_MIN)).isEqualTo(3.0);
    }

    @Test
    void modelSwitchesFollowStartTimeNotArrivalOrder() {
        // Arrival: b, a, a, b. By start: a(1) b(2) a(3) b(4) -> 3 switches; by arrival it would be 2.
        offer(span("x", 4000, 4100).chat("b"),
            span("x", 1000, 5000).chat("a"),
            span("x", 3000, 3500).chat("a"),
            span("x", 2000, 2500).chat("b"));
        assertThat(f(firstWindow("x"), FeatureSchema.MODEL_SWITCHES)).isEqualTo(3);
    }

    @Test
    void modelSwitchesSkipSpansThatAreNotModelCarryingOperations() {
        offer(span("x", 1000, 1100).chat("a"),
            // no model: not part of the sequence
            span("x", 2000, 2100).op("execute_tool"),
            // a model on a span that is not an operation: not part of the sequence either
            span("x", 2500, 2600).model("b"),
            span("x", 3000, 3100).chat("a"),
            span("x", 4000, 4100).chat("c"));
        assertThat(f(firstWindow("x"), FeatureSchema.MODEL_SWITCHES)).isEqualTo(1);
    }

    @Test
    void modelSwitchesCountOnlyTheFirstModelOpsMaxOperations() {
        windows = new SpanWindows(SCHEMA, sink, SpanWindows.Config.defaults().withModelOpsMax(4));
        for (int i = 0; i < 10; i++) {
            offer(span("x", i * 100, i * 100 + 50).chat(i % 2 == 0 ? "a" : "b"));
        }
        assertThat(f(firstWindow("x"), FeatureSchema.MODEL_SWITCHES)).isEqualTo(3);
        assertThat(f(sink.get("x", micros(10)), FeatureSchema.OPS_PER_MIN)).isEqualTo(60);
        assertThat(windows.stats().modelOpsCapped()).isEqualTo(6);
    }

    @Test
    void errorRateIsFailedSpansOverAllSpans() {
        offer(span("a", 0, 100).chat("m").error(),
            span("a", 0, 100).error(),
            span("a", 0, 100).chat("m"),
            span("a", 0, 100),
            span("a", 0, 100));
        assertThat(f(firstWindow("a"), FeatureSchema.ERROR_RATE)).isEqualTo(2.0 / 5);
    }

    @Test
    void latencyIsTheMeanDurationOfOperationsInMilliseconds() {
        offer(span("a", 0, 1000).chat("m"),
            span("a", 1000, 1500).op("execute_tool"),
            span("a", 0, 9000),
            span("a", 2000, 2000.5).chat("m"));
        assertThat(f(firstWindow("a"), FeatureSchema.LATENCY_MS_MEAN)).isCloseTo((1000 + 500 + 0.5) / 3, within(1e-9));
    }

    @Test
    void distinctSetsSaturateAtTheirCapAndCountWhatTheyDropped() {
        windows = new SpanWindows(SCHEMA, sink, SpanWindows.Config.defaults().withDistinctValuesMax(3));
        for (int i = 0; i < 5; i++) {
            offer(span("a", 0, 100).tool("t" + i).host("h" + i), span("a", 0, 100).tool("t0").host("h0"));
        }
        final RecordingSink.Observation o = firstWindow("a");
        assertThat(f(o, FeatureSchema.DISTINCT_TOOLS)).isEqualTo(3);
        assertThat(f(o, FeatureSchema.DISTINCT_HOSTS)).isEqualTo(3);
        assertThat(windows.stats().distinctValuesCapped()).isEqualTo(4);
    }

    @Test
    void bytesOutIsSummedOverAllSpans() {
        offer(span("a", 0, 100).bytes(1000), span("a", 0, 100).chat("m").bytes(24), span("a", 0, 100));
        assertThat(f(firstWindow("a"), FeatureSchema.BYTES_OUT)).isEqualTo(1024);
    }

    @Test
    void windowsAreAlignedToTheEpochAndChosenByEndTime() {
        windows.offer(List.of(
            // starts in the previous window, ends in window [0, 10): counted there
            span("a", -5000, 9999.999).chat("m").build(),
            // ends exactly on the boundary: belongs to [10, 20)
            span("a", 9000, 10_000).chat("m").build()), micros(0));
        windows.flush(micros(30));
        assertThat(sink.all()).extracting(RecordingSink.Observation::tsMicros).containsExactly(micros(10), micros(20));
        assertThat(micros(10) % 10_000_000).isZero();
    }

    @Test
    void aWindowIsEmittedOnceItsGraceHasPassedAndNotBefore() {
        offer(span("a", 0, 100).chat("m").role("r1"), span("a", 0, 200).role("r2"));
        assertThat(windows.flush(micros(19.999999))).isZero();
        assertThat(windows.stats().windowsOpen()).isEqualTo(1);
        assertThat(windows.flush(micros(20))).isEqualTo(1);
        final RecordingSink.Observation o = sink.get("a", micros(10));
        assertThat(o.role()).isEqualTo("r2");
        assertThat(windows.flush(micros(100))).isZero();
        assertThat(sink.all()).hasSize(1);
        assertThat(windows.stats().agentsTracked()).isZero();
        assertThat(windows.stats().windowsOpen()).isZero();
    }

    @Test
    void graceCanBeZero() {
        windows = new SpanWindows(SCHEMA, sink, SpanWindows.Config.defaults().withGraceWindows(0));
        offer(span("a", 0, 100));
        assertThat(windows.flush(micros(10))).isEqualTo(1);
    }

    @Test
    void lateSpansAreCountedAndNeverReemitAWindow() {
        offer(span("a", 0, 100).chat("m"));
        windows.flush(micros(20));
        final SpanWindows.OfferResult late = offer(span("a", 0, 200).chat("m"), span("b", 0, 200).chat("m"),
            span("a", 10_000, 10_100).chat("m"));
        assertThat(late.late()).isEqualTo(2);
        assertThat(late.accepted()).isEqualTo(1);
        windows.flush(micros(40));
        assertThat(sink.all()).extracting(RecordingSink.Observation::agent, RecordingSink.Observation::tsMicros)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("a", micros(10)), org.assertj.core.groups.Tuple.tuple("a", micros(20)));
        assertThat(f(sink.get("a", micros(10)), FeatureSchema.OPS_PER_MIN)).isEqualTo(6);
        assertThat(windows.stats().spansLate()).isEqualTo(2);
    }

    @Test
    void spansThatEndTooFarInTheFutureAreRefused() {
        windows = new SpanWindows(SCHEMA, sink, SpanWindows.Config.defaults().withFutureSkewSecondsMax(60));
        final SpanWindows.OfferResult r = offer(span("a", 0, 60_000), span("a", 0, 60_001));
        assertThat(r.accepted()).isEqualTo(1);
        assertThat(r.future()).isEqualTo(1);
        assertThat(windows.stats().spansFuture()).isEqualTo(1);
    }

    @Test
    void featuresFollowTheSchemaOrderAndUnknownFeaturesAreZero() {
        final FeatureSchema custom = new FeatureSchema(List.of(
            new Feature("model_switches", Feature.Transform.LOG1P, "count", "gen_ai.request.model", ""),
            new Feature("gpu_seconds", Feature.Transform.LOG1P, "s", "unknown", ""),
            new Feature("ops_per_min", Feature.Transform.LOG1P, "1/min", "gen_ai.operation.name", "")));
        windows = new SpanWindows(custom, sink);
        offer(span("a", 0, 100).chat("x"), span("a", 100, 200).chat("y"));
        windows.flush(micros(20));
        assertThat(sink.get("a", micros(10)).raw()).containsExactly(1.0, 0.0, 12.0);
    }

    @Test
    void atTheAgentBoundABatchThatWouldFitLaterIsRefusedWholeAsOverload() {
        windows = new SpanWindows(SCHEMA, sink, SpanWindows.Config.defaults().withAgentsMax(2));
        assertThat(offer(span("a", 0, 100), span("b", 0, 100)).accepted()).isEqualTo(2);
        final SpanWindows.OfferResult full = offer(span("a", 0, 200).error(), span("c", 0, 100));
        assertThat(full.overloaded()).isTrue();
        assertThat(full.retryAfterSeconds()).isEqualTo(10);
        assertThat(full.accepted()).isZero();
        windows.flush(micros(20));
        // a's span was not applied either: the batch is all or nothing.
        assertThat(f(sink.get("a", micros(10)), FeatureSchema.ERROR_RATE)).isZero();
        assertThat(sink.all()).hasSize(2);
        assertThat(windows.stats().agentsTracked()).isZero();
        assertThat(offer(span("c", 10_000, 10_100)).accepted()).isEqualTo(1);
        assertThat(windows.stats().batchesOverloaded()).isEqualTo(1);
        assertThat(windows.stats().spansOverloaded()).isEqualTo(2);
    }

    @Test
    void aBatchThatCouldNeverFitIsAppliedUpToTheBoundsAndTheRestRefused() {
        windows = new SpanWindows(SCHEMA, sink, SpanWindows.Config.defaults().withAgentsMax(2).withOpenWindowsMax(3));
        final SpanWindows.OfferResult r = offer(span("a", 0, 100), span("b", 0, 100), span("c", 0, 100),
            span("a", 10_000, 10_100), span("a", 20_000, 20_100), span("a", 0, 200));
        assertThat(r.overloaded()).isFalse();
        assertThat(r.accepted()).isEqualTo(4);
        assertThat(r.agentsMax()).isEqualTo(1);
        assertThat(r.openWindowsMax()).isEqualTo(1);
        assertThat(windows.stats().agentsTracked()).isEqualTo(2);
        assertThat(windows.stats().windowsOpen()).isEqualTo(3);
    }

    @Test
    void aFailingSinkLosesOnlyItsObservationAndIsCounted() {
        final RecordingSink kept = new RecordingSink();
        windows = new SpanWindows(SCHEMA, (agent, role, ts, raw) -> {
            if (agent.equals("bad")) {
                throw new IllegalStateException("refused");
            }
            kept.accept(agent, role, ts, raw);
        });
        windows.offer(List.of(span("bad", 0, 100).build(), span("good", 0, 100).build()), micros(0));
        assertThat(windows.flush(micros(20))).isEqualTo(1);
        assertThat(kept.all()).extracting(RecordingSink.Observation::agent).containsExactly("good");
        assertThat(windows.stats().sinkFailures()).isEqualTo(1);
        assertThat(windows.stats().windowsEmitted()).isEqualTo(1);
    }

    @Test
    void observationsAreEmittedInOrderOfWindowEndThenAgent() {
        windows.offer(List.of(span("z", 10_000, 10_100).build(), span("b", 0, 100).build(), span("a", 0, 100).build(),
            span("y", 0, 100).build()), micros(0));
        windows.flush(micros(40));
        assertThat(sink.all()).extracting(RecordingSink.Observation::agent).containsExactly("a", "b", "y", "z");
    }
}
