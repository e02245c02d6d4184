package dev.vigil.daemon.history;

/**
 * How long each tier is kept, how the stores are sized, and the bounds on the write path.
 *
 * @param rawRetentionMicros          raw observations (24 h); pinned agents' raw data is kept
 *                                    until released. Must cover the detector's baseline window,
 *                                    which a restart rebuilds from raw blocks.
 * @param minuteRetentionMicros       per-minute rollups (7 d)
 * @param hourRetentionMicros         per-hour rollups (30 d)
 * @param dayRetentionMicros          per-day rollups; 0 keeps them for good
 * @param expectedAgents              agents the stores' ceilings are set for (4x this many; the
 *                                    files start small and grow as agents arrive)
 * @param observationsPerMinuteMax    bound on one agent's observations in one minute: beyond it
 *                                    observations are refused (and not acknowledged)
 * @param expectedObservationsPerMinute per agent, for sizing raw blocks
 * @param retentionDeletesPerPass     bound on the entries one retention pass deletes
 * @param replicas                    cluster members each agent baseline is replicated to
 * @param replicationIntervalMicros   an agent's baseline is sent again at most this often
 * @param minutePrecisionBits         mantissa bits the minute tier's statistics are rounded to
 *                                    ({@link MinutePack}); {@value MinutePack#PRECISION_EXACT} keeps them exact
 */
public record HistoryConfig(long rawRetentionMicros, long minuteRetentionMicros, long hourRetentionMicros,
                            long dayRetentionMicros, long expectedAgents, int observationsPerMinuteMax,
                            int expectedObservationsPerMinute, int retentionDeletesPerPass, int replicas,
                            long replicationIntervalMicros, int minutePrecisionBits) {
    public static final long HOUR_MICROS = 3_600_000_000L;
    public static final long DAY_MICROS = 24 * HOUR_MICROS;
    /** Fewest mantissa bits the minute tier may keep: 2 significant decimal digits. */
    public static final int PRECISION_BITS_MIN = 7;
    /** Default mantissa bits of the minute tier: a relative error of at most 2^-11 (0.05 %), three significant digits and more. */
    public static final int MINUTE_PRECISION_BITS_DEFAULT = 10;

    public HistoryConfig {
        if (rawRetentionMicros < HOUR_MICROS || minuteRetentionMicros < rawRetentionMicros
            || hourRetentionMicros < minuteRetentionMicros || (dayRetentionMicros != 0 && dayRetentionMicros < hourRetentionMicros)) {
            throw new IllegalArgumentException("retention must grow with the tier: raw >= 1 h, minute >= raw, hour >= minute, day >= hour (or 0, kept)");
        }
        if (expectedAgents < 1 || observationsPerMinuteMax < 1 || observationsPerMinuteMax > 6_000
            || expectedObservationsPerMinute < 1 || retentionDeletesPerPass < 1 || replicas < 0 || replicationIntervalMicros < 1) {
            throw new IllegalArgumentException("storage sizes and bounds must be positive (observations per minute at most 6000)");
        }
        if (minutePrecisionBits < PRECISION_BITS_MIN || minutePrecisionBits > MinutePack.PRECISION_EXACT) {
            throw new IllegalArgumentException("minute precision must be " + PRECISION_BITS_MIN + " to " + MinutePack.PRECISION_EXACT
                + " bits of mantissa");
        }
    }

    public static HistoryConfig defaults() {
        return new HistoryConfig(24 * HOUR_MICROS, 7 * DAY_MICROS, 30 * DAY_MICROS, 0, 1_000, 600, 6, 20_000, 2, 30_000_000L, MINUTE_PRECISION_BITS_DEFAULT);
    }

    public long retentionMicros(final Tier t) {
        return switch (t) {
            case RAW -> rawRetentionMicros;
            case MINUTE -> minuteRetentionMicros;
            case HOUR -> hourRetentionMicros;
            case DAY -> dayRetentionMicros;
        };
    }

    public HistoryConfig withExpectedAgents(final long agents) {
        return new HistoryConfig(rawRetentionMicros, minuteRetentionMicros, hourRetentionMicros, dayRetentionMicros, agents,
            observationsPerMinuteMax, expectedObservationsPerMinute, retentionDeletesPerPass, replicas, replicationIntervalMicros,
            minutePrecisionBits);
    }
}
