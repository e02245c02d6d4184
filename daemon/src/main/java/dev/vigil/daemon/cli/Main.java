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

    /** Every command takes it; the environment's VIGIL_LOG_FORMAT is the default. */
    @CommandLine.Option(names = "--log-format", paramLabel = "human|json", scope = CommandLine.ScopeType.INHERIT,
        description = "Log lines as human text (default) or JSON lines, on stderr; default from VIGIL_LOG_FORMAT.")
    void logFormat(final String value) {
        try {
            Logs.toStderr(Logs.Format.parse(value));
        } catch (final IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    public static void main(final String[] args) {
        final String fromEnvironment = System.getenv("VIGIL_LOG_FORMAT");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            try {
                Logs.toStderr(Logs.Format.parse(fromEnvironment));
            } catch (final IllegalArgumentException e) {
                System.err.println("vigil: VIGIL_LOG_FORMAT: " + e.getMessage());
                System.exit(2);
            }
        }
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
        // bash/zsh completion of every command and option: source <(vigil completion)
        final CommandLine completion = new CommandLine(new picocli.AutoComplete.GenerateCompletion());
        completion.getCommandSpec().usageMessage().description(
            "Prints a bash/zsh completion script for vigil: source <(vigil completion), or save it in /etc/bash_completion.d/vigil.");
        cl.addSubcommand("completion", completion);
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
