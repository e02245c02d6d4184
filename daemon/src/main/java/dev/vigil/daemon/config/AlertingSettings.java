package dev.vigil.daemon.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

/**
 * The {@code alerting} section: where local alarms and fleet verdicts go as alerts (see
 * {@code dev.vigil.daemon.alerting}).
 *
 * @param alertmanagers    {@code alerting.alertmanager}: Alertmanager base URLs (every one gets every alert, as
 *                         Prometheus does for an Alertmanager cluster); empty: alerting is off
 * @param resendIntervalMs firing alerts are sent again this often, each valid for {@code 4 x} this
 * @param queueMax         alert updates waiting per Alertmanager, and alerts firing at once
 * @param timeoutMs        connect and answer timeout of one POST
 */
public record AlertingSettings(List<URI> alertmanagers, long resendIntervalMs, int queueMax, long timeoutMs) {
    /** More Alertmanagers than this is a mistake: an Alertmanager cluster has a handful. */
    public static final int ALERTMANAGERS_MAX = 16;
    /** Alertmanager's API path, below each base URL. */
    public static final String ALERTS_PATH = "/api/v2/alerts";

    public AlertingSettings {
        alertmanagers = List.copyOf(alertmanagers);
        if (alertmanagers.size() > ALERTMANAGERS_MAX || resendIntervalMs < 1 || queueMax < 1 || timeoutMs < 1) {
            throw new IllegalArgumentException("alerting settings out of range: " + alertmanagers.size() + " URLs, resend "
                + resendIntervalMs + " ms, queue " + queueMax + ", timeout " + timeoutMs + " ms");
        }
    }

    public static AlertingSettings defaults() {
        return new AlertingSettings(List.of(), 60_000, 1024, 10_000);
    }

    public boolean enabled() {
        return !alertmanagers.isEmpty();
    }

    /** Where alerts are POSTed for one base URL. */
    public static URI endpoint(final URI base) {
        return URI.create(base + ALERTS_PATH);
    }

    /** Why {@code text} is no Alertmanager base URL, or null when it is one. */
    static String urlProblem(final String text) {
        if (text == null || text.isBlank()) {
            return "expected an Alertmanager URL such as http://127.0.0.1:9093, got nothing";
        }
        if (!text.trim().startsWith("http://") && !text.trim().startsWith("https://")) {
            return "expected an http:// or https:// URL such as http://127.0.0.1:9093, got '" + text + "'";
        }
        final URI u;
        try {
            u = new URI(text.trim());
        } catch (final URISyntaxException e) {
            return "not a URL: " + e.getMessage();
        }
        if (u.getHost() == null) {
            return "no host in '" + text + "'";
        }
        if (u.getUserInfo() != null || u.getQuery() != null || u.getFragment() != null) {
            return "expected a base URL without user, query or fragment, got '" + text + "'";
        }
        final String path = u.getPath() == null ? "" : u.getPath();
        if (path.contains("/api/v1") || path.contains("/api/v2")) {
            return "expected Alertmanager's base URL (the daemon adds " + ALERTS_PATH + "), got '" + text + "'";
        }
        return null;
    }

    /** A valid base URL (see {@link #urlProblem}) without its trailing slashes. */
    static URI base(final String text) {
        String s = text.trim();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return URI.create(s);
    }
}
