package dev.vigil.daemon.net;

import dev.vigil.accel.Kernels;
import dev.vigil.crypto.Certificate;
import dev.vigil.crypto.PrivateKey;
import dev.vigil.crypto.PublicKey;
import dev.vigil.crypto.verdict.Verdict;
import dev.vigil.crypto.verdict.VerdictCertificate;
import dev.vigil.crypto.verdict.VerificationResult;
import dev.vigil.daemon.consensus.ConsensusLog;
import dev.vigil.daemon.core.LogIds;
import dev.vigil.daemon.core.NodeCore;
import dev.vigil.daemon.core.NodeEnv;
import dev.vigil.daemon.core.NodeLog;
import dev.vigil.daemon.core.Scheduler;
import dev.vigil.daemon.detect.Detector;
import dev.vigil.daemon.metrics.MetricsView;
import dev.vigil.daemon.stats.FixedHistogram;
import dev.vigil.daemon.verdict.CoreVerdictTree;
import dev.vigil.daemon.verdict.FleetVerdicts;
import dev.vigil.daemon.verdict.VerdictBook;
import dev.vigil.daemon.verdict.VerdictConfig;
import dev.vigil.daemon.verdict.VerdictEnv;
import dev.vigil.storage.KeyValueStore;
import io.netty.channel.EventLoop;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * The daemon's fleet verdicts, on the core's thread: {@link FleetVerdicts} wired to the core's
 * consensus channel, the detector's scores, a tick, the verdict book and the responses. What the
 * API and status read of verdicts comes through here.
 */
final class VerdictHost {
    static final long TICK_MS = 100;
    /** Bucket bounds of the commit latency (seconds): from a round trip on a LAN up to the resend backoff's reach. */
    static final double[] COMMIT_LATENCY_BOUNDS_S = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    private final VerdictConfig config;
    private final NodeCore core;
    private final Detector detector;
    private final NodeEnv env;
    private final PublicKey ca;
    private final VerdictBook book;
    private final FleetVerdicts verdicts;
    private final BiFunction<Integer, Long, ConsensusLog> logs;
    private final java.util.function.BiConsumer<Integer, Long> dropLog;
    private final java.util.function.Supplier<java.util.List<dev.vigil.daemon.consensus.StoredLogs.Id>> logsHeld;
    private final Responses responses;
    private final Kernels kernels;
    private ScheduledFuture<?> tick;
    private long oversizedSends;
    /**
     * This node's evidence requests, from first send to the acknowledgement that completed them, in
     * seconds: {@link FleetVerdicts.RequestListener} tells of each on the core's thread.
     */
    private final FixedHistogram commitLatencySeconds = new FixedHistogram(COMMIT_LATENCY_BOUNDS_S);

    VerdictHost(final VerdictConfig config, final NodeCore core, final NodeEnv env, final PrivateKey key, final Certificate certificate,
                final PublicKey ca, final Detector detector, final KeyValueStore verdictStore, final int certificatesMax,
                final BiFunction<Integer, Long, ConsensusLog> logs, final java.util.function.BiConsumer<Integer, Long> dropLog,
                final java.util.function.Supplier<java.util.List<dev.vigil.daemon.consensus.StoredLogs.Id>> logsHeld,
                final Responses responses, final Kernels kernels) {
        this.kernels = kernels;
        this.logsHeld = logsHeld;
        this.dropLog = dropLog;
        this.config = config;
        this.core = core;
        this.detector = detector;
        this.env = env;
        this.ca = ca;
        this.logs = logs;
        this.responses = responses;
        this.book = new VerdictBook(verdictStore, certificatesMax);
        this.verdicts = new FleetVerdicts(config, key, ca, new CoreVerdictTree(core, certificate), new Env());
        core.setConsensusSink((from, bytes) -> verdicts.onMessage(from, core.addressOf(from), bytes));
        detector.setScoreListener(verdicts::onScore);
        verdicts.onRequestDone((shard, records, latencyMicros) -> commitLatencySeconds.record(latencyMicros / 1e6));
    }

    /**
     * What the node does with a verdict it holds for the first time: webhook, command (see
     * {@link VerdictResponses}), alerts (see {@link AlertFeed}).
     */
    interface Responses {
        /** A conviction. */
        void onVerdict(VerdictCertificate certificate, boolean observed);

