package dev.vigil.daemon.net;

import dev.vigil.crypto.NodeIds;
import dev.vigil.daemon.core.NodeCore;
import dev.vigil.daemon.core.WallClock;
import dev.vigil.daemon.detect.Detector;
import dev.vigil.storage.StoreException;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * The stores' upkeep, every {@link #INTERVAL_MS} on the core's thread, each pass bounded:
 * rebuilds of baselines read back at start, rollups whose bucket has ended, retention, replication
 * to cluster members, and now and then the peer snapshot a restart joins through. Core thread only.
 */
final class StorageMaintenance {
    private static final Logger LOG = LoggerFactory.getLogger(StorageMaintenance.class);
    /** Retention, rollup flushes and background restores run this often (each pass is bounded). */
    static final long INTERVAL_MS = 1_000;
    /** The peer snapshot (addresses a restart joins through) is rewritten every this many ticks. */
    static final int SNAPSHOT_EVERY_TICKS = 10;
    /**
     * After a restart, baselines not rebuilt yet (agents not touched since) are rebuilt on the
     * tick, {@value #RESTORES_PER_STEP} at a time for at most this long per tick: a rebuild
     * replays up to a day of raw blocks, milliseconds per agent.
     */
    static final long RESTORE_MILLIS_PER_TICK = 200;
    static final int RESTORES_PER_STEP = 8;

    private final NodeCore core;
    private final Detector detector;
    private final NodeStores stores;
    private long ticks;
    private long retentionPasses;
    private long retentionNanos;
    private ScheduledFuture<?> timer;

    StorageMaintenance(final NodeCore core, final Detector detector, final NodeStores stores) {
        this.core = core;
        this.detector = detector;
        this.stores = stores;
    }

    /** Core thread: retention passes run so far, and the time they took. */
    dev.vigil.daemon.metrics.MetricsView.Retention retention() {
        return new dev.vigil.daemon.metrics.MetricsView.Retention(retentionPasses, retentionNanos);
    }

    /** Starts the timer on the core's loop. */
    void start(final EventLoop loop) {
        timer = loop.scheduleAtFixedRate(this::tick, INTERVAL_MS, INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    /** Core thread: no further ticks. */
    void stop() {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /**
     * Core thread: rebuilds pending baselines, writes rollups whose bucket has ended, prunes what
     * expired (bounded), and now and then snapshots the peers a restart should join through.
     */
    private void tick() {
        try {
            final long now = WallClock.micros();
            // rebuild baselines read back at start, a few at a time, for at most RESTORE_MILLIS_PER_TICK
            final long restoreUntil = System.nanoTime() + RESTORE_MILLIS_PER_TICK * 1_000_000L;
            while (detector.restorePending(RESTORES_PER_STEP) > 0 && System.nanoTime() < restoreUntil) {
                // the core's thread also serves peers and the API: give it back within the bound
            }
            stores.history().flushClosed(now);
            final long retentionStart = System.nanoTime();
            stores.history().retentionPass(now);
            retentionNanos += System.nanoTime() - retentionStart;
            retentionPasses++;
            stores.replication().tick(now, detector, core);
            if (++ticks % SNAPSHOT_EVERY_TICKS == 0) {
                stores.writePeerSnapshot(core);
            }
        } catch (final StoreException e) {
            // a full, damaged or unwritable store: the operator's to fix, not a bug, so no stack trace
            LOG.warn("node {}: storage maintenance stopped for this tick: {}", NodeIds.toHex(core.nodeId()), e.toString());
        } catch (final RuntimeException e) {
            // a bug: its stack trace says where
            LOG.error("node {}: storage maintenance failed: {}", NodeIds.toHex(core.nodeId()), e.toString(), e);
        }
    }
}
