package dev.vigil.daemon.detect;

import java.util.Locale;

/** Where an agent stands. Alarmed is sticky: an operator releases it. */
public enum AgentStatus {
    NORMAL, SUSPECT, ALARMED;

    public final String label = name().toLowerCase(Locale.ROOT);
}
