package dev.vigil.daemon.config;

import dev.vigil.daemon.core.CoreConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Loading a node's YAML file: values land where they belong, defaults fill the gaps, and every
 * problem is a {@link ConfigException} naming the file, the field and what was expected.
 */
class ConfigLoaderTest {
    /** The smallest file that loads: everything else has a default. */
    private static final String MINIMAL = """
        listen:
          peer: 10.0.0.1:7400
        identity:
          key: node.key
          certificate: node.cert
          ca_public_key: ca.pub
        """;

    @TempDir
    Path dir;

    // ---- valid files ----

    @Test
    void aFullFileLoadsEveryValue() throws IOException {
        final Path file = write("etc/vigil/node.yaml", """
            data_dir: state
            listen:
              peer: 0.0.0.0:7400
              api: 127.0.0.1:9000
            advertise: 192.0.2.10:7400
            bootstrap:
              - 192.0.2.11:7400
              - "[2001:db8::1]:7400"
            identity:
              key: keys/node.key
              certificate: ./keys/../keys/node.cert
              ca_public_key: /etc/vigil/ca.pub
            peers:
              max: 16
              target: 6
            liveness:
              ping_interval_ms: 500
              suspect_after_ms: 2000
              dead_after_ms: 5000
              forget_after_ms: 60000
            transport:
              send_queue_frames_max: 1024
              reconnect_backoff_min_ms: 50
              reconnect_backoff_max_ms: 2000
            clock_skew_max_ms: 1500
            """);
        final Path etc = dir.resolve("etc/vigil").toAbsolutePath();

        final NodeConfig config = ConfigLoader.load(file);

        assertThat(config.file()).isEqualTo(file);
        assertThat(config.dataDir()).isEqualTo(etc.resolve("state"));
        assertThat(config.peerListen()).isEqualTo(new HostPort("0.0.0.0", 7400));
        assertThat(config.apiListen()).isEqualTo(new HostPort("127.0.0.1", 9000));
        // relative paths are taken from the file's directory, not the working directory
        assertThat(config.keyFile()).isEqualTo(etc.resolve("keys/node.key"));
        assertThat(config.certificateFile()).isEqualTo(etc.resolve("keys/node.cert"));
        assertThat(config.caPublicKeyFile()).isEqualTo(Path.of("/etc/vigil/ca.pub"));
        assertThat(config.sendQueueFramesMax()).isEqualTo(1024);
        assertThat(config.reconnectBackoffMinMs()).isEqualTo(50);
        assertThat(config.reconnectBackoffMaxMs()).isEqualTo(2000);

        final CoreConfig core = config.core();
        assertThat(core.advertiseAddress()).isEqualTo("192.0.2.10:7400");
        assertThat(core.bootstrap()).containsExactly("192.0.2.11:7400", "[2001:db8::1]:7400");
        assertThat(core.peersMax()).isEqualTo(16);
        assertThat(core.peersTarget()).isEqualTo(6);
        assertThat(core.pingIntervalMicros()).isEqualTo(500_000);
        assertThat(core.suspectAfterMicros()).isEqualTo(2_000_000);
        assertThat(core.deadAfterMicros()).isEqualTo(5_000_000);
        assertThat(core.forgetAfterMicros()).isEqualTo(60_000_000);
        assertThat(core.clockSkewMicrosMax()).isEqualTo(1_500_000);
        assertThat(core.tickMicros()).isEqualTo(100_000);
    }

    @Test
    void aMinimalFileGetsTheDocumentedDefaults() throws IOException {
        final Path file = write("node.yaml", MINIMAL);
        final Path here = dir.toAbsolutePath();

        final NodeConfig config = ConfigLoader.load(file);

        assertThat(config.dataDir()).isEqualTo(here.resolve("data"));
        assertThat(config.keyFile()).isEqualTo(here.resolve("node.key"));
        assertThat(config.certificateFile()).isEqualTo(here.resolve("node.cert"));
        assertThat(config.caPublicKeyFile()).isEqualTo(here.resolve("ca.pub"));
        assertThat(config.apiListen()).isEqualTo(new HostPort("127.0.0.1", 7480));
        assertThat(config.sendQueueFramesMax()).isEqualTo(256);
        assertThat(config.reconnectBackoffMinMs()).isEqualTo(100);
        assertThat(config.reconnectBackoffMaxMs()).isEqualTo(5_000);
        // a non-wildcard listen address is its own advertised address
        assertThat(config.core()).isEqualTo(CoreConfig.defaults("10.0.0.1:7400", List.of()));
    }

