package dev.vigil.simnet;

import dev.vigil.daemon.cli.CommandProvider;

import java.util.List;

/** Contributes simnet's subcommands to {@code vigil}: {@code simnet}, {@code demo} and {@code bench}. */
public final class SimnetCommands implements CommandProvider {
    @Override
    public List<Object> commands() {
        return List.of(new SimnetCommand(), new dev.vigil.simnet.demo.DemoCommand(), new dev.vigil.simnet.bench.BenchCommand());
    }
}
