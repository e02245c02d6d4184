package dev.vigil.daemon.config;

import dev.vigil.daemon.verdict.VerdictConfig;

import java.net.URI;
import java.util.List;

/**
 * The {@code verdicts} section: fleet verdicts themselves, how many certificates the node keeps,
 * and what it does when an agent it observes is convicted.
 *
 * @param fleet            committees, evidence and directory settings
 * @param certificatesMax  verdict certificates kept (the earliest issued dropped beyond)
 * @param webhook          POSTed each verdict on an agent this node observes, as JSON; null for none
 * @param command          run with the verdict's JSON on stdin, once per verdict; empty for none
 * @param commandTimeoutMs the command is killed after this
 * @param responseQueueMax webhook posts and commands waiting; beyond, dropped and counted
 */
public record VerdictSettings(VerdictConfig fleet, int certificatesMax, URI webhook, List<String> command, long commandTimeoutMs,
                              int responseQueueMax) {
    public static VerdictSettings defaults() {
        return new VerdictSettings(VerdictConfig.defaults(), 100_000, null, List.of(), 30_000, 1024);
    }
}
