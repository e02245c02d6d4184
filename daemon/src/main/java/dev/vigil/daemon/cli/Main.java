package dev.vigil.daemon.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.ServiceLoader;

/** Entry point of the {@code vigil} launcher. */
@Command(
    name = "vigil",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
        "Vigil watches fleets of AI agents for compromised or runaway behaviour.",
        "Every host runs the same daemon; daemons find each other through bootstrap addresses."},
    subcommands = {KeygenCommand.class, CaCommand.class, RunCommand.class, StatusCommand.class, AgentsCommand.class, VerdictsCommand.class, EvalCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(final String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The full command tree, with the subcommands other modules provide. */
    public static CommandLine commandLine() {
        final CommandLine cl = new CommandLine(new Main());
        for (final CommandProvider provider : ServiceLoader.load(CommandProvider.class)) {
            for (final Object command : provider.commands()) {
                cl.addSubcommand(command);
            }
        }
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // Expected failures (bad config, missing key file, unreachable API) are one line for the operator.
            if (e instanceof CliException || e instanceof java.io.IOException) {
                commandLine.getErr().println("vigil " + commandLine.getCommandName() + ": " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
