package dev.vigil.daemon.tree;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * One node's Vivaldi coordinate, learned from RTT samples to peers whose coordinates it knows
 * (Dabek, Cox, Kaashoek, Morris, "Vivaldi: A Decentralized Network Coordinate System", SIGCOMM 2004).
 *
 * <p>Coordinates are height vectors {@code [x, h]}: {@code [x,h] − [y,g] = [x − y, h + g]} and
 * {@code ‖[x,h]‖ = ‖x‖ + h}, so the predicted RTT is {@code d = ‖x_l − x_r‖ + h_l + h_r}. For a sample
 * {@code rtt} to a remote with error {@code e_r}, the adaptive-timestep update (paper, Figure 3) is
 * <pre>
 *   w    = e_l / (e_l + e_r)                      trust the sample in proportion to our own uncertainty
 *   e_s  = |d − rtt| / rtt                        this sample's relative error
 *   e_l ← e_s·ce·w + e_l·(1 − ce·w)               moving average of the error, weighted by w
 *   f    = cc·w·(rtt − d)                         signed step, positive when we are predicted too close
 *   x_l ← x_l + f·(x_l − x_r)/d                   the position and the height move along the unit
 *   h_l ← max(hMin, h_l + f·(h_l + h_r)/d)        height vector [x_l − x_r, h_l + h_r]/d (§5.3)
 * </pre>
 * Heights behave as a third dimension that only adds: too-short predictions push both the position
 * and the height out, too-long ones pull them in, and the height never falls below {@code hMin}.
 * When the positions coincide the unit vector is undefined: a positive step goes in a random
 * direction of the plane (drawn from the injected generator, which is what lets nodes starting at
 * the origin spread out), a negative one shrinks the height alone.
 *
 * <p>Hostile or broken samples never reach the state: a remote coordinate that is null or outside
 * {@link VivaldiCoordinate#isWithinBounds()}, or an RTT outside {@code (0, RTT_MICROS_MAX]}, is
 * ignored and counted in {@link #samplesRejected()}. The remote's claimed error is clamped to
 * {@code [ERROR_MIN, ERROR_MAX]}, so claiming to be perfect gains it at most a bounded weight;
 * the local position and height are clamped to the wire bounds so our own coordinate always encodes.
 *
 * <p>Not thread-safe: one instance per node core, driven by the core's single thread.
 */
public final class Vivaldi {
    /** Paper's recommended position step constant (§3.4 finds 0.25 a good trade of speed vs. oscillation). */
    public static final double CC_DEFAULT = 0.25;
    /** Paper's recommended error moving-average constant. */
    public static final double CE_DEFAULT = 0.25;
    /** Smallest height: a host always has some access-link latency, and zero would freeze heights at the origin. */
    public static final double HEIGHT_MS_MIN_DEFAULT = 0.1;
    /** A fresh node knows nothing: relative error 1. */
    public static final double ERROR_INITIAL = 1.0;
    /** Floor for errors, so weights stay defined and a remote claiming zero error is not trusted absolutely. */
    public static final double ERROR_MIN = 1e-3;
    /** Ceiling for errors: a single wild sample cannot make a node distrust itself without bound. */
    public static final double ERROR_MAX = 1.5;
    /** Longest RTT accepted as a sample: anything longer is not a network round trip. */
    public static final long RTT_MICROS_MAX = 60_000_000L;
    /** Positions closer than this count as coinciding (the unit vector would be noise). */
    static final double COINCIDENT_MS = 1e-6;

    private final RandomGenerator random;
    private final double cc;
    private final double ce;
    private final double heightMsMin;

    private VivaldiCoordinate coordinate;
    private long samplesAccepted;
    private long samplesRejected;

    /** A node at the origin with the paper's constants cc = ce = 0.25 and a minimum height of 0.1 ms. */
    public Vivaldi(final RandomGenerator random) {
        this(random, CC_DEFAULT, CE_DEFAULT, HEIGHT_MS_MIN_DEFAULT);
    }

    public Vivaldi(final RandomGenerator random, final double cc, final double ce, final double heightMsMin) {
        this.random = Objects.requireNonNull(random, "random");
        if (!(cc > 0.0 && cc <= 1.0)) {
            throw new IllegalArgumentException("cc must be in (0, 1], was " + cc);
        }
        if (!(ce > 0.0 && ce <= 1.0)) {
            throw new IllegalArgumentException("ce must be in (0, 1], was " + ce);
        }
        if (!(heightMsMin >= 0.0 && heightMsMin <= VivaldiCoordinate.HEIGHT_MS_MAX)) {
            throw new IllegalArgumentException("heightMsMin must be in [0, " + VivaldiCoordinate.HEIGHT_MS_MAX + "], was " + heightMsMin);
        }
        this.cc = cc;
        this.ce = ce;
        this.heightMsMin = heightMsMin;
        this.coordinate = new VivaldiCoordinate(0.0, 0.0, heightMsMin, ERROR_INITIAL);
    }

    /** The current coordinate; always within {@link VivaldiCoordinate#isWithinBounds() bounds}. */
    public VivaldiCoordinate coordinate() {
        return coordinate;
    }

    public long samplesAccepted() {
        return samplesAccepted;
    }

    /** Samples ignored because the remote coordinate or the RTT was out of bounds. */
    public long samplesRejected() {
        return samplesRejected;
    }

    /** Takes one RTT sample to a peer whose (claimed) coordinate is {@code remote}. */
    public void observe(final VivaldiCoordinate remote, final long rttMicros) {
        if (remote == null || !remote.isWithinBounds() || rttMicros <= 0 || rttMicros > RTT_MICROS_MAX) {
            samplesRejected++;
            return;
        }
        final VivaldiCoordinate next = update(coordinate, remote, rttMicros / 1000.0);
        // Negative space: with both inputs in bounds the arithmetic cannot leave them, but if it ever
        // did (NaN slips through every clamp), keeping the old state beats gossiping garbage.
        if (!next.isWithinBounds()) {
            samplesRejected++;
            return;
        }
        coordinate = next;
        samplesAccepted++;
    }

    private VivaldiCoordinate update(final VivaldiCoordinate local, final VivaldiCoordinate remote, final double rttMs) {
        final double errorLocal = local.error();
        final double errorRemote = clamp(remote.error(), ERROR_MIN, ERROR_MAX);
        final double weight = errorLocal / (errorLocal + errorRemote);

        final double positionMs = local.positionDistanceMs(remote);
        final double predictedMs = positionMs + local.heightMs() + remote.heightMs();
        final double sampleError = Math.abs(predictedMs - rttMs) / rttMs;
        final double error = clamp(sampleError * ce * weight + errorLocal * (1.0 - ce * weight), ERROR_MIN, ERROR_MAX);

        final double stepMs = cc * weight * (rttMs - predictedMs);
        final double unitX;
        final double unitY;
        final double unitHeight;
        if (positionMs > COINCIDENT_MS) {
            // predictedMs >= positionMs > 0 here, so the division is safe.
            unitX = (local.xMs() - remote.xMs()) / predictedMs;
            unitY = (local.yMs() - remote.yMs()) / predictedMs;
            unitHeight = (local.heightMs() + remote.heightMs()) / predictedMs;
        } else if (stepMs > 0.0) {
            final double angle = random.nextDouble() * 2.0 * Math.PI;
            unitX = StrictMath.cos(angle);
            unitY = StrictMath.sin(angle);
            unitHeight = 0.0;
        } else {
            unitX = 0.0;
            unitY = 0.0;
            unitHeight = 1.0;
        }
        return new VivaldiCoordinate(
            clamp(local.xMs() + stepMs * unitX, -VivaldiCoordinate.POSITION_MS_MAX, VivaldiCoordinate.POSITION_MS_MAX),
            clamp(local.yMs() + stepMs * unitY, -VivaldiCoordinate.POSITION_MS_MAX, VivaldiCoordinate.POSITION_MS_MAX),
            clamp(local.heightMs() + stepMs * unitHeight, heightMsMin, VivaldiCoordinate.HEIGHT_MS_MAX),
            error);
    }

    private static double clamp(final double value, final double min, final double max) {
        return Math.max(min, Math.min(max, value));
    }
}
