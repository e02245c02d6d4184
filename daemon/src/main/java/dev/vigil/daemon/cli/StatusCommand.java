package dev.vigil.daemon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vigil status}: what a running daemon says about itself. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show a running daemon's status: identity, peers with liveness and RTT, frame counters, and where it sits in the fleet tree.")
final class StatusCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    ApiTarget target;

    @Option(names = "--json", description = "Print the raw JSON of GET /v1/status (the tree: GET /v1/tree).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        final String base = target.base();
        final HttpResponse<String> response = fetch(URI.create(base + "/v1/status"));
        if (response.statusCode() != 200) {
            throw new CliException(response.uri() + " answered HTTP " + response.statusCode() + ": " + response.body());
        }
        if (json) {
            System.out.println(response.body());
            return 0;
        }
        final ObjectMapper mapper = new ObjectMapper();
        print(mapper.readTree(response.body()));
        final HttpResponse<String> tree = fetch(URI.create(base + "/v1/tree"));
        if (tree.statusCode() == 200) {
            printTree(mapper.readTree(tree.body()));
        } else {
            // an older daemon, or one stopping: the status above still stands
            System.out.printf("%ntree: not available (%s answered HTTP %d)%n", tree.uri(), tree.statusCode());
        }
        return 0;
    }

    private static HttpResponse<String> fetch(final URI uri) throws InterruptedException {
        return ApiTarget.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build());
    }

    /** Where the node sits: root, depth, its level-0 head and cluster, the heads above it, what the aggregates cover. */
    static void printTree(final JsonNode t) {
        final String self = t.path("node_id").asText();
        System.out.println();
        if (!t.path("placed").asBoolean()) {
            System.out.println("tree: not placed yet (looking for a cluster to join)"
                + (t.path("root_id").isNull() ? "" : "; root last heard of: " + t.path("root_id").asText()));
            return;
        }
        System.out.printf("tree: depth %d (B %d), root %s%s%n", t.path("depth").asInt(), t.path("b").asInt(),
            t.path("root_id").asText("?"), t.path("root").asBoolean() ? " (this node)" : "");
        final JsonNode chain = t.path("head_chain");
        final StringBuilder heads = new StringBuilder();
        for (int i = 0; i < chain.size(); i++) {
            final String id = chain.get(i).asText();
            heads.append(i == 0 ? "" : " -> ").append(id).append(" (level ").append(i)
                .append(i == chain.size() - 1 && id.equals(t.path("root_id").asText()) ? ", root" : "")
                .append(id.equals(self) ? ", this node" : "").append(')');
        }
        System.out.println("head chain: " + heads);
        for (final JsonNode l : t.path("levels")) {
            System.out.printf("level %d: head %s%s, %d members, epoch %d; its aggregate covers %d nodes and %d agents (%d contributors)%n",
                l.path("level").asInt(), l.path("head_id").asText(), l.path("head").asBoolean() ? " (this node)" : "",
                l.path("size").asInt(), l.path("epoch").asLong(), l.path("leaves").asLong(), l.path("agents").asLong(),
                l.path("contributors").asInt());
        }
        final JsonNode fleet = t.path("fleet_baseline");
        System.out.println(fleet.path("nodes").asLong() == 0 ? "fleet baseline: none received yet"
            : String.format("fleet baseline: %d nodes, %d observations", fleet.path("nodes").asLong(), fleet.path("observations").asLong()));
        final JsonNode level0 = t.path("levels").path(0);
        System.out.printf("%n%-20s %-24s %-8s %10s %14s%n", "CLUSTER (level 0)", "ADDRESS", "STATE", "RTT ms", "PREDICTED ms");
        for (final JsonNode m : level0.path("members")) {
            final String marks = (m.path("head").asBoolean() ? "*" : "") + (m.path("self").asBoolean() ? "<" : "");
            System.out.printf("%-20s %-24s %-8s %10s %14s%n", m.path("node_id").asText() + (marks.isEmpty() ? "" : " " + marks),
                m.path("address").asText(), m.path("state").asText(), number(m.path("rtt_ms")), number(m.path("rtt_predicted_ms")));
        }
        System.out.println("(* head, < this node)");
        if (!t.path("quarantined").isEmpty()) {
            final StringBuilder q = new StringBuilder();
            t.path("quarantined").forEach(id -> q.append(q.length() == 0 ? "" : ", ").append(id.asText()));
            System.out.println("quarantined (their contributions are left out): " + q);
        }
    }

    private static String number(final JsonNode n) {
        return n.isNumber() ? String.format("%.3f", n.asDouble()) : "-";
    }

    private static void print(final JsonNode s) {
        System.out.printf("node %s  version %s  up %.0f s  %s%n", s.path("node_id").asText(), s.path("version").asText(),
            s.path("uptime_s").asDouble(), s.path("accepted").asBoolean() ? "accepted" : "not yet accepted");
        System.out.printf("peer address %s (listening on %s), API %s, transport %s%n", s.path("advertised_address").asText(),
            s.path("listen").path("peer").asText(), s.path("listen").path("api").asText(), s.path("transport").path("io").asText());
        printAccel(s.path("accel"));
        System.out.printf("%n%-18s %-24s %-8s %10s %12s%n", "PEER", "ADDRESS", "STATE", "RTT ms", "HEARD ms ago");
        for (final JsonNode p : s.path("peers")) {
            System.out.printf("%-18s %-24s %-8s %10s %12.0f%n", p.path("node_id").asText(), p.path("address").asText(),
                p.path("state").asText(), p.path("rtt_ms").isNull() ? "-" : String.format("%.3f", p.path("rtt_ms").asDouble()),
                p.path("last_heard_ms_ago").asDouble());
        }
        if (s.path("peers").isEmpty()) {
            System.out.println("(no peers)");
        }
        System.out.printf("%n%-12s %12s %12s %12s %12s%n", "FRAMES", "sent", "sent bytes", "received", "recv bytes");
        final Iterator<Map.Entry<String, JsonNode>> types = s.path("frames").path("sent").fields();
        while (types.hasNext()) {
            final Map.Entry<String, JsonNode> t = types.next();
            final JsonNode r = s.path("frames").path("received").path(t.getKey());
            System.out.printf("%-12s %12d %12d %12d %12d%n", t.getKey(), t.getValue().path("frames").asLong(),
                t.getValue().path("bytes").asLong(), r.path("frames").asLong(), r.path("bytes").asLong());
        }
        final StringBuilder rejected = new StringBuilder();
        s.path("frames").path("rejected").fields().forEachRemaining(e -> {
            if (e.getValue().asLong() > 0) {
                rejected.append(rejected.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue().asLong());
            }
        });
        System.out.println("rejected: " + (rejected.length() == 0 ? "none" : rejected));
        final StringBuilder bugs = new StringBuilder();
        s.path("frames").path("internal_errors").fields().forEachRemaining(e ->
            bugs.append(bugs.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue().asLong()));
        if (bugs.length() > 0) {
            // a bug in Vigil, not bad input: the daemon's log has each location's stack trace
            System.out.println("internal errors (bugs; stack traces in the log): " + bugs);
        }
        for (final JsonNode r : s.path("refusals")) {
            System.out.printf("  refused node %s%s: %s (%d frames)%n", r.path("node_id").asText(),
                r.path("address").isNull() ? "" : " at " + r.path("address").asText(), r.path("detail").asText(), r.path("frames").asLong());
        }
        printVerdicts(s.path("verdicts"));
        printAlerting(s.path("alerting"));
    }

    /** Alerts into Alertmanager: what fires, and per Alertmanager what went, failed, was dropped or waits. Absent or off: nothing. */
    static void printAlerting(final JsonNode a) {
        if (a.isMissingNode() || !a.path("enabled").asBoolean()) {
            return;
        }
        System.out.printf("%nalerts: %d firing (%d fired, %d resolved, %d refused at the bound), re-sent every %.0f s%n",
            a.path("firing").asInt(), a.path("fired").asLong(), a.path("resolved").asLong(), a.path("refused_firing_full").asLong(),
            a.path("resend_interval_s").asDouble());
        for (final JsonNode t : a.path("alertmanagers")) {
            System.out.printf("  alertmanager %s: %d sent, %d failed attempts, dropped %s, %d waiting%s%n", t.path("url").asText(),
                t.path("sent").asLong(), t.path("failed_attempts").asLong(), t.path("dropped"), t.path("waiting").asInt(),
                t.path("last_error").isNull() ? "" : "; last error: " + t.path("last_error").asText());
        }
    }

    /** Where the node's numeric batches run and why; the device's work once it has one. Absent from an older daemon's status. */
    static void printAccel(final JsonNode a) {
        if (a.isMissingNode()) {
            return;
        }
        final String device = a.path("device").asText();
        System.out.printf("accel: %s%s (accel.backend %s): %s%n", a.path("backend").asText(), device.isEmpty() ? "" : " on " + device,
            a.path("requested").asText(), a.path("reason").asText());
        if (!a.path("thresholds").asText().isEmpty() || a.path("batches").asLong() > 0) {
            System.out.printf("accel device: %s; %d batches, %d bytes moved, %.1f %% of device time moving data%n",
                a.path("thresholds").asText().isEmpty() ? "no kernel on the device now" : a.path("thresholds").asText(),
                a.path("batches").asLong(), a.path("bytes_moved").asLong(), 100 * a.path("transfer_share").asDouble());
        }
    }

    /** Fleet verdicts: the directory held, the committees this node sits on, its evidence as an observer, verdicts held. */
    private static void printVerdicts(final JsonNode v) {
        if (v.isMissingNode() || !v.path("enabled").asBoolean(true)) {
            System.out.println(v.isMissingNode() ? "" : "\nfleet verdicts: off (verdicts.enabled: false)");
            return;
        }
        System.out.printf("%nfleet verdicts: %s, f = %d over %d shards; %d certificates held%n",
            v.path("directory_epoch").isNull() ? "no committee directory yet"
                : "directory epoch " + v.path("directory_epoch").asLong() + " from " + v.path("directory_issuer").asText() + " ("
                + v.path("candidates").asInt() + " candidates)", v.path("f").asInt(), v.path("shards").asInt(), v.path("certificates_held").asInt());
        final JsonNode seats = v.path("committees");
        int active = 0;
        for (final JsonNode seat : seats) {
            active += "active".equals(seat.path("mode").asText()) ? 1 : 0;
        }
        System.out.printf("committees: sits on %d (%d active), view changes %d, replica refusals %s%n", seats.size(), active,
            v.path("view_changes").asLong(), v.path("replica_refusals"));
        final JsonNode o = v.path("observer");
        System.out.printf("as an observer: %d agents followed, %d records waiting, %d requests in flight, %d done, %d resends%n",
            o.path("agents_followed").asInt(), o.path("records_waiting").asInt(), o.path("requests_in_flight").asInt(),
            o.path("requests_done").asLong(), o.path("resends").asLong());
        System.out.println("counters: " + v.path("counters"));
    }
}
