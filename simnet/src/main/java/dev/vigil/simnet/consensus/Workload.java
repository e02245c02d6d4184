package dev.vigil.simnet.consensus;

import dev.vigil.daemon.consensus.Delivery;
import dev.vigil.daemon.consensus.ReplicatedState;

import java.util.SplittableRandom;

/**
 * What a simulated committee replicates and what its clients ask of it: the state machine every
 * replica starts (and restarts) with, each client's next payload, and the workload's own checks of
 * what honest replicas deliver. A workload draws randomness only from the generators it is handed,
 * so the seed replays the run.
 */
public interface Workload {
    /** A fresh state machine, for a replica that starts or restarts. */
    ReplicatedState newState();

    /** How many clients send requests; at most {@link ConsensusSim#CLIENTS_MAX}. */
    int clients();

    /** Once, before the run: the clients' node ids (what their requests name as client), in client order. */
    void bind(long[] clientIds);

    /** The payload of client {@code c}'s next request, or null if it has nothing to send now. */
    byte[] next(int client, long nowMicros);

    /** Whether client {@code c} will never have anything more to send. */
    boolean finished(int client);

    /**
     * An honest member delivered a committed batch (again, with {@code recovered} set, after a
     * restart), after its state applied it.
     *
     * @return a broken invariant in words, or null
     */
    String delivered(int member, Delivery delivery, ReplicatedState state, long nowMicros);

    /** Whether client {@code c} lies: it resends old requests now and then (the committee must dedup them). */
    default boolean replays(final int client) {
        return false;
    }

    /**
     * What an {@link ConsensusSim.Behaviour#INFLATE} member makes of a client's payload it relays
     * in a proposal (the client's signature no longer covers it). By default one flipped bit.
     */
    default byte[] inflated(final byte[] payload, final SplittableRandom rng) {
        final byte[] out = payload.clone();
        if (out.length > 0) {
            out[rng.nextInt(out.length)] ^= 1;
        }
        return out;
    }
}
