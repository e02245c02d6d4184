package dev.vigil.daemon.consensus;

/**
 * What opening a consensus log found wrong, for the operator's log line and for tests.
 *
 * @param shard          the log's shard
 * @param epoch          the log's epoch
 * @param index          append index of the record ({@code -1}: the truncation mark)
 * @param what           how it is damaged and what was done
 * @param recordsDropped intact-looking records after it that were dropped with it
 * @param cut            whether the log was cut back to the prefix before {@code index}
 */
public record LogDamage(int shard, long epoch, long index, String what, int recordsDropped, boolean cut) {
    /**
     * Whether this is what a process killed inside an append or a truncation leaves: the last
     * record cut, chunks of a record without their first, or a torn truncation mark (put before
     * any of its removals, so nothing was removed yet). Damage with intact records after it means
     * the file itself was damaged (see {@link StoredLog} on why a crash does not explain it).
     */
    public boolean crashLeftIt() {
        return recordsDropped == 0;
    }

    @Override
    public String toString() {
        final String log = "consensus log of shard " + shard + " epoch " + epoch;
        if (index < 0) {
            return log + ": its truncation mark " + what + "; ignored (records below the last stable checkpoint may remain)";
        }
        if (!cut) {
            return log + ": record " + index + " " + what;
        }
        return log + ": record " + index + " " + what + "; cut back before it"
            + (recordsDropped == 0 ? " (the last record: the process died inside its append, so nothing sent depended on it)"
            : ", dropping " + recordsDropped + " later records (damage inside the log, not a crash: this replica may have lost "
            + "promises it sent, and counts as one of the f faulty members until its committee moves past them)");
    }
}
