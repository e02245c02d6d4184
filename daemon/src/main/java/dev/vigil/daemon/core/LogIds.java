package dev.vigil.daemon.core;

import dev.vigil.crypto.NodeIds;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The one form ids take in log lines, so that an operator can follow one peer or one agent through
 * every line with a single grep: {@code peer 8e99b7b2416d3d78 (127.0.0.1:7400)}, {@code node
 * 8e99b7b2416d3d78} (this node), {@code agent 'checkout-7'}. A node id is always its 16 hex digits
 * ({@link NodeIds#toHex}); an address is host:port without the resolver's leading slash. Pure
 * string helpers: the sans-I/O core uses them as well as the daemon.
 */
public final class LogIds {
    /** Key-value names the daemon adds to JSON log lines (SLF4J key-value pairs). */
    public static final String KEY_PEER = "peer";
    public static final String KEY_PEER_ADDRESS = "peer_address";
    public static final String KEY_AGENT = "agent";
    public static final String KEY_NODE = "node";

    private LogIds() {
    }

    /** {@code peer 8e99b7b2416d3d78}, or with its address where known: {@code peer 8e99b7b2416d3d78 (127.0.0.1:7400)}. */
    public static String peer(final long nodeId, final String address) {
        return "peer " + NodeIds.toHex(nodeId) + (address == null || address.isEmpty() ? "" : " (" + address + ")");
    }

    /**
     * A peer known by its address only (a connection before any frame named its sender, or a send
     * queue): {@code peer 8e99b7b2416d3d78 (127.0.0.1:7400)} when {@code nodeId} is known (not 0),
     * otherwise {@code peer of unknown id (127.0.0.1:7400)}.
     */
    public static String peerAt(final String address, final long nodeId) {
        return nodeId != 0 ? peer(nodeId, address) : "peer of unknown id (" + address + ")";
    }

    /** This node: {@code node 8e99b7b2416d3d78}. */
    public static String node(final long nodeId) {
        return "node " + NodeIds.toHex(nodeId);
    }

    /** The most characters of an outside string a log line shows; the rest is cut and marked. */
    static final int SHOWN_MAX = 160;

    /**
     * {@code agent 'checkout-7'}: quoted, since agent ids come from outside and may hold spaces. Ids
     * the ingest accepted are printable ASCII already; one that reached a log line some other way (a
     * refused operator command names whatever it was sent) has its other characters escaped as
     * a backslash-u and four hex digits and is cut at {@value #SHOWN_MAX} characters, so that no client can start a
     * line of its own in the log.
     */
    public static String agent(final String agentId) {
        return "agent '" + printable(agentId) + "'";
    }

    static String printable(final String s) {
        if (s == null) {
            return "null";
        }
        final StringBuilder b = new StringBuilder(Math.min(s.length(), SHOWN_MAX) + 8);
        for (int i = 0; i < s.length() && i < SHOWN_MAX; i++) {
            final char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '\\') {
                b.append(c);
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        if (s.length() > SHOWN_MAX) {
            b.append("…(").append(s.length()).append(" chars)");
        }
        return b.toString();
    }

    /** host:port, without the {@code /} that {@link InetSocketAddress#toString} puts before an unresolved host; null stays null. */
    public static String address(final SocketAddress address) {
        if (address instanceof InetSocketAddress a) {
            return (a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString()) + ":" + a.getPort();
        }
        return address == null ? null : address.toString();
    }
}
