package dev.vigil.daemon.consensus;

import dev.vigil.crypto.PrivateKey;

import java.util.SplittableRandom;

/**
 * What the consensus unit tests share: simulated keys drawn from a seed, the virtual start time
 * and the small-window configuration. simnet's committee ({@code dev.vigil.simnet.consensus})
 * derives its keys and configuration the same way, so seeds mean the same committee in both.
 */
final class TestKeys {
    static final long T0_MICROS = 1_767_225_600_000_000L;

    private TestKeys() {
    }

    /** The simulated (fast, NOT secure) key number {@code which} of a seed. */
    static PrivateKey simulatedKey(final long seed, final int which) {
        final byte[] secret = new byte[32];
        new SplittableRandom(seed * 1_000_003L + which).nextBytes(secret);
        return PrivateKey.simulatedInsecure(secret);
    }

    /** Checkpoints every 8, batches of at most 4, short timeouts, the replica's own invariant checks on. */
    static ConsensusConfig testConfig(final int f) {
        return ConsensusConfig.defaults().withF(f).withCheckpointSeqs(8).withBatching(4, 32 * 1024, 2_000)
            .withTimeouts(150_000, 3_000_000, 50_000, 100_000).withPending(256, 8, 64).withInvariantChecks(true);
    }
}
