package dev.vigil.daemon.config;

import java.util.List;

/**
 * The YAML file as written, field for field (snake_case on disk). Absent fields are null and
 * get their defaults in {@link ConfigLoader}; unknown fields are errors.
 */
record ConfigFile(
    String dataDir,
    Listen listen,
    String advertise,
    List<String> bootstrap,
    Identity identity,
    Peers peers,
    Liveness liveness,
    Transport transport,
    Long clockSkewMaxMs,
    List<FeatureEntry> features,
    Detection detection,
    Tree tree,
    Storage storage,
    Verdicts verdicts,
    Accel accel,
    Alerting alerting) {

    record Alerting(List<String> alertmanager, Long resendIntervalS, Long queueMax, Long timeoutMs) {
    }

    record Accel(String backend, String device) {
    }

    record Verdicts(Boolean enabled, Long shards, Long f, Double sendLevel, Long certificatesMax, String webhook, List<String> command,
                    Long commandTimeoutMs, Long responseQueueMax, Long directoryIntervalMs, Double llrTemper) {
    }

    record Storage(Long expectedAgents, Long rawRetentionHours, Long minuteRetentionDays, Long hourRetentionDays,
                   Long dayRetentionDays, Long observationsPerMinuteMax, Long replicas, Long replicationIntervalS,
                   Long consensusReplicas, Long consensusLogKibPerReplica, Long minutePrecisionBits) {
    }

    record Listen(String peer, String api, String otlp) {
    }

    record FeatureEntry(String name, String transform) {
    }

    record Detection(Long bucketSeconds, Long baselineBuckets, Long lagBuckets, Long coldObservations, Double inflation,
                     Double suspectAt, Double alarmAt, Double varianceFloor, Long agentsMax, Long futureSkewSecondsMax) {
    }

    record Tree(Long b, Long joinDelayMs, Long pingIntervalMs, Long viewRefreshMs, Boolean contributeStatistics) {
    }

    record Identity(String key, String certificate, String caPublicKey) {
    }

    record Peers(Long max, Long target) {
    }

    record Liveness(Long pingIntervalMs, Long suspectAfterMs, Long deadAfterMs, Long forgetAfterMs) {
    }

    record Transport(Long sendQueueFramesMax, Long reconnectBackoffMinMs, Long reconnectBackoffMaxMs) {
    }
}
