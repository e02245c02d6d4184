package dev.vigil.daemon.cli;

import dev.vigil.daemon.config.ConfigException;
import dev.vigil.daemon.config.ConfigLoader;
import dev.vigil.daemon.config.NodeConfig;
import dev.vigil.daemon.net.Daemon;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code vigil run}: the daemon, until SIGTERM or SIGINT. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run the daemon with one node config until SIGTERM/SIGINT, then leave the fleet cleanly.")
final class RunCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The node's YAML config (see configs/node.example.yaml).")
    Path config;

    @Override
    public Integer call() throws Exception {
        final NodeConfig nodeConfig;
        final Daemon daemon;
        try {
            nodeConfig = ConfigLoader.load(config);
            daemon = Daemon.start(nodeConfig);
        } catch (final ConfigException e) {
            throw new CliException(e.getMessage());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(daemon::close, "vigil-shutdown"));
        daemon.awaitTermination();
        return 0;
    }
}
