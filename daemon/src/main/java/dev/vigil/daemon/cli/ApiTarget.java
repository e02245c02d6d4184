package dev.vigil.daemon.cli;

import dev.vigil.daemon.config.ConfigException;
import dev.vigil.daemon.config.ConfigLoader;
import dev.vigil.daemon.config.HostPort;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** Where a running daemon's API is, for the commands that talk to one (a picocli mixin). */
final class ApiTarget {
    @Option(names = "--api", paramLabel = "HOST:PORT", description = "The daemon's API address (default: listen.api of --config, else 127.0.0.1:7480).")
    String api;

    @Option(names = "--config", paramLabel = "FILE", description = "Read the API address from this node config.")
    Path config;

    /** {@code http://host:port} of the API. */
    String base() {
        final HostPort target;
        try {
            target = api != null ? HostPort.parse(api)
                : config != null ? ConfigLoader.load(config).apiListen() : HostPort.parse("127.0.0.1:7480");
        } catch (final IllegalArgumentException | ConfigException e) {
            throw new CliException(e.getMessage());
        }
        final String host = target.isWildcard() ? "127.0.0.1" : target.host();
        return "http://" + new HostPort(host, target.port());
    }

    /** Sends a request; a daemon that does not answer is a {@link CliException} that says so. */
    static HttpResponse<String> send(final HttpRequest request) throws InterruptedException {
        try {
            return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (final ConnectException e) {
            throw new CliException("no daemon answers at " + request.uri() + " (is it running? is listen.api right?)");
        } catch (final IOException e) {
            throw new CliException("cannot read " + request.uri() + ": " + e.getMessage());
        }
    }
}
