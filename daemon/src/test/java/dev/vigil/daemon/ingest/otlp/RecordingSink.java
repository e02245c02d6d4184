package dev.vigil.daemon.ingest.otlp;

import dev.vigil.daemon.ingest.ObservationSink;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Keeps what the windows emit, for assertions; safe to read from the test thread. */
final class RecordingSink implements ObservationSink {
    record Observation(String agent, String role, long tsMicros, double[] raw) {
    }

    private final List<Observation> seen = new ArrayList<>();

    @Override
    public synchronized void accept(final String agent, final String role, final long tsMicros, final double[] raw) {
        seen.add(new Observation(agent, role, tsMicros, raw));
    }

    synchronized List<Observation> all() {
        return List.copyOf(seen);
    }

    synchronized Optional<Observation> find(final String agent, final long tsMicros) {
        return seen.stream().filter(o -> o.agent().equals(agent) && o.tsMicros() == tsMicros).findFirst();
    }

    Observation get(final String agent, final long tsMicros) {
        return find(agent, tsMicros).orElseThrow(() -> new AssertionError("no observation for " + agent + " at " + tsMicros + "; have " + describe()));
    }

    synchronized String describe() {
        final StringBuilder b = new StringBuilder();
        for (final Observation o : seen) {
            b.append(o.agent()).append('@').append(o.tsMicros()).append(java.util.Arrays.toString(o.raw())).append(' ');
        }
        return b.toString();
    }
}
