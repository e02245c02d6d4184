package dev.vigil.daemon.net;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.vigil.crypto.ClusterCa;
import dev.vigil.crypto.NodeIds;
import dev.vigil.crypto.PrivateKey;
import dev.vigil.daemon.api.OperatorCommand;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real daemons on loopback go through expected trouble (a peer joins and leaves, a node of another
 * CA knocks, garbage arrives on the peer socket, an operator command for an agent does not verify)
 * and every log line about a peer or an agent names it in the one form, carries its id as a
 * key-value pair (a field of the JSON lines), and none of these expected conditions logs a stack trace.
 */
class LogLinesNameTheirSubjectTest {
    /** "peer" as a word, then something other than its 16 hex digits or the unknown-id form. */
    private static final Pattern PEER_WITHOUT_ID = Pattern.compile("\\bpeer (?![0-9a-f]{16}\\b|of unknown id \\(|snapshot\\b)");
    private static final Pattern AGENT_QUOTED = Pattern.compile("\\bagent '[^']*'");

    @TempDir
    Path dir;
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private ch.qos.logback.classic.Logger root;

    @BeforeEach
    void listen() {
        final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        lines.setContext(context);
        lines.start();
        root.addAppender(lines);
    }

    @AfterEach
    void stopListening() {
        root.detachAppender(lines);
        lines.stop();
    }

    private List<ILoggingEvent> seen() {
        synchronized (lines) { // AppenderBase appends under the appender's lock
            return List.copyOf(lines.list);
        }
    }

    private boolean logged(final Predicate<String> message) {
        return seen().stream().anyMatch(e -> message.test(e.getFormattedMessage()));
    }

    private static Map<String, String> keyValues(final ILoggingEvent e) {
        final List<KeyValuePair> pairs = e.getKeyValuePairs();
        return pairs == null ? Map.of() : pairs.stream().collect(Collectors.toMap(p -> p.key, p -> String.valueOf(p.value), (x, y) -> y));
    }

    private ILoggingEvent line(final Predicate<String> message) {
        return seen().stream().filter(e -> message.test(e.getFormattedMessage())).findFirst()
            .orElseThrow(() -> new AssertionError("no such line among:\n" + seen().stream()
                .map(ILoggingEvent::getFormattedMessage).collect(Collectors.joining("\n"))));
    }

    @Test
    void linesAboutPeersAndAgentsCarryTheirIdsAndExpectedTroubleLogsNoStackTrace() throws Exception {
        final ClusterCa ca = LocalDaemons.newCa(dir);
        final Daemon a = LocalDaemons.start(dir, ca, "a", null, false);
        Daemon b = null;
        Daemon rogue = null;
        try {
            final String aAddress = "127.0.0.1:" + a.peerAddress().getPort();
            b = LocalDaemons.start(dir, ca, "b", aAddress, false);
            final String bHex = NodeIds.toHex(b.nodeId());
            final String bAddress = "127.0.0.1:" + b.peerAddress().getPort();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> logged(m -> m.equals("peer " + bHex + " (" + bAddress + ") joined")));

            // a node certified by another CA: refused, named with the address its join carries
            final Path elsewhere = dir.resolve("elsewhere");
            java.nio.file.Files.createDirectories(elsewhere);
            rogue = LocalDaemons.start(elsewhere, LocalDaemons.newCa(elsewhere), "rogue", aAddress, false);
            final String rogueHex = NodeIds.toHex(rogue.nodeId());
            final String rogueAddress = "127.0.0.1:" + rogue.peerAddress().getPort();
            Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> logged(m -> m.startsWith("refused join from peer " + rogueHex + " (" + rogueAddress + "): certificate")));

            // a length prefix far above the bound on a's peer socket: the connection goes
            try (Socket s = new Socket("127.0.0.1", a.peerAddress().getPort())) {
                s.setSoTimeout(5_000);
                final OutputStream out = s.getOutputStream();
                out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(-5).array());
                out.flush();
                assertThat(s.getInputStream().read()).isEqualTo(-1);
            }
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> logged(m -> m.contains("length prefix above")));

            // an operator command for an agent, signed by a key that is not the CA's
            final PrivateKey stranger = PrivateKey.generate(new SecureRandom());
            final var refused = a.release(OperatorCommand.sign(stranger, "release", "checkout 7", Instant.now().getEpochSecond()))
                .get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(refused.problem()).isNotNull();

            // b leaves: a says so, naming it
            b.close();
            b = null;
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> logged(m -> m.startsWith("peer " + bHex + " (" + bAddress + ") left")));

            final ILoggingEvent joined = line(m -> m.equals("peer " + bHex + " (" + bAddress + ") joined"));
            assertThat(keyValues(joined)).containsEntry("peer", bHex).containsEntry("peer_address", bAddress)
                .containsEntry("node", NodeIds.toHex(a.nodeId()));
            final ILoggingEvent left = line(m -> m.startsWith("peer " + bHex + " (" + bAddress + ") left"));
            assertThat(keyValues(left)).containsEntry("peer", bHex);
            final ILoggingEvent refusedJoin = line(m -> m.startsWith("refused join from peer " + rogueHex));
            assertThat(refusedJoin.getLevel()).isEqualTo(Level.WARN);
            assertThat(keyValues(refusedJoin)).containsEntry("peer", rogueHex).containsEntry("peer_address", rogueAddress);
            final ILoggingEvent oversized = line(m -> m.contains("length prefix above"));
            assertThat(oversized.getFormattedMessage()).matches("closing connection from 127\\.0\\.0\\.1:\\d+ \\(.*\\): .*");
            assertThat(keyValues(oversized)).containsKey("peer_address");
            final ILoggingEvent command = line(m -> m.startsWith("refused an operator command for agent 'checkout 7'"));
            assertThat(keyValues(command)).containsEntry("agent", "checkout 7");
        } finally {
            for (final Daemon d : new Daemon[] {rogue, b, a}) {
                if (d != null) {
                    d.close();
                }
            }
        }
        for (final ILoggingEvent e : seen()) {
            final String m = e.getFormattedMessage();
            assertThat(e.getThrowableProxy()).as("an expected condition logged a stack trace: %s", m).isNull();
            assertThat(PEER_WITHOUT_ID.matcher(m).find()).as("a peer named without its id: %s", m).isFalse();
            assertThat(m).as("the old form of an address").doesNotContainPattern("[0-9a-f]{16} at \\d");
            if (keyValues(e).containsKey("peer")) {
                assertThat(m).as("the peer of the key-value pair is named in the line").contains(keyValues(e).get("peer"));
            }
            if (keyValues(e).containsKey("agent")) {
                assertThat(AGENT_QUOTED.matcher(m).find()).as("an agent named in quotes: %s", m).isTrue();
            }
        }
    }
}
