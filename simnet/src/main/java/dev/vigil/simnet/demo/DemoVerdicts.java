package dev.vigil.simnet.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.daemon.net.Daemon;
import dev.vigil.daemon.verdict.FleetVerdicts;
import dev.vigil.simnet.fleet.AgentSpec;
import dev.vigil.simnet.fleet.SyntheticFleet;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The demo's fleet verdicts: waits until the committees stand (every daemon holds the root's
 * directory of all of them and its seats of that epoch have their state), makes some home daemons
 * lie (half hide their agents, half frame them), and at the end reads the verdict certificates back
 * through the API, scores them against the labels and, when asked, writes them out with the CA key
 * for {@code vigil verdicts verify}.
 */
final class DemoVerdicts {
    static final int READY_WITHIN_S = 90;
    static final int SETTLE_WITHIN_S = 60;
    /** Verdicts are settled when their count has not changed for this long. */
    static final int QUIET_S = 5;

    private DemoVerdicts() {
    }

    /** @return seconds it took, or -1 when the committees did not stand within {@link #READY_WITHIN_S} */
    static double awaitCommittees(final List<Daemon> daemons) throws Exception {
        final long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < READY_WITHIN_S * 1_000_000_000L) {
            if (ready(daemons)) {
                return Math.round((System.nanoTime() - t0) / 1e8) / 10.0;
            }
            Thread.sleep(200);
        }
        return -1;
    }

    private static boolean ready(final List<Daemon> daemons) throws Exception {
        Long epoch = null;
        for (final Daemon d : daemons) {
            final var directory = d.onVerdicts(FleetVerdicts::directory).get();
            if (directory == null || directory.candidates().size() < daemons.size() || (epoch != null && epoch != directory.epoch())) {
                return false;
            }
            epoch = directory.epoch();
            if (!d.onVerdicts(v -> v.seats().stream().filter(s -> s.epoch() == v.directory().epoch())
                .allMatch(s -> s.mode().equals("active"))).get()) {
                return false;
            }
        }
        return true;
    }

    /** The first {@code liars} home daemons after node0 lie, hiding and framing in turn. */
    static Map<Integer, FleetVerdicts.Lie> makeLiars(final List<Daemon> homes, final int liars) throws Exception {
        final Map<Integer, FleetVerdicts.Lie> out = new TreeMap<>();
        for (int k = 0; k < liars; k++) {
            final int node = 1 + k;
            final FleetVerdicts.Lie how = k % 2 == 0 ? FleetVerdicts.Lie.HIDE : FleetVerdicts.Lie.FRAME;
            homes.get(node).onVerdicts(v -> {
                v.lie(how);
                return null;
            }).get();
            out.put(node, how);
        }
        return out;
    }

    /** Polls node0's verdicts until their count held still for {@link #QUIET_S} s (at most {@link #SETTLE_WITHIN_S} s). */
    static JsonNode awaitVerdicts(final HttpClient http, final String api) throws IOException, InterruptedException {
        final long t0 = System.nanoTime();
        int last = -1;
        long stillSince = System.nanoTime();
        JsonNode verdicts = null;
        while (System.nanoTime() - t0 < SETTLE_WITHIN_S * 1_000_000_000L) {
            verdicts = get(http, URI.create(api + "/v1/verdicts")).path("verdicts");
            if (verdicts.size() != last) {
                last = verdicts.size();
                stillSince = System.nanoTime();
            } else if (System.nanoTime() - stillSince > QUIET_S * 1_000_000_000L) {
                break;
            }
            Thread.sleep(250);
        }
        return verdicts;
    }

    /** Precision and recall of the verdicts against the labels, the verdicts themselves, and the liars' effect. */
    static Map<String, Object> score(final SyntheticFleet fleet, final JsonNode verdicts, final Map<Integer, FleetVerdicts.Lie> liars,
                                     final int homes) {
        final Map<String, Long> convicted = new TreeMap<>();
        final List<Map<String, Object>> list = new ArrayList<>();
        final Map<String, AgentSpec> specs = new TreeMap<>();
        fleet.agents().forEach(a -> specs.put(a.id(), a));
        for (final JsonNode v : verdicts) {
            final String agent = v.path("agent").asText();
            final AgentSpec spec = specs.get(agent);
            // a verdict is issued now, after every simulated (past) window: it counts as a detection of a compromised agent
            convicted.put(agent, spec != null && spec.compromised() ? spec.compromiseStartMicros() : v.path("issued_at_micros").asLong());
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", v.path("id").asText());
            m.put("agent", agent);
            m.put("truth", spec == null || !spec.compromised() ? "clean" : spec.mode().label());
            m.put("committee", "shard " + v.path("shard").asInt() + " epoch " + v.path("epoch").asLong() + " seq " + v.path("sequence").asLong());
            m.put("posterior", v.path("posterior").asDouble());
            m.put("signers", v.path("signers").asInt());
            m.put("observers", v.path("observers").size());
            list.add(m);
        }
        final Map<String, Object> s = DetectionScore.score(fleet.agents(), convicted);
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("precision", s.get("precision"));
        out.put("recall", s.get("recall"));
        out.put("detected", s.get("detected"));
        out.put("false_verdicts", s.get("false_alarms"));
        out.put("detected_by_mode", s.get("detected_by_mode"));
        int hidden = 0;
        int hiddenConvicted = 0;
        int framedClean = 0;
        int framedClearedClean = 0;
        for (int i = 0; i < fleet.agents().size(); i++) {
            final AgentSpec a = fleet.agents().get(i);
            final FleetVerdicts.Lie lie = liars.get(InProcessDetection.nodeOf(i, homes));
            if (lie == FleetVerdicts.Lie.HIDE && a.compromised()) {
                hidden++;
                hiddenConvicted += convicted.containsKey(a.id()) ? 1 : 0;
            }
            if (lie == FleetVerdicts.Lie.FRAME && !a.compromised()) {
                framedClean++;
                framedClearedClean += convicted.containsKey(a.id()) ? 0 : 1;
            }
        }
        out.put("liars", liars.size());
        out.put("compromised_hidden_by_their_home", hidden);
        out.put("of_them_convicted", hiddenConvicted);
        out.put("clean_framed_by_their_home", framedClean);
        out.put("of_them_not_convicted", framedClearedClean);
        out.put("verdicts", list);
        return out;
    }

    /** Writes ca.pub and every certificate (base64) into {@code dir}, one file per verdict. */
    static List<Path> writeCertificates(final HttpClient http, final String api, final JsonNode verdicts, final Path caPub,
                                        final Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Files.copy(caPub, dir.resolve("ca.pub"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        final List<Path> out = new ArrayList<>();
        for (final JsonNode v : verdicts) {
            final String id = v.path("id").asText();
            final JsonNode shown = get(http, URI.create(api + "/v1/verdicts/" + id));
            final Path file = dir.resolve(v.path("agent").asText() + "-" + id.substring(0, 16) + ".verdict");
            Files.writeString(file, shown.path("certificate_base64").asText() + "\n");
            out.add(file);
        }
        return out;
    }

    static void print(final PrintStream out, final Map<String, Object> v) {
        out.printf("%nfleet verdicts (committees of the daemons, certificates signed by 2f + 1 members):%n");
        @SuppressWarnings("unchecked")
        final List<Map<String, Object>> list = (List<Map<String, Object>>)v.get("verdicts");
        out.printf("  %-12s %-18s %-26s %10s %8s  %s%n", "AGENT", "TRUTH", "COMMITTEE", "POSTERIOR", "SIGNERS", "ID");
        for (final Map<String, Object> m : list) {
            out.printf("  %-12s %-18s %-26s %10.6f %8s  %s%n", m.get("agent"), m.get("truth"), m.get("committee"), m.get("posterior"),
                m.get("signers"), m.get("id"));
        }
        out.printf("verdict precision %s, recall %s (%s false verdicts); %s lying daemons: %s of %s compromised agents their home hid "
                + "were convicted, %s of %s clean agents their home framed were not%n", v.get("precision"), v.get("recall"),
            v.get("false_verdicts"), v.get("liars"), v.get("of_them_convicted"), v.get("compromised_hidden_by_their_home"),
            v.get("of_them_not_convicted"), v.get("clean_framed_by_their_home"));
    }

    private static JsonNode get(final HttpClient http, final URI uri) throws IOException, InterruptedException {
        final HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(uri + " answered HTTP " + r.statusCode() + ": " + r.body());
        }
        return new ObjectMapper().readTree(r.body());
    }
}