        /** An operator release of a conviction. */
        default void onRelease(final VerdictCertificate release) {
        }

        Responses NONE = (c, observed) -> { };

        /** Both, in this order. */
        static Responses both(final Responses first, final Responses second) {
            return new Responses() {
                @Override
                public void onVerdict(final VerdictCertificate certificate, final boolean observed) {
                    first.onVerdict(certificate, observed);
                    second.onVerdict(certificate, observed);
                }

                @Override
                public void onRelease(final VerdictCertificate release) {
                    first.onRelease(release);
                    second.onRelease(release);
                }
            };
        }
    }

    private final class Env implements VerdictEnv {
        @Override
        public long nowMicros() {
            return env.clock().nowMicros();
        }

        @Override
        public void send(final long nodeId, final String address, final byte[] message) {
            try {
                core.sendConsensus(address, message);
            } catch (final IllegalArgumentException e) {
                // above reassembly.message_bytes_max: the receiver would refuse it; a view change or a
                // state reply that large means the bounds disagree, which the operator must hear of
                oversizedSends++;
                env.log().peerWarn(nodeId, address, "fleet message of " + message.length + " bytes to " + LogIds.peer(nodeId, address) + " not sent: "
                    + e.getMessage());
            }
        }

        @Override
        public Scheduler scheduler() {
            return env.scheduler();
        }

        @Override
        public NodeLog log() {
            return env.log();
        }

        @Override
        public Kernels kernels() {
            return kernels;
        }

        @Override
        public ConsensusLog consensusLog(final int shard, final long epoch) {
            return logs.apply(shard, epoch);
        }

        @Override
        public void dropConsensusLog(final int shard, final long epoch) {
            dropLog.accept(shard, epoch);
        }

        @Override
        public java.util.List<dev.vigil.daemon.consensus.StoredLogs.Id> consensusLogsHeld() {
            return logsHeld.get();
        }

        @Override
        public void verdict(final VerdictCertificate certificate) {
            if (!book.add(certificate)) {
                return;
            }
            final dev.vigil.crypto.verdict.Verdict v = certificate.verdict();
            if (v.kind() == dev.vigil.crypto.verdict.Verdict.Kind.RELEASE) {
                // no webhook and no command (alerts only resolve): they isolate a convicted agent, and what undoing that takes
                // (credentials to reissue, a host to check) is the operator's, who released it knowingly
                env.log().agentInfo(v.agentId(), "verdict " + v.id() + ": RELEASE of verdict " + v.retractedId() + " on " + LogIds.agent(v.agentId())
                    + " by the operator (shard " + v.shard() + ")");
                responses.onRelease(certificate);
                return;
            }
            env.log().agentInfo(v.agentId(), "verdict " + v.id() + ": " + v.kind() + " " + LogIds.agent(v.agentId()) + " (shard " + v.shard() + ", posterior "
                + v.posterior() + ", " + certificate.signatures().size() + " signers)");
            responses.onVerdict(certificate, observes(v.agentId()));
        }
    }

    /** Whether this node observes the agent (its detector tracks it): the agent's observers run the responses. */
    private boolean observes(final String agent) {
        return detector.agent(agent) != null;
    }

