package dev.vigil.daemon.verdict;

import dev.vigil.daemon.consensus.evidence.EvidenceBatch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The observer's side of the statistic: turns its detector's scored windows into evidence records.
 * Per agent it follows the CUSUM's excursions (numbered from 1 each time the CUSUM rises from 0).
 * An excursion's increments are kept here until its CUSUM reaches {@code sendLevel} (a low level,
 * well below the local suspect level, so that ordinary noise costs no traffic), then sent together
 * and every later one of the excursion as it comes; when the CUSUM falls back to 0 an excursion that
 * was sent is closed by an empty record of the next number (the committee's total starts again at
 * 0). An excursion that never reached the level is forgotten unsent.
 *
 * <p>Bound: {@code agentsMax} agents followed; at the bound the agent scored least recently is
 * forgotten (its open excursion unsent beyond what went out; its next rise starts a new number,
 * which the committee takes as a new excursion). Increments held unsent per agent: {@link #HELD_MAX};
 * an excursion that long is sent although below the level. At most
 * {@link EvidenceBatch#INCREMENTS_MAX} increments per record; more make several records.
 */
public final class Excursions {
    /** One record before the outbox gives it a dot. */
    public record Pending(String agent, long excursion, double[] increments) {
    }

    private static final class Track {
        long excursion;
        boolean sending;
        double[] held = new double[8];
        int heldCount;
    }

    /** Increments kept unsent per excursion; a long excursion below the level is sent once it holds this many. */
    static final int HELD_MAX = 4 * EvidenceBatch.INCREMENTS_MAX;

    private final double sendLevel;
    private final LinkedHashMap<String, Track> tracks;
    private long forgotten;

    public Excursions(final double sendLevel, final int agentsMax) {
        if (!(sendLevel >= 0)) {
            throw new IllegalArgumentException("verdicts.send_level " + sendLevel + " must be >= 0");
        }
        this.sendLevel = sendLevel;
        this.tracks = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(final Map.Entry<String, Track> eldest) {
                if (size() > agentsMax) {
                    forgotten++;
                    return true;
                }
                return false;
            }
        };
    }

    /**
     * One scored window of an agent: its clipped LLR and the CUSUM after it.
     *
     * @return the records to send now (none for most windows)
     */
    public List<Pending> onScore(final String agent, final double llr, final double cusumAfter) {
        Track t = tracks.get(agent);
        if (cusumAfter <= 0) {
            if (t == null || t.excursion == 0 || (t.heldCount == 0 && !t.sending)) {
                return List.of();
            }
            final boolean wasSending = t.sending;
            t.sending = false;
            t.heldCount = 0;
            if (!wasSending) {
                return List.of();
            }
            t.excursion++;
            return List.of(new Pending(agent, t.excursion, new double[0]));
        }
        if (t == null) {
            t = new Track();
            tracks.put(agent, t);
        }
        if (t.heldCount == 0 && !t.sending) {
            t.excursion++; // the CUSUM rose from 0
        }
        if (t.sending) {
            return List.of(new Pending(agent, t.excursion, new double[] {llr}));
        }
        if (t.heldCount == t.held.length) {
            t.held = Arrays.copyOf(t.held, t.held.length * 2);
        }
        t.held[t.heldCount++] = llr;
        if (cusumAfter < sendLevel && t.heldCount < HELD_MAX) {
            return List.of();
        }
        t.sending = true;
        final List<Pending> out = new ArrayList<>();
        for (int from = 0; from < t.heldCount; from += EvidenceBatch.INCREMENTS_MAX) {
            final int to = Math.min(t.heldCount, from + EvidenceBatch.INCREMENTS_MAX);
            out.add(new Pending(agent, t.excursion, Arrays.copyOfRange(t.held, from, to)));
        }
        t.heldCount = 0;
        if (t.held.length > 64) {
            t.held = new double[8];
        }
        return out;
    }

    /** Whether the agent's CUSUM has risen here lately (without touching its recency). */
    boolean follows(final String agent) {
        return tracks.containsKey(agent);
    }

    long forgotten() {
        return forgotten;
    }

    int agents() {
        return tracks.size();
    }
}