    @Test
    void derivedDefaultsFollowTheValuesThatAreGiven() throws IOException {
        final Path file = write("node.yaml", MINIMAL + """
            peers:
              max: 2
            liveness:
              ping_interval_ms: 60000
            transport:
              reconnect_backoff_min_ms: 10000
            """);

        final NodeConfig config = ConfigLoader.load(file);

        assertThat(config.core().peersTarget()).isEqualTo(2);
        assertThat(config.core().suspectAfterMicros()).isEqualTo(180_000_000L);
        assertThat(config.core().deadAfterMicros()).isEqualTo(360_000_000L);
        assertThat(config.core().forgetAfterMicros()).isEqualTo(600_000_000L);
        assertThat(config.reconnectBackoffMaxMs()).isEqualTo(10_000);
    }

    @Test
    void aShortPingIntervalShortensTheTickToHalfOfIt() throws IOException {
        final Path file = write("node.yaml", MINIMAL + "liveness:\n  ping_interval_ms: 50\n");

        assertThat(ConfigLoader.load(file).core().tickMicros()).isEqualTo(25_000);
    }

    @Test
    void emptySectionsAndEmptyValuesMeanDefaults() throws IOException {
        final Path file = write("node.yaml", MINIMAL + "peers:\nliveness:\n  ping_interval_ms:\n");

        assertThat(ConfigLoader.load(file).core()).isEqualTo(CoreConfig.defaults("10.0.0.1:7400", List.of()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0:7400", "[::]:7400", "*:7400"})
    void aWildcardListenAddressWithAnAdvertisedAddressLoads(final String wildcard) throws IOException {
        final Path file = write("node.yaml", MINIMAL.replace("10.0.0.1:7400", "\"" + wildcard + "\"")
            + "advertise: 192.0.2.10:7400\n");

        final NodeConfig config = ConfigLoader.load(file);

        assertThat(config.peerListen().isWildcard()).isTrue();
        assertThat(config.core().advertiseAddress()).isEqualTo("192.0.2.10:7400");
    }

    // ---- unknown fields ----

    @Test
    void anUnknownTopLevelFieldNamesTheFileTheFieldAndTheKnownFields() throws IOException {
        final Path file = write("node.yaml", MINIMAL + "peerz: 3\n");

        assertThatThrownBy(() -> ConfigLoader.load(file))
            .isInstanceOf(ConfigException.class)
            .hasMessageStartingWith(file.toString())
            .hasMessageContaining("field 'peerz'")
            .hasMessageContaining("unknown field")
            .hasMessageContaining("expected one of: accel, advertise, alerting, bootstrap, clock_skew_max_ms, data_dir, detection, features, "
                + "identity, listen, liveness, peers, storage, transport");
    }

    @Test
    void anUnknownNestedFieldNamesItsFullPathAndItsSiblings() throws IOException {
        final Path file = write("node.yaml", MINIMAL + "liveness:\n  ping_intervall_ms: 500\n");

        assertThatThrownBy(() -> ConfigLoader.load(file))
            .isInstanceOf(ConfigException.class)
            .hasMessageStartingWith(file.toString())
            .hasMessageContaining("field 'liveness.ping_intervall_ms'")
            .hasMessageContaining("unknown field")
            .hasMessageContaining("expected one of: dead_after_ms, forget_after_ms, ping_interval_ms, suspect_after_ms");
    }

    @Test
    void anUnknownIdentityFieldListsTheIdentityFields() throws IOException {
        final Path file = write("node.yaml", MINIMAL + "  ca_key: ca.pub\n");

        assertThatThrownBy(() -> ConfigLoader.load(file))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("field 'identity.ca_key'")
            .hasMessageContaining("expected one of: ca_public_key, certificate, key");
    }

    @Test
    void fieldNamesAreSnakeCaseOnly() throws IOException {
        final Path file = write("node.yaml", MINIMAL + "clockSkewMaxMs: 500\n");

        assertThatThrownBy(() -> ConfigLoader.load(file))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("field 'clockSkewMaxMs'")
            .hasMessageContaining("clock_skew_max_ms");
    }

    // ---- wrong types ----

    @Test
    void aWordWhereAnIntegerBelongsNamesTheFieldAndWhatWasExpected() throws IOException {
        final Path file = write("node.yaml", MINIMAL + "peers:\n  max: abc\n");

        assertThatThrownBy(() -> ConfigLoader.load(file))
            .isInstanceOf(ConfigException.class)
            .hasMessageStartingWith(file.toString())
            .hasMessageContaining("field 'peers.max'")
            .hasMessageContaining("expected an integer (line 8)")
            .hasMessageContaining("got 'abc'");
    }

    @Test
    void aBooleanWhereAnIntegerBelongsIsRefused() throws IOException {
        final Path file = write("node.yaml", MINIMAL + "clock_skew_max_ms: true\n");

        assertThatThrownBy(() -> ConfigLoader.load(file))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("field 'clock_skew_max_ms'")
            .hasMessageContaining("an integer");
    }

    @Test
    void aScalarWhereASectionBelongsIsRefused() throws IOException {
        final Path file = write("node.yaml", "listen: 10.0.0.1:7400\n");

        assertThatThrownBy(() -> ConfigLoader.load(file))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("field 'listen'")
            .hasMessageContaining("expected a mapping");
    }

    @Test
    void aScalarWhereTheBootstrapListBelongsIsRefused() throws IOException {
        final Path file = write("node.yaml", MINIMAL + "bootstrap: 192.0.2.1:7400\n");

        assertThatThrownBy(() -> ConfigLoader.load(file))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("field 'bootstrap'")
            .hasMessageContaining("expected a list");
    }

    // ---- ranges ----

    /** Each bounded field at its bounds loads, one past them is refused naming the field and the range. */
    @ParameterizedTest(name = "{0} in [{1}, {2}]")
    @CsvSource({
        "peers.max, 1, 256",
        "peers.target, 1, 8",
        "liveness.ping_interval_ms, 50, 60000",
        "liveness.suspect_after_ms, 1001, 600000",
        "liveness.dead_after_ms, 3001, 3600000",
        "liveness.forget_after_ms, 6000, 86400000",
        "clock_skew_max_ms, 100, 3600000",
        "transport.send_queue_frames_max, 1, 65536",
        "transport.reconnect_backoff_min_ms, 1, 60000",
        "transport.reconnect_backoff_max_ms, 100, 600000",
        "tree.b, 4, 50",
        "tree.join_delay_ms, 1, 600000",
        "tree.ping_interval_ms, 100, 60000",
        "tree.view_refresh_ms, 100, 600000",
        "alerting.resend_interval_s, 1, 3600",
        "alerting.queue_max, 1, 1000000",
        "alerting.timeout_ms, 100, 600000",
    })
    void boundedFieldsAcceptTheirRangeAndNameItWhenOutside(final String field, final long min, final long max) throws IOException {
        assertThat(ConfigLoader.load(write("min.yaml", MINIMAL + yaml(field, min)))).isNotNull();
        assertThat(ConfigLoader.load(write("max.yaml", MINIMAL + yaml(field, max)))).isNotNull();

        for (final long outside : new long[] {min - 1, max + 1}) {
            final Path file = write("outside.yaml", MINIMAL + yaml(field, outside));

            assertThatThrownBy(() -> ConfigLoader.load(file)).as("%s: %d", field, outside)
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file.toString())
                .hasMessageContaining("field '" + field + "'")
                .hasMessageContaining("expected an integer in [" + min + ", " + max + "], got " + outside);
        }
    }

    @Test
    void aPingIntervalOfFiveMillisecondsIsRefused() throws IOException {
        final Path file = write("node.yaml", MINIMAL + "liveness:\n  ping_interval_ms: 5\n");

        assertThatThrownBy(() -> ConfigLoader.load(file))
            .isInstanceOf(ConfigException.class)
            .hasMessage(file + ": field 'liveness.ping_interval_ms': expected an integer in [50, 60000], got 5");
    }

    @Test
    void rangesOfDependentFieldsFollowTheFieldsTheyDependOn() throws IOException {
        final Path targetOverMax = write("a.yaml", MINIMAL + "peers:\n  max: 16\n  target: 17\n");
        final Path suspectNotAfterPing = write("b.yaml", MINIMAL + "liveness:\n  ping_interval_ms: 500\n  suspect_after_ms: 500\n");

        assertThatThrownBy(() -> ConfigLoader.load(targetOverMax))
            .hasMessageContaining("field 'peers.target': expected an integer in [1, 16], got 17");
        assertThatThrownBy(() -> ConfigLoader.load(suspectNotAfterPing))
            .hasMessageContaining("field 'liveness.suspect_after_ms': expected an integer in [501, 600000], got 500");
    }

    // ---- required fields and addresses ----

    @Test
    void aMissingIdentityKeyIsRequired() throws IOException {
        final Path file = write("node.yaml", MINIMAL.replace("  key: node.key\n", ""));

        assertThatThrownBy(() -> ConfigLoader.load(file))
            .isInstanceOf(ConfigException.class)
            .hasMessageStartingWith(file.toString())
            .hasMessageContaining("field 'identity.key'")
            .hasMessageContaining("is required");
    }

    @ParameterizedTest
    @CsvSource({
        "'  certificate: node.cert\n', identity.certificate",
        "'  ca_public_key: ca.pub\n', identity.ca_public_key",
        "'  peer: 10.0.0.1:7400\n', listen.peer",
    })
    void otherRequiredFieldsAreNamedWhenMissing(final String line, final String field) throws IOException {
        // listen.api stands in for listen.peer so that the listen section itself is present
        final Path file = write("node.yaml", MINIMAL.replace(line, line.contains("peer") ? "  api: 127.0.0.1:9000\n" : ""));

        assertThatThrownBy(() -> ConfigLoader.load(file))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("field '" + field + "'")
            .hasMessageContaining("is required");
    }

    @Test
    void missingSectionsAreRequired() throws IOException {
        final Path noIdentity = write("a.yaml", "listen:\n  peer: 10.0.0.1:7400\n");
        final Path noListen = write("b.yaml", "identity:\n  key: k\n  certificate: c\n  ca_public_key: ca\n");

        assertThatThrownBy(() -> ConfigLoader.load(noIdentity)).hasMessageContaining("field 'identity': is required");
        assertThatThrownBy(() -> ConfigLoader.load(noListen)).hasMessageContaining("field 'listen': is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0:7400", "[::]:7400", "*:7400"})
    void aWildcardListenAddressWithoutAdvertiseIsAnErrorNamingAdvertise(final String wildcard) throws IOException {
        final Path file = write("node.yaml", MINIMAL.replace("10.0.0.1:7400", "\"" + wildcard + "\""));

        assertThatThrownBy(() -> ConfigLoader.load(file))
            .isInstanceOf(ConfigException.class)
            .hasMessageStartingWith(file.toString())
            .hasMessageContaining("field 'advertise'")
            .hasMessageContaining("wildcard")
            .hasMessageContaining(":7400");
    }

    @Test
    void aMalformedBootstrapEntryIsNamedByItsIndex() throws IOException {
        final Path file = write("node.yaml", MINIMAL + "bootstrap:\n  - 192.0.2.1:7400\n  - nope\n  - 192.0.2.3:7400\n");

        assertThatThrownBy(() -> ConfigLoader.load(file))
            .isInstanceOf(ConfigException.class)
            .hasMessageStartingWith(file.toString())
            .hasMessageContaining("field 'bootstrap[1]'")
            .hasMessageContaining("expected host:port, got 'nope'");
    }

    @Test
    void aBootstrapEntryThatIsNotAStringIsNamedByItsIndex() throws IOException {
        final Path file = write("node.yaml", MINIMAL + "bootstrap:\n  - 192.0.2.1:7400\n  - {host: x}\n");

        assertThatThrownBy(() -> ConfigLoader.load(file))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("field 'bootstrap[1]'")
            .hasMessageContaining("expected a string");
    }

    @ParameterizedTest
    @CsvSource({
        "'listen:\n  peer: 10.0.0.1\n', listen.peer, expected host:port",
        "'listen:\n  peer: 10.0.0.1:7400\n  api: localhost:70000\n', listen.api, outside [1, 65535]",
        "'listen:\n  peer: 10.0.0.1:7400\nadvertise: 2001:db8::1:7400\n', advertise, need brackets",
    })
    void malformedAddressesNameTheirField(final String listen, final String field, final String problem) throws IOException {
        final Path file = write("node.yaml", listen + "identity:\n  key: k\n  certificate: c\n  ca_public_key: ca\n");

        assertThatThrownBy(() -> ConfigLoader.load(file))
            .isInstanceOf(ConfigException.class)
            .hasMessageStartingWith(file.toString())
            .hasMessageContaining("field '" + field + "'")
            .hasMessageContaining(problem);
    }

    @Test
    void theShippedExampleLoads() {
        final NodeConfig c = ConfigLoader.load(Path.of("../configs/node.example.yaml"));
        assertThat(c.otlpListen()).hasToString("127.0.0.1:4318");
        assertThat(c.schema().size()).isEqualTo(10);
        assertThat(c.detection()).isEqualTo(dev.vigil.daemon.detect.DetectionConfig.defaults());
        assertThat(c.core().bootstrap()).hasSize(2);
        assertThat(c.tree()).isEqualTo(dev.vigil.daemon.tree.TreeConfig.defaults(10));
        assertThat(c.accel()).isEqualTo(AccelSettings.defaults());
        assertThat(c.alerting()).isEqualTo(AlertingSettings.defaults());
    }

    @Test
    void treeSettingsReachTheTreeConfig() throws IOException {
        final NodeConfig c = ConfigLoader.load(write("node.yaml", MINIMAL
            + "tree:\n  b: 4\n  join_delay_ms: 500\n  ping_interval_ms: 250\n  view_refresh_ms: 750\n"));

        assertThat(c.tree().b()).isEqualTo(4);
        assertThat(c.tree().joinDelayMicros()).isEqualTo(500_000);
        assertThat(c.tree().pingIntervalMicros()).isEqualTo(250_000);
        assertThat(c.tree().probeTimeoutMicros()).isEqualTo(100_000);
        assertThat(c.tree().viewRefreshMicros()).isEqualTo(750_000);
        assertThat(ConfigLoader.load(write("plain.yaml", MINIMAL)).tree()).isEqualTo(dev.vigil.daemon.tree.TreeConfig.defaults(10));
    }

    // ---- files that are not a configuration ----

    @ParameterizedTest
    @ValueSource(strings = {"", "\n\n", "# only a comment\n", "~\n", "---\n"})
    void anEmptyFileIsAnErrorNamingTheFile(final String text) throws IOException {
        final Path file = write("node.yaml", text);

        assertThatThrownBy(() -> ConfigLoader.load(file))
            .isInstanceOf(ConfigException.class)
            .hasMessage(file + ": is empty; see configs/node.example.yaml");
    }

    @ParameterizedTest
    @ValueSource(strings = {"- a\n- b\n", "just a string\n"})
    void aDocumentThatIsNotAMappingSaysSo(final String text) throws IOException {
        final Path file = write("node.yaml", text);

        assertThatThrownBy(() -> ConfigLoader.load(file))
            .isInstanceOf(ConfigException.class)
            .hasMessageStartingWith(file + ": expected a mapping of fields at the top level");
    }

    @Test
    void aFieldGivenTwiceIsAnErrorNotLastOneWins() throws IOException {
        final Path file = write("node.yaml", MINIMAL + "advertise: 1.2.3.4:1\nadvertise: 5.6.7.8:2\n");

        assertThatThrownBy(() -> ConfigLoader.load(file))
            .isInstanceOf(ConfigException.class)
            .hasMessageStartingWith(file + ": ")
            .hasMessageContaining("field given twice")
            .hasMessageContaining("advertise");
    }

    @Test
    void aDecimalWhereAnIntegerBelongsIsRefusedNotTruncated() throws IOException {
        final Path file = write("node.yaml", MINIMAL + "peers:\n  max: 8.9\n");

        assertThatThrownBy(() -> ConfigLoader.load(file))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("field 'peers.max'")
            .hasMessageContaining("an integer");
    }

    @Test
    void aNumberBeyondThe32BitRangeIsReportedAgainstItsFieldAndRange() throws IOException {
        final Path file = write("node.yaml", MINIMAL + "peers:\n  max: 3000000000\n");

        assertThatThrownBy(() -> ConfigLoader.load(file))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("field 'peers.max'")
            .hasMessageContaining("[1, 256]");
    }

    @Test
    void aMissingFileIsAnErrorNamingTheFile() {
        final Path file = dir.resolve("absent.yaml");

        assertThatThrownBy(() -> ConfigLoader.load(file))
            .isInstanceOf(ConfigException.class)
            .hasMessage(file + ": no such file");
    }

    @Test
    void aDirectoryIsNotAConfigurationFile() {
        assertThatThrownBy(() -> ConfigLoader.load(dir))
            .isInstanceOf(ConfigException.class)
            .hasMessage(dir + ": no such file");
    }

    @Test
    void yamlThatDoesNotParseIsNamedAsSuch() throws IOException {
        final Path file = write("node.yaml", "listen:\n\tpeer: 10.0.0.1:7400\n");

        assertThatThrownBy(() -> ConfigLoader.load(file))
            .isInstanceOf(ConfigException.class)
            .hasMessageStartingWith(file.toString())
            .hasMessageContaining("not valid YAML");
    }

    // ---- helpers ----

    // ---- storage ----

    @Test
    void storageDefaultsKeepRawADayMinutesAWeekHoursAMonthAndDaysForGood() throws IOException {
        final NodeConfig c = ConfigLoader.load(write("node.yaml", MINIMAL));
        assertThat(c.history().rawRetentionMicros()).isEqualTo(24 * 3_600_000_000L);
        assertThat(c.history().minuteRetentionMicros()).isEqualTo(7 * 86_400_000_000L);
        assertThat(c.history().hourRetentionMicros()).isEqualTo(30 * 86_400_000_000L);
        assertThat(c.history().dayRetentionMicros()).isZero();
        assertThat(c.history().replicas()).isEqualTo(2);
        assertThat(c.storesDir()).isEqualTo(c.dataDir().resolve("stores"));
    }

    @Test
    void rawRetentionShorterThanTheBaselineWindowIsRefusedByName() throws IOException {
        final Path file = write("node.yaml", MINIMAL + "detection:\n  baseline_buckets: 2880\nstorage:\n  raw_retention_hours: 24\n");
        assertThatThrownBy(() -> ConfigLoader.load(file))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("storage.raw_retention_hours")
            .hasMessageContaining("48");
    }

    @Test
    void theConsensusLogIsSizedForTwoEpochsOfSixtyFourShardsOfOneMebibyteByDefaultInItsOwnDirectory() throws IOException {
        final NodeConfig c = ConfigLoader.load(write("node.yaml", MINIMAL));
        assertThat(c.consensusLog()).isEqualTo(dev.vigil.daemon.consensus.ConsensusLogConfig.defaults());
        assertThat(c.consensusLog().replicasMax()).as("64 shards, this epoch and the previous").isEqualTo(128);
        assertThat(c.consensusLog().bytesPerReplicaMax()).isEqualTo(1024 * 1024);
        assertThat(c.consensusDir()).isEqualTo(c.dataDir().resolve("consensus"));
        final NodeConfig set = ConfigLoader.load(write("set.yaml", MINIMAL
            + "storage:\n  consensus_replicas: 8\n  consensus_log_kib_per_replica: 4096\n"));
        assertThat(set.consensusLog().replicasMax()).isEqualTo(8);
        assertThat(set.consensusLog().bytesPerReplicaMax()).isEqualTo(4L << 20);
    }

    @Test
    void minuteStatisticsKeepTenMantissaBitsByDefaultFiftyTwoForExactAndBelowSevenIsRefusedByName() throws IOException {
        assertThat(ConfigLoader.load(write("node.yaml", MINIMAL)).history().minutePrecisionBits()).isEqualTo(10);
        assertThat(ConfigLoader.load(write("exact.yaml", MINIMAL + "storage:\n  minute_precision_bits: 52\n")).history()
            .minutePrecisionBits()).isEqualTo(dev.vigil.daemon.history.MinutePack.PRECISION_EXACT);
        for (final String bad : new String[]{"6", "53"}) {
            final Path file = write("bad" + bad + ".yaml", MINIMAL + "storage:\n  minute_precision_bits: " + bad + "\n");
            assertThatThrownBy(() -> ConfigLoader.load(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("storage.minute_precision_bits").hasMessageContaining(bad);
        }
    }

    @Test
    void consensusLogSizesOutOfRangeAreRefusedByName() throws IOException {
        final Path file = write("node.yaml", MINIMAL + "storage:\n  consensus_log_kib_per_replica: 16\n");
        assertThatThrownBy(() -> ConfigLoader.load(file)).isInstanceOf(ConfigException.class)
            .hasMessageContaining("storage.consensus_log_kib_per_replica");
    }

    // ---- accel ----

    @Test
    void accelDefaultsToAutoOnTheFirstSuitableDevice() throws IOException {
        final NodeConfig c = ConfigLoader.load(write("node.yaml", MINIMAL));
        assertThat(c.accel().backend()).isEqualTo(dev.vigil.accel.Accel.Backend.AUTO);
        assertThat(c.accel().device()).isEmpty();
        assertThat(ConfigLoader.load(write("empty.yaml", MINIMAL + "accel:\n")).accel()).isEqualTo(AccelSettings.defaults());
    }

    @ParameterizedTest
    @CsvSource({"java, JAVA", "opencl, OPENCL", "auto, AUTO", "OpenCL, OPENCL"})
    void accelBackendAndDeviceLoad(final String given, final dev.vigil.accel.Accel.Backend expected) throws IOException {
        final NodeConfig c = ConfigLoader.load(write("node.yaml", MINIMAL + "accel:\n  backend: " + given + "\n  device: \" H200 \"\n"));
        assertThat(c.accel()).isEqualTo(new AccelSettings(expected, "H200"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpu", "cuda", "\"\"", "javaa"})
    void anUnknownAccelBackendIsRefusedNamingTheFieldAndTheChoices(final String given) throws IOException {
        final Path file = write("node.yaml", MINIMAL + "accel:\n  backend: " + given + "\n");

        assertThatThrownBy(() -> ConfigLoader.load(file))
            .isInstanceOf(ConfigException.class)
            .hasMessageStartingWith(file.toString())
            .hasMessageContaining("field 'accel.backend'")
            .hasMessageContaining("expected auto, java or opencl, got '" + given.replace("\"", "") + "'");
    }

    @Test
    void anAccelDeviceThatCannotBeANameIsRefusedByName() throws IOException {
        final Path file = write("node.yaml", MINIMAL + "accel:\n  device: " + "x".repeat(AccelSettings.DEVICE_CHARS_MAX + 1) + "\n");

        assertThatThrownBy(() -> ConfigLoader.load(file)).isInstanceOf(ConfigException.class)
            .hasMessageContaining("field 'accel.device'");
    }

    @Test
    void anUnknownAccelFieldListsTheAccelFields() throws IOException {
        final Path file = write("node.yaml", MINIMAL + "accel:\n  backends: java\n");

        assertThatThrownBy(() -> ConfigLoader.load(file)).isInstanceOf(ConfigException.class)
            .hasMessageContaining("field 'accel.backends'")
            .hasMessageContaining("expected one of: backend, device");
    }

    // ---- alerting ----

    @Test
    void alertingIsOffUnlessAnAlertmanagerIsGivenAndItsSettingsLoad() throws IOException {
        assertThat(ConfigLoader.load(write("plain.yaml", MINIMAL)).alerting()).isEqualTo(AlertingSettings.defaults());
        assertThat(AlertingSettings.defaults().enabled()).isFalse();

        final AlertingSettings a = ConfigLoader.load(write("node.yaml", MINIMAL + """
            alerting:
              alertmanager: [http://127.0.0.1:9093, "https://am.example.org/alertmanager/"]
              resend_interval_s: 30
              queue_max: 64
              timeout_ms: 2000
            """)).alerting();
        assertThat(a.enabled()).isTrue();
        assertThat(a.alertmanagers()).extracting(java.net.URI::toString)
            .containsExactly("http://127.0.0.1:9093", "https://am.example.org/alertmanager");
        assertThat(AlertingSettings.endpoint(a.alertmanagers().get(1))).hasToString("https://am.example.org/alertmanager/api/v2/alerts");
        assertThat(a.resendIntervalMs()).isEqualTo(30_000);
        assertThat(a.queueMax()).isEqualTo(64);
        assertThat(a.timeoutMs()).isEqualTo(2_000);
    }

    @ParameterizedTest
    @CsvSource({
        "'[127.0.0.1:9093]', 'alerting.alertmanager[0]', expected an http:// or https:// URL",
        "'[http://a:9093, ftp://b]', 'alerting.alertmanager[1]', expected an http:// or https:// URL",
        "'[http://a:9093/api/v2/alerts]', 'alerting.alertmanager[0]', the daemon adds /api/v2/alerts",
        "'[http://a:9093, http://a:9093/]', 'alerting.alertmanager[1]', listed twice",
        "'[\"http://a:9093?x=1\"]', 'alerting.alertmanager[0]', without user, query or fragment",
        "'[\"\"]', 'alerting.alertmanager[0]', got nothing",
        "'http://a:9093', 'alerting.alertmanager', expected a list",
    })
    void aBadAlertmanagerUrlIsRefusedNamingItsIndex(final String urls, final String field, final String problem) throws IOException {
        final Path file = write("node.yaml", MINIMAL + "alerting:\n  alertmanager: " + urls + "\n");

        assertThatThrownBy(() -> ConfigLoader.load(file))
            .isInstanceOf(ConfigException.class)
            .hasMessageStartingWith(file.toString())
            .hasMessageContaining("field '" + field + "'")
            .hasMessageContaining(problem);
    }

    @Test
    void moreAlertmanagersThanTheBoundAreRefused() throws IOException {
        final StringBuilder urls = new StringBuilder("[");
        for (int i = 0; i <= AlertingSettings.ALERTMANAGERS_MAX; i++) {
            urls.append(i == 0 ? "" : ", ").append("http://am").append(i).append(":9093");
        }
        final Path file = write("node.yaml", MINIMAL + "alerting:\n  alertmanager: " + urls + "]\n");

        assertThatThrownBy(() -> ConfigLoader.load(file)).isInstanceOf(ConfigException.class)
            .hasMessageContaining("field 'alerting.alertmanager': expected at most " + AlertingSettings.ALERTMANAGERS_MAX);
    }

    private Path write(final String name, final String text) throws IOException {
        final Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    /** "a.b", 5 as "a:\n  b: 5\n"; "a", 5 as "a: 5\n". */
    private static String yaml(final String field, final long value) {
        final int dot = field.indexOf('.');
        return dot < 0
            ? field + ": " + value + "\n"
            : field.substring(0, dot) + ":\n  " + field.substring(dot + 1) + ": " + value + "\n";
    }
}
