package dev.vigil.daemon.config;

import java.nio.file.Path;

/** A configuration problem, naming the file, the field and what was expected. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(final Path file, final String field, final String problem) {
        super(file + ": " + (field == null ? "" : "field '" + field + "': ") + problem);
    }
}
