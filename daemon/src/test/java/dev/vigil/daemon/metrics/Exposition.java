package dev.vigil.daemon.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Prometheus text format read back, enough for tests: each family's type, and each sample's
 * value keyed by its name and labels exactly as written ({@code vigil_agents{state="normal"}}).
 */
record Exposition(Map<String, String> types, Map<String, Double> samples) {
    static Exposition parse(final String text) {
        final Map<String, String> types = new LinkedHashMap<>();
        final Map<String, Double> samples = new LinkedHashMap<>();
        for (final String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                final String[] parts = line.split(" ");
                types.put(parts[2], parts[3]);
            } else if (!line.isEmpty() && !line.startsWith("#")) {
                final int space = line.lastIndexOf(' ');
                final String value = line.substring(space + 1);
                samples.put(line.substring(0, space), value.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(value));
            }
        }
        return new Exposition(types, samples);
    }

    /** The sample's value; fails naming the sample when there is none. */
    double value(final String sample) {
        final Double v = samples.get(sample);
        if (v == null) {
            throw new AssertionError("no sample " + sample + " among " + samples.size() + " samples");
        }
        return v;
    }

    /** The sum of a family's samples (every label combination). */
    double sum(final String name) {
        return samples.entrySet().stream()
            .filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
            .mapToDouble(Map.Entry::getValue).sum();
    }
}
