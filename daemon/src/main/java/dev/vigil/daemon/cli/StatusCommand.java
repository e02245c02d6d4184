package dev.vigil.daemon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.daemon.config.ConfigException;
import dev.vigil.daemon.config.ConfigLoader;
import dev.vigil.daemon.config.HostPort;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vigil status}: what a running daemon says about itself. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show a running daemon's status: identity, peers with liveness and RTT, frame counters.")
final class StatusCommand implements Callable<Integer> {
    @Option(names = "--api", paramLabel = "HOST:PORT", description = "The daemon's API address (default: listen.api of --config, else 127.0.0.1:7480).")
    String api;

    @Option(names = "--config", paramLabel = "FILE", description = "Read the API address from this node config.")
    Path config;

    @Option(names = "--json", description = "Print the raw JSON of GET /v1/status.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        final HostPort target;
        try {
            target = api != null ? HostPort.parse(api)
                : config != null ? ConfigLoader.load(config).apiListen() : HostPort.parse("127.0.0.1:7480");
        } catch (final IllegalArgumentException | ConfigException e) {
            throw new CliException(e.getMessage());
        }
        final String host = target.isWildcard() ? "127.0.0.1" : target.host();
        final URI uri = URI.create("http://" + new HostPort(host, target.port()) + "/v1/status");
        final HttpResponse<String> response;
        try {
            response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build()
                .send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (final ConnectException e) {
            throw new CliException("no daemon answers at " + uri + " (is it running? is listen.api right?)");
        } catch (final IOException e) {
            throw new CliException("cannot read " + uri + ": " + e.getMessage());
        }
        if (response.statusCode() != 200) {
            throw new CliException(uri + " answered HTTP " + response.statusCode() + ": " + response.body());
        }
        if (json) {
            System.out.println(response.body());
            return 0;
        }
        print(new ObjectMapper().readTree(response.body()));
        return 0;
    }

    private static void print(final JsonNode s) {
        System.out.printf("node %s  version %s  up %.0f s  %s%n", s.path("node_id").asText(), s.path("version").asText(),
            s.path("uptime_s").asDouble(), s.path("accepted").asBoolean() ? "accepted" : "not yet accepted");
        System.out.printf("peer address %s (listening on %s), API %s, transport %s%n", s.path("advertised_address").asText(),
            s.path("listen").path("peer").asText(), s.path("listen").path("api").asText(), s.path("transport").path("io").asText());
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
        for (final JsonNode r : s.path("refusals")) {
            System.out.printf("  refused node %s%s: %s (%d frames)%n", r.path("node_id").asText(),
                r.path("address").isNull() ? "" : " at " + r.path("address").asText(), r.path("detail").asText(), r.path("frames").asLong());
        }
    }
}
