package dev.vigil.daemon.verdict;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.crypto.ClusterCa;
import dev.vigil.crypto.KeyFiles;
import dev.vigil.crypto.NodeIds;
import dev.vigil.crypto.PrivateKey;
import dev.vigil.daemon.net.Daemon;
import dev.vigil.daemon.net.LocalDaemons;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 14's acceptance with a real process: five daemons on loopback (four in this JVM, one a
 * child JVM) run fleet verdicts under a steady stream of evidence; the child, a member of most
 * committees, is killed with SIGKILL while rounds are in flight and restarted on the same data
 * directory. It must rejoin the same directory epoch, rebuild its seats from their durable logs
 * (the recover path, not a fresh start), catch up with the other members, and no two replicas may
 * ever have executed different batches at one (shard, epoch, seq); verdicts issued before and
 * after the kill are the same set on every node.
 *
 * <p>How the no-conflict check is honest: every seat remembers the digest of the batch it executed
 * at each of its last sequence numbers ({@link Seat#EXECUTED_MAX}; a recovering replica executes
 * its committed batches again and they land there too). The test samples these records all along
 * the run (in-process daemons through {@link FleetVerdicts#executed()}, the child through the
 * newest {@link Seat#RECENT_SHOWN} per seat in its /v1/status) and fails on any (shard, epoch,
 * seq) seen with two digests; every seat also counts a re-execution that differs from its own
 * earlier one (must stay 0).
 *
 * <p>The load: three in-process observers score many agents through {@link FleetVerdicts#onScore}
 * (the detector's own entry point, driven at a higher rate than real telemetry would): benign agents
 * in short excursions (records flow, no verdict: each excursion's total stays far below the
 * verdict level), and one compromised agent before the kill and another after the restart.
 *
 * <p>Timing: the directory interval is the default (10 s): the root issues a changed candidate set
 * only once it has held still for three intervals, so a member the tree declares dead (after 6 s
 * of silence) keeps its seats in the epoch if it is back within about half a minute. A child JVM
 * took 20–27 s to come back here (JVM start and the stores' recovery on a loaded machine); with a
 * 500 ms interval the root issued an epoch without it first, and it then joined the next epoch by
 * state transfer instead of recovering its seats.
 */
class CommitteeReplicaKillTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] CONFIG = {"tree: {b: 8}", "detection: {cold_observations: 20}",
        "verdicts: {shards: 4, send_level: 3}"}; // the load's excursions peak at 6 nats: all go out
    private static final int BENIGN_AGENTS = 6;
    private static final long LOAD_INTERVAL_MS = 150;
    /** Batches the child's seats must have executed under load before the kill is let go. */
    private static final long CHILD_EXECUTED_BEFORE_KILL = 30;

    @TempDir
    Path dir;
    private final List<Daemon> daemons = new ArrayList<>();
    private Process child;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** (shard/epoch/seq) → digest prefix (16 hex) → who executed it so. */
    private final Map<String, Map<String, Set<String>>> executed = new ConcurrentHashMap<>();
    private static final String CHILD = "child";

    @AfterEach
    void stop() {
        if (child != null) {
            child.destroyForcibly();
        }
        daemons.forEach(Daemon::close);
    }

    @Test
    void aCommitteeReplicaKilledMidRoundRecoversCatchesUpAndNothingConflictingIsEverExecuted() throws Exception {
        final ClusterCa ca = LocalDaemons.newCa(dir);
        final Daemon founder = LocalDaemons.start(dir, ca, "n0", null, false, CONFIG);
        daemons.add(founder);
        final String bootstrap = "127.0.0.1:" + founder.peerAddress().getPort();
        final Path home = Files.createDirectories(dir.resolve("child"));
        final PrivateKey key = PrivateKey.generate(new SecureRandom());
        KeyFiles.writePrivateKey(home.resolve("node.key"), key, false);
        KeyFiles.writeCertificate(home.resolve("node.crt"), ca.issue(key.publicKey(), Instant.now().minusSeconds(60), Duration.ofDays(1)),
            false);
        final int api = LocalDaemons.freePort();
        final List<String> yaml = new ArrayList<>(List.of("data_dir: data", "listen:", "  peer: 127.0.0.1:" + LocalDaemons.freePort(),
            "  api: 127.0.0.1:" + api, "bootstrap: [\"" + bootstrap + "\"]",
            "identity: {key: node.key, certificate: node.crt, ca_public_key: ../ca.pub}", "storage: {expected_agents: 64}"));
        yaml.addAll(List.of(CONFIG));
        Files.writeString(home.resolve("node.yaml"), String.join("\n", yaml) + "\n");
        final String childBase = "http://127.0.0.1:" + api;
        // the child first (its JVM is the slow one to start), then the others: all five join within one settling of the
        // root's candidates, so that the directory of all five is the second epoch
        child = dev.vigil.daemon.testing.ChildJvm.daemon(home);
        for (int i = 1; i < 4; i++) {
            daemons.add(LocalDaemons.start(dir, ca, "n" + i, bootstrap, false, CONFIG));
        }
        dev.vigil.daemon.testing.ChildJvm.awaitHealthy(http, childBase);

        // the fleet is up: one directory epoch of five candidates everywhere, every seat of it active
        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
            .until(() -> fleetSettled(childBase));
        final long epoch = founder.onVerdicts(v -> v.directory().epoch()).get();
        final int childSeats = childSeats(childBase, epoch).size();
        assertThat(childSeats).as("the child sits on committees of epoch " + epoch).isPositive();

        final Load load = new Load(daemons.subList(1, 4));
        final Thread loader = new Thread(load, "committee-kill-loader");
        loader.start();
        try {
            // before the kill: a verdict on rogue-a, on every node, the child included
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
                sample(childBase);
                return holdsEverywhere(childBase, "rogue-a");
            });
            load.rogueA = false;
            // rounds in flight on the child's seats: it has executed a good number since the load began
            final long executedAtStart = childExecutedSum(childBase, epoch);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
                sample(childBase);
                return childExecutedSum(childBase, epoch) - executedAtStart >= CHILD_EXECUTED_BEFORE_KILL;
            });
            final Map<Integer, Long> beforeKill = lastExecuted(childSeats(childBase, epoch));
            assertThat(load.failure).isNull();
            child.destroyForcibly().waitFor(); // SIGKILL, with the load still running
            System.out.printf("committee-kill: killed the child (seats' last executed %s)%n", beforeKill);
            child = dev.vigil.daemon.testing.ChildJvm.daemon(home);
            dev.vigil.daemon.testing.ChildJvm.awaitHealthy(http, childBase);

            // it rejoins the same epoch and rebuilds its seats from their logs
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
                sample(childBase);
                final JsonNode v = get(childBase + "/v1/status").path("verdicts");
                return v.path("directory_epoch").asLong() == epoch && childSeats(childBase, epoch).size() == childSeats;
            });
            final String childLog = Files.readString(home.resolve("daemon.log"));
            assertThat(childLog).as("the restarted seats took the recover path").contains("recovered view");
            assertThat(get(childBase + "/v1/status").path("verdicts").path("counters").path("seats-recovered").asLong())
                .as("seats rebuilt from their logs").isEqualTo(childSeats);
            for (final Map.Entry<Integer, Long> e : lastExecuted(childSeats(childBase, epoch)).entrySet()) {
                // a recovered seat starts from what it persisted, never behind its last stable checkpoint before the kill
                assertThat(e.getValue()).as("shard " + e.getKey() + " after the restart").isPositive();
            }
            assertThat(founder.onVerdicts(v -> v.directory().epoch()).get()).as("no new epoch for a member's restart").isEqualTo(epoch);

            // after the restart: a verdict on rogue-b, on every node
            load.rogueB = true;
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
                sample(childBase);
                return holdsEverywhere(childBase, "rogue-b");
            });
            load.rogueB = false;
        } finally {
            load.stopped = true;
            loader.join(10_000);
        }
        assertThat(load.failure).as("the load").isNull();
        assertThat(load.rounds).isGreaterThan(50);

        // it catches up: once the load stops, each of its seats reaches what the other members executed
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
            sample(childBase);
            final Map<Integer, Long> mine = lastExecuted(childSeats(childBase, epoch));
            final Map<Integer, Long> others = new HashMap<>();
            for (final Daemon d : daemons) {
                for (final Committeeship.SeatStatus s : d.onVerdicts(FleetVerdicts::seats).get()) {
                    if (s.epoch() == epoch && mine.containsKey(s.shard())) {
                        others.merge(s.shard(), s.lastExecuted(), Math::max);
                    }
                }
            }
            return mine.entrySet().stream().allMatch(e -> e.getValue() >= others.getOrDefault(e.getKey(), 0L) && e.getValue() > 0);
        });
        sample(childBase);

        // nothing conflicting: every (shard, epoch, seq) sampled has one digest
        final List<String> conflicts = new ArrayList<>();
        long comparedWithChild = 0;
        for (final Map.Entry<String, Map<String, Set<String>>> e : executed.entrySet()) {
            final Map<String, Set<String>> digests = e.getValue();
            if (digests.size() > 1) {
                conflicts.add(e.getKey() + " " + digests);
            }
            final Set<String> who = new TreeSet<>();
            digests.values().forEach(who::addAll);
            if (who.contains(CHILD) && who.size() > 1) {
                comparedWithChild++;
            }
        }
        System.out.printf("committee-kill: %d (shard/epoch/seq) compared, %d of them with the child; %d load rounds%n", executed.size(),
            comparedWithChild, load.rounds);
        assertThat(conflicts).as("slots executed with two different batches").isEmpty();
        assertThat(comparedWithChild).as("slots the child executed that others did too").isGreaterThan(20);
        for (final JsonNode s : get(childBase + "/v1/status").path("verdicts").path("committees")) {
            assertThat(s.path("executed_conflicts").asLong()).isZero();
        }
        final JsonNode childCounters = get(childBase + "/v1/status").path("verdicts").path("counters");
        assertThat(childCounters.path("received").asLong()).as("the child's messages each end in one outcome")
            .isEqualTo(outcomes(childCounters));
        for (final Daemon d : daemons) {
            assertThat(d.onVerdicts(FleetVerdicts::internalErrors).get()).isZero();
            final VerdictCounters c = d.onVerdicts(FleetVerdicts::counters).get();
            assertThat(d.onVerdicts(v -> v.counters().outcomes() == v.counters().received()).get()).as(c.snapshot().toString()).isTrue();
            for (final Committeeship.SeatStatus s : d.onVerdicts(FleetVerdicts::seats).get()) {
                assertThat(s.executedConflicts()).isZero();
            }
        }

        // verdicts: the same set everywhere, the two rogues and nothing else
        final Set<String> expected = verdictIds(get(childBase + "/v1/verdicts"));
        assertThat(agents(get(childBase + "/v1/verdicts"))).containsExactlyInAnyOrder("rogue-a", "rogue-b");
        for (final Daemon d : daemons) {
            assertThat(verdictIds(get(base(d) + "/v1/verdicts"))).as("verdicts of " + NodeIds.toHex(d.nodeId())).isEqualTo(expected);
        }
    }

    // ---------------------------------------------------------------- the load

    /**
     * Each round, each observer scores every benign agent one window of a repeating excursion
     * (four rises of 1.5 nats, then back to 0: sent once the CUSUM passes the send level, closed by
     * the fall) and, while asked to, a rogue a window of 4 nats (its CUSUM never falls).
     */
    private static final class Load implements Runnable {
        private final List<Daemon> observers;
        volatile boolean rogueA = true;
        volatile boolean rogueB;
        volatile boolean stopped;
        volatile Throwable failure;
        volatile int rounds;
        private final double[] rogueCusum = new double[2];

        Load(final List<Daemon> observers) {
            this.observers = List.copyOf(observers);
        }

        @Override
        public void run() {
            try {
                while (!stopped) {
                    final int round = rounds;
                    final boolean a = rogueA;
                    final boolean b = rogueB;
                    if (a) {
                        rogueCusum[0] += 4;
                    }
                    if (b) {
                        rogueCusum[1] += 4;
                    }
                    final double cusumA = rogueCusum[0];
                    final double cusumB = rogueCusum[1];
                    for (final Daemon d : observers) {
                        d.onVerdicts(v -> {
                            for (int k = 0; k < BENIGN_AGENTS; k++) {
                                final int phase = (round + k) % 5;
                                if (phase < 4) {
                                    v.onScore("agent-" + k, 1.5, 1.5 * (phase + 1));
                                } else {
                                    v.onScore("agent-" + k, -20, 0);
                                }
                            }
                            if (a) {
                                v.onScore("rogue-a", 4, cusumA);
                            }
                            if (b) {
                                v.onScore("rogue-b", 4, cusumB);
                            }
                            return null;
                        }).get(10, TimeUnit.SECONDS);
                    }
                    rounds = round + 1;
                    Thread.sleep(LOAD_INTERVAL_MS);
                }
            } catch (final Throwable t) {
                failure = t;
            }
        }
    }

    // ---------------------------------------------------------------- what the test reads

    private boolean fleetSettled(final String childBase) throws Exception {
        final Set<Long> epochs = new TreeSet<>();
        for (final Daemon d : daemons) {
            final var directory = d.onVerdicts(FleetVerdicts::directory).get();
            if (directory == null || directory.candidates().size() < 5) {
                return false;
            }
            epochs.add(directory.epoch());
            if (!d.onVerdicts(v -> v.seats().stream().filter(s -> s.epoch() == v.directory().epoch())
                .allMatch(s -> s.mode().equals("active"))).get()) {
                return false;
            }
        }
        final JsonNode v = get(childBase + "/v1/status").path("verdicts");
        epochs.add(v.path("directory_epoch").asLong());
        if (epochs.size() != 1 || v.path("candidates").asInt() < 5) {
            return false;
        }
        return !childSeats(childBase, epochs.iterator().next()).isEmpty();
    }

    /** The child's seats of the epoch, all active, or an empty list while any is not. */
    private List<JsonNode> childSeats(final String childBase, final long epoch) throws Exception {
        final List<JsonNode> out = new ArrayList<>();
        for (final JsonNode s : get(childBase + "/v1/status").path("verdicts").path("committees")) {
            if (s.path("epoch").asLong() == epoch) {
                if (!s.path("mode").asText().equals("active")) {
                    return List.of();
                }
                out.add(s);
            }
        }
        return out;
    }

    /** accepted-*, ignored-*, refused-* and held of a status counters object. */
    private static long outcomes(final JsonNode counters) {
        long n = counters.path("held").asLong();
        for (final var it = counters.fields(); it.hasNext(); ) {
            final var e = it.next();
            if (e.getKey().startsWith("accepted-") || e.getKey().startsWith("ignored-") || e.getKey().startsWith("refused-")) {
                n += e.getValue().asLong();
            }
        }
        return n;
    }

    private static Map<Integer, Long> lastExecuted(final List<JsonNode> seats) {
        final Map<Integer, Long> out = new TreeMap<>();
        seats.forEach(s -> out.put(s.path("shard").asInt(), s.path("last_executed").asLong()));
        return out;
    }

    private long childExecutedSum(final String childBase, final long epoch) throws Exception {
        return lastExecuted(childSeats(childBase, epoch)).values().stream().mapToLong(Long::longValue).sum();
    }

    /** Records what every member executed lately: the in-process ones whole, the child's newest per seat. */
    private void sample(final String childBase) throws Exception {
        for (final Daemon d : daemons) {
            final String who = NodeIds.toHex(d.nodeId());
            for (final Committeeship.Executed e : d.onVerdicts(FleetVerdicts::executed).get()) {
                record(e.shard() + "/" + e.epoch() + "/" + e.seq(), e.digest().substring(0, 16), who);
            }
        }
        for (final JsonNode s : get(childBase + "/v1/status").path("verdicts").path("committees")) {
            for (final JsonNode b : s.path("recent_batches")) {
                final String[] parts = b.asText().split(":");
                final String slot = s.path("shard").asInt() + "/" + s.path("epoch").asLong() + "/" + parts[0];
                record(slot, parts[1], CHILD);
            }
        }
    }

    private void record(final String slot, final String digest, final String who) {
        executed.computeIfAbsent(slot, k -> new ConcurrentHashMap<>()).computeIfAbsent(digest, k -> ConcurrentHashMap.newKeySet()).add(who);
    }

    private boolean holdsEverywhere(final String childBase, final String agent) throws Exception {
        if (!agents(get(childBase + "/v1/verdicts")).contains(agent)) {
            return false;
        }
        for (final Daemon d : daemons) {
            if (!agents(get(base(d) + "/v1/verdicts")).contains(agent)) {
                return false;
            }
        }
        return true;
    }

    private static Set<String> agents(final JsonNode list) {
        final Set<String> out = new TreeSet<>();
        list.path("verdicts").forEach(v -> out.add(v.path("agent").asText()));
        return out;
    }

    private static Set<String> verdictIds(final JsonNode list) {
        final Set<String> out = new TreeSet<>();
        list.path("verdicts").forEach(v -> out.add(v.path("id").asText()));
        return out;
    }

    private static String base(final Daemon d) {
        return "http://127.0.0.1:" + d.apiAddress().getPort();
    }

    private JsonNode get(final String url) throws Exception {
        final HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
