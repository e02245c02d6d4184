/**
 * The daemon's I/O: Netty TCP between peers (length-prefixed frames, epoll when available),
 * the HTTP API, and {@link dev.vigil.daemon.net.Daemon}, which drives one node core from one
 * event loop. Handlers only delimit, copy and hand over bytes; all protocol logic is in the core.
 */
package dev.vigil.daemon.net;
