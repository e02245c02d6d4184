package dev.vigil.simnet;

import dev.vigil.daemon.scenario.TestCluster;
import dev.vigil.daemon.scenario.TreeSuite;
import dev.vigil.daemon.tree.TreeConfig;

/** The tree scenarios on simnet's virtual network: twelve hosts over the default world map, B = 4. */
class TreeOnSimnetTest extends TreeSuite {
    @Override
    protected TestCluster newCluster(final TreeConfig tree) {
        return new SimTestCluster(7, tree);
    }
}
