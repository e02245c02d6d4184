/**
 * The {@code vigil} command line (picocli). Further subcommands come from
 * {@link dev.vigil.daemon.cli.CommandProvider} implementations found with {@link java.util.ServiceLoader},
 * which is how simnet contributes {@code simnet} and {@code bench} without the daemon importing it.
 */
package dev.vigil.daemon.cli;
