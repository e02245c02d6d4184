/**
 * The daemon's I/O: Netty TCP between peers (length-prefixed frames, epoll when available),
 * the HTTP API, and {@link dev.vigil.daemon.net.Daemon}, which drives one node core from one
 * event loop. Handlers only delimit, copy and hand over bytes; all protocol logic is in the core.
 *
 * <p>{@code Daemon} owns the lifecycle and the hop onto the core's thread; its parts:
 * {@code DataDirLock} (one process per data directory), {@code NodeStores} (opens the stores,
 * the only one to close or abandon them), {@code Listeners} (peer, API and OTLP sockets),
 * {@code SummaryPublisher} and {@code StorageMaintenance} (the core's two timers),
 * {@code OperatorCommands} (signed, fresh, single-use releases). {@code ApiServer} routes HTTP
 * requests through one table and reaches the node only through {@code NodeApi}; its answers are
 * records ({@code ApiJson}, {@code StatusJson}, {@code TreeJson}). {@code InboundFrames} and
 * {@code PeerLinks} carry frames in and out; {@code LocalDaemons} starts throwaway daemons on loopback.
 */
package dev.vigil.daemon.net;
