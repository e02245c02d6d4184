package dev.vigil.simnet.consensus;

import dev.vigil.daemon.consensus.Request;
import dev.vigil.daemon.consensus.Signer;

import java.util.ArrayList;
import java.util.List;

/**
 * The clients of a {@link ConsensusSim}: each asks its {@link Workload} for a payload, sends one
 * signed request at a time to every member and resends it every {@link #RETRY_MICROS} until an
 * honest member applied it; a replaying client also sends old requests again now and then. They
 * draw from the simulation's generator and act at its events, so the seed replays them.
 */
final class SimClients {
    static final long RETRY_MICROS = 400_000;
    /** Old requests a replaying client keeps to resend. */
    private static final int REPLAYS_KEPT_MAX = 8;

    private final ConsensusSim sim;
    private final List<Client> clients = new ArrayList<>();

    private static final class Client {
        final int index;
        final Signer signer;
        final List<Request> sent = new ArrayList<>();
        long nextSeq = 1;
        Request outstanding;
        long sentMicros;
        int done;

        Client(final int index, final Signer signer) {
            this.index = index;
            this.signer = signer;
        }
    }

    SimClients(final ConsensusSim sim, final List<Signer> signers) {
        this.sim = sim;
        for (int c = 0; c < signers.size(); c++) {
            clients.add(new Client(c, signers.get(c)));
        }
    }

    /** Schedules every client's first tick, 3 ms apart. */
    void start() {
        for (int c = 0; c < clients.size(); c++) {
            final Client client = clients.get(c);
            sim.at(sim.now() + 1_000 + c * 3_000L, () -> tick(client));
        }
    }

    private void tick(final Client c) {
        final Workload workload = sim.workload;
        final long now = sim.now();
        if (c.outstanding == null && !workload.finished(c.index)) {
            final byte[] payload = workload.next(c.index, now);
            if (payload != null) {
                c.outstanding = Request.signed(c.signer, sim.committee.shard(), c.nextSeq++, payload);
                c.sentMicros = -RETRY_MICROS;
            }
        }
        if (c.outstanding != null && now - c.sentMicros >= RETRY_MICROS) {
            c.sentMicros = now;
            toAll(c.outstanding.encode());
        }
        if (workload.replays(c.index) && !c.sent.isEmpty() && sim.rng().nextInt(4) == 0) {
            toAll(c.sent.get(sim.rng().nextInt(c.sent.size())).encode());
        }
        if (c.outstanding != null || !workload.finished(c.index)) {
            sim.at(now + 20_000 + sim.rng().nextLong(30_000), () -> tick(c));
        }
    }

    private void toAll(final byte[] bytes) {
        for (final SimNode node : sim.nodes()) {
            if (sim.fair() || sim.rng().nextDouble() >= sim.scenario.dropRate()) {
                sim.at(sim.now() + 200 + sim.rng().nextLong(sim.scenario.delayMaxMicrosFair()), () -> sim.deliver(node, bytes));
            }
        }
    }

    /** An honest member applied request {@code r}: its client may send the next one. */
    void completed(final Request r) {
        for (final Client c : clients) {
            if (c.outstanding != null && c.outstanding.sameAs(r)) {
                if (c.sent.size() < REPLAYS_KEPT_MAX) {
                    c.sent.add(c.outstanding);
                } else {
                    c.sent.set(sim.rng().nextInt(REPLAYS_KEPT_MAX), c.outstanding);
                }
                c.outstanding = null;
                c.done++;
            }
        }
    }

    /** Every client has nothing outstanding and nothing more to send. */
    boolean allDone() {
        for (final Client c : clients) {
            if (c.outstanding != null || !sim.workload.finished(c.index)) {
                return false;
            }
        }
        return true;
    }

    void progress(final StringBuilder b) {
        for (final Client c : clients) {
            b.append("  client ").append(Long.toHexString(c.signer.id())).append(": ").append(c.done).append(" done")
                .append(c.outstanding != null ? ", one outstanding" : "").append(sim.workload.finished(c.index) ? "" : ", more to send")
                .append('\n');
        }
    }
}
