package dev.vigil.daemon.cli;

import java.util.List;

/** Contributes subcommands to {@code vigil}: each element is a picocli {@code @Command} object. */
public interface CommandProvider {
    List<Object> commands();
}
