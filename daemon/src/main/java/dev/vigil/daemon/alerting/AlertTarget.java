package dev.vigil.daemon.alerting;

import dev.vigil.daemon.config.AlertingSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * One Alertmanager: the alert updates waiting for it and the thread that POSTs them, one request at
 * a time, so it receives an alert's updates in the order they were made.
 *
 * <p><b>Queue.</b> Waiting updates are kept per alert: a newer update of an alert replaces the one
 * waiting (a resolution replaces the firing it ends), so an alert is never sent stale after its news.
 * At most {@code queueMax} alerts wait; beyond, the oldest waiting update is dropped (counted
 * {@code queue-full}) to make room. Oldest rather than newest: a firing alert dropped is queued again
 * at the next resend while it holds, and a dropped resolution still takes effect when the last
 * {@code endsAt} sent passes (Alertmanager resolves an alert not sent again by then), whereas refusing
 * the newest would keep stale resends and lose a fresh alarm.
 *
 * <p><b>Retries.</b> A POST that fails (no connection, a timeout, a 5xx, 408 or 429) leaves its updates
 * waiting (newer ones may replace them meanwhile) and is tried again after a backoff that starts at
 * {@code backoffMsMin} and doubles up to {@code backoffMsMax}; each failure is counted. An answer of
 * any other 4xx means Alertmanager refuses the alerts themselves: they are dropped (counted
 * {@code rejected}), since sending them again would refuse them again and hold up the rest.
 *
 * <p>Every update offered is counted in exactly one of: sent, dropped (by reason), replaced by a newer
 * update of its alert (also one replaced while its POST was in flight), or waiting (at close, lost:
 * firing alerts end at their {@code endsAt}); {@link Status#accountedFor} checks it.
 */
public final class AlertTarget implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertTarget.class);
    /** Alerts in one POST: about 0.5 KB each, so a request stays well under 1 MB. */
    static final int BATCH_ALERTS_MAX = 256;
    /** Characters of a refusing answer's body kept for the log and the status. */
    private static final int ERROR_CHARS_MAX = 200;

    private final URI base;
    private final URI endpoint;
    private final HttpClient http;
    private final int queueMax;
    private final long timeoutMs;
    private final long validForMs;
    private final long backoffMsMin;
    private final long backoffMsMax;
    private final LongSupplier nowMs;
    private final Thread thread;
    // guarded by this
    private final LinkedHashMap<String, Alert> waiting = new LinkedHashMap<>();
    private boolean closed;
    private long offered;
    private long replaced;
    private long sent;
    private long failedAttempts;
    private long droppedQueueFull;
    private long droppedRejected;
    private long backoffMs;
    private String lastError;
    private boolean dropping;

    /**
     * @param validForMs how long after it is sent a firing alert lasts unless sent again ({@code endsAt})
     */
    AlertTarget(final URI base, final HttpClient http, final int queueMax, final long timeoutMs, final long validForMs,
                final long backoffMsMin, final long backoffMsMax, final LongSupplier nowMs, final String threadName) {
        if (queueMax < 1 || timeoutMs < 1 || validForMs < 1 || backoffMsMin < 1 || backoffMsMax < backoffMsMin) {
            throw new IllegalArgumentException("queue " + queueMax + ", timeout " + timeoutMs + " ms, valid for " + validForMs
                + " ms, backoff " + backoffMsMin + ".." + backoffMsMax + " ms");
        }
        this.base = base;
        this.endpoint = AlertingSettings.endpoint(base);
        this.http = http;
        this.queueMax = queueMax;
        this.timeoutMs = timeoutMs;
        this.validForMs = validForMs;
        this.backoffMsMin = backoffMsMin;
        this.backoffMsMax = backoffMsMax;
        this.nowMs = nowMs;
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues an update of an alert (any thread; never blocks on the network). */
    synchronized void offer(final Alert alert) {
        if (closed) {
            return;
        }
        offered++;
        if (waiting.put(alert.key(), alert) != null) {
            replaced++;
        } else if (waiting.size() > queueMax) {
            final Iterator<Map.Entry<String, Alert>> oldest = waiting.entrySet().iterator();
            final Alert dropped = oldest.next().getValue();
            oldest.remove();
            droppedQueueFull++;
            if (!dropping) {
                dropping = true;
                LOG.warn("alertmanager {}: {} alert updates waiting, the most kept; dropping the oldest (first: {}) until it takes some",
                    base, queueMax, dropped.key());
            }
        }
        notifyAll();
    }

    private void run() {
        while (true) {
            final List<Alert> batch = new ArrayList<>();
            synchronized (this) {
                while (!closed && waiting.isEmpty()) {
                    if (!await(Long.MAX_VALUE)) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                for (final Alert a : waiting.values()) {
                    if (batch.size() == BATCH_ALERTS_MAX) {
                        break;
                    }
                    batch.add(a);
                }
            }
            final Attempt attempt = post(batch);
            if (attempt == null) {
                return; // interrupted: closing
            }
            synchronized (this) {
                int done = 0;
                if (attempt.delivered() || attempt.rejected()) {
                    for (final Alert a : batch) {
                        // unless a newer update of it came meanwhile: then this one counts as replaced
                        done += waiting.remove(a.key(), a) ? 1 : 0;
                    }
                }
                if (attempt.delivered()) {
                    sent += done;
                    if (failedAttempts > 0 && backoffMs > 0) {
                        LOG.info("alertmanager {}: reachable again, {} alerts sent", base, batch.size());
                    }
                    backoffMs = 0;
                    lastError = null;
                    dropping = false;
                    continue;
                }
                lastError = attempt.problem();
                if (attempt.rejected()) {
                    droppedRejected += done;
                    backoffMs = 0;
                    LOG.warn("alertmanager {}: refused {} alerts ({}); dropped", base, batch.size(), attempt.problem());
                    continue;
                }
                failedAttempts++;
                if (backoffMs == 0) {
                    LOG.warn("alertmanager {}: {} alerts not sent ({}); trying again with backoff up to {} ms", base, batch.size(),
                        attempt.problem(), backoffMsMax);
                }
                backoffMs = backoffMs == 0 ? backoffMsMin : Math.min(backoffMsMax, 2 * backoffMs);
                final long until = System.nanoTime() + backoffMs * 1_000_000;
                for (long left = backoffMs; !closed && left > 0; left = (until - System.nanoTime()) / 1_000_000) {
                    if (!await(left)) {
                        return;
                    }
                }
            }
        }
    }

    /** Waits on this (held); false when interrupted (closing). */
    private boolean await(final long ms) {
        try {
            if (ms == Long.MAX_VALUE) {
                wait();
            } else {
                wait(ms);
            }
            return true;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private record Attempt(boolean delivered, boolean rejected, String problem) {
    }

    /** @return what came of it; null when interrupted (closing) */
    private Attempt post(final List<Alert> batch) {
        final String body = AlertJson.body(batch, nowMs.getAsLong(), validForMs);
        try {
            final HttpResponse<String> r = http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofMillis(timeoutMs))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
            final int status = r.statusCode();
            if (status / 100 == 2) {
                return new Attempt(true, false, null);
            }
            final String answer = "HTTP " + status + " " + clip(r.body());
            return new Attempt(false, status / 100 == 4 && status != 408 && status != 429, answer);
        } catch (final IOException e) {
            return new Attempt(false, false, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String clip(final String s) {
        final String one = s == null ? "" : s.strip().replaceAll("\\s+", " ");
        return one.length() <= ERROR_CHARS_MAX ? one : one.substring(0, ERROR_CHARS_MAX) + "…";
    }

    /**
     * What became of the updates offered to one Alertmanager.
     *
     * @param offered        updates offered (firing, re-sent and resolved)
     * @param replaced       updates replaced while waiting by a newer update of the same alert
     * @param sent           alert updates Alertmanager took (2xx)
     * @param failedAttempts POSTs that failed and were tried again
     * @param dropped        updates dropped, by reason: {@code queue-full}, {@code rejected}
     * @param waiting        updates waiting now
     * @param backoffMs      the wait before the next try, 0 while the last POST went through
     * @param lastError      why the last POST failed, null after one went through
     */
    public record Status(String url, long offered, long replaced, long sent, long failedAttempts, Map<String, Long> dropped,
                         int waiting, long backoffMs, String lastError) {
        /** Every update offered is in exactly one of the other counts. */
        public boolean accountedFor() {
            return offered == replaced + sent + dropped.values().stream().mapToLong(Long::longValue).sum() + waiting;
        }
    }

    public synchronized Status status() {
        final Map<String, Long> dropped = new TreeMap<>();
        dropped.put("queue-full", droppedQueueFull);
        dropped.put("rejected", droppedRejected);
        return new Status(base.toString(), offered, replaced, sent, failedAttempts, dropped, waiting.size(), backoffMs, lastError);
    }

    /** Stops the thread; updates still waiting are not sent. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        thread.interrupt();
        try {
            thread.join(timeoutMs + 1_000);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
