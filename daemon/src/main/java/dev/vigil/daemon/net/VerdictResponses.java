package dev.vigil.daemon.net;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.vigil.crypto.verdict.VerdictCertificate;
import dev.vigil.daemon.core.LogIds;
import dev.vigil.daemon.verdict.VerdictBook;
import dev.vigil.storage.KeyValueStore;
import dev.vigil.storage.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What an observer of a convicted agent does about it, off the core's thread: POSTs the verdict as
 * JSON to {@code verdicts.webhook} (retried with backoff until it answers 2xx or the tries run out)
 * and runs {@code verdicts.command} with the same JSON on stdin (killed after its timeout). This is
 * where an operator isolates the agent or revokes its credentials.
 *
 * <p>Once per certificate: the command is marked as started in a store before it starts, so it never
 * runs twice for one verdict, also not after a restart (a crash while it runs leaves it not run again:
 * at most once). A webhook is marked when delivered; certificates whose webhook was not delivered
 * before a restart are queued again at start (at least once).
 *
 * <p>Convictions only: {@link VerdictHost} hands no operator release here (no webhook, no command);
 * undoing what the responses did to the agent is the operator's, who released it knowingly.
 *
 * <p>Bound: {@code queueMax} responses waiting; beyond, a response is dropped and counted (logged).
 */
