/**
 * {@code GET /metrics}: the daemon's counters in the Prometheus text format. Nothing here counts
 * anything: the core keeps its own counters on its thread, {@link dev.vigil.daemon.metrics.MetricsView}
 * copies them there once per scrape, and {@link dev.vigil.daemon.metrics.DaemonMetrics} hands
 * that copy to callback metrics in a registry of the daemon's own (several daemons share a JVM in
 * tests and the demo), with the JVM's metrics beside them.
 */
package dev.vigil.daemon.metrics;
