package dev.vigil.simnet.byzantine;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Who the {@code byzantine} scenario's evidence is about and who sends it, drawn from the seed:
 * observers (some lying), agents (some compromised from a given window on), and which observers
 * see which agent, with at most f liars among any agent's observers (the assumption trimming rests on).
 *
 * @param f             faults tolerated: committee members and lying observers per agent
 * @param observers     every observer's role, by client index
 * @param agents        every agent with its observers
 * @param windows       evidence windows each observer reports, then stops (bounds the run)
 * @param windowMicros  virtual length of one window
 */
record Population(int f, List<Role> observers, List<Agent> agents, int windows, long windowMicros) {
    /** Windows per observer: 16 of 250 ms, 4 s of evidence. */
    static final int WINDOWS = 16;
    static final long WINDOW_MICROS = 250_000;
    /** A lying observer's increment per window: the clip, so one window already moves its total as far as it can go. */
    static final double LIE_MAGNITUDE = 20.0;

    /** How an observer reports; an honest one has every flag false. */
    record Role(boolean frames, boolean hides, boolean replays, boolean duplicatesDots) {
        static final Role HONEST = new Role(false, false, false, false);

        boolean lying() {
            return frames || hides || replays || duplicatesDots;
        }

        @Override
        public String toString() {
            if (!lying()) {
                return "honest";
            }
            final List<String> lies = new ArrayList<>();
            if (frames) {
                lies.add("frames");
            }
            if (hides) {
                lies.add("hides");
            }
            if (replays) {
                lies.add("replays");
            }
            if (duplicatesDots) {
                lies.add("duplicates-dots");
            }
            return String.join("+", lies);
        }
    }

    /**
     * @param onsetWindow the first window in which honest observers see it misbehave (compromised agents only)
     * @param observers   client indices of its observers, ascending
     */
    record Agent(String id, boolean compromised, int onsetWindow, List<Integer> observers) {
        int honestObservers(final Population p) {
            return (int)observers.stream().filter(o -> !p.observers().get(o).lying()).count();
        }
    }

    static Population draw(final long seed, final int f) {
        final SplittableRandom rng = new SplittableRandom(seed ^ 0xB12A_7111_0E5EL);
        final int observerCount = 3 * f + 3 + rng.nextInt(f + 2);
        final List<Role> roles = new ArrayList<>();
        for (int o = 0; o < observerCount; o++) {
            roles.add(Role.HONEST);
        }
        // up to f + 1 liars in the fleet; the draw of observers below keeps at most f of them on any one agent
        final int liarCount = 1 + rng.nextInt(f + 1);
        for (int liars = liarCount; liars > 0; liars--) {
            int at = rng.nextInt(observerCount);
            while (roles.get(at).lying()) {
                at = rng.nextInt(observerCount);
            }
            final int mode = rng.nextInt(3);
            roles.set(at, new Role(mode != 1, mode != 0, rng.nextBoolean(), rng.nextBoolean()));
        }
        final List<Agent> agents = new ArrayList<>();
        final int agentCount = 5 + rng.nextInt(5);
        for (int a = 0; a < agentCount; a++) {
            final boolean compromised = a == 0 || (a != 1 && rng.nextInt(5) < 2);
            // 2f + 1 to 3f + 3 observers, no more than there are with at most f liars among them
            final int kMax = Math.min(observerCount - Math.max(0, liarCount - f), 3 * f + 3);
            final int k = 2 * f + 1 + rng.nextInt(kMax - 2 * f);
            agents.add(new Agent("agent-" + a, compromised, compromised ? rng.nextInt(WINDOWS / 4 + 1) : 0,
                observersOf(rng, roles, k, f)));
        }
        return new Population(f, List.copyOf(roles), List.copyOf(agents), WINDOWS, WINDOW_MICROS);
    }

    /** k distinct observers, at most f of them lying: liars beyond f are swapped for honest ones. */
    private static List<Integer> observersOf(final SplittableRandom rng, final List<Role> roles, final int k, final int f) {
        final List<Integer> all = new ArrayList<>();
        for (int o = 0; o < roles.size(); o++) {
            all.add(o);
        }
        final List<Integer> chosen = new ArrayList<>();
        int liars = 0;
        while (chosen.size() < k) {
            final Integer o = all.remove(rng.nextInt(all.size()));
            if (roles.get(o).lying()) {
                if (liars == f) {
                    continue;
                }
                liars++;
            }
            chosen.add(o);
        }
        chosen.sort(null);
        return List.copyOf(chosen);
    }

    /**
     * The same population with the trust assumption broken on purpose (tests of the checker): the
     * first f + 1 observers frame, and agent-1 (clean) is seen by them and f honest ones only, so
     * f + 1 framers outnumber the trimming.
     */
    Population withFramedAgent() {
        final List<Role> roles = new ArrayList<>(observers);
        final List<Integer> framed = new ArrayList<>();
        for (int o = 0; o < roles.size() && framed.size() < 2 * f + 1; o++) {
            if (o <= f) {
                roles.set(o, new Role(true, false, false, false));
                framed.add(o);
            } else if (!roles.get(o).lying()) {
                framed.add(o);
            }
        }
        final List<Agent> as = new ArrayList<>(agents);
        as.set(1, new Agent(as.get(1).id(), false, 0, List.copyOf(framed)));
        return new Population(f, List.copyOf(roles), List.copyOf(as), windows, windowMicros);
    }

    Agent agent(final String id) {
        for (final Agent a : agents) {
            if (a.id().equals(id)) {
                return a;
            }
        }
        return null;
    }
}