    void start(final EventLoop loop) {
        tick = loop.scheduleAtFixedRate(verdicts::onTick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    /** On the core's thread, before the core stops. */
    void stop() {
        if (tick != null) {
            tick.cancel(false);
        }
        verdicts.shutdown();
    }

    // ---------------------------------------------------------------- reads, on the core's thread

    java.util.List<VerdictBook.Entry> list() {
        return book.list();
    }

    ApiJson.VerdictView view(final String id) {
        final VerdictCertificate c = book.get(id);
        if (c == null) {
            return null;
        }
        final VerificationResult r = c.verify(ca, 0);
        return new ApiJson.VerdictView(book.entry(c), r.isValid() ? "valid" : r.problem(), c.toBase64());
    }

    /** The agent's latest conviction held, with the release of it if one is held ({@code released_by}); null when none. */
    VerdictBook.Entry standing(final String agent) {
        final VerdictCertificate c = book.latestConviction(agent);
        return c == null ? null : book.entry(c);
    }

    /**
     * {@code POST /v1/verdicts/{id}/release}: the operator's release of the conviction {@code id}
     * this node holds (see {@link FleetVerdicts#release}).
     */
    NodeApi.VerdictRelease release(final String id, final VerdictCertificate release) {
        final dev.vigil.crypto.verdict.Verdict r = release.verdict();
        if (r.kind() != dev.vigil.crypto.verdict.Verdict.Kind.RELEASE || !id.equals(r.retractedId())) {
            return NodeApi.VerdictRelease.invalid("the certificate is a " + r.kind() + (r.kind() == dev.vigil.crypto.verdict.Verdict.Kind.RELEASE
                ? " of verdict " + r.retractedId() : "") + ", not a release of verdict " + id);
        }
        final VerdictCertificate convict = book.get(id);
        if (convict == null) {
            return new NodeApi.VerdictRelease(NodeApi.VerdictRelease.Status.UNKNOWN, "no verdict '" + id + "' held here", null);
        }
        final FleetVerdicts.ReleaseOutcome outcome = verdicts.release(release, convict);
        if (outcome.problem() != null) {
            return new NodeApi.VerdictRelease(outcome.busy() ? NodeApi.VerdictRelease.Status.BUSY : NodeApi.VerdictRelease.Status.INVALID,
                outcome.problem(), null);
        }
        return new NodeApi.VerdictRelease(NodeApi.VerdictRelease.Status.TAKEN, null, r.id());
    }

    StatusJson.Verdicts status(final VerdictResponses r) {
        final dev.vigil.daemon.consensus.CommitteeDirectory d = verdicts.directory();
        return new StatusJson.Verdicts(config.enabled(), d == null ? null : d.epoch(), d == null ? null : dev.vigil.crypto.NodeIds.toHex(d.issuer()),
            d == null ? null : d.candidates().size(), config.f(), config.shards(), verdicts.seats(), verdicts.observing(), book.size(),
            r.webhooksDelivered.get(), r.webhooksFailed.get(), r.commandsRun.get(), r.commandsFailed.get(), r.dropped.get(),
            withOversized(verdicts.counters().snapshot()), verdicts.replicaRefusals(), verdicts.viewChanges());
    }

    /** Core thread: the committees' side of the metrics. */
    MetricsView.Committees committeeMetrics() {
        return new MetricsView.Committees(verdicts.seatsByMode(), verdicts.executedBatches(), verdicts.viewChanges(),
            verdicts.replicaRefusals(), commitLatencySeconds.snapshot());
    }

    /** Core thread: the verdicts' side of the metrics. */
    MetricsView.Verdicts verdictMetrics(final VerdictResponses r) {
        final dev.vigil.daemon.verdict.VerdictCounters c = verdicts.counters();
        final dev.vigil.daemon.verdict.Observing.Status o = verdicts.observing();
        return new MetricsView.Verdicts(config.enabled(), sum(c.acceptedByTag()), sum(c.ignoredByTag()), c.held(),
            c.refusedByReason(), c.evidenceRecordsSent(), c.evidenceRequestsSent(), c.evidenceBytesSent(),
            c.evidenceRecordsApplied(), o.requestsInFlight(), o.requestsDone(), o.resends(), o.recordsDropped(),
            c.certificatesAssembled(), c.certificatesReceived(), book.held(Verdict.Kind.CONVICT), book.held(Verdict.Kind.RELEASE),
            r.webhooksDelivered.get(), r.webhooksFailed.get(), r.commandsRun.get(), r.commandsFailed.get(), r.dropped.get());
    }

    private static long sum(final java.util.Map<String, Long> counts) {
        long n = 0;
        for (final long v : counts.values()) {
            n += v;
        }
        return n;
    }

    private java.util.Map<String, Long> withOversized(final java.util.Map<String, Long> counters) {
        final java.util.TreeMap<String, Long> all = new java.util.TreeMap<>(counters);
        all.put("sends-oversized", oversizedSends);
        return all;
    }

    FleetVerdicts verdicts() {
        return verdicts;
    }

    VerdictBook book() {
        return book;
    }
}
