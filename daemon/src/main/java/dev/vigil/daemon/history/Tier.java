package dev.vigil.daemon.history;

/** The resolutions an agent's history is kept at, finest first. */
public enum Tier {
    /** Every observation, in blocks of one minute. */
    RAW("raw", 60_000_000L, 0),
    /** Per-minute rollups, packed per hour and rounded to storage.minute_precision_bits ({@link MinutePack}). */
    MINUTE("minute", 60_000_000L, 4),
    /** Per-hour rollups, stored at f32 (seven significant digits; the month's charts read them). */
    HOUR("hour", 3_600_000_000L, 4),
    /** Per-day rollups, stored at f64. */
    DAY("day", 86_400_000_000L, 8);

    private final String label;
    private final long bucketMicros;
    private final int precision;

    Tier(final String label, final long bucketMicros, final int precision) {
        this.label = label;
        this.bucketMicros = bucketMicros;
        this.precision = precision;
    }

    public String label() {
        return label;
    }

    public long bucketMicros() {
        return bucketMicros;
    }

    /** Bytes per stored value (rollup tiers). */
    int precision() {
        return precision;
    }

    public long bucketOf(final long tsMicros) {
        return Math.floorDiv(tsMicros, bucketMicros);
    }

    static final Tier[] ROLLUPS = {MINUTE, HOUR, DAY};
}
