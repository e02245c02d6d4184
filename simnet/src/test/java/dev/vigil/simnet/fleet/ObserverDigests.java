package dev.vigil.simnet.fleet;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.function.IntPredicate;

/** SHA-256 digests of a fleet's home views and of its gateway views, in delivery order: what the determinism tests compare. */
final class ObserverDigests {
    final String home;
    final String observers;
    /** Views delivered, over every host and window. */
    final long views;

    private ObserverDigests(final String home, final String observers, final long views) {
        this.home = home;
        this.observers = observers;
        this.views = views;
    }

    /** Every window's home views, and the gateway views of the windows {@code askViews} accepts (by window index). */
    static ObserverDigests of(final FleetParams params, final IntPredicate askViews) {
        final MessageDigest home = sha256();
        final MessageDigest obs = sha256();
        final ByteBuffer buffer = ByteBuffer.allocate(8 * (SyntheticFleet.FEATURES + 2));
        final SyntheticFleet fleet = new SyntheticFleet(params);
        for (int i = 0; i < fleet.agents().size(); i++) {
            final AgentSpec a = fleet.agents().get(i);
            home.update((a.id() + '/' + a.role() + '/' + a.mode() + '/' + a.compromiseStartMicros() + '\n')
                .getBytes(StandardCharsets.UTF_8));
            for (final ObserverHost h : fleet.observersOf(i)) {
                obs.update((a.id() + '@' + h.id() + '/' + Double.doubleToRawLongBits(fleet.share(i, h)) + '\n')
                    .getBytes(StandardCharsets.UTF_8));
            }
        }
        final long[] views = {0};
        while (fleet.hasNext()) {
            final int w = fleet.windowsGenerated();
            final SyntheticFleet.ObservationConsumer homeOut = (agent, end, values, label) -> {
                update(home, buffer, agent.id(), end, label, values);
            };
            if (askViews.test(w)) {
                fleet.nextWindow(homeOut, (host, end, seen) -> {
                    obs.update(host.id().getBytes(StandardCharsets.UTF_8));
                    for (final ObservedAgent o : seen) {
                        update(obs, buffer, o.agent().id(), end, o.compromisedNow(), o.raw());
                        views[0]++;
                    }
                });
            } else {
                fleet.nextWindow(homeOut);
            }
        }
        return new ObserverDigests(hex(home), hex(obs), views[0]);
    }

    static ObserverDigests of(final FleetParams params) {
        return of(params, w -> true);
    }

    private static void update(final MessageDigest sha, final ByteBuffer buffer, final String id, final long end,
                               final boolean label, final double[] values) {
        buffer.clear();
        buffer.putLong(end).putLong(label ? 1 : 0);
        for (final double v : values) {
            buffer.putLong(Double.doubleToRawLongBits(v));
        }
        sha.update(id.getBytes(StandardCharsets.UTF_8));
        sha.update(buffer.array(), 0, buffer.position());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(final MessageDigest sha) {
        final StringBuilder hex = new StringBuilder();
        for (final byte b : sha.digest()) {
            hex.append(String.format("%02x", b));
        }
        return hex.toString();
    }
}
