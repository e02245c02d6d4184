package dev.vigil.daemon.detect;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Where an agent stands. Alarmed is sticky. In JSON: "normal", "suspect", "alarmed". */
public enum AgentStatus {
    NORMAL, SUSPECT, ALARMED;

    private final String label = name().toLowerCase(Locale.ROOT);

    @JsonValue
    public String label() {
        return label;
    }
}
