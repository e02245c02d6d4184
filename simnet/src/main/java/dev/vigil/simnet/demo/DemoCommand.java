package dev.vigil.simnet.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vigil.daemon.detect.FeatureSchema;
import dev.vigil.daemon.net.Daemon;
import dev.vigil.daemon.net.LocalDaemons;
import dev.vigil.simnet.fleet.AgentSpec;
import dev.vigil.simnet.fleet.FleetParams;
import dev.vigil.simnet.fleet.SyntheticFleet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code vigil demo}: one real daemon on loopback (fresh CA, key and data dir under a temporary
 * folder), a synthetic fleet of AI agents driven into it over the HTTP ingest API, a few
 * simulated hours compressed into about a minute, and at the end the agents Vigil flagged,
 * when and why, scored against the fleet's labels.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {
        "Start a local daemon and drive a synthetic fleet of AI agents (some compromised) into it over the HTTP",
        "ingest; print the agents that were flagged, when and why, and precision, recall and detection delay."})
public final class DemoCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--agents", defaultValue = "200", description = "Agents in the fleet (default: ${DEFAULT-VALUE}).")
    int agents;

    @Option(names = "--compromised", defaultValue = "0.05", description = "Share of agents compromised (default: ${DEFAULT-VALUE}).")
    double compromised;

    @Option(names = "--hours", defaultValue = "4", description = "Simulated hours of behaviour (default: ${DEFAULT-VALUE}).")
    double hours;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the synthetic fleet (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--batch", defaultValue = "1000", description = "Observations per POST (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--json", description = "Print the result as JSON (progress goes to stderr).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (agents < 1 || agents > FleetParams.AGENTS_MAX || !(hours >= 1) || hours > 24 * 31
            || batch < 1 || batch > dev.vigil.daemon.ingest.ObservationBatch.ROWS_MAX) {
            System.err.println("vigil demo: --agents in [1, " + FleetParams.AGENTS_MAX + "], --hours in [1, 744], --batch in [1, "
                + dev.vigil.daemon.ingest.ObservationBatch.ROWS_MAX + "]");
            return 2;
        }
        final PrintStream progress = json ? System.err : System.out;
        final Path dir = Files.createTempDirectory("vigil-demo-");
        final long t0 = System.nanoTime();
        try (Daemon daemon = LocalDaemons.startAlone(dir, false)) {
            final String api = "http://127.0.0.1:" + daemon.apiAddress().getPort();
            progress.printf("vigil demo: daemon %s up, API %s, data dir %s%n",
                dev.vigil.crypto.NodeIds.toHex(daemon.nodeId()), api, dir);
            final FleetParams d = FleetParams.defaults(seed);
            final long durationS = Math.round(hours * 3600);
            // The simulated hours end at the last midnight UTC: every timestamp is in the past, as real
            // reports would be, and the fleet's daily rhythm (by UTC hour) is the same on every run.
            final long midnightS = Instant.now().getEpochSecond() / 86_400 * 86_400;
            final long startMicros = (midnightS - durationS) / d.windowSeconds() * d.windowSeconds() * 1_000_000L;
            final SyntheticFleet fleet = new SyntheticFleet(new FleetParams(seed, agents, compromised, d.windowSeconds(),
                startMicros, durationS, Math.min(d.compromiseEarliestSeconds(), durationS / 4)));
            progress.printf("fleet: %d agents, %d compromised (modes hidden until the end), %.1f simulated hours, seed %d%n",
                agents, fleet.agents().stream().filter(AgentSpec::compromised).count(), hours, seed);
            final long observations = drive(fleet, api, progress, startMicros);
            final double wallS = (System.nanoTime() - t0) / 1e9;
            final Result result = collect(api, fleet, startMicros);
            final Map<String, Object> out = new LinkedHashMap<>(DetectionScore.score(fleet.agents(), result.alarmed));
            out.put("observations", observations);
            out.put("simulated_hours", hours);
            out.put("wall_s", Math.round(wallS * 10) / 10.0);
            out.put("observations_per_wall_s", Math.round(observations / wallS));
            out.put("flagged_agents", result.flagged);
            if (json) {
                System.out.println(JSON.writeValueAsString(out));
            } else {
                print(out, result.flagged);
            }
            return 0;
        } finally {
            LocalDaemons.deleteTree(dir);
        }
    }

    /** Posts every window's observations in batches; prints progress ten times. */
    private long drive(final SyntheticFleet fleet, final String api, final PrintStream progress, final long startMicros)
        throws IOException, InterruptedException {
        final HttpClient http = HttpClient.newHttpClient();
        final URI ingest = URI.create(api + "/v1/observations");
        final FeatureSchema schema = FeatureSchema.agentDefault();
        final StringBuilder body = new StringBuilder(batch * 400);
        final int[] rows = {0};
        long sent = 0;
        final long windows = fleet.params().windows();
        int nextReport = 1;
        while (fleet.hasNext()) {
            fleet.nextWindow((agent, windowEndMicros, raw, compromisedNow) -> {
                body.append(rows[0] == 0 ? "[" : ",").append("{\"agent\":\"").append(agent.id())
                    .append("\",\"role\":\"").append(agent.role()).append("\",\"ts\":").append(windowEndMicros / 1_000_000L)
                    .append('.').append(String.format("%06d", windowEndMicros % 1_000_000L)).append(",\"features\":{");
                for (int i = 0; i < raw.length; i++) {
                    body.append(i == 0 ? "\"" : ",\"").append(schema.feature(i).name()).append("\":").append(raw[i]);
                }
                body.append("}}");
                rows[0]++;
            });
            // post before the next window could push the batch past the API's row bound
            if (rows[0] >= batch || rows[0] + agents > dev.vigil.daemon.ingest.ObservationBatch.ROWS_MAX || !fleet.hasNext()) {
                sent += post(http, ingest, body.append(']').toString(), rows[0]);
                body.setLength(0);
                rows[0] = 0;
            }
            final int done = fleet.windowsGenerated();
            if (done * 10L >= nextReport * windows) {
                final JsonNode status = get(http, URI.create(api + "/v1/status")).path("detection");
                final long simulated = Math.min((fleet.nowMicros() - startMicros) / 1_000_000L, (long)(hours * 3600));
                progress.printf("[%3d%%] simulated %s of %s  %,d observations  %d suspect, %d alarmed%n", nextReport * 10,
                    clock(simulated), clock((long)(hours * 3600)), sent, status.path("suspect").asInt(), status.path("alarmed").asInt());
                nextReport++;
            }
        }
        return sent;
    }

    private static int post(final HttpClient http, final URI uri, final String body, final int rows)
        throws IOException, InterruptedException {
        final HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("ingest answered HTTP " + r.statusCode() + ": " + r.body());
        }
        final int accepted = new ObjectMapper().readTree(r.body()).path("accepted").asInt();
        if (accepted != rows) {
            throw new IOException("ingest accepted " + accepted + " of " + rows + " rows: " + r.body());
        }
        return accepted;
    }

    private static JsonNode get(final HttpClient http, final URI uri) throws IOException, InterruptedException {
        final HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(uri + " answered HTTP " + r.statusCode() + ": " + r.body());
        }
        return new ObjectMapper().readTree(r.body());
    }

    private record Result(Map<String, Long> alarmed, List<Map<String, Object>> flagged) {
    }

    /** Reads the verdicts back through the API, as an operator would. */
    private static Result collect(final String api, final SyntheticFleet fleet, final long startMicros)
        throws IOException, InterruptedException {
        final HttpClient http = HttpClient.newHttpClient();
        final Map<String, AgentSpec> specs = new TreeMap<>();
        fleet.agents().forEach(a -> specs.put(a.id(), a));
        final Map<String, Long> alarmed = new TreeMap<>();
        final List<Map<String, Object>> flagged = new ArrayList<>();
        for (final JsonNode a : get(http, URI.create(api + "/v1/agents")).path("agents")) {
            if (!"alarmed".equals(a.path("status").asText())) {
                continue;
            }
            final String id = a.path("agent").asText();
            final long at = a.path("alarmed_micros").asLong();
            alarmed.put(id, at);
            final JsonNode detail = get(http, URI.create(api + "/v1/agents/" + URLEncoder.encode(id, StandardCharsets.UTF_8)));
            final AgentSpec spec = specs.get(id);
            final Map<String, Object> f = new LinkedHashMap<>();
            f.put("agent", id);
            f.put("role", a.path("role").asText());
            f.put("truth", spec == null || !spec.compromised() ? "clean" : spec.mode().label());
            f.put("alarmed_at_s", (at - startMicros) / 1_000_000L);
            f.put("delay_s", spec != null && spec.compromised() && at >= spec.compromiseStartMicros()
                ? (at - spec.compromiseStartMicros()) / 1_000_000L : null);
            f.put("why", why(detail.path("alarm_evidence")));
            flagged.add(f);
        }
        flagged.sort(Comparator.comparingLong(f -> (Long)f.get("alarmed_at_s")));
        return new Result(alarmed, flagged);
    }

    /** The features that stood out most across the evidence behind the alarm, with their mean deviation. */
    private static String why(final JsonNode evidence) {
        final Map<String, double[]> z = new TreeMap<>();
        String baseline = "";
        for (final JsonNode e : evidence) {
            baseline = e.path("baseline").asText();
            for (final JsonNode t : e.path("top")) {
                final double[] acc = z.computeIfAbsent(t.path("feature").asText(), k -> new double[2]);
                acc[0] += t.path("z").asDouble();
                acc[1]++;
            }
        }
        final List<Map.Entry<String, double[]>> ranked = new ArrayList<>(z.entrySet());
        ranked.sort(Comparator.comparingDouble((Map.Entry<String, double[]> e) -> -e.getValue()[1] * Math.abs(e.getValue()[0] / e.getValue()[1])));
        final StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(3, ranked.size()); i++) {
            final double mean = ranked.get(i).getValue()[0] / ranked.get(i).getValue()[1];
            b.append(i == 0 ? "" : ", ").append(ranked.get(i).getKey()).append(String.format(" %+.1fσ", mean));
        }
        return b + (baseline.isEmpty() ? "" : " vs " + baseline + " baseline");
    }

    private void print(final Map<String, Object> out, final List<Map<String, Object>> flagged) {
        System.out.printf("%nflagged agents (%d):%n", flagged.size());
        System.out.printf("  %-12s %-9s %-18s %10s %8s  %s%n", "AGENT", "ROLE", "TRUTH", "ALARM AT", "DELAY", "WHY");
        for (final Map<String, Object> f : flagged) {
            System.out.printf("  %-12s %-9s %-18s %10s %8s  %s%n", f.get("agent"), f.get("role"), f.get("truth"),
                clock((Long)f.get("alarmed_at_s")), f.get("delay_s") == null ? "-" : f.get("delay_s") + " s", f.get("why"));
        }
        System.out.printf("%nprecision %s, recall %s (%s of %s compromised agents; %s false alarms among %s agents)%n",
            out.get("precision"), out.get("recall"), out.get("detected"), out.get("compromised"), out.get("false_alarms"), out.get("agents"));
        System.out.println("median detection delay by mode (s): " + out.get("delay_median_s_by_mode"));
        System.out.println("detected by mode: " + out.get("detected_by_mode"));
        System.out.printf("%,d observations over HTTP in %s s (%,d per second)%n", out.get("observations"), out.get("wall_s"),
            out.get("observations_per_wall_s"));
    }

    private static String clock(final long seconds) {
        return String.format("%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }


}
