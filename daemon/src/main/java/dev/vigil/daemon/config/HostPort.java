package dev.vigil.daemon.config;

import java.net.InetSocketAddress;

/** "host:port" or "[v6]:port", parsed strictly. */
public record HostPort(String host, int port) {
    public static HostPort parse(final String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("expected host:port, got nothing");
        }
        final int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("expected host:port, got '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("IPv6 addresses need brackets, as in [::1]:7400; got '" + text + "'");
        }
        final int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException("port of '" + text + "' is not a number");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port of '" + text + "' is outside [1, 65535]");
        }
        if (host.isEmpty() || host.chars().anyMatch(c -> c <= 0x20 || c > 0x7E)) {
            throw new IllegalArgumentException("host of '" + text + "' must be printable ASCII without spaces");
        }
        return new HostPort(host, port);
    }

    public boolean isWildcard() {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("*");
    }

    public InetSocketAddress socketAddress() {
        return host.equals("*") ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
