package dev.vigil.simnet.bench;

import dev.vigil.daemon.detect.DetectionConfig;
import dev.vigil.daemon.detect.Detector;
import dev.vigil.daemon.detect.FeatureSchema;
import dev.vigil.daemon.history.HistoryConfig;
import dev.vigil.daemon.history.HistoryJournal;
import dev.vigil.daemon.history.HistoryStores;

import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The process {@code vigil bench restart} kills: a JVM of its own that writes N agents' history
 * through the detector into the stores, then half the agents' observations of the next minute,
 * says so on stdout ({@value #WRITTEN} and the seconds the history took), and goes on writing
 * until it is killed with SIGKILL in the middle of it (after {@value #MINUTES_AFTER_MAX} more
 * minutes it idles, still holding the stores).
 */
final class RestartWriter {
    static final String WRITTEN = "written";
    /** Minutes written after the announcement at most: the kill comes within the first. */
    static final int MINUTES_AFTER_MAX = 30;

    private RestartWriter() {
    }

    /** Arguments: the stores' directory, agents, hours of history per agent. */
    public static void main(final String[] args) throws Exception {
        final Path stores = Path.of(args[0]);
        final int agents = Integer.parseInt(args[1]);
        final int hours = Integer.parseInt(args[2]);
        final FeatureSchema schema = FeatureSchema.agentDefault();
        final int d = schema.size();
        final HistoryConfig config = StorageBench.restartHistory(agents);
        final HistoryStores first = HistoryStores.open(stores, StorageBench.RESTART_SCHEMA + d, config, d);
        final Detector writer = new Detector(schema, StorageBench.restartDetection(agents));
        writer.setJournal(new HistoryJournal(first.history(config, d)));
        final SplittableRandom random = new SplittableRandom(1);
        final double[] x = new double[d];
        final long w0 = System.nanoTime();
        for (int minute = 0; minute < hours * 60; minute++) {
            write(writer, 0, agents, minute, random, x);
        }
        final double seconds = (System.nanoTime() - w0) / 1e9;
        // half of the next minute before the announcement, so that the kill falls amid writes
        write(writer, 0, agents / 2, hours * 60, random, x);
        System.out.println(WRITTEN + " " + seconds);
        System.out.flush();
        write(writer, agents / 2, agents, hours * 60, random, x);
        for (int minute = hours * 60 + 1; minute < hours * 60 + MINUTES_AFTER_MAX; minute++) {
            write(writer, 0, agents, minute, random, x);
        }
        Thread.sleep(Long.MAX_VALUE);
    }

    /** One observation of agents {@code from} to {@code to} in {@code minute}. */
    private static void write(final Detector writer, final int from, final int to, final int minute, final SplittableRandom random,
                              final double[] x) {
        for (int a = from; a < to; a++) {
            for (int i = 0; i < x.length; i++) {
                x[i] = 5 + random.nextDouble();
            }
            writer.observe("agent-" + a, "worker", StorageBench.T0 + minute * 60 * StorageBench.S + a, x);
        }
    }
}
