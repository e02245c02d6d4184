/**
 * OTLP/HTTP trace ingest: {@code POST /v1/traces} (binary protobuf or OTLP JSON, optionally gzip)
 * is decoded, each span is reduced to {@link dev.vigil.daemon.ingest.otlp.SpanFacts}, and
 * {@link dev.vigil.daemon.ingest.otlp.SpanWindows} folds them into one raw feature vector per
 * agent and window for an {@link dev.vigil.daemon.ingest.ObservationSink}. The entry point is
 * {@link dev.vigil.daemon.ingest.otlp.OtlpHttpServer#bind}.
 */
package dev.vigil.daemon.ingest.otlp;
