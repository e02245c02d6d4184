package dev.vigil.simnet;

import dev.vigil.daemon.core.Scheduler;

import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * Virtual time and the event queue. Events run in (time, insertion order), so two events at
 * the same instant always run in the order they were scheduled: the run depends on nothing but
 * its inputs.
 */
public final class Simulator {
    /** 2026-01-01T00:00:00Z: virtual time starts at a fixed, realistic epoch so certificates and clocks look real. */
    public static final long EPOCH_MICROS = 1_767_225_600_000_000L;

    /** A scheduled action; cancelling it keeps it queued but makes it a no-op. */
    static final class Event implements Comparable<Event>, Scheduler.Timer {
        final long atMicros;
        final long order;
        final Runnable action;
        boolean cancelled;

        Event(final long atMicros, final long order, final Runnable action) {
            this.atMicros = atMicros;
            this.order = order;
            this.action = action;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(final Event o) {
            final int byTime = Long.compare(atMicros, o.atMicros);
            return byTime != 0 ? byTime : Long.compare(order, o.order);
        }
    }

    private final PriorityQueue<Event> queue = new PriorityQueue<>(1 << 16);
    private long nowMicros = EPOCH_MICROS;
    private long order;
    private long eventsRun;

    public long nowMicros() {
        return nowMicros;
    }

    /** Virtual microseconds since the simulation began. */
    public long elapsedMicros() {
        return nowMicros - EPOCH_MICROS;
    }

    public long eventsRun() {
        return eventsRun;
    }

    public int pending() {
        return queue.size();
    }

    public Scheduler.Timer schedule(final long delayMicros, final Runnable action) {
        if (delayMicros < 0) {
            throw new IllegalArgumentException("negative delay " + delayMicros);
        }
        final Event e = new Event(nowMicros + delayMicros, order++, action);
        queue.add(e);
        return e;
    }

    /**
     * Runs events until virtual time would pass {@code untilMicros} (absolute), the queue is
     * empty, or {@code stop} holds after an event. Leaves the clock at the last event run, or at
     * {@code untilMicros} when time ran out.
     *
     * @return whether {@code stop} became true.
     */
    public boolean runUntil(final long untilMicros, final BooleanSupplier stop) {
        while (!queue.isEmpty()) {
            final Event next = queue.peek();
            if (next.atMicros > untilMicros) {
                break;
            }
            queue.poll();
            if (next.cancelled) {
                continue;
            }
            nowMicros = next.atMicros;
            eventsRun++;
            next.action.run();
            if (stop.getAsBoolean()) {
                return true;
            }
        }
        nowMicros = Math.max(nowMicros, untilMicros);
        return false;
    }

    /** Runs for {@code durationMicros} of virtual time. */
    public void runFor(final long durationMicros) {
        runUntil(nowMicros + durationMicros, () -> false);
    }
}
