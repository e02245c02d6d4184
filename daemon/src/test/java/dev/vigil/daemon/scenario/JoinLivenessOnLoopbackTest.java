package dev.vigil.daemon.scenario;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The join/liveness suite on real daemons over TCP loopback. */
class JoinLivenessOnLoopbackTest extends JoinLivenessSuite {
    @TempDir
    Path dir;

    @Override
    protected TestCluster newCluster() {
        return new LoopbackTestCluster(dir);
    }
}
