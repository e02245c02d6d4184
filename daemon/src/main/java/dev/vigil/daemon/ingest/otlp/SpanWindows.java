package dev.vigil.daemon.ingest.otlp;

import dev.vigil.daemon.core.LogIds;
import dev.vigil.daemon.detect.FeatureSchema;
import dev.vigil.daemon.ingest.ObservationSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Folds spans into one raw feature vector per agent and window, and hands closed windows to an
 * {@link ObservationSink}.
 *
 * <p><b>Windows.</b> A span belongs to the window of its <em>end</em> time: windows are
 * {@code windowSeconds} long and aligned to multiples of it since the epoch, so window {@code k}
 * covers ends in {@code [k·W, (k+1)·W)} and is reported with {@code tsMicros = (k+1)·W}. A window
 * closes when {@link #flush(long)} is called with {@code now >= end + grace}; it is then computed
 * in schema order, emitted once and forgotten. Every flush moves a watermark up to its
 * {@code now}; a span whose window would already have closed under the watermark is <em>late</em>
 * and refused ({@link SpanRefusal#LATE}), whether or not that window had other spans, so a window
 * is never emitted twice. An agent with no open window is forgotten too; its key costs nothing
 * until it sends again.
 *
 * <p><b>Features</b> are computed exactly as {@link FeatureSchema} documents their sources, by
 * feature name: a feature in the schema that this class does not know is 0, a known feature not
 * in the schema is not computed. Per window: operations are spans with
 * {@code gen_ai.operation.name}; {@code ops_per_min} and {@code tool_calls_per_min} are counts
 * scaled by 60/W; tokens per op and latency are means over operations (0 without operations);
 * {@code error_rate} is over all the agent's spans in the window; distinct counts saturate at
 * {@code distinctValuesMax}; {@code bytes_out} saturates at {@code Long.MAX_VALUE};
 * {@code model_switches} counts changes of {@code gen_ai.request.model} between consecutive
 * model-carrying operations ordered by start time (ties by model), over at most
 * {@code modelOpsMax} of them.
 *
 * <p><b>Bounds</b>, and what happens at each (all counted in {@link #stats()}):
 * <ul>
 *   <li>{@code agentsMax} agents with open windows, {@code openWindowsMax} open windows in all. A
 *       batch is admitted whole or not at all: if its new agents or windows do not fit now but
 *       would fit in an empty table, nothing is applied and {@link OfferResult#overloaded()} asks
 *       the client to retry after a window (the table drains as windows close). A batch that
 *       could never fit is applied in order up to the bounds and the rest refused
 *       ({@link SpanRefusal#AGENTS_MAX}, {@link SpanRefusal#OPEN_WINDOWS_MAX}).</li>
 *   <li>Spans ending more than {@code futureSkewSecondsMax} after {@code now} are refused
 *       ({@link SpanRefusal#FUTURE}): they would hold a window open for that long.</li>
 *   <li>Per window: {@code distinctValuesMax} values per distinct set, {@code modelOpsMax}
 *       model-carrying operations in the switch sequence (see {@link AgentWindow}).</li>
 * </ul>
 * At the defaults the worst case is about 2.7 KB per open window, ≈ 540 MB at 200,000 open
 * windows; arrays grow only as distinct values and models arrive, so ordinary traffic needs a
 * small fraction of that.
 *
 * <p><b>Threads.</b> Not thread-safe: {@link #offer} and {@link #flush} must be called from one
 * thread at a time ({@link OtlpHttpServer} confines an instance to one event executor). The sink
 * is called on that thread. {@link #stats()} may be called from any thread.
 */
public final class SpanWindows {
    private static final Logger LOG = LoggerFactory.getLogger(SpanWindows.class);

    /**
     * @param windowSeconds        window length W, seconds
     * @param graceWindows         how many windows after its end a window stays open for late spans
     * @param agentsMax            agents with open windows
     * @param openWindowsMax       open windows over all agents
     * @param distinctValuesMax    values per distinct set (tools, hosts) per window
     * @param modelOpsMax          model-carrying operations kept per window for {@code model_switches}
     * @param futureSkewSecondsMax how far after {@code now} a span may end
     */
    public record Config(int windowSeconds, int graceWindows, int agentsMax, int openWindowsMax, int distinctValuesMax,
                         int modelOpsMax, int futureSkewSecondsMax) {
        public static final int AGENTS_MAX_DEFAULT = 100_000;
        public static final int OPEN_WINDOWS_MAX_DEFAULT = 200_000;
        public static final int DISTINCT_VALUES_MAX_DEFAULT = 64;
        public static final int MODEL_OPS_MAX_DEFAULT = 128;
        public static final int FUTURE_SKEW_SECONDS_MAX_DEFAULT = 300;

        public Config {
            require(windowSeconds >= 1 && windowSeconds <= 3600, "windowSeconds must be 1 to 3600");
            require(graceWindows >= 0 && graceWindows <= 60, "graceWindows must be 0 to 60");
            require(agentsMax >= 1, "agentsMax must be >= 1");
            require(openWindowsMax >= 1, "openWindowsMax must be >= 1");
            require(distinctValuesMax >= 1 && distinctValuesMax <= 4096, "distinctValuesMax must be 1 to 4096");
            require(modelOpsMax >= 2 && modelOpsMax <= 65_536, "modelOpsMax must be 2 to 65536");
            require(futureSkewSecondsMax >= 0, "futureSkewSecondsMax must be >= 0");
        }

        /** W = {@link FeatureSchema#WINDOW_SECONDS_DEFAULT}, one window of grace, the bounds above. */
        public static Config defaults() {
            return new Config(FeatureSchema.WINDOW_SECONDS_DEFAULT, 1, AGENTS_MAX_DEFAULT, OPEN_WINDOWS_MAX_DEFAULT,
                DISTINCT_VALUES_MAX_DEFAULT, MODEL_OPS_MAX_DEFAULT, FUTURE_SKEW_SECONDS_MAX_DEFAULT);
        }

        public Config withWindowSeconds(final int seconds) {
            return new Config(seconds, graceWindows, agentsMax, openWindowsMax, distinctValuesMax, modelOpsMax, futureSkewSecondsMax);
        }

        public Config withGraceWindows(final int windows) {
            return new Config(windowSeconds, windows, agentsMax, openWindowsMax, distinctValuesMax, modelOpsMax, futureSkewSecondsMax);
        }

        public Config withAgentsMax(final int max) {
            return new Config(windowSeconds, graceWindows, max, openWindowsMax, distinctValuesMax, modelOpsMax, futureSkewSecondsMax);
        }

        public Config withOpenWindowsMax(final int max) {
            return new Config(windowSeconds, graceWindows, agentsMax, max, distinctValuesMax, modelOpsMax, futureSkewSecondsMax);
        }

        public Config withDistinctValuesMax(final int max) {
            return new Config(windowSeconds, graceWindows, agentsMax, openWindowsMax, max, modelOpsMax, futureSkewSecondsMax);
        }

        public Config withModelOpsMax(final int max) {
            return new Config(windowSeconds, graceWindows, agentsMax, openWindowsMax, distinctValuesMax, max, futureSkewSecondsMax);
        }

        public Config withFutureSkewSecondsMax(final int seconds) {
            return new Config(windowSeconds, graceWindows, agentsMax, openWindowsMax, distinctValuesMax, modelOpsMax, seconds);
        }

        private static void require(final boolean ok, final String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }

    /**
     * What became of one batch. When {@code overloaded}, nothing was applied and the whole batch
     * should be retried after {@code retryAfterSeconds}; otherwise every span is either accepted
     * or refused for one of the counted reasons.
     */
    public record OfferResult(boolean overloaded, int retryAfterSeconds, int accepted, int late, int future,
                              int agentsMax, int openWindowsMax) {
        static OfferResult overloaded(final int retryAfterSeconds) {
            return new OfferResult(true, retryAfterSeconds, 0, 0, 0, 0, 0);
        }

        public int refused() {
            return late + future + agentsMax + openWindowsMax;
        }

        void addTo(final SpanRefusal.Counts counts) {
            counts.add(SpanRefusal.LATE, late);
            counts.add(SpanRefusal.FUTURE, future);
            counts.add(SpanRefusal.AGENTS_MAX, agentsMax);
            counts.add(SpanRefusal.OPEN_WINDOWS_MAX, openWindowsMax);
        }
    }

    /** Counters since construction, and the current table size. Read from any thread. */
    public record Stats(long spansAccepted, long spansLate, long spansFuture, long spansAgentsMax, long spansOpenWindowsMax,
                        long batchesOverloaded, long spansOverloaded, long windowsOpened, long windowsEmitted,
                        long sinkFailures, long distinctValuesCapped, long modelOpsCapped, int agentsTracked, int windowsOpen) {
    }

    private enum Counter {
        SPANS_ACCEPTED, SPANS_LATE, SPANS_FUTURE, SPANS_AGENTS_MAX, SPANS_OPEN_WINDOWS_MAX, BATCHES_OVERLOADED,
        SPANS_OVERLOADED, WINDOWS_OPENED, WINDOWS_EMITTED, SINK_FAILURES, DISTINCT_VALUES_CAPPED, MODEL_OPS_CAPPED
    }

    private record WindowKey(String agent, long index) {
    }

    private record Closed(String agent, AgentWindow window, long tsMicros) {
    }

    /** An agent's open windows, usually one to three; found by linear search. */
    private static final class Agent {
        final ArrayList<AgentWindow> windows = new ArrayList<>(2);

        AgentWindow find(final long index) {
            for (int i = 0; i < windows.size(); i++) {
                if (windows.get(i).index == index) {
                    return windows.get(i);
                }
            }
            return null;
        }
    }

    private final ObservationSink sink;
    private final Config config;
    private final int schemaSize;
    private final AgentWindow.Measure[] measures;
    private final long windowNanos;
    private final long windowMicros;
    private final long graceMicros;
    private final long futureSkewMicros;
    private final HashMap<String, Agent> agents = new HashMap<>();
    private int windowsOpen;
    /** Every window with {@code end + grace <= flushedUpToMicros} has been emitted. */
    private long flushedUpToMicros = Long.MIN_VALUE;
    private final AtomicLongArray counters = new AtomicLongArray(Counter.values().length);
    private volatile int agentsGauge;
    private volatile int windowsGauge;
    private boolean sinkFailing;
    private boolean overloadLogged;

    public SpanWindows(final FeatureSchema schema, final ObservationSink sink, final Config config) {
        this.sink = sink;
        this.config = config;
        this.schemaSize = schema.size();
        this.measures = new AgentWindow.Measure[schemaSize];
        for (int i = 0; i < schemaSize; i++) {
            measures[i] = AgentWindow.Measure.of(schema.feature(i).name());
        }
        this.windowNanos = config.windowSeconds() * 1_000_000_000L;
        this.windowMicros = config.windowSeconds() * 1_000_000L;
        this.graceMicros = config.graceWindows() * windowMicros;
        this.futureSkewMicros = config.futureSkewSecondsMax() * 1_000_000L;
    }

    public SpanWindows(final FeatureSchema schema, final ObservationSink sink) {
        this(schema, sink, Config.defaults());
    }

    public Config config() {
        return config;
    }

    /**
     * Adds a batch, admitted whole or not at all (see the class comment).
     *
     * @param nowMicros the receiver's clock, epoch µs, only to refuse spans from the future
     */
    public OfferResult offer(final List<SpanFacts> spans, final long nowMicros) {
        final byte[] verdict = new byte[spans.size()];
        final Set<String> newAgents = new HashSet<>();
        final Set<WindowKey> newWindows = new HashSet<>();
        int late = 0;
        int future = 0;
        for (int i = 0; i < spans.size(); i++) {
            final SpanFacts f = spans.get(i);
            final long index = f.endNanos() / windowNanos;
            if (f.endNanos() / 1000 > nowMicros + futureSkewMicros) {
                verdict[i] = VERDICT_FUTURE;
                future++;
            } else if (endMicros(index) + graceMicros <= flushedUpToMicros) {
                verdict[i] = VERDICT_LATE;
                late++;
            } else {
                final Agent a = agents.get(f.agent());
                if (a == null || a.find(index) == null) {
                    newWindows.add(new WindowKey(f.agent(), index));
                    if (a == null) {
                        newAgents.add(f.agent());
                    }
                }
            }
        }
        final boolean fitsNow = agents.size() + newAgents.size() <= config.agentsMax()
            && windowsOpen + newWindows.size() <= config.openWindowsMax();
        final boolean fitsEmpty = newAgents.size() <= config.agentsMax() && newWindows.size() <= config.openWindowsMax();
        if (!fitsNow && fitsEmpty) {
            if (!overloadLogged) {
                LOG.warn("span windows full: {} agents (max {}), {} open windows (max {}); refusing batches with new agents"
                    + " or windows as retryable until windows close", agents.size(), config.agentsMax(), windowsOpen, config.openWindowsMax());
                overloadLogged = true;
            }
            counters.incrementAndGet(Counter.BATCHES_OVERLOADED.ordinal());
            counters.addAndGet(Counter.SPANS_OVERLOADED.ordinal(), spans.size());
            return OfferResult.overloaded(config.windowSeconds());
        }
        if (overloadLogged && (!newAgents.isEmpty() || !newWindows.isEmpty())) {
            LOG.info("span windows taking new agents and windows again ({} agents, {} open windows)", agents.size(), windowsOpen);
            overloadLogged = false;
        }
        int accepted = 0;
        int agentsMaxRefused = 0;
        int windowsMaxRefused = 0;
        for (int i = 0; i < spans.size(); i++) {
            if (verdict[i] != VERDICT_OPEN) {
                continue;
            }
            final SpanFacts f = spans.get(i);
            final long index = f.endNanos() / windowNanos;
            Agent a = agents.get(f.agent());
            if (a == null) {
                if (agents.size() >= config.agentsMax()) {
                    agentsMaxRefused++;
                    continue;
                }
                a = new Agent();
                agents.put(f.agent(), a);
            }
            AgentWindow w = a.find(index);
            if (w == null) {
                if (windowsOpen >= config.openWindowsMax()) {
                    windowsMaxRefused++;
                    if (a.windows.isEmpty()) {
                        agents.remove(f.agent());
                    }
                    continue;
                }
                w = new AgentWindow(index, config.distinctValuesMax(), config.modelOpsMax());
                a.windows.add(w);
                windowsOpen++;
                counters.incrementAndGet(Counter.WINDOWS_OPENED.ordinal());
            }
            w.add(f);
            accepted++;
        }
        assert !fitsNow || agentsMaxRefused == 0 && windowsMaxRefused == 0 : "an admitted batch meets no bound";
        assert accepted + late + future + agentsMaxRefused + windowsMaxRefused == spans.size() : "every span is accounted for";
        assert agents.size() <= config.agentsMax() && windowsOpen <= config.openWindowsMax();
        counters.addAndGet(Counter.SPANS_ACCEPTED.ordinal(), accepted);
        counters.addAndGet(Counter.SPANS_LATE.ordinal(), late);
        counters.addAndGet(Counter.SPANS_FUTURE.ordinal(), future);
        counters.addAndGet(Counter.SPANS_AGENTS_MAX.ordinal(), agentsMaxRefused);
        counters.addAndGet(Counter.SPANS_OPEN_WINDOWS_MAX.ordinal(), windowsMaxRefused);
        publishGauges();
        return new OfferResult(false, 0, accepted, late, future, agentsMaxRefused, windowsMaxRefused);
    }

    private static final byte VERDICT_OPEN = 0;
    private static final byte VERDICT_LATE = 1;
    private static final byte VERDICT_FUTURE = 2;

    /**
     * Emits every window with {@code end + grace <= nowMicros}, in order of window end then agent,
     * and raises the lateness watermark to {@code nowMicros} (it never goes down). A sink that
     * throws loses that one observation; it is counted and logged once per failing episode.
     *
     * @return windows emitted
     */
    public int flush(final long nowMicros) {
        flushedUpToMicros = Math.max(flushedUpToMicros, nowMicros);
        final List<Closed> closed = new ArrayList<>();
        final Iterator<Map.Entry<String, Agent>> it = agents.entrySet().iterator();
        while (it.hasNext()) {
            final Map.Entry<String, Agent> e = it.next();
            final ArrayList<AgentWindow> windows = e.getValue().windows;
            for (int i = windows.size() - 1; i >= 0; i--) {
                final AgentWindow w = windows.get(i);
                final long end = endMicros(w.index);
                if (end + graceMicros <= flushedUpToMicros) {
                    closed.add(new Closed(e.getKey(), w, end));
                    windows.remove(i);
                    windowsOpen--;
                }
            }
            if (windows.isEmpty()) {
                it.remove();
            }
        }
        closed.sort(Comparator.comparingLong(Closed::tsMicros).thenComparing(Closed::agent));
        int failures = 0;
        for (final Closed c : closed) {
            final AgentWindow w = c.window();
            assert w.spans() > 0 : "a window opens with its first span";
            counters.addAndGet(Counter.DISTINCT_VALUES_CAPPED.ordinal(), w.distinctCapped());
            counters.addAndGet(Counter.MODEL_OPS_CAPPED.ordinal(), w.modelOpsCapped());
            try {
                sink.accept(c.agent(), w.role(), c.tsMicros(), vector(w));
            } catch (final RuntimeException ex) {
                failures++;
                if (!sinkFailing) {
                    LOG.atWarn().addKeyValue(LogIds.KEY_AGENT, c.agent()).log(
                        "observation sink refused {}'s window ending {} µs: {}; counting further failures silently",
                        LogIds.agent(c.agent()), c.tsMicros(), ex.toString());
                }
                sinkFailing = true;
            }
        }
        if (failures == 0 && !closed.isEmpty() && sinkFailing) {
            LOG.info("observation sink accepting again");
            sinkFailing = false;
        }
        counters.addAndGet(Counter.WINDOWS_EMITTED.ordinal(), closed.size() - failures);
        counters.addAndGet(Counter.SINK_FAILURES.ordinal(), failures);
        publishGauges();
        return closed.size() - failures;
    }

    /** The raw vector of a window, in schema order; what the sink receives on close. */
    double[] vector(final AgentWindow w) {
        final double[] raw = new double[schemaSize];
        for (int i = 0; i < schemaSize; i++) {
            raw[i] = measures[i] == null ? 0 : w.value(measures[i], config.windowSeconds());
        }
        return raw;
    }

    public Stats stats() {
        return new Stats(get(Counter.SPANS_ACCEPTED), get(Counter.SPANS_LATE), get(Counter.SPANS_FUTURE),
            get(Counter.SPANS_AGENTS_MAX), get(Counter.SPANS_OPEN_WINDOWS_MAX), get(Counter.BATCHES_OVERLOADED),
            get(Counter.SPANS_OVERLOADED), get(Counter.WINDOWS_OPENED), get(Counter.WINDOWS_EMITTED),
            get(Counter.SINK_FAILURES), get(Counter.DISTINCT_VALUES_CAPPED), get(Counter.MODEL_OPS_CAPPED),
            agentsGauge, windowsGauge);
    }

    private long get(final Counter c) {
        return counters.get(c.ordinal());
    }

    private void publishGauges() {
        agentsGauge = agents.size();
        windowsGauge = windowsOpen;
    }

    private long endMicros(final long index) {
        return (index + 1) * windowMicros;
    }
}
