package dev.vigil.daemon.scenario;

import dev.vigil.daemon.core.NodeStatus;
import dev.vigil.daemon.stats.Moments;
import dev.vigil.daemon.tree.TreeNode;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * A few Vigil nodes under test, in some environment: simulated (virtual time) or real daemons
 * on loopback (wall time). Scenario suites are written against this interface once and run in
 * both, as Apache Ratis runs its suites over every transport.
 *
 * <p>Nodes are numbered from 0 in start order. Node 0 founds the fleet; every later node uses
 * node 0 as its bootstrap address. All nodes use {@link #LIVENESS} timing.
 */
public interface TestCluster extends AutoCloseable {
    /** Short liveness timing so fault scenarios finish quickly: ping, suspect, dead. */
    Liveness LIVENESS = new Liveness(Duration.ofMillis(200), Duration.ofMillis(600), Duration.ofMillis(1200));

    /** Liveness timing shared by all nodes of a test cluster. */
    record Liveness(Duration pingInterval, Duration suspectAfter, Duration deadAfter) {
    }

    /**
     * The slowest round trip between two nodes that suites allow for, in either environment: simnet's
     * world map puts hosts at most ~18,700 km apart (sa-east to ap-northeast), 141 ms one way at 7.5 µs/km
     * with the 250 µs local hop, and its jitter adds a tenth of the path on average; loopback takes well
     * under a millisecond.
     */
    Duration ROUND_TRIP_MAX = Duration.ofMillis(400);

    /** Starts a new node certified by the cluster CA; returns its index. */
    int startNode();

    /** Starts a node whose certificate was signed by a CA the cluster does not trust. */
    int startNodeFromForeignCa();

    NodeStatus status(int node);

    /** 16 hex digits. */
    String nodeId(int node);

    /** Reads (or steers, e.g. makes it lie) a running node's tree, on the node's own thread. */
    <T> T onTree(int node, Function<TreeNode, T> read);

    /** Gives a running node's tree these statistics as the node's contribution. */
    void publishSummary(int node, Moments moments, long agents);

    /** Stops a node without a word to its peers, as kill -9 would. */
    void kill(int node);

    /** Stops a node cleanly: it tells its peers it is leaving. */
    void stop(int node);

    /** Starts a stopped or killed node again with the same identity and address. */
    void restart(int node);

    /** Waits (in the cluster's own time) until {@code condition} holds; fails the test after {@code atMost}. */
    void awaitUntil(String what, Duration atMost, BooleanSupplier condition);

    /** Lets {@code period} pass (in the cluster's own time), failing the test the moment {@code condition} is false. */
    void holdsFor(String what, Duration period, BooleanSupplier condition);

    /** Slack for scheduling and I/O on top of protocol timeouts: zero in simulation, some on a real machine. */
    Duration slack();

    /**
     * The longest a node may take to reach a peer again once it is back up: on a real network a connection
     * that failed while the peer was down is retried with backoff up to the transport's cap; simulation has
     * no connections, so nothing by default.
     */
    default Duration reconnectMax() {
        return Duration.ZERO;
    }

    @Override
    void close();
}
