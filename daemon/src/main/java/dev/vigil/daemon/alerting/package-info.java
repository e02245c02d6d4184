/**
 * Alerts into Prometheus Alertmanager: a local alarm and a fleet verdict on an agent this node
 * observes become alerts ({@link dev.vigil.daemon.alerting.AlertRules}), POSTed to every configured
 * Alertmanager's v2 API off the core's thread, re-sent while they hold and resolved when they end
 * ({@link dev.vigil.daemon.alerting.Alerting}, one {@link dev.vigil.daemon.alerting.AlertTarget} per
 * Alertmanager with its bounded queue, retries and counters). Slack, PagerDuty and the rest come from
 * Alertmanager's routing.
 */
package dev.vigil.daemon.alerting;
