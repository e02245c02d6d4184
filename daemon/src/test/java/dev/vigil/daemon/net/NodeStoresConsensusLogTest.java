package dev.vigil.daemon.net;

import dev.vigil.daemon.config.ConfigLoader;
import dev.vigil.daemon.config.NodeConfig;
import dev.vigil.daemon.consensus.ConsensusLog;
import dev.vigil.daemon.consensus.LogRecord;
import dev.vigil.daemon.consensus.StoredLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The node's stores hand each replica a durable log for its (shard, epoch), kept in data_dir/consensus across restarts. */
class NodeStoresConsensusLogTest {
    @TempDir
    Path dir;

    @Test
    void aReplicasLogIsThereAfterACleanStopAndAfterAKill() throws Exception {
        Files.writeString(dir.resolve("node.yaml"), String.join("\n",
            "data_dir: data",
            "listen: {peer: 127.0.0.1:7400}",
            "identity: {key: node.key, certificate: node.crt, ca_public_key: ca.pub}",
            "storage: {expected_agents: 4, consensus_replicas: 4, consensus_log_kib_per_replica: 256}",
            ""));
        final NodeConfig config = ConfigLoader.load(dir.resolve("node.yaml"));
        final NodeStores first = NodeStores.open(config);
        final ConsensusLog log = first.consensusLog(7, 2);
        log.append(new LogRecord.Base(0, new byte[32]));
        log.append(new LogRecord.View(1, true));
        first.consensusLog(9, 0).append(new LogRecord.View(0, false));
        first.close();
        assertThat(Files.exists(config.consensusDir().resolve("consensus-log.cm3"))).isTrue();

        final NodeStores second = NodeStores.open(config);
        assertThat(second.consensusLogs().logs()).containsExactly(new StoredLogs.Id(7, 2), new StoredLogs.Id(9, 0));
        assertThat(second.consensusLog(7, 2).records()).hasSize(2).last()
            .isEqualTo(new LogRecord.View(1, true));
        second.consensusLog(7, 2).append(new LogRecord.View(2, false));
        second.abandon();

        final NodeStores third = NodeStores.open(config);
        assertThat(third.recovered()).isTrue();
        assertThat(third.consensusLogs().damage()).isEmpty();
        assertThat(third.consensusLog(7, 2).records()).hasSize(2).last().isEqualTo(new LogRecord.View(2, false));
        third.close();
    }
}
