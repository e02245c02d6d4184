package dev.vigil.daemon.testing;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A child JVM for the tests that kill a process with SIGKILL: the test's own java binary, its
 * Chronicle and module flags, its class path, a small heap.
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    /** The command line that runs {@code mainClass} with {@code args} in a JVM like this one ({@code -ea}: with assertions). */
    public static List<String> command(final boolean assertions, final String mainClass, final String... args) {
        final List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-") || arg.startsWith("-Dchronicle") || arg.startsWith("--sun-misc")) {
                cmd.add(arg);
            }
        }
        cmd.add("-Xmx256m");
        if (assertions) {
            cmd.add("-ea");
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** {@code vigil run --config home/node.yaml} in a child JVM, its output appended to {@code home/daemon.log}. */
    public static Process daemon(final Path home) throws IOException {
        return new ProcessBuilder(command(false, "dev.vigil.daemon.cli.Main", "run", "--config", home.resolve("node.yaml").toString()))
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("daemon.log").toFile())).start();
    }

    /** Waits (at most 60 s) until the daemon at {@code base} answers {@code /healthz} with 200. */
    public static void awaitHealthy(final HttpClient http, final String base) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
            .until(() -> http.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
    }
}
