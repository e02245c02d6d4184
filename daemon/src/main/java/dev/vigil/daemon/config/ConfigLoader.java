package dev.vigil.daemon.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.accel.Accel;
import dev.vigil.daemon.consensus.ConsensusLogConfig;
import dev.vigil.daemon.core.CoreConfig;
import dev.vigil.daemon.detect.DetectionConfig;
import dev.vigil.daemon.detect.Feature;
import dev.vigil.daemon.detect.FeatureSchema;
import dev.vigil.daemon.tree.TreeConfig;
import dev.vigil.daemon.tree.TreeRules;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import dev.vigil.daemon.history.HistoryConfig;
import dev.vigil.daemon.history.MinutePack;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Reads a node's YAML file into a {@link NodeConfig}; every problem is a {@link ConfigException}. */
public final class ConfigLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private ConfigLoader() {
    }

    public static NodeConfig load(final Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(file, null, "no such file");
        }
        final ConfigFile raw;
        try {
            // A first look at the document's shape, so an empty file or a top-level list gets a
            // message of its own rather than a binding error about an unnamed field.
            final JsonNode top = YAML.readTree(file.toFile());
            if (top == null || top.isMissingNode() || top.isNull()) {
                throw new ConfigException(file, null, "is empty; see configs/node.example.yaml");
            }
            if (!top.isObject()) {
                throw new ConfigException(file, null, "expected a mapping of fields at the top level, got a "
                    + top.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + "; see configs/node.example.yaml");
            }
            raw = YAML.readValue(file.toFile(), ConfigFile.class);
        } catch (final UnrecognizedPropertyException e) {
            // No line number: for records Jackson reports where the enclosing mapping ends.
            final TreeSet<String> known = new TreeSet<>();
            e.getKnownPropertyIds().forEach(id -> known.add(String.valueOf(id)));
            throw new ConfigException(file, path(e), "unknown field; expected one of: " + String.join(", ", known));
        } catch (final InvalidFormatException e) {
            throw new ConfigException(file, path(e), "expected " + describe(e.getTargetType())
                + line(e.getLocation()) + ", got '" + e.getValue() + "'");
        } catch (final MismatchedInputException e) {
            throw new ConfigException(file, path(e), "expected " + describe(e.getTargetType()) + line(e.getLocation()));
        } catch (final InputCoercionException e) {
            throw new ConfigException(file, null, "number out of range" + line(e.getLocation()) + ": " + e.getOriginalMessage());
        } catch (final JsonProcessingException e) {
            final String message = e.getOriginalMessage();
            if (message != null && message.startsWith("Duplicate field")) {
                throw new ConfigException(file, null, message.replace("Duplicate field", "field given twice:") + line(e.getLocation()));
            }
            throw new ConfigException(file, null, "not valid YAML" + line(e.getLocation()) + ": " + message);
        } catch (final IOException e) {
            throw new ConfigException(file, null, "cannot be read: " + e.getMessage());
        }
        return resolve(file, raw);
    }

    private static NodeConfig resolve(final Path file, final ConfigFile raw) {
        final Path dir = file.toAbsolutePath().getParent();
        final ConfigFile.Listen listen = require(file, "listen", raw.listen());
        final HostPort peerListen = hostPort(file, "listen.peer", require(file, "listen.peer", listen.peer()));
        final HostPort apiListen = listen.api() == null ? HostPort.parse("127.0.0.1:7480") : hostPort(file, "listen.api", listen.api());
        final HostPort otlpListen = listen.otlp() == null ? null : hostPort(file, "listen.otlp", listen.otlp());
        final String advertise;
        if (raw.advertise() != null) {
            advertise = hostPort(file, "advertise", raw.advertise()).toString();
        } else if (peerListen.isWildcard()) {
            throw new ConfigException(file, "advertise", "required when listen.peer is a wildcard (" + peerListen
                + "): the address other nodes use to reach this one, e.g. 192.0.2.10:" + peerListen.port());
        } else {
            advertise = peerListen.toString();
        }
        final List<String> bootstrap = new ArrayList<>();
        if (raw.bootstrap() != null) {
            for (int i = 0; i < raw.bootstrap().size(); i++) {
                bootstrap.add(hostPort(file, "bootstrap[" + i + "]", raw.bootstrap().get(i)).toString());
            }
        }
        final ConfigFile.Identity identity = require(file, "identity", raw.identity());
        final Path keyFile = path(dir, require(file, "identity.key", identity.key()));
        final Path certificateFile = path(dir, require(file, "identity.certificate", identity.certificate()));
        final Path caFile = path(dir, require(file, "identity.ca_public_key", identity.caPublicKey()));
        final Path dataDir = path(dir, raw.dataDir() == null ? "data" : raw.dataDir());

        final CoreConfig d = CoreConfig.defaults(advertise, bootstrap);
        final ConfigFile.Peers peers = raw.peers() == null ? new ConfigFile.Peers(null, null) : raw.peers();
        final int peersMax = range(file, "peers.max", peers.max(), d.peersMax(), 1, 256);
        final int peersTarget = range(file, "peers.target", peers.target(), Math.min(d.peersTarget(), peersMax), 1, peersMax);
        final ConfigFile.Liveness l = raw.liveness() == null ? new ConfigFile.Liveness(null, null, null, null) : raw.liveness();
        final long pingMs = range(file, "liveness.ping_interval_ms", l.pingIntervalMs(), d.pingIntervalMicros() / 1000, 50, 60_000);
        final long suspectMs = range(file, "liveness.suspect_after_ms", l.suspectAfterMs(), Math.max(3 * pingMs, d.suspectAfterMicros() / 1000), pingMs + 1, 600_000);
        final long deadMs = range(file, "liveness.dead_after_ms", l.deadAfterMs(), Math.max(2 * suspectMs, d.deadAfterMicros() / 1000), suspectMs + 1, 3_600_000);
        final long forgetMs = range(file, "liveness.forget_after_ms", l.forgetAfterMs(), Math.max(deadMs, d.forgetAfterMicros() / 1000), deadMs, 86_400_000);
        final long skewMs = range(file, "clock_skew_max_ms", raw.clockSkewMaxMs(), d.clockSkewMicrosMax() / 1000, 100, 3_600_000);
        final ConfigFile.Transport t = raw.transport() == null ? new ConfigFile.Transport(null, null, null) : raw.transport();
        final int queueMax = range(file, "transport.send_queue_frames_max", t.sendQueueFramesMax(), 256, 1, 65_536);
        final long backoffMinMs = range(file, "transport.reconnect_backoff_min_ms", t.reconnectBackoffMinMs(), 100, 1, 60_000);
        final long backoffMaxMs = range(file, "transport.reconnect_backoff_max_ms", t.reconnectBackoffMaxMs(), Math.max(5_000, backoffMinMs), backoffMinMs, 600_000);
        final long tickMicros = Math.min(d.tickMicros(), pingMs * 1000 / 2);
        final FeatureSchema schema = schema(file, raw.features());
        final DetectionConfig detection = detection(file, raw.detection());
        final TreeConfig tree = tree(file, raw.tree(), schema.size());
        final CoreConfig core = new CoreConfig(
            advertise, bootstrap, peersMax, peersTarget, tickMicros, pingMs * 1000, suspectMs * 1000, deadMs * 1000,
            forgetMs * 1000, d.joinRetryMicrosMin(), d.joinRetryMicrosMax(), skewMs * 1000,
            Math.max(d.trustedMax(), 2 * peersMax), d.knownMax(), schema.hash());
        return new NodeConfig(file, dataDir, peerListen, apiListen, otlpListen, keyFile, certificateFile, caFile, core,
            queueMax, backoffMinMs, backoffMaxMs, schema, detection, tree, history(file, raw.storage(), detection),
            consensusLog(file, raw.storage()), verdicts(file, raw.verdicts()),
            raw.tree() == null || raw.tree().contributeStatistics() == null || raw.tree().contributeStatistics(),
            accel(file, raw.accel()), alerting(file, raw.alerting()));
    }

    private static AlertingSettings alerting(final Path file, final ConfigFile.Alerting raw) {
        final AlertingSettings d = AlertingSettings.defaults();
        if (raw == null) {
            return d;
        }
        final List<String> given = raw.alertmanager() == null ? List.of() : raw.alertmanager();
        if (given.size() > AlertingSettings.ALERTMANAGERS_MAX) {
            throw new ConfigException(file, "alerting.alertmanager", "expected at most " + AlertingSettings.ALERTMANAGERS_MAX
                + " Alertmanager URLs, got " + given.size());
        }
        final List<java.net.URI> urls = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            final String field = "alerting.alertmanager[" + i + "]";
            final String problem = AlertingSettings.urlProblem(given.get(i));
            if (problem != null) {
                throw new ConfigException(file, field, problem);
            }
            final java.net.URI url = AlertingSettings.base(given.get(i));
            if (urls.contains(url)) {
                throw new ConfigException(file, field, url + " is listed twice");
            }
            urls.add(url);
        }
        final long resendS = range(file, "alerting.resend_interval_s", raw.resendIntervalS(), d.resendIntervalMs() / 1000, 1, 3_600);
        final int queueMax = range(file, "alerting.queue_max", raw.queueMax(), d.queueMax(), 1, 1_000_000);
        final long timeoutMs = range(file, "alerting.timeout_ms", raw.timeoutMs(), d.timeoutMs(), 100, 600_000);
        return new AlertingSettings(urls, resendS * 1000, queueMax, timeoutMs);
    }

    private static AccelSettings accel(final Path file, final ConfigFile.Accel raw) {
        if (raw == null) {
            return AccelSettings.defaults();
        }
        final Accel.Backend backend;
        if (raw.backend() == null) {
            backend = AccelSettings.defaults().backend();
        } else {
            try {
                backend = Accel.Backend.parse(raw.backend().trim().toLowerCase(java.util.Locale.ROOT));
            } catch (final IllegalArgumentException e) {
                throw new ConfigException(file, "accel.backend", "expected auto, java or opencl, got '" + raw.backend() + "'");
            }
        }
        final String device = raw.device() == null ? "" : raw.device().trim();
        if (device.length() > AccelSettings.DEVICE_CHARS_MAX || device.chars().anyMatch(Character::isISOControl)) {
            throw new ConfigException(file, "accel.device", "expected an OpenCL device index or a part of its name (at most "
                + AccelSettings.DEVICE_CHARS_MAX + " printable characters), got '" + raw.device() + "'");
        }
        return new AccelSettings(backend, device);
    }

    private static VerdictSettings verdicts(final Path file, final ConfigFile.Verdicts given) {
        final ConfigFile.Verdicts raw = given == null ? new ConfigFile.Verdicts(null, null, null, null, null, null, null, null, null, null, null) : given;
        final dev.vigil.daemon.verdict.VerdictConfig d = dev.vigil.daemon.verdict.VerdictConfig.defaults();
        final boolean enabled = raw.enabled() == null || raw.enabled();
        final int shards = range(file, "verdicts.shards", raw.shards(), d.shards(), 1, dev.vigil.daemon.consensus.Committees.SHARDS_MAX);
        final int f = range(file, "verdicts.f", raw.f(), d.f(), 0, 21);
        final double sendLevel = real(file, "verdicts.send_level", raw.sendLevel(), d.sendLevel(), 0, 1e6);
        final int certificatesMax = range(file, "verdicts.certificates_max", raw.certificatesMax(), 100_000, 1, 10_000_000);
        java.net.URI webhook = null;
        if (raw.webhook() != null) {
            try {
                webhook = java.net.URI.create(raw.webhook());
            } catch (final IllegalArgumentException e) {
                throw new ConfigException(file, "verdicts.webhook", "not a URL: " + e.getMessage());
            }
            if (!"http".equals(webhook.getScheme()) && !"https".equals(webhook.getScheme())) {
                throw new ConfigException(file, "verdicts.webhook", "an http:// or https:// URL, not " + raw.webhook());
            }
        }
        if (raw.command() != null && raw.command().isEmpty()) {
            throw new ConfigException(file, "verdicts.command", "a program and its arguments, e.g. [/usr/local/bin/isolate-agent]; omit it for none");
        }
        final long timeoutMs = range(file, "verdicts.command_timeout_ms", raw.commandTimeoutMs(), 30_000, 100, 3_600_000);
        final int queueMax = range(file, "verdicts.response_queue_max", raw.responseQueueMax(), 1024, 1, 1_000_000);
        final long directoryMs = range(file, "verdicts.directory_interval_ms", raw.directoryIntervalMs(), d.directoryIntervalMicros() / 1000,
            100, 3_600_000);
        final dev.vigil.daemon.verdict.VerdictConfig consensus = new dev.vigil.daemon.verdict.VerdictConfig(enabled, shards, f, sendLevel,
            real(file, "verdicts.llr_temper", raw.llrTemper(), d.llrTemper(), 0.01, 1), d.agentsMax(), d.outboxRecordsMax(), d.resendMicrosMin(), d.resendMicrosMax(), d.sharesPendingMax(), directoryMs * 1000,
            d.candidatesMax(), dev.vigil.daemon.verdict.VerdictConfig.committeeDefaults(f), dev.vigil.daemon.consensus.evidence.EvidenceState.Config.defaults(f));
        return new VerdictSettings(consensus, certificatesMax, webhook, raw.command() == null ? List.of() : List.copyOf(raw.command()),
            timeoutMs, queueMax);
    }

    private static HistoryConfig history(final Path file, final ConfigFile.Storage raw, final DetectionConfig detection) {
        final HistoryConfig d = HistoryConfig.defaults();
        final ConfigFile.Storage s = raw == null ? new ConfigFile.Storage(null, null, null, null, null, null, null, null, null, null, null) : raw;
        final long agents = range(file, "storage.expected_agents", s.expectedAgents(), d.expectedAgents(), 1, 10_000_000);
        // A restart rebuilds each agent's baseline window from its raw blocks, so raw must cover it.
        final long windowHours = ((long)detection.bucketSeconds() * detection.baselineBuckets() + 3_599) / 3_600;
        final long rawH = range(file, "storage.raw_retention_hours", s.rawRetentionHours(),
            Math.max(d.rawRetentionMicros() / HistoryConfig.HOUR_MICROS, windowHours), Math.max(24, windowHours), 24 * 365);
        final long minuteD = range(file, "storage.minute_retention_days", s.minuteRetentionDays(),
            Math.max(d.minuteRetentionMicros() / HistoryConfig.DAY_MICROS, (rawH + 23) / 24), (rawH + 23) / 24, 365);
        final long hourD = range(file, "storage.hour_retention_days", s.hourRetentionDays(),
            Math.max(d.hourRetentionMicros() / HistoryConfig.DAY_MICROS, minuteD), minuteD, 3_650);
        final long dayD = s.dayRetentionDays() == null || s.dayRetentionDays() == 0 ? 0
            : range(file, "storage.day_retention_days", s.dayRetentionDays(), 0, hourD, 36_500);
        final int perMinute = range(file, "storage.observations_per_minute_max", s.observationsPerMinuteMax(),
            d.observationsPerMinuteMax(), 1, 6_000);
        final int replicas = range(file, "storage.replicas", s.replicas(), d.replicas(), 0, 8);
        final long replicationS = range(file, "storage.replication_interval_s", s.replicationIntervalS(),
            d.replicationIntervalMicros() / 1_000_000, 1, 86_400);
        final int minuteBits = range(file, "storage.minute_precision_bits", s.minutePrecisionBits(), d.minutePrecisionBits(),
            HistoryConfig.PRECISION_BITS_MIN, MinutePack.PRECISION_EXACT);
        return new HistoryConfig(rawH * HistoryConfig.HOUR_MICROS, minuteD * HistoryConfig.DAY_MICROS,
            hourD * HistoryConfig.DAY_MICROS, dayD * HistoryConfig.DAY_MICROS, agents, perMinute,
            d.expectedObservationsPerMinute(), d.retentionDeletesPerPass(), replicas, replicationS * 1_000_000L, minuteBits);
    }

    private static ConsensusLogConfig consensusLog(final Path file, final ConfigFile.Storage s) {
        final ConsensusLogConfig d = ConsensusLogConfig.defaults();
        if (s == null) {
            return d;
        }
        final int replicas = range(file, "storage.consensus_replicas", s.consensusReplicas(), d.replicasMax(), 1, 4_096);
        final long kib = range(file, "storage.consensus_log_kib_per_replica", s.consensusLogKibPerReplica(),
            d.bytesPerReplicaMax() / 1024, 64, 1024 * 1024);
        return new ConsensusLogConfig(replicas, kib * 1024);
    }

    private static TreeConfig tree(final Path file, final ConfigFile.Tree raw, final int dimension) {
        final TreeConfig d = TreeConfig.defaults(dimension);
        if (raw == null) {
            return d;
        }
        final int b = range(file, "tree.b", raw.b(), d.b(), TreeRules.B_TEST_MIN, TreeRules.B_MAX);
        final long joinDelayMs = range(file, "tree.join_delay_ms", raw.joinDelayMs(), d.joinDelayMicros() / 1000, 1, 600_000);
        final long pingMs = range(file, "tree.ping_interval_ms", raw.pingIntervalMs(), d.pingIntervalMicros() / 1000, 100, 60_000);
        final long viewMs = range(file, "tree.view_refresh_ms", raw.viewRefreshMs(), d.viewRefreshMicros() / 1000, 100, 600_000);
        return d.withB(b).withTiming(joinDelayMs * 1000, pingMs * 1000, viewMs * 1000);
    }

    private static FeatureSchema schema(final Path file, final List<ConfigFile.FeatureEntry> entries) {
        if (entries == null) {
            return FeatureSchema.agentDefault();
        }
        if (entries.isEmpty() || entries.size() > FeatureSchema.FEATURES_MAX) {
            throw new ConfigException(file, "features", "expected 1 to " + FeatureSchema.FEATURES_MAX + " features, got " + entries.size());
        }
        final List<Feature> features = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            final ConfigFile.FeatureEntry e = entries.get(i);
            final String field = "features[" + i + "]";
            if (e == null || e.name() == null) {
                throw new ConfigException(file, field + ".name", "is required");
            }
            final int known = FeatureSchema.agentDefault().indexOf(e.name());
            final Feature catalog = known < 0 ? null : FeatureSchema.agentDefault().feature(known);
            final Feature.Transform transform;
            if (e.transform() == null) {
                transform = catalog != null ? catalog.transform() : Feature.Transform.IDENTITY;
            } else {
                try {
                    transform = Feature.Transform.valueOf(e.transform().toUpperCase(java.util.Locale.ROOT));
                } catch (final IllegalArgumentException ex) {
                    throw new ConfigException(file, field + ".transform", "expected identity or log1p, got '" + e.transform() + "'");
                }
            }
            features.add(catalog != null && catalog.transform() == transform
                ? catalog
                : catalog != null ? new Feature(catalog.name(), transform, catalog.unit(), catalog.source(), catalog.description())
                : new Feature(e.name(), transform, "", "custom: JSON ingest only", "operator-defined feature"));
        }
        try {
            return new FeatureSchema(features);
        } catch (final IllegalArgumentException ex) {
            throw new ConfigException(file, "features", ex.getMessage());
        }
    }

    private static DetectionConfig detection(final Path file, final ConfigFile.Detection raw) {
        final DetectionConfig d = DetectionConfig.defaults();
        if (raw == null) {
            return d;
        }
        final int bucketSeconds = range(file, "detection.bucket_seconds", raw.bucketSeconds(), d.bucketSeconds(), 1, 86_400);
        final int baselineBuckets = range(file, "detection.baseline_buckets", raw.baselineBuckets(), d.baselineBuckets(), 2, 10_080);
        final int lagBuckets = range(file, "detection.lag_buckets", raw.lagBuckets(), Math.min(d.lagBuckets(), baselineBuckets - 1), 0, baselineBuckets - 1);
        final int cold = range(file, "detection.cold_observations", raw.coldObservations(), d.coldObservations(), 2, 1_000_000);
        final double inflation = real(file, "detection.inflation", raw.inflation(), d.inflation(), 1.01, 100);
        final double suspectAt = real(file, "detection.suspect_at", raw.suspectAt(), d.suspectAt(), 0.1, 1e6);
        final double alarmAt = real(file, "detection.alarm_at", raw.alarmAt(), Math.max(d.alarmAt(), 2 * suspectAt), suspectAt + 1e-9, 1e6);
        final double floor = real(file, "detection.variance_floor", raw.varianceFloor(), d.varianceFloor(), 0, 1e6);
        final int agentsMax = range(file, "detection.agents_max", raw.agentsMax(), d.agentsMax(), 1, 10_000_000);
        final long skewS = range(file, "detection.future_skew_seconds_max", raw.futureSkewSecondsMax(), d.futureSkewSecondsMax(), 0, 86_400);
        return new DetectionConfig(bucketSeconds, baselineBuckets, lagBuckets, cold, inflation, d.llrMax(), d.llrMin(),
            suspectAt, alarmAt, floor, d.excludeQuantile(), agentsMax, skewS);
    }

    private static double real(final Path file, final String field, final Double value, final double fallback, final double min, final double max) {
        if (value == null) {
            return fallback;
        }
        if (!(value >= min && value <= max)) {
            throw new ConfigException(file, field, "expected a number in [" + min + ", " + max + "], got " + value);
        }
        return value;
    }

    private static <T> T require(final Path file, final String field, final T value) {
        if (value == null) {
            throw new ConfigException(file, field, "is required; see configs/node.example.yaml");
        }
        return value;
    }

    private static HostPort hostPort(final Path file, final String field, final String value) {
        try {
            return HostPort.parse(value);
        } catch (final IllegalArgumentException e) {
            throw new ConfigException(file, field, e.getMessage());
        }
    }

    private static int range(final Path file, final String field, final Long value, final int fallback, final int min, final int max) {
        return (int)range(file, field, value, (long)fallback, min, max);
    }

    private static long range(final Path file, final String field, final Long value, final long fallback, final long min, final long max) {
        if (value == null) {
            return fallback;
        }
        if (value < min || value > max) {
            throw new ConfigException(file, field, "expected an integer in [" + min + ", " + max + "], got " + value);
        }
        return value;
    }

    private static Path path(final Path dir, final String value) {
        final Path p = Path.of(value);
        return p.isAbsolute() ? p : dir.resolve(p).normalize();
    }

    private static String path(final JsonMappingException e) {
        return e.getPath().stream()
            .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
            .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String line(final JsonLocation location) {
        return location == null || location.getLineNr() < 0 ? "" : " (line " + location.getLineNr() + ")";
    }

    private static String describe(final Class<?> type) {
        if (type == null) {
            return "a different value";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "a mapping (" + type.getSimpleName().toLowerCase(java.util.Locale.ROOT) + ")";
    }
}
