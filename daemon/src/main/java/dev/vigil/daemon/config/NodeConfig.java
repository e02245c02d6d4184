package dev.vigil.daemon.config;

import dev.vigil.daemon.core.CoreConfig;

import java.nio.file.Path;

/**
 * A node's configuration after defaults, validation and path resolution (relative paths are
 * taken from the config file's directory).
 */
public record NodeConfig(
    Path file,
    Path dataDir,
    HostPort peerListen,
    HostPort apiListen,
    Path keyFile,
    Path certificateFile,
    Path caPublicKeyFile,
    CoreConfig core,
    int sendQueueFramesMax,
    long reconnectBackoffMinMs,
    long reconnectBackoffMaxMs) {
}
