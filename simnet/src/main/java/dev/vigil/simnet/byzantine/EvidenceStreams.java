package dev.vigil.simnet.byzantine;

import dev.vigil.daemon.consensus.evidence.EvidenceBatch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What each observer of a {@link Population} sends: once per closed window, one batch with one
 * record per agent it observes, its dots consecutive from 1. Honest increments per window are
 * U[3, 7] for an agent compromised since that window, U[-1, 0.25] otherwise; a liar reports
 * +{@link Population#LIE_MAGNITUDE} for clean agents if it frames, the negative for compromised
 * ones if it hides, may resend old batches (their dots are duplicates), and may slip records with
 * used dots into its batches, or a batch that repeats a dot (malformed: refused whole, and every
 * later record of it waits behind the gap). Honest observers' records are kept, so that the
 * checker can say what honest evidence alone supports.
 */
final class EvidenceStreams {
    /** Old payloads a replaying observer keeps. */
    private static final int REPLAYS_KEPT_MAX = 8;

    private final Population population;
    private final SplittableRandom rng;
    private final long t0Micros;
    private final long[] startMicros;
    private final int[] windowsSent;
    private final long[] lastDot;
    private final List<List<byte[]>> sent = new ArrayList<>();
    /** Honest observers' records in dot order (index dot - 1); liars' are not kept. */
    private final List<List<EvidenceBatch.Record>> honestRecords = new ArrayList<>();
    /** Per agent: when an honest observer first sent a record of a window at or after its onset. */
    final Map<String, Long> firstIncriminatingMicros = new HashMap<>();

    EvidenceStreams(final Population population, final long seed, final long t0Micros) {
        this.population = population;
        this.rng = new SplittableRandom(seed ^ 0x0B5E_12E5L);
        this.t0Micros = t0Micros;
        final int n = population.observers().size();
        this.startMicros = new long[n];
        this.windowsSent = new int[n];
        this.lastDot = new long[n];
        for (int o = 0; o < n; o++) {
            startMicros[o] = t0Micros + rng.nextLong(population.windowMicros());
            sent.add(new ArrayList<>());
            honestRecords.add(new ArrayList<>());
        }
    }

    boolean finished(final int observer) {
        return windowsSent[observer] >= population.windows();
    }

    /** The observer's next payload: the windows closed since its last batch, an old batch (a liar's replay), or null. */
    byte[] next(final int observer, final long nowMicros) {
        final Population.Role role = population.observers().get(observer);
        final int closed = (int)Math.min(population.windows(), Math.max(0, (nowMicros - startMicros[observer]) / population.windowMicros()));
        if (closed <= windowsSent[observer]) {
            final List<byte[]> old = sent.get(observer);
            return role.replays() && !old.isEmpty() && rng.nextInt(3) == 0 ? old.get(rng.nextInt(old.size())) : null;
        }
        if (agentsOf(observer).isEmpty()) {
            windowsSent[observer] = population.windows();
            return null;
        }
        final List<EvidenceBatch.Record> records = new ArrayList<>();
        if (role.duplicatesDots() && lastDot[observer] > 0 && rng.nextBoolean()) {
            // a used dot first (the batch stays ascending): the committee must drop it as a duplicate
            records.add(new EvidenceBatch.Record(1 + rng.nextLong(lastDot[observer]), agentsOf(observer).get(0).id(), 1,
                new double[] {Population.LIE_MAGNITUDE}));
        }
        for (final Population.Agent a : agentsOf(observer)) {
            final double[] xs = new double[closed - windowsSent[observer]];
            for (int w = windowsSent[observer]; w < closed; w++) {
                xs[w - windowsSent[observer]] = increment(role, a, w);
            }
            final EvidenceBatch.Record r = new EvidenceBatch.Record(++lastDot[observer], a.id(), 1, xs);
            records.add(r);
            if (!role.lying()) {
                honestRecords.get(observer).add(r);
                if (a.compromised() && closed > a.onsetWindow()) {
                    firstIncriminatingMicros.putIfAbsent(a.id(), nowMicros);
                }
            }
        }
        if (role.duplicatesDots() && records.size() > 1 && rng.nextInt(4) == 0) {
            final EvidenceBatch.Record last = records.get(records.size() - 1);
            records.add(new EvidenceBatch.Record(last.seq(), last.agent(), 1, new double[] {Population.LIE_MAGNITUDE}));
        }
        windowsSent[observer] = closed;
        final byte[] payload = new EvidenceBatch(nowMicros, records).encode();
        final List<byte[]> old = sent.get(observer);
        if (old.size() < REPLAYS_KEPT_MAX) {
            old.add(payload);
        } else {
            old.set(rng.nextInt(REPLAYS_KEPT_MAX), payload);
        }
        return payload;
    }

    private double increment(final Population.Role role, final Population.Agent a, final int window) {
        final boolean misbehaving = a.compromised() && window >= a.onsetWindow();
        final double honest = misbehaving ? 3 + 4 * rng.nextDouble() : -1 + 1.25 * rng.nextDouble();
        if (!a.compromised() && role.frames()) {
            return Population.LIE_MAGNITUDE;
        }
        if (a.compromised() && role.hides()) {
            return -Population.LIE_MAGNITUDE;
        }
        return honest;
    }

    private List<Population.Agent> agentsOf(final int observer) {
        final List<Population.Agent> mine = new ArrayList<>();
        for (final Population.Agent a : population.agents()) {
            if (a.observers().contains(observer)) {
                mine.add(a);
            }
        }
        return mine;
    }

    /**
     * An honest observer's total for an agent over its dots 1..{@code dotMax} (what a committee
     * that applied those dots holds), or NaN if none of them is about the agent.
     */
    double honestTotal(final int observer, final String agent, final long dotMax) {
        double total = 0;
        boolean any = false;
        for (final EvidenceBatch.Record r : honestRecords.get(observer)) {
            if (r.seq() > dotMax) {
                break;
            }
            if (r.agent().equals(agent)) {
                total += Arrays.stream(r.increments()).sum();
                any = true;
            }
        }
        return any ? total : Double.NaN;
    }
}
