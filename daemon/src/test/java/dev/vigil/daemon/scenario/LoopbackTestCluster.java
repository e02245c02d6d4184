package dev.vigil.daemon.scenario;

import dev.vigil.crypto.Certificate;
import dev.vigil.crypto.ClusterCa;
import dev.vigil.crypto.KeyFiles;
import dev.vigil.crypto.NodeIds;
import dev.vigil.crypto.PrivateKey;
import dev.vigil.daemon.config.ConfigLoader;
import dev.vigil.daemon.core.NodeStatus;
import dev.vigil.daemon.net.Daemon;
import dev.vigil.daemon.stats.Moments;
import dev.vigil.daemon.tree.TreeConfig;
import dev.vigil.daemon.tree.TreeNode;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.fail;

/**
 * Real daemons on loopback: each node gets its own key files, certificate, YAML config, data
 * dir and ports, and is started with the same {@link ConfigLoader} and {@link Daemon} that
 * {@code vigil run} uses. Waiting is wall-clock time, through Awaitility.
 */
public final class LoopbackTestCluster implements TestCluster {
    private final Path dir;
    private final ClusterCa ca;
    private final ClusterCa foreignCa;
    private final TreeConfig tree;
    private final List<Node> nodes = new ArrayList<>();

    private static final class Node {
        final Path config;
        final String nodeId;
        Daemon daemon;

        Node(final Path config, final String nodeId) {
            this.config = config;
            this.nodeId = nodeId;
        }
    }

    public LoopbackTestCluster(final Path dir) {
        this(dir, null);
    }

    /** Every node gets {@code tree}'s B, join delay, SWIM period and view refresh ({@code null}: the defaults). */
    public LoopbackTestCluster(final Path dir, final TreeConfig tree) {
        this.dir = dir;
        this.tree = tree;
        final SecureRandom random = new SecureRandom();
        this.ca = new ClusterCa(PrivateKey.generate(random));
        this.foreignCa = new ClusterCa(PrivateKey.generate(random));
        try {
            KeyFiles.writePublicKey(dir.resolve("ca.pub"), ca.publicKey(), false);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public int startNode() {
        return add(ca);
    }

    @Override
    public int startNodeFromForeignCa() {
        return add(foreignCa);
    }

    private int add(final ClusterCa issuer) {
        final int index = nodes.size();
        final Path home = dir.resolve("node" + index);
        try {
            Files.createDirectories(home);
            final PrivateKey key = PrivateKey.generate(new SecureRandom());
            final Certificate certificate = issuer.issue(key.publicKey(), Instant.now().minusSeconds(60), Duration.ofDays(1));
            KeyFiles.writePrivateKey(home.resolve("node.key"), key, false);
            KeyFiles.writeCertificate(home.resolve("node.crt"), certificate, false);
            final int peerPort = freePort();
            final int apiPort = freePort();
            final String bootstrap = nodes.isEmpty() ? "[]" : "[\"" + bootstrapAddress() + "\"]";
            final Path config = home.resolve("node.yaml");
            Files.writeString(config, String.join("\n",
                "data_dir: data",
                "listen:",
                "  peer: 127.0.0.1:" + peerPort,
                "  api: 127.0.0.1:" + apiPort,
                "bootstrap: " + bootstrap,
                "identity:",
                "  key: node.key",
                "  certificate: node.crt",
                "  ca_public_key: ../ca.pub",
                "liveness:",
                "  ping_interval_ms: " + LIVENESS.pingInterval().toMillis(),
                "  suspect_after_ms: " + LIVENESS.suspectAfter().toMillis(),
                "  dead_after_ms: " + LIVENESS.deadAfter().toMillis(),
                "storage:",
                "  expected_agents: 16",
                treeSection()));
            final Node node = new Node(config, NodeIds.toHex(key.nodeId()));
            nodes.add(node);
            start(node);
            return index;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String treeSection() {
        if (tree == null) {
            return "";
        }
        return String.join("\n",
            "tree:",
            "  b: " + tree.b(),
            "  join_delay_ms: " + tree.joinDelayMicros() / 1000,
            "  ping_interval_ms: " + tree.pingIntervalMicros() / 1000,
            "  view_refresh_ms: " + tree.viewRefreshMicros() / 1000,
            "");
    }

    private String bootstrapAddress() {
        return ConfigLoader.load(nodes.get(0).config).core().advertiseAddress();
    }

    private static void start(final Node node) {
        try {
            node.daemon = Daemon.start(ConfigLoader.load(node.config));
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    @Override
    public NodeStatus status(final int node) {
        return nodes.get(node).daemon.statusNow();
    }

    @Override
    public String nodeId(final int node) {
        return nodes.get(node).nodeId;
    }

    @Override
    public <T> T onTree(final int node, final Function<TreeNode, T> read) {
        return await(nodes.get(node).daemon.onTree(read), "node " + node + "'s tree could not be read");
    }

    @Override
    public void publishSummary(final int node, final Moments moments, final long agents) {
        await(nodes.get(node).daemon.publishLocalSummary(moments, agents), "node " + node + "'s summary could not be published");
    }

    /** The daemon's answer from its core thread, within five seconds. */
    private static <T> T await(final java.util.concurrent.CompletableFuture<T> answer, final String failure) {
        try {
            return answer.get(5, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (final ExecutionException | TimeoutException e) {
            throw new IllegalStateException(failure, e);
        }
    }

    @Override
    public void kill(final int node) {
        nodes.get(node).daemon.kill();
    }

    @Override
    public void stop(final int node) {
        nodes.get(node).daemon.close();
    }

    @Override
    public void restart(final int node) {
        start(nodes.get(node));
    }

    @Override
    public void awaitUntil(final String what, final Duration atMost, final BooleanSupplier condition) {
        try {
            Awaitility.await(what).atMost(atMost).pollInterval(Duration.ofMillis(50)).until(condition::getAsBoolean);
        } catch (final ConditionTimeoutException e) {
            fail("not within " + atMost + ": " + what);
        }
    }

    @Override
    public void holdsFor(final String what, final Duration period, final BooleanSupplier condition) {
        try {
            Awaitility.await(what).during(period).atMost(period.plusSeconds(2)).pollInterval(Duration.ofMillis(50))
                .until(condition::getAsBoolean);
        } catch (final ConditionTimeoutException e) {
            fail("did not hold for " + period + ": " + what);
        }
    }

    @Override
    public Duration slack() {
        return Duration.ofMillis(700);
    }

    /** Every node runs with the transport's default reconnect backoff (transport.reconnect_backoff_max_ms). */
    @Override
    public Duration reconnectMax() {
        return Duration.ofMillis(ConfigLoader.load(nodes.get(0).config).reconnectBackoffMaxMs());
    }

    @Override
    public void close() {
        for (final Node n : nodes) {
            if (n.daemon != null) {
                n.daemon.kill();
            }
        }
    }
}
