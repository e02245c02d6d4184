package dev.vigil.simnet;

import dev.vigil.wire.FrameHeader;
import dev.vigil.wire.MessageType;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The simulated network between hosts: per-message one-way latency from the map plus seeded
 * jitter, random loss, and partitions between groups of hosts (two-way or one-way). Messages
 * are copies of the sender's bytes, delivered to the receiving core as they are.
 *
 * <p>It also counts what crosses it, by message type, for reports.
 */
public final class SimNetwork {
    private final Simulator sim;
    private final WorldMap map;
    private final SplittableRandom random;
    private final Map<String, SimHost> byAddress = new HashMap<>(); // lookups only, never iterated
    private final long[] framesByType = new long[256];
    private final long[] bytesByType = new long[256];
    private double lossProbability;
    private double jitterFraction = 0.1;
    private int[] groupOf = new int[0];
    private boolean[][] blocked = new boolean[1][1];
    private int frameBytesMax;
    private int frameTypeMax = -1;
    private long droppedLoss;
    private long droppedPartition;
    private long droppedHostDown;
    private long droppedUnroutable;
    private long delivered;
    private FrameDigest digest;

    SimNetwork(final Simulator sim, final WorldMap map, final SplittableRandom random) {
        this.sim = sim;
        this.map = map;
        this.random = random;
    }

    void attach(final SimHost host) {
        if (byAddress.putIfAbsent(host.address(), host) != null) {
            throw new IllegalArgumentException("two hosts at " + host.address());
        }
        if (host.index() >= groupOf.length) {
            groupOf = Arrays.copyOf(groupOf, Math.max(16, 2 * host.index() + 1));
        }
    }

    public WorldMap map() {
        return map;
    }

    /** Each message is dropped independently with this probability. */
    public void setLoss(final double probability) {
        if (!(probability >= 0 && probability < 1)) {
            throw new IllegalArgumentException("loss probability must be in [0, 1): " + probability);
        }
        this.lossProbability = probability;
    }

    /** Jitter is exponential with mean {@code fraction} of the path's latency. */
    public void setJitterFraction(final double fraction) {
        this.jitterFraction = fraction;
    }

    /**
     * Splits hosts into group 1 ({@code side}) and group 0 (everyone else). Messages from group 1
     * to group 0 are dropped; so are messages from 0 to 1 when {@code twoWay}.
     */
    public void partition(final List<SimHost> side, final boolean twoWay) {
        Arrays.fill(groupOf, 0);
        for (final SimHost h : side) {
            groupOf[h.index()] = 1;
        }
        blocked = new boolean[2][2];
        blocked[1][0] = true;
        blocked[0][1] = twoWay;
    }

    public void heal() {
        Arrays.fill(groupOf, 0);
        blocked = new boolean[1][1];
    }

    /** From now on every frame offered to the network also goes into {@code digest} (regression checks). */
    public void recordInto(final FrameDigest digest) {
        this.digest = digest;
    }

    void send(final SimHost from, final String address, final byte[] frame, final int offset, final int length) {
        if (digest != null) {
            digest.frame(sim.nowMicros(), from.index(), address, frame, offset, length);
        }
        final int type = length > FrameHeader.TYPE_OFFSET ? frame[offset + FrameHeader.TYPE_OFFSET] & 0xFF : 0;
        framesByType[type]++;
        bytesByType[type] += length;
        if (length > frameBytesMax) {
            frameBytesMax = length;
            frameTypeMax = type;
        }
        final SimHost to = byAddress.get(address);
        if (to == null) {
            droppedUnroutable++;
            return;
        }
        if (blocked[group(from)][group(to)]) {
            droppedPartition++;
            return;
        }
        if (lossProbability > 0 && random.nextDouble() < lossProbability) {
            droppedLoss++;
            return;
        }
        final long pathMicros = from == to ? 10 : map.latencyMicros(from.latitudeDeg(), from.longitudeDeg(), to.latitudeDeg(), to.longitudeDeg());
        final long jitterMicros = Math.round(-StrictMath.log(1.0 - random.nextDouble()) * jitterFraction * pathMicros);
        final byte[] copy = Arrays.copyOfRange(frame, offset, offset + length);
        sim.schedule(pathMicros + jitterMicros, () -> {
            if (!to.isUp()) {
                droppedHostDown++;
                return;
            }
            delivered++;
            to.deliver(copy);
        });
    }

    private int group(final SimHost h) {
        return blocked.length == 1 ? 0 : groupOf[h.index()];
    }

    /** Frames and bytes offered to the network, by message type label, in wire order. */
    public Map<String, long[]> framesByType() {
        final Map<String, long[]> out = new LinkedHashMap<>();
        for (final MessageType t : MessageType.values()) {
            out.put(t.label, new long[] {framesByType[t.code], bytesByType[t.code]});
        }
        return out;
    }

    public int frameBytesMax() {
        return frameBytesMax;
    }

    public String frameTypeMax() {
        final MessageType t = MessageType.of(frameTypeMax);
        return t == null ? "none" : t.label;
    }

    public long droppedLoss() {
        return droppedLoss;
    }

    public long droppedPartition() {
        return droppedPartition;
    }

    public long droppedHostDown() {
        return droppedHostDown;
    }

    public long droppedUnroutable() {
        return droppedUnroutable;
    }

    public long delivered() {
        return delivered;
    }

}
