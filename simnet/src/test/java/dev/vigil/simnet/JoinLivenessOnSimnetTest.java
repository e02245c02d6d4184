package dev.vigil.simnet;

import dev.vigil.daemon.scenario.JoinLivenessSuite;
import dev.vigil.daemon.scenario.TestCluster;

/** The join/liveness suite on simnet's virtual network (hosts spread over the default world map). */
class JoinLivenessOnSimnetTest extends JoinLivenessSuite {
    @Override
    protected TestCluster newCluster() {
        return new SimTestCluster(42);
    }
}
