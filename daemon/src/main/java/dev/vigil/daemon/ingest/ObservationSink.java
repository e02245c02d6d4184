package dev.vigil.daemon.ingest;

/**
 * Where validated observations go: one agent's raw (untransformed) feature vector for one
 * window, in the fleet schema's order. Called from an ingest thread; implementations hand the
 * observation to the node's own thread.
 */
@FunctionalInterface
public interface ObservationSink {
    /**
     * @param agent    agent id as reported (non-empty, at most 128 printable characters)
     * @param role     declared role, or null
     * @param tsMicros window end, epoch microseconds
     * @param raw      raw feature values in schema order; the sink owns the array
     */
    void accept(String agent, String role, long tsMicros, double[] raw);
}
