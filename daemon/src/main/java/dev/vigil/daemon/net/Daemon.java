package dev.vigil.daemon.net;

import dev.vigil.accel.Accel;
import dev.vigil.daemon.alerting.Alerting;
import dev.vigil.crypto.Certificate;
import dev.vigil.crypto.CertificateStatus;
import dev.vigil.crypto.KeyFiles;
import dev.vigil.crypto.NodeIds;
import dev.vigil.crypto.PrivateKey;
import dev.vigil.crypto.PublicKey;
import dev.vigil.daemon.api.OperatorCommand;
import dev.vigil.daemon.cli.VersionProvider;
import dev.vigil.daemon.config.ConfigException;
import dev.vigil.daemon.config.NodeConfig;
import dev.vigil.daemon.core.LogIds;
import dev.vigil.daemon.core.NodeCore;
import dev.vigil.daemon.core.NodeEnv;
import dev.vigil.daemon.core.NodeLog;
import dev.vigil.daemon.core.NodeStatus;
import dev.vigil.daemon.core.Scheduler;
import dev.vigil.daemon.core.WallClock;
import dev.vigil.daemon.detect.DetectionConfig;
import dev.vigil.daemon.detect.Detector;
import dev.vigil.daemon.detect.FeatureSchema;
import dev.vigil.daemon.history.AgentHistory;
import dev.vigil.daemon.history.Replication;
import dev.vigil.daemon.history.Series;
import dev.vigil.daemon.ingest.IngestRefusals;
import dev.vigil.daemon.ingest.ObservationBatch;
import dev.vigil.daemon.metrics.DaemonMetrics;
import dev.vigil.daemon.metrics.MetricsView;
import dev.vigil.daemon.stats.Moments;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A running Vigil daemon: one node core on one event-loop thread (which also runs the peer
 * sockets and timers, actor style), and the HTTP API on a second thread that asks the core for
 * snapshots by posting tasks to its loop ({@link #onCore}). This class owns the lifecycle: the
 * order things start in ({@link #start}) and stop in ({@link #close}, {@link #kill}). The parts
 * are {@link DataDirLock}, {@link NodeStores}, {@link Listeners}, {@link SummaryPublisher},
 * {@link StorageMaintenance} and {@link OperatorCommands}; the API sees it as a {@link NodeApi}.
 */
public final class Daemon implements AutoCloseable, NodeApi {
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);
    private static final Logger NODE_LOG = LoggerFactory.getLogger("vigil.node");
    /** How often the detector's window statistics are offered to the tree (see {@link SummaryPublisher}). */
    static final long SUMMARY_INTERVAL_MS = SummaryPublisher.INTERVAL_MS;

    private final NodeConfig config;
    private final long startedNanos = System.nanoTime();
    private final double startTimeSeconds = System.currentTimeMillis() / 1000.0;
    private final CountDownLatch terminated = new CountDownLatch(1);
    // held from start to stop, released last
    private final DataDirLock lock;
    private final NodeStores stores;
    private final AgentHistory history;
    private final Replication replication;
    // threads and sockets
    private final IoKind io;
    private final EventLoopGroup coreGroup;
    private final EventLoop loop;
    private final EventLoopGroup apiGroup;
    private final PeerLinks links;
    private final Listeners listeners;
    // on the core's thread
    private final NodeCore core;
    private final Detector detector;
    private final OperatorCommands commands;
    private final SummaryPublisher summaries;
    private final StorageMaintenance maintenance;
    private final VerdictHost verdicts;
    private final VerdictResponses responses;
    private final Alerting alerting;
    // the process's kernels for this accel setting, shared with other daemons in the JVM
    private final Accel accel;
    // any thread: GET /metrics, and what the JSON ingest refused before the detector
    private final DaemonMetrics metrics = new DaemonMetrics();
    private final IngestRefusals ingestRefusals = new IngestRefusals();
    private boolean closed;

    private Daemon(final NodeConfig config, final PrivateKey key, final Certificate certificate, final PublicKey caKey,
                   final DataDirLock lock, final NodeStores stores) {
        this.config = config;
        this.lock = lock;
        this.stores = stores;
        this.history = stores.history();
        this.replication = stores.replication();
        // selects its backend on a thread of its own: until then (and whenever OpenCL cannot serve) Java
        this.accel = Accel.shared(config.accel().backend(), config.accel().device());
        this.io = IoKind.best();
        this.listeners = new Listeners(config, io);
        this.coreGroup = io.group(1, "vigil-core");
        this.loop = coreGroup.next();
        this.apiGroup = io.group(1, "vigil-api");
        this.links = new PeerLinks(loop, io, config.sendQueueFramesMax(), config.reconnectBackoffMinMs(), config.reconnectBackoffMaxMs());
        final NodeEnv env = new NodeEnv(new MonotonicWallClock(), netty(loop), links,
            new SplittableRandom(new SecureRandom().nextLong()), new Slf4jNodeLog(NodeIds.toHex(key.nodeId())));
        // the tree carries the detector's statistics, so its summaries have the schema's dimension
        // A restarted node joins through the peers it last knew as well: its old cluster is among them.
        this.core = new NodeCore(config.core().withExtraBootstrap(stores.snapshotPeers()), config.tree(), key, certificate, caKey, env);
        links.setPeerIds(core::peerIdAt);
        this.detector = new Detector(config.schema(), config.detection(), accel);
        stores.restoreInto(detector);
        core.setReplicaSink(replication::onReplica);
        this.commands = new OperatorCommands(caKey, detector, history);
        this.summaries = new SummaryPublisher(core, detector, config.contributeStatistics());
        this.maintenance = new StorageMaintenance(core, detector, stores);
        final dev.vigil.daemon.config.VerdictSettings vs = config.verdicts();
        this.responses = new VerdictResponses(new VerdictResponses.Settings(vs.webhook(), vs.command(), vs.commandTimeoutMs(),
            vs.responseQueueMax()), stores.verdictMarks());
        this.alerting = Alerting.start(config.alerting());
        final AlertFeed alerts = new AlertFeed(alerting, NodeIds.toHex(key.nodeId()), detector, System::currentTimeMillis);
        detector.setStatusListener(alerts);
        try {
            this.verdicts = new VerdictHost(vs.fleet(), core, env, key, certificate, caKey, detector, stores.verdicts(), vs.certificatesMax(),
                stores::consensusLog, (shard, epoch) -> stores.consensusLogs().drop(shard, epoch), () -> stores.consensusLogs().logs(),
                VerdictHost.Responses.both(responses, alerts), accel);
        } catch (final RuntimeException e) {
            alerting.close(); // its threads started; the caller closes the stores and the lock
            throw e;
        }
        responses.resume(verdicts.book());
        alerts.start(verdicts.book());
    }

    /** Loads keys, locks the data dir, binds the sockets and starts the core. */
    public static Daemon start(final NodeConfig config) throws IOException {
        final PrivateKey key = KeyFiles.readPrivateKey(config.keyFile());
        final Certificate certificate = KeyFiles.readCertificate(config.certificateFile());
        final PublicKey caKey = KeyFiles.readPublicKey(config.caPublicKeyFile());
        if (certificate.nodeId() != key.nodeId()) {
            throw new ConfigException(config.file(), "identity.certificate", "certificate " + config.certificateFile()
                + " is for node " + NodeIds.toHex(certificate.nodeId()) + ", but the key is node " + NodeIds.toHex(key.nodeId()));
        }
        final CertificateStatus own = certificate.verify(caKey, Instant.now().getEpochSecond());
        if (own != CertificateStatus.VALID) {
            // Peers would refuse us; say so now rather than fail silently later.
            LOG.warn("own certificate {} does not verify against {}: {}; peers will refuse this node",
                config.certificateFile(), config.caPublicKeyFile(), own);
        }
        final DataDirLock lock = DataDirLock.acquire(config);
        final NodeStores stores;
        try {
            stores = NodeStores.open(config);
        } catch (final RuntimeException e) {
            lock.release();
            throw e;
        }
        final Daemon daemon;
        try {
            daemon = new Daemon(config, key, certificate, caKey, lock, stores);
        } catch (final RuntimeException e) {
            stores.close();
            lock.release();
            throw e;
        }
        try {
            daemon.bind();
        } catch (final IOException | RuntimeException e) {
            daemon.close();
            throw e;
        }
        return daemon;
    }

    private void bind() throws IOException {
        listeners.bindPeer(coreGroup, core);
        listeners.bindApi(apiGroup, this);
        listeners.bindOtlp(apiGroup, loop, (agent, role, tsMicros, raw) -> detector.observe(agent, role, tsMicros, raw));
        onCore(core::start).join();
        verdicts.start(loop);
        summaries.start(loop);
        maintenance.start(loop);
        LOG.info("vigil {} node {} listening for peers on {} (advertised as {}), API on {}, OTLP {}, {} transport",
            VersionProvider.version(), NodeIds.toHex(core.nodeId()), listeners.peerAddress(),
            config.core().advertiseAddress(), listeners.apiAddress(),
            listeners.otlpAddress() == null ? "off" : listeners.otlpAddress(), io.label());
    }

    /** A status snapshot, taken on the core's thread. */
    public CompletableFuture<NodeStatus> status() {
        return onCore(core::status);
    }

    /**
     * Offers the detector's current window statistics to the tree now rather than at the next
     * {@link #SUMMARY_INTERVAL_MS} tick (the demo and tests; the timer does it otherwise).
     *
     * @return whether they had changed since last offered
     */
    public CompletableFuture<Boolean> publishSummaryNow() {
        return onCore(summaries::publish);
    }

    /** Reads (or, in tests, steers) the node's tree on the core's thread. */
    public <T> CompletableFuture<T> onTree(final java.util.function.Function<dev.vigil.daemon.tree.TreeNode, T> read) {
        return onCore(() -> read.apply(core.tree()));
    }

    /**
     * Gives the tree these statistics as the node's contribution, on the core's thread (tests and
     * tools; the daemon's timer offers the detector's window statistics when they change).
     */
    public CompletableFuture<Boolean> publishLocalSummary(final Moments moments, final long agents) {
        return onCore(() -> {
            core.publishLocalSummary(moments, agents);
            return true;
        });
    }

    /** Runs {@link NodeCore#probeNow} on the core's thread. */
    public CompletableFuture<Integer> probeNow(final long peerNodeId, final int count) {
        return onCore(() -> core.probeNow(peerNodeId, count));
    }

    // ---------------------------------------------------------------- NodeApi: the HTTP API's view, on the core's thread

    @Override
    public FeatureSchema schema() {
        return config.schema();
    }

    @Override
    public DetectionConfig detection() {
        return config.detection();
    }

    @Override
    public CompletableFuture<StatusJson.View> statusView() {
        // read here, on the API's thread: the device's counters wait for a batch another daemon of this JVM may be running
        final Accel.Status accelStatus = accel.status();
        return onCore(() -> new StatusJson.View(core.status(), detector.counters(), listeners.otlpStats(), links.stats(), io.label(),
            (System.nanoTime() - startedNanos) / 1_000_000_000.0, config, listeners.peerAddress(), listeners.apiAddress(),
            history.counters(), stores.recovered(), replication.counters(), verdicts.status(responses), accelStatus, alerting.status()));
    }

    @Override
    public CompletableFuture<MetricsView> metricsView() {
        // read here, on the API's thread, as for the status: the device's counters may wait for another daemon's batch
        final Accel.Status accelStatus = accel.status();
        final IngestRefusals.Snapshot refusedByApi = ingestRefusals.snapshot();
        final Alerting.Status alertingStatus = alerting.status();
        final Map<String, Long> storeFiles = storeFileBytes(config.storesDir(), config.consensusDir());
        return onCore(() -> new MetricsView(VersionProvider.version(), startTimeSeconds, core.status(), core.tree().status(),
            detector.counters(), detector.scoreHistogram(), refusedByApi, listeners.otlpStats(), transport(links.stats()),
            history.counters(), maintenance.retention(), replication.counters(), verdicts.committeeMetrics(),
            verdicts.verdictMetrics(responses), accelStatus, alertingStatus, storeFiles));
    }

    /**
     * The length of every store file ({@code *.cm3}) in the two store directories, keyed
     * {@code DIR/NAME} without the extension: a directory listing and a stat each, read on the
     * API's thread. A file that vanishes meanwhile is left out.
     */
    static Map<String, Long> storeFileBytes(final java.nio.file.Path... dirs) {
        final Map<String, Long> out = new java.util.TreeMap<>();
        for (final java.nio.file.Path dir : dirs) {
            try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(dir)) {
                files.filter(f -> f.getFileName().toString().endsWith(".cm3")).forEach(f -> {
                    final String name = f.getFileName().toString();
                    try {
                        out.put(dir.getFileName() + "/" + name.substring(0, name.length() - ".cm3".length()), java.nio.file.Files.size(f));
                    } catch (final java.io.IOException e) {
                        // gone between the listing and the stat: not there
                    }
                });
            } catch (final java.io.IOException e) {
                // no such directory (yet): nothing to count
            }
        }
        return out;
    }

    private static MetricsView.Transport transport(final List<PeerLinks.LinkStats> links) {
        int connected = 0;
        int queued = 0;
        long queueFull = 0;
        long unreachable = 0;
        long connectFailures = 0;
        for (final PeerLinks.LinkStats l : links) {
            connected += l.connected() ? 1 : 0;
            queued += l.queued();
            queueFull += l.droppedQueueFull();
            unreachable += l.droppedUnreachable();
            connectFailures += l.connectFailures();
        }
        return new MetricsView.Transport(connected, queued, queueFull, unreachable, connectFailures);
    }

    @Override
    public byte[] metricsText(final MetricsView view) {
        return metrics.scrape(view);
    }

    @Override
    public IngestRefusals ingestRefusals() {
        return ingestRefusals;
    }

    @Override
    public CompletableFuture<TreeJson.View> treeView() {
        return onCore(() -> new TreeJson.View(core.tree().status(), core.status()));
    }

    @Override
    public CompletableFuture<Observed> observe(final List<ObservationBatch.Row> rows) {
        return onCore(() -> {
            final List<Detector.Outcome> outcomes = new ArrayList<>(rows.size());
            String storeRefusal = null;
            for (final ObservationBatch.Row r : rows) {
                final Detector.Outcome o = detector.observe(r.agent(), r.role(), r.tsMicros(), r.raw());
                outcomes.add(o);
                if (o == Detector.Outcome.REFUSED_STORE) {
                    storeRefusal = detector.lastStoreRefusal();
                }
            }
            return new Observed(outcomes, storeRefusal);
        });
    }

    @Override
    public CompletableFuture<List<Detector.AgentSummary>> agents() {
        return onCore(detector::agents);
    }

    @Override
    public CompletableFuture<Detector.AgentDetail> agent(final String agentId) {
        return onCore(() -> detector.agent(agentId));
    }

    @Override
    public CompletableFuture<List<dev.vigil.daemon.verdict.VerdictBook.Entry>> verdicts() {
        return onCore(verdicts::list);
    }

    @Override
    public CompletableFuture<ApiJson.VerdictView> verdict(final String id) {
        return onCore(() -> verdicts.view(id));
    }

    @Override
    public CompletableFuture<dev.vigil.daemon.verdict.VerdictBook.Entry> standing(final String agentId) {
        return onCore(() -> verdicts.standing(agentId));
    }

    @Override
    public CompletableFuture<NodeApi.VerdictRelease> releaseVerdict(final String verdictId,
                                                                    final dev.vigil.crypto.verdict.VerdictCertificate release) {
        return onCore(() -> verdicts.release(verdictId, release));
    }

    /** Reads (or, in tests, steers) the node's fleet verdicts on the core's thread. */
    public <T> CompletableFuture<T> onVerdicts(final java.util.function.Function<dev.vigil.daemon.verdict.FleetVerdicts, T> read) {
        return onCore(() -> read.apply(verdicts.verdicts()));
    }

    @Override
    public CompletableFuture<Series> series(final String agentId, final long fromMicros, final long toMicros,
                                            final long stepMicros, final long nowMicros) {
        return onCore(() -> history.series(agentId, fromMicros, toMicros, stepMicros, nowMicros));
    }

    @Override
    public CompletableFuture<Release> release(final OperatorCommand command) {
        final long nowSeconds = Instant.now().getEpochSecond();
        return onCore(() -> commands.release(command, nowSeconds));
    }

    // ---------------------------------------------------------------- addresses and lifecycle

    public NodeStatus statusNow() {
        try {
            return status().get(10, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (final ExecutionException | TimeoutException e) {
            throw new IllegalStateException("core did not answer a status request", e);
        }
    }

    public InetSocketAddress peerAddress() {
        return listeners.peerAddress();
    }

    public InetSocketAddress apiAddress() {
        return listeners.apiAddress();
    }

    /** The OTLP/HTTP listener's address, or null when OTLP ingest is off. */
    public InetSocketAddress otlpAddress() {
        return listeners.otlpAddress();
    }

    /** Emits every OTLP window that has closed by {@code nowMicros} (tests; a timer does it otherwise). */
    public CompletableFuture<Integer> flushOtlp(final long nowMicros) {
        return listeners.flushOtlp(nowMicros);
    }

    public long nodeId() {
        return core.nodeId();
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    /** Leaves the fleet (peers are told), flushes, closes sockets and releases the data dir. */
    @Override
    public void close() {
        stop(true);
    }

    /** Stops without telling peers, as a crash would; for fault tests. */
    public void kill() {
        stop(false);
    }

    private synchronized void stop(final boolean leave) {
        if (closed) {
            return;
        }
        closed = true;
        try {
            onCore(() -> {
                summaries.stop();
                maintenance.stop();
                verdicts.stop();
                if (leave) {
                    history.flushAll();
                    stores.writePeerSnapshot(core);
                    core.shutdown();
                } else {
                    core.shutdownSilently();
                }
                links.close();
                listeners.closePeer();
                return null;
            }).get(5, TimeUnit.SECONDS);
        } catch (final Exception e) {
            LOG.warn("core did not stop cleanly within 5 s: {}", e.toString());
        }
        responses.close();
        alerting.close();
        listeners.closeOtlp(); // while the core's loop runs: spans in open windows go to the detector first
        listeners.closeApi();
        apiGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        coreGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (leave) {
            stores.close();
        } else {
            stores.abandon();
        }
        try {
            lock.release();
        } catch (final IOException e) {
            LOG.warn("could not release {}: {}", lock.file(), e.toString());
        }
        terminated.countDown();
        LOG.info("node {} stopped", NodeIds.toHex(core.nodeId()));
    }

    private CompletableFuture<Void> onCore(final Runnable action) {
        return onCore(() -> {
            action.run();
            return null;
        });
    }

    private <T> CompletableFuture<T> onCore(final java.util.function.Supplier<T> action) {
        final CompletableFuture<T> result = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                try {
                    result.complete(action.get());
                } catch (final Throwable t) {
                    result.completeExceptionally(t);
                }
            });
        } catch (final java.util.concurrent.RejectedExecutionException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    private static Scheduler netty(final EventLoop loop) {
        return (delayMicros, action) -> {
            final io.netty.util.concurrent.ScheduledFuture<?> f = loop.schedule(action, delayMicros, TimeUnit.MICROSECONDS);
            return () -> f.cancel(false);
        };
    }

    /** Wall-clock microseconds that never go backwards (a clock stepped back stalls instead). */
    private static final class MonotonicWallClock implements dev.vigil.daemon.core.Clock {
        private long last;

        @Override
        public long nowMicros() {
            final Instant now = Instant.now();
            last = Math.max(last, WallClock.micros(now));
            return last;
        }
    }

    /**
     * The core's lines, each with this node's id as a key-value pair (several daemons share one log in
     * {@code vigil demo} and in tests), and a line about a peer or an agent with its id as well: the
     * JSON form shows them as fields ({@code "kvpList": [{"node": "…"}, {"peer": "…"}]}).
     */
    private static final class Slf4jNodeLog implements NodeLog {
        private final String selfHex;

        Slf4jNodeLog(final String selfHex) {
            this.selfHex = selfHex;
        }

        @Override
        public void info(final String message) {
            NODE_LOG.atInfo().addKeyValue(LogIds.KEY_NODE, selfHex).log(message);
        }

        @Override
        public void warn(final String message) {
            NODE_LOG.atWarn().addKeyValue(LogIds.KEY_NODE, selfHex).log(message);
        }

        @Override
        public void peerInfo(final long peerId, final String address, final String message) {
            peer(NODE_LOG.atInfo(), peerId, address).log(message);
        }

        @Override
        public void peerWarn(final long peerId, final String address, final String message) {
            peer(NODE_LOG.atWarn(), peerId, address).log(message);
        }

        @Override
        public void agentInfo(final String agent, final String message) {
            NODE_LOG.atInfo().addKeyValue(LogIds.KEY_NODE, selfHex).addKeyValue(LogIds.KEY_AGENT, agent).log(message);
        }

        private LoggingEventBuilder peer(final LoggingEventBuilder line, final long peerId, final String address) {
            line.addKeyValue(LogIds.KEY_NODE, selfHex).addKeyValue(LogIds.KEY_PEER, NodeIds.toHex(peerId));
            return address == null ? line : line.addKeyValue(LogIds.KEY_PEER_ADDRESS, address);
        }

        @Override
        public boolean debugEnabled() {
            return NODE_LOG.isDebugEnabled();
        }

        @Override
        public void debug(final String message) {
            NODE_LOG.atDebug().addKeyValue(LogIds.KEY_NODE, selfHex).log(message);
        }

        @Override
        public void bug(final String message, final Throwable cause) {
            NODE_LOG.atError().addKeyValue(LogIds.KEY_NODE, selfHex).setCause(cause).log(message);
        }
    }

}
