package dev.vigil.daemon.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The dashboard's files, read from the daemon's jar once, when the class loads: a fixed set, so a
 * request names one of them or gets a 404 (no path is ever resolved against a file system). Each
 * has its content type and a strong ETag (the first 16 bytes of its SHA-256, hex), so a browser
 * that polls revalidates instead of fetching again.
 */
final class DashboardAssets {
    /** The security policy every dashboard answer carries: nothing from anywhere but this daemon, no inline script. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /** One file: its bytes, content type and ETag. */
    record Asset(String name, byte[] bytes, String contentType, String etag) {
    }

    private static final Map<String, Asset> ASSETS = Map.of(
        "index.html", load("index.html", "text/html; charset=utf-8"),
        "dashboard.js", load("dashboard.js", "text/javascript; charset=utf-8"),
        "dashboard.css", load("dashboard.css", "text/css; charset=utf-8"),
        "favicon.svg", load("favicon.svg", "image/svg+xml"));

    private DashboardAssets() {
    }

    /** @return the file of that name, or null when the dashboard has none */
    static Asset get(final String name) {
        return ASSETS.get(name);
    }

    private static Asset load(final String name, final String contentType) {
        final String resource = "/dev/vigil/daemon/ui/" + name;
        try (InputStream in = DashboardAssets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the daemon's jar lacks " + resource + ": the build is broken");
            }
            final byte[] bytes = in.readAllBytes();
            final byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return new Asset(name, bytes, contentType, "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"");
        } catch (final IOException e) {
            throw new UncheckedIOException("reading " + resource + " from the daemon's jar", e);
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
