package dev.vigil.simnet.fleet;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/** A whole fleet run kept in memory, indexed [agent][window]: what the tests look at. */
final class Recording {
    final FleetParams params;
    final SyntheticFleet fleet;
    final List<AgentSpec> agents;
    final double[][][] raw;
    final boolean[][] compromised;
    final boolean[][] burst;
    final long[] windowEndMicros;

    private Recording(final FleetParams params) {
        this.params = params;
        this.fleet = new SyntheticFleet(params);
        this.agents = fleet.agents();
        final int n = agents.size();
        final int windows = params.windows();
        raw = new double[n][windows][];
        compromised = new boolean[n][windows];
        burst = new boolean[n][windows];
        windowEndMicros = new long[windows];
        final int[] next = new int[1];
        for (int w = 0; w < windows; w++) {
            final int window = w;
            next[0] = 0;
            fleet.nextWindow((agent, end, values, label) -> {
                final int i = next[0]++;
                if (agents.get(i) != agent) {
                    throw new AssertionError("agent " + agent.id() + " delivered out of order at position " + i);
                }
                raw[i][window] = values;
                compromised[i][window] = label;
                burst[i][window] = fleet.inBurst(i);
                windowEndMicros[window] = end;
            });
            if (next[0] != n) {
                throw new AssertionError("window " + w + " delivered " + next[0] + " of " + n + " agents");
            }
        }
    }

    static Recording of(final FleetParams params) {
        return new Recording(params);
    }

    int agentCount() {
        return agents.size();
    }

    int windows() {
        return windowEndMicros.length;
    }

    /** Index of the window that starts at {@code micros}. */
    int windowStartingAt(final long micros) {
        return (int) ((micros - params.startEpochMicros()) / params.windowMicros());
    }

    /** Windows per {@code minutes} minutes. */
    int windowsIn(final int minutes) {
        return minutes * 60 / params.windowSeconds();
    }

    /** Arithmetic mean of one feature over windows [from, to). */
    double mean(final int agent, final int feature, final int from, final int to) {
        double sum = 0;
        for (int w = from; w < to; w++) {
            sum += raw[agent][w][feature];
        }
        return sum / (to - from);
    }

    /** One agent's feature over every window. */
    double[] series(final int agent, final int feature) {
        final double[] s = new double[windows()];
        for (int w = 0; w < s.length; w++) {
            s[w] = raw[agent][w][feature];
        }
        return s;
    }

    /** SHA-256 over every delivered value, label, time and agent, in delivery order. */
    static String digest(final FleetParams params) {
        final MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        final ByteBuffer buffer = ByteBuffer.allocate(8 * (SyntheticFleet.FEATURES + 2));
        final SyntheticFleet fleet = new SyntheticFleet(params);
        for (final AgentSpec a : fleet.agents()) {
            sha.update((a.id() + '/' + a.role() + '/' + a.mode() + '/' + a.compromiseStartMicros() + '\n')
                .getBytes(StandardCharsets.UTF_8));
        }
        fleet.run((agent, end, values, label) -> {
            buffer.clear();
            buffer.putLong(end).putLong(label ? 1 : 0);
            for (final double v : values) {
                buffer.putLong(Double.doubleToRawLongBits(v));
            }
            sha.update(agent.id().getBytes(StandardCharsets.UTF_8));
            sha.update(buffer.array(), 0, buffer.position());
        });
        final StringBuilder hex = new StringBuilder();
        for (final byte b : sha.digest()) {
            hex.append(String.format("%02x", b));
        }
        return hex.toString();
    }

    static double pearson(final double[] x, final double[] y) {
        final int n = x.length;
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    static double[] log1p(final double[] x) {
        final double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.log1p(x[i]);
        }
        return y;
    }
}
