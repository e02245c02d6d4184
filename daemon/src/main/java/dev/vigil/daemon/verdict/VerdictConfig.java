package dev.vigil.daemon.verdict;

import dev.vigil.daemon.consensus.Committees;
import dev.vigil.daemon.consensus.ConsensusConfig;
import dev.vigil.daemon.consensus.evidence.EvidenceBatch;
import dev.vigil.daemon.consensus.evidence.EvidenceState;

/**
 * Settings of fleet verdicts (config section {@code verdicts}), units in the names.
 *
 * @param enabled                 whether this node observes for, sits on and passes on committees at all
 * @param shards                  agents map to this many shards, each with its committee
 * @param f                       faulty members each committee tolerates (3f + 1 members); smaller when the directory is small
 * @param sendLevel               an observer sends an excursion once its CUSUM reaches this (nats)
 * @param llrTemper               an observer's increments are its detector's LLRs times this, in (0, 1] (see {@link Observing})
 * @param agentsMax               agents an observer follows for excursions
 * @param outboxRecordsMax        evidence records waiting per shard at an observer
 * @param resendMicrosMin         an unacknowledged evidence request goes again after this, doubling
 * @param resendMicrosMax         up to this
 * @param sharesPendingMax        verdicts collecting signatures at once
 * @param directoryIntervalMicros the root reissues, and every head passes down, the directory this often
 * @param candidatesMax           candidates the root lists in a directory (at most 64)
 * @param consensus               the replicas' settings
 * @param evidence                the replicated evidence state's settings
 */
public record VerdictConfig(boolean enabled, int shards, int f, double sendLevel, double llrTemper, int agentsMax, int outboxRecordsMax,
                            long resendMicrosMin, long resendMicrosMax, int sharesPendingMax, long directoryIntervalMicros,
                            int candidatesMax, ConsensusConfig consensus, EvidenceState.Config evidence) {
    public VerdictConfig {
        if (shards < 1 || shards > Committees.SHARDS_MAX) {
            throw new IllegalArgumentException("verdicts.shards " + shards + " outside [1, " + Committees.SHARDS_MAX + "]");
        }
        if (f < 0 || f > 21) {
            throw new IllegalArgumentException("verdicts.f " + f + " outside [0, 21]");
        }
        if (!(llrTemper > 0 && llrTemper <= 1)) {
            throw new IllegalArgumentException("verdicts.llr_temper " + llrTemper + " outside (0, 1]");
        }
        if (candidatesMax < 1 || candidatesMax > 64) {
            throw new IllegalArgumentException("verdicts.candidates_max " + candidatesMax + " outside [1, 64]");
        }
        if (consensus.payloadBytesMax() < EvidenceBatch.BYTES_MAX) {
            // an outbox packs requests up to EvidenceBatch.BYTES_MAX: every replica would refuse a fuller one as oversized, forever
            throw new IllegalArgumentException("the replicas' payload bound " + consensus.payloadBytesMax() + " B is below a full evidence batch ("
                + EvidenceBatch.BYTES_MAX + " B)");
        }
        if (resendMicrosMin <= 0 || resendMicrosMax < resendMicrosMin) {
            throw new IllegalArgumentException("verdicts resend backoff must be positive, min <= max");
        }
    }

    /**
     * The detector's per-observation LLR treats observations as independent draws from exactly its
     * model; consecutive observations of an agent are correlated and the model is approximate, so
     * summed raw LLRs overstate the evidence. An observer tempers them (a power likelihood): at 1/3
     * an observer's clipped total of 20 stands for 60 nats of raw CUSUM, the local alarm level.
     */
    public static final double LLR_TEMPER_DEFAULT = 1.0 / 3;

    /**
     * The default {@code verdicts.send_level}, in raw nats. A verdict at the default prior and level
     * needs the counted observers' tempered totals to add up to ln(999) + ln(9999), about 16.1, so
     * 48 raw nats: one counted observer (the median of three) needs all of it, and an excursion
     * below 10 nats can only delay, never decide, a verdict with up to four counted observers (it
     * goes out whole once it reaches the level). Below it lies most of a clean agent's noise: at
     * 10 rather than 3 nats, fleet-detect at 100 nodes and 200 agents over 4 h sent a quarter of
     * the messages and half the evidence bytes, with the same verdicts at the same times.
     */
    public static final double SEND_LEVEL_DEFAULT = 10.0;

    public static VerdictConfig defaults() {
        final int f = Committees.F_DEFAULT;
        return new VerdictConfig(true, Committees.SHARDS_DEFAULT, f, SEND_LEVEL_DEFAULT, LLR_TEMPER_DEFAULT, 100_000, 4096, 1_000_000, 8_000_000, 1024,
            10_000_000, 64, committeeDefaults(f), EvidenceState.Config.defaults(f));
    }

    /**
     * The replicas' settings for evidence committees: checkpoints every 16 sequence numbers (an idle
     * primary pads with null batches up to the next checkpoint, so K is paid in rounds after each burst
     * of evidence) and that padding after 10 s idle rather than 1 s, so that evidence arriving a window
     * apart shares one padding; a request timeout of 10 s rather than 2 s: evidence waits minutes
     * for a verdict anyway, and at 2 s a node whose cores were saturated (bench consensus with the
     * outboxes kept full) let requests outlive the timer and its committees changed view until they
     * collapsed (4 replicas: 13,044 records/s and 553 view changes at 2 s, 37,760 and 0 at 10 s;
     * 7 replicas: 76 and 7,959); a silent primary is replaced after 10 s instead; requests as large as a full
     * evidence batch; otherwise {@link ConsensusConfig#defaults()}.
     */
    public static ConsensusConfig committeeDefaults(final int f) {
        final ConsensusConfig d = ConsensusConfig.defaults();
        return d.withF(f).withCheckpointSeqs(16).withTimeouts(10_000_000, d.viewChangeTimeoutMicrosMax(), 10_000_000,
            d.stateRetryMicros()).withPayloadBytesMax(EvidenceBatch.BYTES_MAX);
    }

    public VerdictConfig withEnabled(final boolean on) {
        return new VerdictConfig(on, shards, f, sendLevel, llrTemper, agentsMax, outboxRecordsMax, resendMicrosMin, resendMicrosMax,
            sharesPendingMax, directoryIntervalMicros, candidatesMax, consensus, evidence);
    }

    public VerdictConfig withShards(final int n) {
        return new VerdictConfig(enabled, n, f, sendLevel, llrTemper, agentsMax, outboxRecordsMax, resendMicrosMin, resendMicrosMax,
            sharesPendingMax, directoryIntervalMicros, candidatesMax, consensus, evidence);
    }

    public VerdictConfig withDirectoryInterval(final long micros) {
        return new VerdictConfig(enabled, shards, f, sendLevel, llrTemper, agentsMax, outboxRecordsMax, resendMicrosMin, resendMicrosMax,
            sharesPendingMax, micros, candidatesMax, consensus, evidence);
    }

    public VerdictConfig withLlrTemper(final double temper) {
        return new VerdictConfig(enabled, shards, f, sendLevel, temper, agentsMax, outboxRecordsMax, resendMicrosMin, resendMicrosMax,
            sharesPendingMax, directoryIntervalMicros, candidatesMax, consensus, evidence);
    }

    public VerdictConfig withSendLevel(final double level) {
        return new VerdictConfig(enabled, shards, f, level, llrTemper, agentsMax, outboxRecordsMax, resendMicrosMin, resendMicrosMax,
            sharesPendingMax, directoryIntervalMicros, candidatesMax, consensus, evidence);
    }
}
