package dev.vigil.daemon.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Times and durations as people type them in queries and on the command line: an instant is
 * {@code now}, {@code -7d} (before now), epoch seconds, or ISO-8601 ({@code 2026-11-21T10:00:00Z});
 * a duration is a number with a unit {@code s m h d} (or plain seconds).
 */
public final class TimeArgs {
    private TimeArgs() {
    }

    /** @throws IllegalArgumentException naming the value, when it is none of the forms */
    public static long instantMicros(final String field, final String value, final long nowMicros) {
        final String v = value.trim();
        if (v.equals("now")) {
            return nowMicros;
        }
        if (v.startsWith("-")) {
            return nowMicros - durationMicros(field, v.substring(1));
        }
        if (v.matches("\\d{1,12}")) {
            return Long.parseLong(v) * 1_000_000L;
        }
        try {
            final Instant i = Instant.parse(v);
            return i.getEpochSecond() * 1_000_000L + i.getNano() / 1_000;
        } catch (final DateTimeParseException e) {
            throw new IllegalArgumentException(field + " '" + value + "' is not now, -DURATION (e.g. -7d), epoch seconds or ISO-8601");
        }
    }

    /** @throws IllegalArgumentException naming the value, when it is not a positive duration */
    public static long durationMicros(final String field, final String value) {
        final String v = value.trim();
        final java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9})([smhd]?)").matcher(v);
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new IllegalArgumentException(field + " '" + value + "' is not a positive duration such as 90s, 15m, 1h or 7d");
        }
        final long n = Long.parseLong(m.group(1));
        final long unit = switch (m.group(2)) {
            case "m" -> 60;
            case "h" -> 3_600;
            case "d" -> 86_400;
            default -> 1;
        };
        return n * unit * 1_000_000L;
    }
}
