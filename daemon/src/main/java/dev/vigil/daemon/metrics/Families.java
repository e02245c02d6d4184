package dev.vigil.daemon.metrics;

import dev.vigil.daemon.stats.FixedHistogram;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Registers metric families whose values are read, at scrape time, from the {@link MetricsView}
 * being scraped. A family's function may answer null (or an empty map): that family then has no
 * sample in this scrape and is left out of the text (OTLP's, while OTLP ingest is off). The unit
 * is taken from the name: {@code _seconds} and {@code _bytes} (before {@code _total}).
 */
final class Families {
    private final PrometheusRegistry registry;
    private final Supplier<MetricsView> view;

    Families(final PrometheusRegistry registry, final Supplier<MetricsView> view) {
        this.registry = registry;
        this.view = view;
    }

    void counter(final String name, final String help, final Function<MetricsView, Number> value) {
        withUnit(CounterWithCallback.builder().name(name).help(help), name).callback(cb -> {
            final Number n = value.apply(view.get());
            if (n != null) {
                cb.call(n.doubleValue());
            }
        }).register(registry);
    }

    /** One sample per map entry, the key as the value of {@code label}. */
    void counter(final String name, final String help, final String label,
                 final Function<MetricsView, Map<String, ? extends Number>> values) {
        withUnit(CounterWithCallback.builder().name(name).help(help).labelNames(label), name).callback(cb -> {
            final Map<String, ? extends Number> m = values.apply(view.get());
            if (m != null) {
                m.forEach((k, n) -> cb.call(n.doubleValue(), k));
            }
        }).register(registry);
    }

    void gauge(final String name, final String help, final Function<MetricsView, Number> value) {
        withUnit(GaugeWithCallback.builder().name(name).help(help), name).callback(cb -> {
            final Number n = value.apply(view.get());
            if (n != null) {
                cb.call(n.doubleValue());
            }
        }).register(registry);
    }

    /** One sample per map entry, the key as the value of {@code label}. */
    void gauge(final String name, final String help, final String label,
               final Function<MetricsView, Map<String, ? extends Number>> values) {
        withUnit(GaugeWithCallback.builder().name(name).help(help).labelNames(label), name).callback(cb -> {
            final Map<String, ? extends Number> m = values.apply(view.get());
            if (m != null) {
                m.forEach((k, n) -> cb.call(n.doubleValue(), k));
            }
        }).register(registry);
    }

    /** An info gauge: always 1, what it says is in its labels (one value per label name, in order). */
    void info(final String name, final String help, final String[] labelNames, final Function<MetricsView, String[]> values) {
        GaugeWithCallback.builder().name(name).help(help).labelNames(labelNames).callback(cb -> {
            final String[] v = values.apply(view.get());
            if (v != null) {
                cb.call(1, v);
            }
        }).register(registry);
    }

    /** A classic histogram from a {@link FixedHistogram} snapshot. */
    void histogram(final String name, final String help, final Function<MetricsView, FixedHistogram.Snapshot> value) {
        final Unit unit = unitOf(name);
        registry.register(new Collector() {
            @Override
            public MetricSnapshot collect() {
                final FixedHistogram.Snapshot h = value.apply(view.get());
                if (h == null) {
                    return null;
                }
                final double[] bounds = Arrays.copyOf(h.upperBounds(), h.upperBounds().length + 1);
                bounds[bounds.length - 1] = Double.POSITIVE_INFINITY;
                final HistogramSnapshot.Builder b = HistogramSnapshot.builder().name(name).help(help);
                if (unit != null) {
                    b.unit(unit);
                }
                return b.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, h.counts()))
                    .sum(h.sum())
                    .build()).build();
            }
        });
    }

    private static <B extends io.prometheus.metrics.core.metrics.MetricWithFixedMetadata.Builder<B, ?>> B withUnit(final B builder,
                                                                                                                 final String name) {
        final Unit unit = unitOf(name);
        return unit == null ? builder : builder.unit(unit);
    }

    private static Unit unitOf(final String name) {
        final String base = name.endsWith("_total") ? name.substring(0, name.length() - "_total".length()) : name;
        if (base.endsWith("_seconds")) {
            return Unit.SECONDS;
        }
        return base.endsWith("_bytes") ? Unit.BYTES : null;
    }
}
