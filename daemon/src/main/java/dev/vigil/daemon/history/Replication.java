package dev.vigil.daemon.history;

import dev.vigil.daemon.core.NodeCore;
import dev.vigil.daemon.detect.AgentRecord;
import dev.vigil.daemon.detect.Detector;
import dev.vigil.daemon.detect.Journal;
import dev.vigil.daemon.stats.Moments;
import dev.vigil.daemon.tree.TreeStatus;
import dev.vigil.storage.KeyValueStore;
import dev.vigil.storage.StoreException;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Replicated baselines: each node sends every agent's state and own baseline to the next
 * {@code replicas} members of its level-0 cluster (in node-id order, wrapping), whenever the
 * agent has reported since it was last sent and at most once per interval; members keep the
 * newest version per agent in their {@code replicas} store. An agent that turns up on a node
 * that holds its replica (its old host is gone, the agent moved) is adopted from it: scored
 * against its own history at once, with its status and CUSUM.
 *
 * <p>Bounds: at most {@link #SENDS_PER_TICK} agents per tick; the store holds one entry per
 * agent (newest version wins) and refuses beyond its sizing (counted). Replicas are taken from
 * any certified node: a lying node can at worst offer a wrong baseline for an agent that is
 * new here, which its own observations then replace within a window.
 */
public final class Replication {
    public static final int SENDS_PER_TICK = 200;
    private static final int ENTRY_HEADER = 16;

    private final KeyValueStore store;
    private final int replicas;
    private final long intervalMicros;
    private final int dimension;
    private final Map<String, Long> sentVersion = new HashMap<>();
    private final Map<String, Long> sentAtMicros = new HashMap<>();
    private String cursor = "";
    private long framesSent;
    private long bytesSent;
    private long payloadBytesSent;
    private long received;
    private long stored;
    private long refused;

    public Replication(final KeyValueStore store, final int replicas, final long intervalMicros, final int dimension) {
        this.store = store;
        this.replicas = replicas;
        this.intervalMicros = intervalMicros;
        this.dimension = dimension;
    }

    /** The payload of a replica: the stored agent record, then its baseline statistics. */
    static byte[] payload(final AgentRecord record, final Moments baseline) {
        final byte[] out = new byte[AgentRecord.LENGTH + Moments.encodedLength(baseline.dimension())];
        final UnsafeBuffer b = new UnsafeBuffer(out);
        record.writeTo(b, 0);
        baseline.writeTo(b, AgentRecord.LENGTH);
        return out;
    }

    /**
     * Sends, to this node's replica holders, the agents that changed since they were last sent
     * (core thread; bounded per call).
     */
    public void tick(final long nowMicros, final Detector detector, final NodeCore core) {
        if (replicas == 0) {
            return;
        }
        final List<String> targets = targets(core);
        if (targets.isEmpty()) {
            return;
        }
        int sent = 0;
        for (final Detector.AgentSummary a : detector.agentsAfter(cursor, SENDS_PER_TICK)) {
            cursor = a.agent();
            final Long last = sentVersion.get(a.agent());
            final Long at = sentAtMicros.get(a.agent());
            if ((last != null && last >= a.lastTsMicros()) || (at != null && nowMicros - at < intervalMicros)) {
                continue;
            }
            final Moments baseline = detector.ownBaseline(a.agent());
            final AgentRecord record = detector.record(a.agent());
            if (baseline == null || record == null) {
                continue;
            }
            final byte[] payload = payload(record, baseline);
            for (final String address : targets) {
                final int n = core.sendReplica(address, AgentHistory.agentKey(a.agent()), a.lastTsMicros(), payload);
                if (n > 0) {
                    framesSent++;
                    bytesSent += n;
                    payloadBytesSent += payload.length;
                }
            }
            sentVersion.put(a.agent(), a.lastTsMicros());
            sentAtMicros.put(a.agent(), nowMicros);
            sent++;
        }
        if (sent == 0 && detector.agentsAfter(cursor, 1).isEmpty()) {
            cursor = ""; // went round
        }
    }

    /** The next {@code replicas} members after this node in its level-0 cluster, by node id, wrapping. */
    private List<String> targets(final NodeCore core) {
        final TreeStatus s = core.tree().status();
        if (!s.placed() || s.levels().isEmpty()) {
            return List.of();
        }
        final List<TreeStatus.Member> members = new ArrayList<>(s.levels().get(0).members());
        members.sort(java.util.Comparator.comparing(TreeStatus.Member::nodeId));
        int self = -1;
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).nodeId().equals(s.nodeId())) {
                self = i;
            }
        }
        final List<String> out = new ArrayList<>();
        for (int k = 1; k < members.size() && out.size() < replicas; k++) {
            final TreeStatus.Member m = members.get(Math.floorMod(self + k, members.size()));
            if (!m.nodeId().equals(s.nodeId()) && m.address() != null) {
                out.add(m.address());
            }
        }
        return out;
    }

    /** A replica from another node: kept when newer than the one held. */
    public void onReplica(final long fromNodeId, final long agentKey, final long version, final byte[] payload) {
        received++;
        final byte[] key = AgentHistory.agentStoreKey(agentKey);
        try {
            final byte[] held = store.get(key);
            if (held != null && ByteBuffer.wrap(held).order(ByteOrder.LITTLE_ENDIAN).getLong(8) >= version) {
                return;
            }
            final ByteBuffer v = ByteBuffer.allocate(ENTRY_HEADER + payload.length).order(ByteOrder.LITTLE_ENDIAN);
            v.putLong(fromNodeId).putLong(version).put(payload);
            store.put(key, v.array());
            stored++;
        } catch (final StoreException e) {
            refused++;
        }
    }

    /** The replica held for this agent, or null (none, damaged, or another agent with the same key). */
    public Journal.Adopted adopted(final String agentId) {
        try {
            final byte[] held = store.get(AgentHistory.agentStoreKey(AgentHistory.agentKey(agentId)));
            if (held == null || held.length != ENTRY_HEADER + AgentRecord.LENGTH + Moments.encodedLength(dimension)) {
                return null;
            }
            final UnsafeBuffer b = new UnsafeBuffer(held);
            final AgentRecord r = AgentRecord.readFrom(b, ENTRY_HEADER);
            if (!r.id().equals(agentId)) {
                return null;
            }
            final Moments m = new Moments(dimension);
            m.readFrom(b, ENTRY_HEADER + AgentRecord.LENGTH);
            return new Journal.Adopted(r, m);
        } catch (final StoreException | IllegalArgumentException e) {
            return null;
        }
    }

    public Counters counters() {
        return new Counters(replicas, framesSent, bytesSent, payloadBytesSent, received, stored, refused, store.size());
    }

    /** Replication counters for the status. */
    public record Counters(int replicas, long framesSent, long bytesSent, long payloadBytesSent, long received,
                           long stored, long refused, long held) {
    }
}
