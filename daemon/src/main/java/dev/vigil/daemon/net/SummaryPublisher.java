package dev.vigil.daemon.net;

import dev.vigil.crypto.NodeIds;
import dev.vigil.daemon.aggregate.Summary;
import dev.vigil.daemon.core.NodeCore;
import dev.vigil.daemon.detect.Detector;
import dev.vigil.daemon.stats.Moments;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The exchange between the detector and the tree, every {@link #INTERVAL_MS} on the core's
 * thread: the tree's baselines (this node's cluster and the fleet) down to the detector, and the
 * detector's window statistics and agent count up to the tree when they changed. Core thread only.
 */
final class SummaryPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(SummaryPublisher.class);
    /**
     * How often the detector's window statistics are offered to the tree. The tree sends a change
     * up at its own coalescing pace; this bounds how stale the node's contribution can be, and
     * keeps a busy ingest from turning every batch into a stat-update.
     */
    static final long INTERVAL_MS = 5_000;

    private final NodeCore core;
    private final Detector detector;
    /** What the tree was last given, to skip unchanged summaries. */
    private byte[] published = new byte[0];
    private long agentsPublished;
    private boolean failureLogged;
    private ScheduledFuture<?> timer;

    SummaryPublisher(final NodeCore core, final Detector detector, final boolean contribute) {
        this.core = core;
        this.detector = detector;
        this.contribute = contribute;
    }

    private final boolean contribute;

    /** Starts the timer on the core's loop. */
    void start(final EventLoop loop) {
        timer = loop.scheduleAtFixedRate(this::publish, INTERVAL_MS, INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    /** Core thread: no further publishing on the timer. */
    void stop() {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /**
     * Core thread. Gives the detector the tree's baselines and the tree the merge of the agents'
     * window statistics when it changed.
     *
     * @return whether the statistics were given to the tree (they had changed and the core runs)
     */
    boolean publish() {
        try {
            // Baselines down, on every tick: the cluster and fleet change with other nodes' agents too.
            final Summary fleet = core.tree().fleetBaseline();
            detector.setTreeBaselines(core.tree().cohortBaseline(), fleet == null ? null : fleet.moments());
            if (!contribute) {
                return false; // tree.contribute_statistics: false; this node takes the baselines, gives none
            }
            final Moments window = detector.windowStatistics();
            final long agents = detector.agentCount();
            final byte[] encoded = new byte[Moments.encodedLength(window.dimension())];
            window.writeTo(new UnsafeBuffer(encoded), 0);
            final boolean unchanged = agents == agentsPublished
                && (Arrays.equals(encoded, published) || published.length == 0 && window.count() == 0);
            if (unchanged || core.isStopped()) {
                return false;
            }
            core.publishLocalSummary(window, agents);
            published = encoded;
            agentsPublished = agents;
            return true;
        } catch (final RuntimeException e) {
            // A bug, not an input: say so once rather than every interval, and keep monitoring.
            if (!failureLogged) {
                failureLogged = true;
                LOG.error("node {}: the detector's statistics could not be given to the tree: {}",
                    NodeIds.toHex(core.nodeId()), e.toString(), e);
            }
            return false;
        }
    }
}
