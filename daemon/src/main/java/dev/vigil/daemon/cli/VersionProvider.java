package dev.vigil.daemon.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version the build stamped into the daemon jar. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    public static String version() {
        try (InputStream in = VersionProvider.class.getResourceAsStream("/dev/vigil/daemon/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            final Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {"vigil " + version() + " (wire v" + dev.vigil.wire.FrameHeader.VERSION + ", Java "
            + Runtime.version().feature() + ")"};
    }
}
