package dev.vigil.simnet.consensus;

import dev.vigil.daemon.consensus.ChainState;
import dev.vigil.daemon.consensus.Delivery;
import dev.vigil.daemon.consensus.ReplicatedState;

import java.nio.charset.StandardCharsets;

/**
 * The protocol tests' workload: the daemon tests' hash-chain state machine, and the scenario's
 * clients each sending its {@code requestsPerClient} requests ("op N of CLIENT"), one at a time.
 */
final class ChainWorkload implements Workload {
    private final SimScenario scenario;
    private final int[] issued;
    private long[] ids;

    ChainWorkload(final SimScenario scenario) {
        this.scenario = scenario;
        this.issued = new int[scenario.clients()];
    }

    static ConsensusSim sim(final SimScenario scenario) {
        return new ConsensusSim(scenario, new ChainWorkload(scenario));
    }

    @Override
    public ReplicatedState newState() {
        return new ChainState();
    }

    @Override
    public int clients() {
        return scenario.clients();
    }

    @Override
    public void bind(final long[] clientIds) {
        this.ids = clientIds.clone();
    }

    @Override
    public byte[] next(final int client, final long nowMicros) {
        if (finished(client)) {
            return null;
        }
        issued[client]++;
        return ("op " + issued[client] + " of " + Long.toHexString(ids[client])).getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public boolean finished(final int client) {
        return issued[client] >= scenario.requestsPerClient();
    }

    @Override
    public String delivered(final int member, final Delivery delivery, final ReplicatedState state, final long nowMicros) {
        return null;
    }
}
