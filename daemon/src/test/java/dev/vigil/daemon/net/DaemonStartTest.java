package dev.vigil.daemon.net;

import dev.vigil.crypto.ClusterCa;
import dev.vigil.daemon.config.ConfigException;
import dev.vigil.daemon.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Starting a daemon that cannot listen: the error names the field, and nothing stays held. */
class DaemonStartTest {
    @TempDir
    Path dir;

    @Test
    void anApiAddressInUseIsNamedAndTheDataDirIsLetGo() throws Exception {
        final ClusterCa ca = LocalDaemons.newCa(dir);
        try (Daemon first = LocalDaemons.start(dir, ca, "first", null, false)) {
            LocalDaemons.start(dir, ca, "second", null, false).close();
            final Path yaml = dir.resolve("second").resolve("node.yaml");
            final String own = Files.readString(yaml);
            final String ownApi = own.lines().filter(l -> l.startsWith("  api: ")).findFirst().orElseThrow();
            Files.writeString(yaml, own.replace(ownApi, "  api: 127.0.0.1:" + first.apiAddress().getPort()));
            assertThatThrownBy(() -> Daemon.start(ConfigLoader.load(yaml)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("field 'listen.api'")
                .hasMessageContaining("cannot listen on 127.0.0.1:" + first.apiAddress().getPort());

            // the failed start closed its stores and released the data dir: the node starts on a free port
            Files.writeString(yaml, own.replace(ownApi, "  api: 127.0.0.1:" + LocalDaemons.freePort()));
            try (Daemon second = Daemon.start(ConfigLoader.load(yaml))) {
                assertThat(second.nodeId()).isNotEqualTo(first.nodeId());
            }
        }
    }
}
