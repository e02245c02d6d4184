package dev.vigil.simnet;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a run tells apart from its report: measurements of the machine running the simulation
 * (wall time, heap), which vary from run to run, and, when asked for, the digest of every frame
 * the simulated network carried, which does not. The report on stdout depends on the seed alone.
 * It also carries an injected bug, for tests of the path that fails a run on one.
 */
public final class HostStats {
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final long startNanos = System.nanoTime();
    private long heapPeakBytes;
    private long heapLiveBytes = -1;
    private FrameDigest frames;
    private InjectedBug bug;

    /** A bug to inject: from {@code atMicros} of simulated time, host {@code hostIndex}'s next frame of {@code type} throws. */
    record InjectedBug(int hostIndex, long atMicros, dev.vigil.wire.MessageType type) {
    }

    /** Asks for the digest of every frame of the run: scenarios hand it to their network. */
    public HostStats recordFrames() {
        frames = new FrameDigest();
        return this;
    }

    /** The frame digest, or {@code null} when it was not asked for. */
    public FrameDigest frames() {
        return frames;
    }

    /** Makes a node's tree handler throw, as a bug would (see {@link dev.vigil.daemon.tree.TreeNode#injectBug}). */
    public HostStats injectBug(final int hostIndex, final long atMicros, final dev.vigil.wire.MessageType type) {
        bug = new InjectedBug(hostIndex, atMicros, type);
        return this;
    }

    /** Scenarios call this with their fleet before anything is sent. */
    public void watch(final SimFleet fleet) {
        if (frames != null) {
            fleet.network().recordInto(frames);
        }
        if (bug != null) {
            final InjectedBug b = bug;
            fleet.sim().schedule(b.atMicros(), () -> {
                final SimHost h = fleet.host(b.hostIndex());
                if (h.isUp()) {
                    h.core().tree().injectBug(b.type());
                }
            });
        }
    }

    /** Samples heap use; call now and then during the run. */
    public void sample() {
        heapPeakBytes = Math.max(heapPeakBytes, memory.getHeapMemoryUsage().getUsed());
    }

    /**
     * Heap still in use after a full collection: what the simulation itself holds (the peak also counts
     * garbage not yet collected, and grows with -Xmx). Call once, at a point worth measuring.
     */
    public void sampleLive() {
        System.gc();
        heapLiveBytes = memory.getHeapMemoryUsage().getUsed();
        sample();
    }

    public long heapPeakBytes() {
        return heapPeakBytes;
    }

    public Map<String, Object> report(final long events, final double simS) {
        sample();
        final double wallS = (System.nanoTime() - startNanos) / 1e9;
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("wall_s", round(wallS));
        out.put("heap_peak_bytes", heapPeakBytes);
        if (heapLiveBytes >= 0) {
            out.put("heap_live_bytes", heapLiveBytes);
        }
        out.put("events_per_wall_s", Math.round(events / Math.max(wallS, 1e-9)));
        out.put("sim_to_wall_ratio", round(simS / Math.max(wallS, 1e-9)));
        if (frames != null) {
            out.put("frames_sha256", frames.hex());
            out.put("frames", frames.frames());
        }
        return out;
    }

    private static double round(final double x) {
        return Math.round(x * 1000) / 1000.0;
    }
}
