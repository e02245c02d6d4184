package dev.vigil.daemon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.crypto.KeyFiles;
import dev.vigil.crypto.PrivateKey;
import dev.vigil.daemon.api.OperatorCommand;
import dev.vigil.daemon.api.TimeArgs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;

/** {@code vigil agents}: the agents a running daemon watches, one agent's history, and releasing one. */
@Command(name = "agents", mixinStandardHelpOptions = true,
    description = "List the agents a daemon watches, show one agent's history, or release an agent (signed operator command).",
    subcommands = {AgentsCommand.ListAgents.class, AgentsCommand.Show.class, AgentsCommand.Release.class})
final class AgentsCommand implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    @Override
    public void run() {
        throw new CliException("say what to do: vigil agents list | show ID [--since 7d] | release ID --ca-key FILE");
    }

    static HttpResponse<String> send(final HttpRequest request) throws InterruptedException {
        return ApiTarget.send(request);
    }

    static JsonNode ok(final HttpResponse<String> r) throws IOException {
        if (r.statusCode() != 200) {
            String message = r.body();
            try {
                message = JSON.readTree(r.body()).path("error").asText(r.body());
            } catch (final IOException e) {
                // not JSON: show it as it is
            }
            throw new CliException(r.uri().getPath() + " answered HTTP " + r.statusCode() + ": " + message);
        }
        return JSON.readTree(r.body());
    }

    static String path(final String agent) {
        return URLEncoder.encode(agent, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "One line per agent: status, CUSUM, observations, last seen.")
    static final class ListAgents implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        ApiTarget target;

        @Option(names = "--json", description = "Print the raw JSON of GET /v1/agents.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            final java.net.http.HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(target.base() + "/v1/agents")).GET().build());
            final JsonNode agents = ok(response).path("agents");
            if (json) {
                System.out.println(response.body());
                return 0;
            }
            System.out.printf("%-32s %-12s %-8s %9s %12s  %s%n", "AGENT", "ROLE", "STATUS", "CUSUM", "OBSERVATIONS", "LAST SEEN (UTC)");
            for (final JsonNode a : agents) {
                System.out.printf("%-32s %-12s %-8s %9.2f %12d  %s%n", a.path("agent").asText(), a.path("role").asText("-"),
                    a.path("status").asText(), a.path("cusum").asDouble(), a.path("observations").asLong(),
                    TIME.format(Instant.ofEpochSecond(0, a.path("last_ts_micros").asLong() * 1000)));
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
        description = "An agent's history: per step, observations, score, state and each feature's mean ± sd (from the finest tier that covers the range).")
    static final class Show implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        ApiTarget target;

        @Parameters(paramLabel = "ID", description = "The agent.")
        String agent;

        @Option(names = "--since", paramLabel = "DURATION", defaultValue = "24h", description = "How far back (e.g. 90m, 24h, 7d; default ${DEFAULT-VALUE}).")
        String since;

        @Option(names = "--step", paramLabel = "DURATION", description = "Width of each line (default: about 240 lines over the range).")
        String step;

        @Option(names = "--json", description = "Print the raw JSON of GET /v1/agents/ID/series.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            try {
                TimeArgs.durationMicros("--since", since);
                if (step != null) {
                    TimeArgs.durationMicros("--step", step);
                }
            } catch (final IllegalArgumentException e) {
                throw new CliException(e.getMessage());
            }
            final String query = "?from=-" + since + (step == null ? "" : "&step=" + step);
            final HttpResponse<String> r = send(HttpRequest.newBuilder(
                URI.create(target.base() + "/v1/agents/" + path(agent) + "/series" + query)).GET().build());
            final JsonNode s = ok(r);
            if (json) {
                System.out.println(r.body());
                return 0;
            }
            final JsonNode features = ok(send(HttpRequest.newBuilder(URI.create(target.base() + "/v1/agents/" + path(agent))).GET().build()))
                .path("baseline");
            System.out.printf("agent %s: %s tier, step %s%s%n", agent, s.path("tier").asText(),
                Duration.ofNanos(s.path("step_us").asLong() * 1000).toString().substring(2).toLowerCase(java.util.Locale.ROOT),
                s.path("pinned").asBoolean() ? ", pinned (raw data kept until released)" : "");
            final StringBuilder head = new StringBuilder(String.format("%-16s %7s %9s %8s %-8s", "TIME (UTC)", "COUNT", "D2 MAX", "CUSUM", "STATUS"));
            for (final JsonNode f : features) {
                head.append(String.format(" %20s", f.path("feature").asText()));
            }
            System.out.println(head);
            for (final JsonNode p : s.path("points")) {
                if (p.path("count").asLong() == 0) {
                    continue;
                }
                final StringBuilder line = new StringBuilder(String.format("%-16s %7d %9s %8.2f %-8s",
                    TIME.format(Instant.ofEpochSecond(0, p.path("t_us").asLong() * 1000)), p.path("count").asLong(),
                    p.path("d2_max").isNull() ? "-" : String.format("%.2f", p.path("d2_max").asDouble()),
                    p.path("cusum").asDouble(), p.path("status").asText()));
                for (int i = 0; i < p.path("mean").size(); i++) {
                    line.append(String.format(" %20s", String.format("%.4g ± %.3g", p.path("mean").get(i).asDouble(), p.path("sd").get(i).asDouble())));
                }
                System.out.println(line);
            }
            return 0;
        }
    }

    @Command(name = "release", mixinStandardHelpOptions = true,
        description = "Release an agent: back to normal with a fresh CUSUM, and its raw data no longer pinned. Signed with the cluster CA key.")
    static final class Release implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        ApiTarget target;

        @Parameters(paramLabel = "ID", description = "The agent.")
        String agent;

        @Option(names = "--ca-key", paramLabel = "FILE", required = true, description = "The cluster CA's private key (vigil ca init).")
        Path caKey;

        @Override
        public Integer call() throws Exception {
            final PrivateKey key;
            try {
                key = KeyFiles.readPrivateKey(caKey);
            } catch (final IOException | RuntimeException e) {
                throw new CliException("cannot read the CA key " + caKey + ": " + e.getMessage());
            }
            final OperatorCommand c = OperatorCommand.sign(key, "release", agent, Instant.now().getEpochSecond());
            final JsonNode r = ok(send(HttpRequest.newBuilder(URI.create(target.base() + "/v1/agents/" + path(agent) + "/release"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(c.toJson()))).build()));
            System.out.println("released " + agent + (r.path("was_pinned").asBoolean() ? " (its raw data is no longer pinned)" : ""));
            return 0;
        }
    }
}