final class VerdictResponses implements VerdictHost.Responses, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VerdictResponses.class);
    static final int WEBHOOK_TRIES_MAX = 8;

    record Settings(URI webhook, List<String> command, long commandTimeoutMs, int queueMax) {
    }

    private final Settings settings;
    private final KeyValueStore marks;
    private final ScheduledExecutorService webhooks = Executors.newSingleThreadScheduledExecutor(r -> thread(r, "vigil-webhook"));
    private final ExecutorService commands = Executors.newSingleThreadExecutor(r -> thread(r, "vigil-verdict-command"));
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger queued = new AtomicInteger();
    final AtomicLong webhooksDelivered = new AtomicLong();
    final AtomicLong webhooksFailed = new AtomicLong();
    final AtomicLong commandsRun = new AtomicLong();
    final AtomicLong commandsFailed = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();

    VerdictResponses(final Settings settings, final KeyValueStore marks) {
        this.settings = settings;
        this.marks = marks;
    }

    private static Thread thread(final Runnable r, final String name) {
        final Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    static String json(final VerdictCertificate c) {
        try {
            return ApiJson.MAPPER.writeValueAsString(new ApiJson.VerdictView(VerdictBook.Entry.of(c), "valid", c.toBase64()));
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException("a verdict did not serialise", e);
        }
    }

    /** At start: webhooks of held certificates that were never delivered go out again. */
    void resume(final VerdictBook book) {
        if (settings.webhook() == null) {
            return;
        }
        for (final VerdictBook.Entry e : book.list()) {
            final VerdictCertificate c = book.get(e.id());
            if (c != null && marked(c, "o") && !marked(c, "w")) {
                enqueueWebhook(c);
            }
        }
    }

    @Override
    public void onVerdict(final VerdictCertificate certificate, final boolean observed) {
        if (!observed) {
            return;
        }
        mark(certificate, "o");
        if (settings.webhook() != null) {
            enqueueWebhook(certificate);
        }
        if (settings.command() != null && !settings.command().isEmpty() && !marked(certificate, "c")) {
            if (queued.incrementAndGet() > settings.queueMax()) {
                queued.decrementAndGet();
                dropped.incrementAndGet();
                about(LOG.atWarn(), certificate).log("verdict {} on {}: response queue full ({}), command not run", certificate.verdict().id(),
                    LogIds.agent(certificate.verdict().agentId()), settings.queueMax());
                return;
            }
            mark(certificate, "c"); // before it runs: never twice, also not after a crash while it runs
            final String body = json(certificate);
            commands.execute(() -> {
                queued.decrementAndGet();
                runCommand(certificate.verdict().id(), body);
            });
        }
    }

    private void enqueueWebhook(final VerdictCertificate c) {
        if (queued.incrementAndGet() > settings.queueMax()) {
            queued.decrementAndGet();
            dropped.incrementAndGet();
            about(LOG.atWarn(), c).log("verdict {} on {}: response queue full ({}), webhook not sent", c.verdict().id(),
                LogIds.agent(c.verdict().agentId()), settings.queueMax());
            return;
        }
        final String body = json(c);
        webhooks.execute(() -> {
            queued.decrementAndGet();
            post(c, body, 1);
        });
    }

    private void post(final VerdictCertificate c, final String body, final int attempt) {
        final String id = c.verdict().id();
        int status = -1;
        String problem;
        try {
            final HttpResponse<Void> r = http.send(HttpRequest.newBuilder(settings.webhook()).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.discarding());
            status = r.statusCode();
            problem = status / 100 == 2 ? null : "HTTP " + status;
        } catch (final IOException e) {
            problem = e.toString();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (problem == null) {
            webhooksDelivered.incrementAndGet();
            mark(c, "w");
            return;
        }
        if (attempt >= WEBHOOK_TRIES_MAX) {
            webhooksFailed.incrementAndGet();
            about(LOG.atWarn(), c).log("verdict {} on {}: webhook {} failed {} times, last: {}; giving up", id,
                LogIds.agent(c.verdict().agentId()), settings.webhook(), attempt, problem);
            return;
        }
        final long delayMs = Math.min(60_000, 500L << (attempt - 1));
        about(LOG.atInfo(), c).log("verdict {} on {}: webhook {} failed ({}), try {} in {} ms", id, LogIds.agent(c.verdict().agentId()),
            settings.webhook(), problem, attempt + 1, delayMs);
        webhooks.schedule(() -> post(c, body, attempt + 1), delayMs, TimeUnit.MILLISECONDS);
    }

    private void runCommand(final String id, final String body) {
        try {
            final Process p = new ProcessBuilder(settings.command()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(body.getBytes(StandardCharsets.UTF_8));
            } catch (final IOException e) {
                // the command need not read its stdin
            }
            if (!p.waitFor(settings.commandTimeoutMs(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                commandsFailed.incrementAndGet();
                LOG.warn("verdict {}: command {} ran past {} ms and was killed", id, settings.command(), settings.commandTimeoutMs());
                return;
            }
            if (p.exitValue() == 0) {
                commandsRun.incrementAndGet();
                LOG.info("verdict {}: command {} done", id, settings.command());
            } else {
                commandsFailed.incrementAndGet();
                LOG.warn("verdict {}: command {} exited {}", id, settings.command(), p.exitValue());
            }
        } catch (final IOException e) {
            commandsFailed.incrementAndGet();
            LOG.warn("verdict {}: command {} did not start: {}", id, settings.command(), e.getMessage());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] key(final VerdictCertificate c, final String what) {
        return (what + "/" + c.verdict().id()).getBytes(StandardCharsets.US_ASCII);
    }

    private boolean marked(final VerdictCertificate c, final String what) {
        try {
            return marks.get(key(c, what)) != null;
        } catch (final StoreException e) {
            return true; // unsure: not running a command twice matters more than running it once
        }
    }

    private void mark(final VerdictCertificate c, final String what) {
        try {
            marks.put(key(c, what), new byte[] {1});
        } catch (final StoreException e) {
            about(LOG.atWarn(), c).log("verdict {} on {}: could not record its response ({}): {}", c.verdict().id(),
                LogIds.agent(c.verdict().agentId()), what, e.toString());
        }
    }

    @Override
    public void close() {
        webhooks.shutdownNow();
        commands.shutdownNow();
    }

    /** The verdict's agent as a key-value pair (a field of the JSON log lines). */
    private static LoggingEventBuilder about(final LoggingEventBuilder line, final VerdictCertificate c) {
        return line.addKeyValue(LogIds.KEY_AGENT, c.verdict().agentId());
    }
}
