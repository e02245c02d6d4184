package dev.vigil.daemon.net;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vigil.daemon.cli.VersionProvider;
import dev.vigil.daemon.config.NodeConfig;
import dev.vigil.daemon.core.NodeStatus;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shape of {@code GET /v1/status}: snake_case keys, times in ms or s as named. */
final class StatusJson {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE);

    private StatusJson() {
    }

    /** What one status answer is made of, gathered on the core's thread. */
    record View(NodeStatus node, dev.vigil.daemon.detect.Detector.Counters detection,
                dev.vigil.daemon.ingest.otlp.OtlpIngestStats otlp, List<PeerLinks.LinkStats> links, String io, double uptimeS,
                NodeConfig config, SocketAddress peerListen, SocketAddress apiListen,
                dev.vigil.daemon.history.AgentHistory.Counters storage, boolean storesRecovered,
                dev.vigil.daemon.history.Replication.Counters replication) {
    }

    static Map<String, Object> of(final View v) {
        final NodeStatus s = v.node();
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("node_id", s.nodeId());
        out.put("version", VersionProvider.version());
        out.put("advertised_address", s.address());
        final Map<String, Object> listen = new LinkedHashMap<>();
        listen.put("peer", String.valueOf(v.peerListen()));
        listen.put("api", String.valueOf(v.apiListen()));
        out.put("listen", listen);
        out.put("uptime_s", Math.round(v.uptimeS() * 1000) / 1000.0);
        out.put("accepted", s.accepted());
        out.put("coordinate", coordinate(s.coordinate()));
        out.put("bootstrap", v.config().core().bootstrap());
        final List<Map<String, Object>> peers = new ArrayList<>();
        for (final NodeStatus.PeerView p : s.peers()) {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("node_id", p.nodeId());
            m.put("address", p.address());
            m.put("state", p.state().label);
            m.put("alive", p.state() == dev.vigil.daemon.core.PeerState.ALIVE);
            m.put("state_for_s", round3((s.nowMicros() - p.sinceMicros()) / 1e6));
            m.put("last_heard_ms_ago", round3((s.nowMicros() - p.lastHeardMicros()) / 1e3));
            m.put("rtt_ms", p.rttMicrosSmoothed() < 0 ? null : round3(p.rttMicrosSmoothed() / 1e3));
            m.put("rtt_last_ms", p.rttMicrosLast() < 0 ? null : round3(p.rttMicrosLast() / 1e3));
            m.put("rtt_predicted_ms", p.coordinate() == null ? null : round3(s.coordinate().distanceMs(p.coordinate())));
            peers.add(m);
        }
        out.put("peers", peers);
        final Map<String, Object> frames = new LinkedHashMap<>();
        frames.put("sent", s.frames().sent());
        frames.put("received", s.frames().received());
        frames.put("rejected", s.frames().rejected());
        out.put("frames", frames);
        final List<Map<String, Object>> refusals = new ArrayList<>();
        for (final NodeStatus.Refusal r : s.refusals()) {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("node_id", r.nodeId());
            m.put("address", r.address());
            m.put("reason", r.reason());
            m.put("detail", r.detail());
            m.put("frames", r.count());
            m.put("last_s_ago", round3((s.nowMicros() - r.lastMicros()) / 1e6));
            refusals.add(m);
        }
        out.put("refusals", refusals);
        final Map<String, Object> transport = new LinkedHashMap<>();
        transport.put("io", v.io());
        long queueFull = 0;
        long unreachable = 0;
        final List<Map<String, Object>> links = new ArrayList<>();
        for (final PeerLinks.LinkStats l : v.links()) {
            queueFull += l.droppedQueueFull();
            unreachable += l.droppedUnreachable();
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("address", l.address());
            m.put("connected", l.connected());
            m.put("queued", l.queued());
            m.put("frames_sent", l.framesSent());
            m.put("dropped_queue_full", l.droppedQueueFull());
            m.put("dropped_unreachable", l.droppedUnreachable());
            m.put("connect_failures", l.connectFailures());
            links.add(m);
        }
        transport.put("dropped_queue_full", queueFull);
        transport.put("dropped_unreachable", unreachable);
        transport.put("links", links);
        out.put("transport", transport);
        final dev.vigil.daemon.detect.Detector.Counters c = v.detection();
        final Map<String, Object> detection = new LinkedHashMap<>();
        detection.put("schema_hash", String.format("%08x", v.config().schema().hash()));
        detection.put("features", v.config().schema().size());
        detection.put("agents", c.agents());
        detection.put("suspect", c.suspect());
        detection.put("alarmed", c.alarmed());
        detection.put("observations", c.observations());
        detection.put("scored", c.scored());
        detection.put("excluded_from_baseline", c.excludedFromBaseline());
        detection.put("refused_too_old", c.refusedTooOld());
        detection.put("refused_agents_full", c.refusedAgentsFull());
        detection.put("evicted_silent", c.evictedSilent());
        detection.put("alarms_raised", c.alarmsRaised());
        detection.put("fleet_drifting", c.fleetDrifting());
        detection.put("tree_baselines_refused", c.treeBaselinesRefused());
        detection.put("refused_store", c.refusedStore());
        detection.put("restore_pending", c.restorePending());
        out.put("detection", detection);
        final dev.vigil.daemon.history.AgentHistory.Counters h = v.storage();
        final Map<String, Object> storage = new LinkedHashMap<>();
        storage.put("dir", v.config().storesDir().toString());
        storage.put("recovered_at_start", v.storesRecovered());
        storage.put("agents", h.agents());
        storage.put("pinned", h.pinned());
        storage.put("raw_blocks", h.rawBlocks());
        storage.put("minute_buckets", h.minuteBuckets());
        storage.put("hour_buckets", h.hourBuckets());
        storage.put("day_buckets", h.dayBuckets());
        storage.put("pruned_entries", h.prunedEntries());
        storage.put("corrupt_entries", h.corruptEntries());
        storage.put("refused_per_minute_bound", h.refusedPerMinute());
        storage.put("refused_store_full", h.refusedStoreFull());
        final dev.vigil.daemon.history.Replication.Counters r = v.replication();
        final Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("replicas", r.replicas());
        rep.put("frames_sent", r.framesSent());
        rep.put("bytes_sent", r.bytesSent());
        rep.put("payload_bytes_sent", r.payloadBytesSent());
        rep.put("received", r.received());
        rep.put("stored", r.stored());
        rep.put("refused", r.refused());
        rep.put("held", r.held());
        storage.put("replication", rep);
        detection.put("adopted", c.adopted());
        out.put("storage", storage);
        out.put("otlp", v.otlp() == null ? null : v.otlp().asMap());
        return out;
    }

    static Map<String, Object> coordinate(final dev.vigil.daemon.tree.VivaldiCoordinate c) {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("x_ms", round3(c.xMs()));
        m.put("y_ms", round3(c.yMs()));
        m.put("height_ms", round3(c.heightMs()));
        m.put("error", round3(c.error()));
        return m;
    }

    static double round3(final double x) {
        return Math.round(x * 1000) / 1000.0;
    }
}
