/**
 * How behaviour gets in: the JSON observation API and OTLP/HTTP traces, both ending in an
 * {@link dev.vigil.daemon.ingest.ObservationSink}.
 */
package dev.vigil.daemon.ingest;
