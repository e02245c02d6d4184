package dev.vigil.daemon.net;

import dev.vigil.crypto.ClusterCa;
import dev.vigil.crypto.KeyFiles;
import dev.vigil.crypto.PrivateKey;
import dev.vigil.daemon.config.ConfigLoader;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Daemons on loopback with throwaway identities, for {@code vigil demo}, benchmarks and tests:
 * each gets a fresh key, a day-long certificate from the given CA, free ports and a YAML config
 * in {@code dir/NAME/}, and is started through {@link ConfigLoader} like {@code vigil run}.
 */
public final class LocalDaemons {
    private LocalDaemons() {
    }

    /** What local (test and demo) daemons size their stores for, unless told otherwise. */
    public static final int LOCAL_EXPECTED_AGENTS = 64;

    /** A fresh cluster CA whose public key is written to {@code dir/ca.pub}. */
    public static ClusterCa newCa(final Path dir) throws IOException {
        final ClusterCa ca = new ClusterCa(PrivateKey.generate(new SecureRandom()));
        Files.createDirectories(dir);
        KeyFiles.writePublicKey(dir.resolve("ca.pub"), ca.publicKey(), true);
        return ca;
    }

    /**
     * @param bootstrap  an address to join through, or null to found a fleet
     * @param otlp       whether to listen for OTLP/HTTP traces too
     * @param extraYaml  further top-level YAML lines (e.g. a {@code detection:} section)
     */
    public static Daemon start(final Path dir, final ClusterCa ca, final String name, final String bootstrap,
                               final boolean otlp, final String... extraYaml) throws IOException {
        final Path home = Files.createDirectories(dir.resolve(name));
        final PrivateKey key = PrivateKey.generate(new SecureRandom());
        KeyFiles.writePrivateKey(home.resolve("node.key"), key, false);
        KeyFiles.writeCertificate(home.resolve("node.crt"),
            ca.issue(key.publicKey(), Instant.now().minusSeconds(60), Duration.ofDays(1)), false);
        // A port found free may be taken before the daemon binds it (an outgoing connection's
        // ephemeral port comes from the same range): try again with other ports, a few times.
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(home, otlp, bootstrap, extraYaml);
            } catch (final dev.vigil.daemon.config.ConfigException e) {
                if (attempt >= BIND_ATTEMPTS || e.getMessage() == null || !e.getMessage().contains("Address already in use")) {
                    throw e;
                }
            }
        }
    }

    /** Tries of {@link #start} when a port found free was taken before the bind. */
    static final int BIND_ATTEMPTS = 3;

    private static Daemon startOnce(final Path home, final boolean otlp, final String bootstrap, final String... extraYaml)
        throws IOException {
        final List<String> yaml = new ArrayList<>(List.of(
            "data_dir: data",
            "listen:",
            "  peer: 127.0.0.1:" + freePort(),
            "  api: 127.0.0.1:" + freePort()));
        if (otlp) {
            yaml.add("  otlp: 127.0.0.1:" + freePort());
        }
        yaml.add("bootstrap: " + (bootstrap == null ? "[]" : "[\"" + bootstrap + "\"]"));
        yaml.addAll(List.of("identity:", "  key: node.key", "  certificate: node.crt", "  ca_public_key: ../ca.pub"));
        yaml.addAll(List.of(extraYaml));
        if (java.util.Arrays.stream(extraYaml).noneMatch(l -> l.startsWith("storage:"))) {
            // Stores sized for a handful of agents open in milliseconds; 1,000 (the default) take seconds to lay out.
            yaml.addAll(List.of("storage:", "  expected_agents: " + LOCAL_EXPECTED_AGENTS));
        }
        yaml.add("");
        Files.writeString(home.resolve("node.yaml"), String.join("\n", yaml));
        return Daemon.start(ConfigLoader.load(home.resolve("node.yaml")));
    }

    /** One daemon founding its own fleet, with its own CA. */
    public static Daemon startAlone(final Path dir, final boolean otlp, final String... extraYaml) throws IOException {
        return start(dir, newCa(dir), "node", null, otlp, extraYaml);
    }

    /** Deletes a folder and everything in it. */
    public static void deleteTree(final Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (final Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** A port free at the moment of asking (another process may still take it before it is bound). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
