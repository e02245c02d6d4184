package dev.vigil.daemon.ingest.otlp;

import io.netty.util.concurrent.EventExecutor;

import java.util.function.LongSupplier;

/**
 * What every connection of one server shares: the windows and the one executor they are confined
 * to, the clock, the limits and the counters.
 */
record IngestPath(SpanWindows windows, EventExecutor windowsExecutor, LongSupplier clockMicros,
                  OtlpHttpServer.Limits limits, IngestCounters counters) {
}
