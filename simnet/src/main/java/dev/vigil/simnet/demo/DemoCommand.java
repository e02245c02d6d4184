package dev.vigil.simnet.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vigil.crypto.ClusterCa;
import dev.vigil.crypto.KeyFiles;
import dev.vigil.crypto.NodeIds;
import dev.vigil.crypto.PrivateKey;
import dev.vigil.daemon.detect.FeatureSchema;
import dev.vigil.daemon.cli.Logs;
import dev.vigil.daemon.cli.Progress;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code vigil demo}: a few real daemons on loopback (fresh CA, keys and data dirs under a
 * temporary folder) that form a fleet tree, a synthetic fleet of AI agents spread over them
 * round robin and driven in over the HTTP ingest API, a few simulated hours compressed into
 * seconds, and at the end the fleet tree and the agents Vigil flagged, when and why, scored
 * against the fleet's labels. Exit status 1 when the tree did not form (every node placed under
 * one root) within {@link #TREE_FORMED_WITHIN_S}; the detection figures are printed either way.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {
        "Start local daemons that form a fleet tree and drive a synthetic fleet of AI agents (some compromised) into",
        "them over the HTTP ingest; print the tree, the agents that were flagged, when and why, and precision, recall",
        "and detection delay."})
public final class DemoCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Daemons one demo may start: each runs two event-loop threads in this process. */
    static final int NODES_MAX = 64;
    /** How long the demo waits for every node to be placed under one root before it goes on without. */
    static final int TREE_FORMED_WITHIN_S = 30;
    /** How long, after the last observation, the nodes' statistics may take to reach the root. */
    static final int SUMMARY_UP_WITHIN_S = 10;
    private static final long POLL_MS = 100;

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

    @Option(names = "--nodes", defaultValue = "5",
        description = "Daemons on loopback; agents are spread over them round robin (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--gateways", defaultValue = "3",
        description = "Gateway daemons (an LLM gateway, a tool server, an egress proxy per 3) that also observe the agents; "
            + "0 or a multiple of 3 (default: ${DEFAULT-VALUE}).")
    int gateways;

    @Option(names = "--liars", defaultValue = "0",
        description = "Home daemons that lie to the committees: the first hides its compromised agents, the next frames its clean ones, "
            + "and so on (default: ${DEFAULT-VALUE}).")
    int liars;

    @Option(names = "--certificates-out", paramLabel = "DIR",
        description = "Write every verdict certificate (base64) and ca.pub there, for vigil verdicts verify.")
    Path certificatesOut;

    @Option(names = "--json", description = "Print the result as JSON (progress goes to stderr).")
    boolean json;

    @Option(names = "--log-file", paramLabel = "FILE", defaultValue = "vigil-demo.log",
        description = "Where the daemons' log lines go, appended (default: ${DEFAULT-VALUE} in the working directory).")
    Path logFile;

    @Option(names = "--alertmanager", paramLabel = "URL",
        description = "An Alertmanager base URL every daemon sends its alerts to (alerting.alertmanager); repeatable.")
    List<String> alertmanagers = new ArrayList<>();

    @Option(names = "--keep-running", description = "After the report, keep the fleet up (their dashboards open in a browser) "
        + "until interrupted (Ctrl-C), then stop the daemons and delete their data.")
    boolean keepRunning;

    @Override
    public Integer call() throws Exception {
        if (agents < 1 || agents > FleetParams.AGENTS_MAX || !(hours >= 1) || hours > 24 * 31
            || batch < 1 || batch > dev.vigil.daemon.ingest.ObservationBatch.ROWS_MAX || nodes < 1 || nodes > NODES_MAX
            || gateways < 0 || gateways % 3 != 0 || nodes + gateways > NODES_MAX || liars < 0 || liars > nodes - 1) {
            System.err.println("vigil demo: --agents in [1, " + FleetParams.AGENTS_MAX + "], --hours in [1, 744], --batch in [1, "
                + dev.vigil.daemon.ingest.ObservationBatch.ROWS_MAX + "], --nodes in [1, " + NODES_MAX + "], --gateways 0 or a multiple of 3 "
                + "with --nodes + --gateways at most " + NODES_MAX + ", --liars in [0, --nodes - 1]");
            return 2;
        }
        final PrintStream progress = json ? System.err : System.out;
        // the daemons run in this process: their lines go to the log file, the demo's own to the terminal
        final Path logs = logFile.toAbsolutePath();
        Logs.toFile(logs);
        progress.printf("vigil demo: the daemons' logs go to %s%n", logs);
        try {
            return run(progress);
        } finally {
            Logs.toStderr(Logs.format());
        }
    }

    private Integer run(final PrintStream progress) throws Exception {
        final Path dir = Files.createTempDirectory("vigil-demo-");
        final List<Daemon> daemons = new ArrayList<>();
        try {
            final long t0 = System.nanoTime();
            final PrivateKey caKey = PrivateKey.generate(new java.security.SecureRandom());
            final ClusterCa ca = new ClusterCa(caKey);
            KeyFiles.writePublicKey(dir.resolve("ca.pub"), ca.publicKey(), true);
            // real stores, sized for the agents each daemon gets (agent i reports to node i mod N)
            // the demo covers hours, not weeks: a day of minutes and two of hours, a thousand certificates
            // (laying out a week's stores on eight daemons took most of the demo's start)
            String[] storage = {"storage:", "  expected_agents: " + Math.max(LocalDaemons.LOCAL_EXPECTED_AGENTS, (agents + nodes - 1) / nodes),
                "  minute_retention_days: 1", "  hour_retention_days: 2",
                "verdicts:", "  directory_interval_ms: 1000", "  certificates_max: 1000"};
            String[] gatewayStorage = {"storage:", "  expected_agents: " + Math.max(LocalDaemons.LOCAL_EXPECTED_AGENTS,
                gateways == 0 ? 1 : 2 * agents / gateways + 1), "  minute_retention_days: 1", "  hour_retention_days: 2",
                "verdicts:", "  directory_interval_ms: 1000", "  certificates_max: 1000",
                // a gateway sees parts of other hosts' agents: its statistics are not the fleet's behaviour
                "tree:", "  contribute_statistics: false"};
            final String[] alerting = alerting();
            storage = concat(storage, alerting);
            gatewayStorage = concat(gatewayStorage, alerting);
            daemons.add(LocalDaemons.start(dir, ca, "node0", null, false, storage));
            final String bootstrap = "127.0.0.1:" + daemons.get(0).peerAddress().getPort();
            // the others start side by side (each opens its own stores, most of a start), then join through node0
            final List<CompletableFuture<Daemon>> starting = new ArrayList<>();
            for (int i = 1; i < nodes + gateways; i++) {
                final String name = i < nodes ? "node" + i : "gateway" + (i - nodes);
                final String[] yaml = i < nodes ? storage : gatewayStorage;
                starting.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return LocalDaemons.start(dir, ca, name, bootstrap, false, yaml);
                    } catch (final IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }));
            }
            RuntimeException failed = null;
            for (final CompletableFuture<Daemon> f : starting) {
                try {
                    daemons.add(f.join());
                } catch (final RuntimeException e) {
                    failed = failed == null ? e : failed; // the others still join the list, so that they are stopped
                }
            }
            if (failed != null) {
                throw failed;
            }
            final double upAfterS = (System.nanoTime() - t0) / 1e9;
            final List<String> apis = new ArrayList<>();
            final Map<String, String> names = new TreeMap<>();
            for (int i = 0; i < daemons.size(); i++) {
                apis.add("http://127.0.0.1:" + daemons.get(i).apiAddress().getPort());
                names.put(NodeIds.toHex(daemons.get(i).nodeId()), "node" + i);
            }
            progress.printf("vigil demo: %d daemon%s and %d gateway daemons up on loopback after %.1f s (node0 %s founds the fleet%s), APIs %s, data dir %s%n",
                nodes, nodes == 1 ? "" : "s", gateways, upAfterS, NodeIds.toHex(daemons.get(0).nodeId()), nodes == 1 ? "" : ", the others join through it",
                apis.size() <= 3 ? apis : apis.get(0) + " .. " + apis.get(apis.size() - 1), dir);
            progress.printf("dashboard: %s/ (any daemon's API serves its own)%n", apis.get(0));
            final HttpClient http = HttpClient.newHttpClient();
            final TreeSnapshot formedAt = awaitTree(http, apis, names, t0);
            if (formedAt.formed()) {
                progress.printf("tree formed after %.1f s: %d node%s placed under root %s, depth %d%n", formedAt.formedAfterS(), nodes,
                    nodes == 1 ? "" : "s", formedAt.label(formedAt.rootId()), formedAt.depth());
            } else {
                progress.printf("tree NOT formed within %d s (%s); the demo goes on without it%n", TREE_FORMED_WITHIN_S, formedAt.problem());
            }
            final double committeesAfterS = DemoVerdicts.awaitCommittees(daemons);
            progress.printf(committeesAfterS >= 0 ? "committees stand after %.1f s more: the root's directory lists all %d daemons%n"
                : "committees did NOT stand within %.0f s; the demo goes on (verdicts may be missing)%n",
                committeesAfterS >= 0 ? committeesAfterS : DemoVerdicts.READY_WITHIN_S, daemons.size());
            final Map<Integer, dev.vigil.daemon.verdict.FleetVerdicts.Lie> lying = DemoVerdicts.makeLiars(daemons.subList(0, nodes), liars);
            if (!lying.isEmpty()) {
                progress.printf("lying daemons: %s%n", lying);
            }
            final FleetParams params = fleetParams(Instant.now().getEpochSecond() / 86_400 * 86_400);
            final long startMicros = params.startEpochMicros();
            final SyntheticFleet fleet = new SyntheticFleet(params);
            progress.printf("fleet: %d agents (round robin over %d node%s), %d compromised (modes hidden until the end), %.1f simulated hours, seed %d%n",
                agents, nodes, nodes == 1 ? "" : "s", fleet.agents().stream().filter(AgentSpec::compromised).count(), hours, seed);
            final long driveStart = System.nanoTime();
            final long observations = drive(fleet, http, apis, progress, startMicros);
            final double wallS = (System.nanoTime() - driveStart) / 1e9;
            final TreeSnapshot tree = awaitStatisticsAtRoot(http, apis, names, daemons, formedAt, progress);
            final Result result = collect(http, apis.subList(0, nodes), fleet, startMicros);
            final com.fasterxml.jackson.databind.JsonNode verdictList = DemoVerdicts.awaitVerdicts(http, apis.get(0));
            final Map<String, Object> verdicts = DemoVerdicts.score(fleet, verdictList, lying, nodes);
            if (certificatesOut != null) {
                final List<Path> files = DemoVerdicts.writeCertificates(http, apis.get(0), verdictList, dir.resolve("ca.pub"), certificatesOut);
                progress.printf("%d certificates and ca.pub written to %s (check one: vigil verdicts verify FILE --ca %s)%n", files.size(),
                    certificatesOut, certificatesOut.resolve("ca.pub"));
            }
            final Map<String, Object> out = new LinkedHashMap<>(DetectionScore.score(fleet.agents(), result.alarmed));
            out.put("observations", observations);
            out.put("simulated_hours", hours);
            out.put("nodes", nodes);
            out.put("wall_s", Math.round(wallS * 10) / 10.0);
            out.put("observations_per_wall_s", Math.round(observations / wallS));
            out.put("flagged_agents", result.flagged);
            out.put("tree", tree.asMap());
            out.put("gateways", gateways);
            out.put("verdict_precision", verdicts.get("precision"));
            out.put("verdict_recall", verdicts.get("recall"));
            out.put("fleet_verdicts", verdicts);
            if (json) {
                System.out.println(JSON.writeValueAsString(out));
            } else {
                print(out, result.flagged);
                DemoVerdicts.print(System.out, verdicts);
                System.out.println();
                tree.print(System.out);
            }
            if (!tree.formed()) {
                System.err.println("vigil demo: the fleet tree did not form: " + tree.problem());
                return 1;
            }
            if (keepRunning) {
                KeyFiles.writePrivateKey(dir.resolve("ca.key"), caKey, false);
                keepUntilInterrupted(daemons, dir, apis);
            }
            return 0;
        } finally {
            for (int i = daemons.size() - 1; i >= 0; i--) {
                daemons.get(i).close();
            }
            LocalDaemons.deleteTree(dir);
        }
    }

    /** The {@code alerting:} section for {@code --alertmanager}, or nothing. */
    private String[] alerting() {
        if (alertmanagers.isEmpty()) {
            return new String[0];
        }
        final StringBuilder urls = new StringBuilder();
        for (final String url : alertmanagers) {
            urls.append(urls.length() == 0 ? "" : ", ").append('"').append(url.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return new String[] {"alerting:", "  alertmanager: [" + urls + "]"};
    }

    private static String[] concat(final String[] a, final String[] b) {
        final String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * Keeps the daemons serving until the JVM is asked to stop (SIGINT, SIGTERM); a shutdown hook
     * then closes them and deletes their data, since the {@code finally} of a halting JVM does not run.
     * This thread waits for good: the JVM halts once the hook is done.
     */
    private void keepUntilInterrupted(final List<Daemon> daemons, final Path dir, final List<String> apis) throws InterruptedException {
        final java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (int i = daemons.size() - 1; i >= 0; i--) {
                daemons.get(i).close();
            }
            try {
                LocalDaemons.deleteTree(dir);
            } catch (final java.io.IOException e) {
                System.err.println("vigil demo: could not delete " + dir + ": " + e.getMessage());
            }
        }, "demo-stop"));
        System.err.printf("%nvigil demo: the fleet stays up; dashboards at %s/ .. %s/ (Ctrl-C stops it)%n"
            + "the fleet's CA key, for releases: %s (e.g. vigil verdicts release ID --ca-key %s --api %s)%n", apis.get(0),
            apis.get(apis.size() - 1), dir.resolve("ca.key"), dir.resolve("ca.key"), apis.get(0).substring("http://".length()));
        never.await();
    }

    /**
     * The fleet this demo drives: {@code --agents}, {@code --compromised} and {@code --seed}, the
     * default window, {@code --hours} ending at {@code midnightEpochSeconds} (the demo passes the
     * last midnight UTC: every timestamp is in the past, as real reports would be, and the fleet's
     * daily rhythm, by UTC hour, is the same on every run), no compromise in the first quarter of
     * the run or the first hour, whichever is shorter.
     */
    FleetParams fleetParams(final long midnightEpochSeconds) {
        final FleetParams d = FleetParams.defaults(seed);
        final long durationS = Math.round(hours * 3600);
        final long startMicros = (midnightEpochSeconds - durationS) / d.windowSeconds() * d.windowSeconds() * 1_000_000L;
        return new FleetParams(seed, agents, compromised, d.windowSeconds(), startMicros, durationS,
            Math.min(d.compromiseEarliestSeconds(), durationS / 4), gateways == 0 ? 0 : 2, Math.max(1, gateways / 3));
    }

    /** Polls every node's {@code /v1/tree} until the tree has formed, or {@link #TREE_FORMED_WITHIN_S} has passed. */
    private static TreeSnapshot awaitTree(final HttpClient http, final List<String> apis, final Map<String, String> names,
                                          final long t0) throws IOException, InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TREE_FORMED_WITHIN_S);
        while (true) {
            final TreeSnapshot s = TreeSnapshot.of(trees(http, apis), names, (System.nanoTime() - t0) / 1e9);
            if (s.formed() || System.nanoTime() > deadline) {
                return s;
            }
            Thread.sleep(POLL_MS);
        }
    }

    /**
     * Hands every node's final window statistics to its tree now (rather than at the daemons' next
     * timer tick) and waits, at most {@link #SUMMARY_UP_WITHIN_S}, until the root's aggregate
     * covers every node and agent; returns the tree as it then stands.
     */
    private TreeSnapshot awaitStatisticsAtRoot(final HttpClient http, final List<String> apis, final Map<String, String> names,
                                               final List<Daemon> daemons, final TreeSnapshot formedAt, final PrintStream progress)
        throws IOException, InterruptedException {
        final List<CompletableFuture<Boolean>> published = new ArrayList<>();
        for (final Daemon daemon : daemons) {
            published.add(daemon.publishSummaryNow());
        }
        CompletableFuture.allOf(published.toArray(CompletableFuture[]::new)).join();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SUMMARY_UP_WITHIN_S);
        while (true) {
            final TreeSnapshot s = TreeSnapshot.of(trees(http, apis), names, formedAt.formedAfterS());
            // the gateway daemons are tree members too
            if (s.rootCovers(nodes + gateways, agents)) {
                return s;
            }
            if (System.nanoTime() > deadline) {
                if (s.formed()) {
                    progress.printf("the root's aggregate did not cover all %d daemons and %d agents within %d s%n", nodes + gateways, agents,
                        SUMMARY_UP_WITHIN_S);
                }
                return s;
            }
            Thread.sleep(POLL_MS);
        }
    }

    private static List<JsonNode> trees(final HttpClient http, final List<String> apis) throws IOException, InterruptedException {
        final List<JsonNode> out = new ArrayList<>(apis.size());
        for (final String api : apis) {
            out.add(get(http, URI.create(api + "/v1/tree")));
        }
        return out;
    }

    /**
     * Posts every window's observations in batches, agent i to node i mod N, all nodes' batches
     * at once. Progress: a bar on stderr when it is a terminal, otherwise a line at each tenth to
     * {@code progress} (stdout, or stderr with --json); the suspect and alarmed counts are asked
     * of the daemons at each tenth.
     */
    private long drive(final SyntheticFleet fleet, final HttpClient http, final List<String> apis, final PrintStream progress,
                       final long startMicros) throws IOException, InterruptedException {
        final int n = apis.size();
        final List<URI> ingest = new ArrayList<>(n);
        apis.forEach(api -> ingest.add(URI.create(api + "/v1/observations")));
        final int homes = nodes;
        final Map<String, Integer> nodeOf = new TreeMap<>();
        final int[] agentsOn = new int[n];
        for (int i = 0; i < fleet.agents().size(); i++) {
            final int node = InProcessDetection.nodeOf(i, homes);
            nodeOf.put(fleet.agents().get(i).id(), node);
            agentsOn[node]++;
        }
        for (final dev.vigil.simnet.fleet.ObserverHost h : fleet.observerHosts()) {
            agentsOn[homes + h.index()] = fleet.observedBy(h).size();
        }
        final FeatureSchema schema = FeatureSchema.agentDefault();
        final StringBuilder[] bodies = new StringBuilder[n];
        for (int i = 0; i < n; i++) {
            bodies[i] = new StringBuilder(batch * 400);
        }
        final int[] rows = new int[n];
        long sent = 0;
        final long windows = fleet.params().windows();
        final long simulatedTotal = (long)(hours * 3600);
        final Progress bar = Progress.forWork(progress);
        int nextReport = 1;
        int suspect = 0;
        int alarmed = 0;
        while (fleet.hasNext()) {
            fleet.nextWindow((agent, windowEndMicros, raw, compromisedNow) -> {
                final int node = nodeOf.get(agent.id());
                row(bodies[node], rows[node]++, agent, windowEndMicros, raw, schema);
            }, (host, windowEndMicros, seen) -> {
                // a gateway daemon sees the calling agents in its server-side spans
                final int node = homes + host.index();
                for (final dev.vigil.simnet.fleet.ObservedAgent o : seen) {
                    row(bodies[node], rows[node]++, o.agent(), windowEndMicros, o.raw(), schema);
                }
            });
            // post before the next window could push a batch past the API's row bound
            final List<CompletableFuture<Integer>> posts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (rows[i] > 0 && (rows[i] >= batch || rows[i] + agentsOn[i] > dev.vigil.daemon.ingest.ObservationBatch.ROWS_MAX
                    || !fleet.hasNext())) {
                    posts.add(post(http, ingest.get(i), bodies[i].append(']').toString(), rows[i]));
                    bodies[i].setLength(0);
                    rows[i] = 0;
                }
            }
            for (final CompletableFuture<Integer> p : posts) {
                sent += await(p);
            }
            final int done = fleet.windowsGenerated();
            if (done * 10L >= nextReport * windows) {
                suspect = 0;
                alarmed = 0;
                for (final String api : apis.subList(0, homes)) {
                    final JsonNode status = get(http, URI.create(api + "/v1/status")).path("detection");
                    suspect += status.path("suspect").asInt();
                    alarmed += status.path("alarmed").asInt();
                }
                while (done * 10L >= nextReport * windows) {
                    nextReport++;
                }
            }
            final long simulated = Math.min((fleet.nowMicros() - startMicros) / 1_000_000L, simulatedTotal);
            bar.update((double)done / windows, String.format("simulated %s of %s  %,d observations  %d suspect, %d alarmed",
                Progress.duration(simulated), Progress.duration(simulatedTotal), sent, suspect, alarmed));
        }
        bar.done(String.format("simulated %s  %,d observations  %d suspect, %d alarmed", Progress.duration(simulatedTotal), sent,
            suspect, alarmed));
        return sent;
    }

    private static void row(final StringBuilder body, final int before, final AgentSpec agent, final long windowEndMicros, final double[] raw,
                            final FeatureSchema schema) {
        body.append(before == 0 ? "[" : ",").append("{\"agent\":\"").append(agent.id())
            .append("\",\"role\":\"").append(agent.role()).append("\",\"ts\":").append(windowEndMicros / 1_000_000L)
            .append('.').append(String.format("%06d", windowEndMicros % 1_000_000L)).append(",\"features\":{");
        for (int i = 0; i < raw.length; i++) {
            body.append(i == 0 ? "\"" : ",\"").append(schema.feature(i).name()).append("\":").append(raw[i]);
        }
        body.append("}}");
    }

    private static int await(final CompletableFuture<Integer> post) throws IOException, InterruptedException {
        try {
            return post.get();
        } catch (final java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        }
    }

    /** One batch to one node; completes with the rows accepted, or an {@link IOException} unless all were. */
    private static CompletableFuture<Integer> post(final HttpClient http, final URI uri, final String body, final int rows) {
        return http.sendAsync(HttpRequest.newBuilder(uri).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())
            .thenApply(r -> {
                if (r.statusCode() != 200) {
                    throw new java.util.concurrent.CompletionException(
                        new IOException(uri + " answered HTTP " + r.statusCode() + ": " + r.body()));
                }
                final int accepted;
                try {
                    accepted = new ObjectMapper().readTree(r.body()).path("accepted").asInt();
                } catch (final IOException e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
                if (accepted != rows) {
                    throw new java.util.concurrent.CompletionException(
                        new IOException(uri + " accepted " + accepted + " of " + rows + " rows: " + r.body()));
                }
                return accepted;
            });
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

    /** Reads the verdicts back through every node's API, as an operator would. */
    private static Result collect(final HttpClient http, final List<String> apis, final SyntheticFleet fleet, final long startMicros)
        throws IOException, InterruptedException {
        final Map<String, AgentSpec> specs = new TreeMap<>();
        fleet.agents().forEach(a -> specs.put(a.id(), a));
        final Map<String, Long> alarmed = new TreeMap<>();
        final List<Map<String, Object>> flagged = new ArrayList<>();
        for (final String api : apis) {
            collect(http, api, specs, startMicros, alarmed, flagged);
        }
        flagged.sort(Comparator.comparingLong((Map<String, Object> f) -> (Long)f.get("alarmed_at_s"))
            .thenComparing(f -> (String)f.get("agent")));
        return new Result(alarmed, flagged);
    }

    private static void collect(final HttpClient http, final String api, final Map<String, AgentSpec> specs, final long startMicros,
                                final Map<String, Long> alarmed, final List<Map<String, Object>> flagged)
        throws IOException, InterruptedException {
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
        System.out.printf("%,d observations over HTTP to %s node%s in %s s (%,d per second)%n", out.get("observations"), out.get("nodes"),
            Integer.valueOf(1).equals(out.get("nodes")) ? "" : "s", out.get("wall_s"), out.get("observations_per_wall_s"));
    }

    private static String clock(final long seconds) {
        return String.format("%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }


}
