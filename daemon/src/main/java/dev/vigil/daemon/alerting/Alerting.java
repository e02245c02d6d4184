package dev.vigil.daemon.alerting;

import dev.vigil.daemon.config.AlertingSettings;
import dev.vigil.daemon.core.LogIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The node's alerts and where they go: the alerts firing now, sent to every configured Alertmanager
 * ({@link AlertTarget}, one each) when they start, again every resend interval while they hold, and
 * once more, resolved, when they end. The core's thread calls {@link #fire} and {@link #resolve}
 * (cheap: no I/O, a few map operations under a lock); the POSTs happen on the targets' threads and
 * the resends on a timer thread of this class's own.
 *
 * <p>Resending is what keeps an alert firing: Alertmanager ends an alert at its {@code endsAt}, which
 * each send puts {@value #VALID_INTERVALS} resend intervals ahead (Prometheus's rule for its own
 * alerts), so a missed resend or two changes nothing, and the alerts of a daemon that died end on
 * their own.
 *
 * <p>Bound: at most {@code queueMax} alerts fire at once; beyond, a new alert is refused, counted
 * and logged (dropping one that fires would tell Alertmanager, wrongly, that it ended).
 * With no Alertmanager configured, nothing is kept and no thread runs.
 */
public final class Alerting implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Alerting.class);
    /** A firing alert's {@code endsAt} is this many resend intervals after it is sent. */
    public static final int VALID_INTERVALS = 4;
    /** The first retry of a failed POST waits this long; later ones double it, up to the resend interval (and 30 s). */
    public static final long BACKOFF_MS_MIN = 500;
    static final long BACKOFF_MS_MAX = 30_000;

    private final AlertingSettings settings;
    private final LongSupplier nowMs;
    private final List<AlertTarget> targets = new ArrayList<>();
    private final ScheduledExecutorService resends;
    // guarded by this
    private final LinkedHashMap<String, Alert> firing = new LinkedHashMap<>();
    private long fired;
    private long resolved;
    private long resendRounds;
    private long refusedFiringFull;

    /** Alerting as configured; off (no threads) when no Alertmanager is. */
    public static Alerting start(final AlertingSettings settings) {
        return new Alerting(settings, System::currentTimeMillis, BACKOFF_MS_MIN);
    }

    /** @param backoffMsMin the first retry's wait (tests shorten it) */
    Alerting(final AlertingSettings settings, final LongSupplier nowMs, final long backoffMsMin) {
        this.settings = settings;
        this.nowMs = nowMs;
        if (!settings.enabled()) {
            this.resends = null;
            return;
        }
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(settings.timeoutMs())).build();
        final long backoffMsMax = Math.max(backoffMsMin, Math.min(BACKOFF_MS_MAX, settings.resendIntervalMs()));
        int i = 0;
        for (final URI url : settings.alertmanagers()) {
            targets.add(new AlertTarget(url, http, settings.queueMax(), settings.timeoutMs(),
                VALID_INTERVALS * settings.resendIntervalMs(), backoffMsMin, backoffMsMax, nowMs, "vigil-alerts-" + i++));
        }
        this.resends = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread t = new Thread(r, "vigil-alerts-resend");
            t.setDaemon(true);
            return t;
        });
        resends.scheduleAtFixedRate(this::resend, settings.resendIntervalMs(), settings.resendIntervalMs(), TimeUnit.MILLISECONDS);
        LOG.info("alerts go to Alertmanager at {}, re-sent every {} s", settings.alertmanagers(), settings.resendIntervalMs() / 1000.0);
    }

    public boolean enabled() {
        return settings.enabled();
    }

    /**
     * An alert starts (or, same key, changes): sent now, and again every resend interval until resolved.
     * Refused (counted) when {@code queueMax} others fire.
     */
    public synchronized void fire(final Alert alert) {
        if (!alert.firing()) {
            throw new IllegalArgumentException("alert " + alert.key() + " is resolved; resolve it by key");
        }
        if (!enabled()) {
            return;
        }
        if (!firing.containsKey(alert.key()) && firing.size() >= settings.queueMax()) {
            refusedFiringFull++;
            final String agent = alert.labels().get("agent");
            (agent == null ? LOG.atWarn() : LOG.atWarn().addKeyValue(LogIds.KEY_AGENT, agent))
                .log("alert {}{} not sent: {} alerts fire already, the most kept (alerting.queue_max)", alert.key(),
                    agent == null ? "" : " (" + LogIds.agent(agent) + ")", firing.size());
            return;
        }
        firing.put(alert.key(), alert);
        fired++;
        targets.forEach(t -> t.offer(alert));
    }

    /** The alert {@code key} ended now: sent resolved once, then forgotten. Nothing happens when it does not fire. */
    public synchronized void resolve(final String key) {
        final Alert alert = firing.remove(key);
        if (alert == null) {
            return;
        }
        resolved++;
        final Alert ended = alert.resolvedAt(nowMs.getAsLong());
        targets.forEach(t -> t.offer(ended));
    }

    /** Every firing alert once more to every target; under the lock, so a resolution never overtakes it. */
    synchronized void resend() {
        resendRounds++;
        for (final Alert a : firing.values()) {
            targets.forEach(t -> t.offer(a));
        }
    }

    /** Whether the alert {@code key} fires here. */
    public synchronized boolean firing(final String key) {
        return firing.containsKey(key);
    }

    /**
     * {@code alerting} in {@code /v1/status}.
     *
     * @param firing            alerts firing now
     * @param fired             alerts started (or changed)
     * @param resolved          alerts ended
     * @param refusedFiringFull alerts not started because {@code queue_max} others fired
     * @param alertmanagers     each Alertmanager's counters
     */
    public record Status(boolean enabled, double resendIntervalS, int firing, long fired, long resolved, long resendRounds,
                         long refusedFiringFull, List<AlertTarget.Status> alertmanagers) {
    }

    public Status status() {
        final List<AlertTarget.Status> each = new ArrayList<>(targets.size());
        targets.forEach(t -> each.add(t.status()));
        synchronized (this) {
            return new Status(enabled(), settings.resendIntervalMs() / 1000.0, firing.size(), fired, resolved, resendRounds,
                refusedFiringFull, each);
        }
    }

    /** Stops resending and sending; what waits is not sent (firing alerts end at their {@code endsAt}). */
    @Override
    public void close() {
        if (resends != null) {
            resends.shutdownNow();
        }
        targets.forEach(AlertTarget::close);
    }
}
