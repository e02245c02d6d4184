package dev.vigil.simnet;

import dev.vigil.crypto.ClusterCa;
import dev.vigil.crypto.PrivateKey;
import dev.vigil.crypto.SignatureScheme;
import dev.vigil.daemon.core.CoreConfig;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * A simulated fleet: the simulator, the network, the cluster CA and the hosts. Everything
 * random (keys, placement, jitter, loss, each core's generator) is drawn from one seed.
 *
 * <p>Keys are Ed25519 unless the fleet is made with {@link SignatureScheme#SIMULATED_INSECURE},
 * a digest that costs nanoseconds instead of Ed25519's ~26 µs to sign and ~60 µs to verify, for
 * runs too large to pay for real signatures. Both schemes draw the same bytes from the seed, so
 * the placement of hosts is the same; node ids, and so the run, differ.
 */
public final class SimFleet {
    private static final Duration CERT_VALIDITY = Duration.ofDays(365);

    private final long seed;
    private final SplittableRandom random;
    private final Simulator sim = new Simulator();
    private final SimNetwork network;
    private final SignatureScheme signatures;
    private final ClusterCa ca;
    private final List<SimHost> hosts = new ArrayList<>();
    /** Node ids whose certificate the fleet's CA never issued. */
    private final java.util.Set<Long> outsiders = new java.util.HashSet<>();
    private ClusterCa foreignCa;
    private java.util.function.Consumer<SimHost> afterInput = h -> { };

    /** A fleet with real Ed25519 keys. */
    public SimFleet(final long seed, final WorldMap map) {
        this(seed, map, SignatureScheme.ED25519);
    }

    /** A fleet whose CA and hosts all sign with {@code signatures}. */
    public SimFleet(final long seed, final WorldMap map, final SignatureScheme signatures) {
        this.seed = seed;
        this.signatures = signatures;
        this.random = new SplittableRandom(seed);
        this.network = new SimNetwork(sim, map, random.split());
        this.ca = new ClusterCa(newKey());
    }

    /** The address of host {@code index}: opaque to the core, resolved by the network. */
    public static String addressOf(final int index) {
        return "sim-" + index + ":7400";
    }

    /** Adds a host certified by the fleet's CA, placed at random in a random region. */
    public SimHost addHost(final Function<String, CoreConfig> configFor) {
        return addHost(configFor, ca);
    }

    /** Adds a host whose certificate comes from {@code issuer}, which may be another CA (a rogue). */
    public SimHost addHost(final Function<String, CoreConfig> configFor, final ClusterCa issuer) {
        final int index = hosts.size();
        final List<WorldMap.Region> regions = network.map().regions();
        final WorldMap.Region region = regions.get(random.nextInt(regions.size()));
        final double lat = region.latitudeDeg() + (random.nextDouble() - 0.5) * 4;
        final double lon = region.longitudeDeg() + (random.nextDouble() - 0.5) * 4;
        final PrivateKey key = newKey();
        final Instant notBefore = Instant.ofEpochSecond(Simulator.EPOCH_MICROS / 1_000_000).minus(Duration.ofDays(1));
        final SimHost host = new SimHost(
            sim, network, index, region.name(), lat, lon, key,
            issuer.issue(key.publicKey(), notBefore, CERT_VALIDITY), ca.publicKey(),
            configFor.apply(addressOf(index)), random.nextLong());
        host.setAfterInput(h -> afterInput.accept(h));
        network.attach(host);
        hosts.add(host);
        if (issuer != ca) {
            outsiders.add(host.nodeId());
        }
        return host;
    }

    /**
     * Adds a host with a certificate from a CA the fleet does not trust (one per fleet, drawn from its
     * seed), that tries to join like any other: an outsider, which must never become a peer, a member
     * of a tree cluster or a contributor.
     */
    public SimHost addOutsider(final Function<String, CoreConfig> configFor) {
        if (foreignCa == null) {
            foreignCa = foreignCa();
        }
        return addHost(configFor, foreignCa);
    }

    /**
     * For tests of the checks themselves: a host counted as an outsider although the fleet's own CA certified it,
     * so the fleet admits it and every check that keeps outsiders out must report it.
     */
    public SimHost addAdmittedOutsider(final Function<String, CoreConfig> configFor) {
        final SimHost host = addHost(configFor, ca);
        outsiders.add(host.nodeId());
        return host;
    }

    /** Whether {@code nodeId} belongs to a host the fleet's CA never certified. */
    public boolean isOutsider(final long nodeId) {
        return outsiders.contains(nodeId);
    }

    /** Hosts certified by the fleet's CA, in the order they were added. */
    public List<SimHost> members() {
        return hosts.stream().filter(h -> !outsiders.contains(h.nodeId())).toList();
    }

    /** Runs {@code check} after every input any host handles, with the host (the fleet's per-event invariants). */
    public void setAfterInput(final java.util.function.Consumer<SimHost> check) {
        this.afterInput = check;
    }

    /** A CA the fleet does not trust, for refusal scenarios. Drawn from the fleet's seed. */
    public ClusterCa foreignCa() {
        return new ClusterCa(newKey());
    }

    private PrivateKey newKey() {
        final byte[] secret = new byte[PrivateKey.LENGTH];
        random.nextBytes(secret);
        return signatures == SignatureScheme.ED25519 ? PrivateKey.of(secret) : PrivateKey.simulatedInsecure(secret);
    }

    /** The scheme every key of this fleet signs with. */
    public SignatureScheme signatures() {
        return signatures;
    }

    public Simulator sim() {
        return sim;
    }

    public SimNetwork network() {
        return network;
    }

    public List<SimHost> hosts() {
        return Collections.unmodifiableList(hosts);
    }

    public SimHost host(final int index) {
        return hosts.get(index);
    }

    /** A generator for scenario decisions, split from the fleet's seed. */
    public SplittableRandom random() {
        return random;
    }

    public long seed() {
        return seed;
    }
}
