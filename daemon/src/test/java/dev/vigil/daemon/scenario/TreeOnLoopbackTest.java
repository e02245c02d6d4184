package dev.vigil.daemon.scenario;

import dev.vigil.daemon.tree.TreeConfig;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The tree scenarios on twelve real daemons over TCP loopback, B = 4. */
class TreeOnLoopbackTest extends TreeSuite {
    @TempDir
    Path dir;

    @Override
    protected TestCluster newCluster(final TreeConfig tree) {
        return new LoopbackTestCluster(dir, tree);
    }
}
