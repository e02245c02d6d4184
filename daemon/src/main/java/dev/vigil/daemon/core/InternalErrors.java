package dev.vigil.daemon.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bugs the core caught: an exception out of a handler for a frame that passed every check, or out
 * of a timer. Counted by code location (the innermost Vigil frame of the stack), so an operator
 * sees where, and each location is logged once, with its stack trace, by the caller.
 */
public final class InternalErrors {
    /** Locations counted apart at most; later ones are counted under {@link #OTHER}. */
    public static final int LOCATIONS_MAX = 64;
    public static final String OTHER = "other";
    private static final String OWN_PACKAGE = "dev.vigil.";

    private final Map<String, Long> byLocation = new LinkedHashMap<>();
    private long total;

    /**
     * Counts one at {@code location}.
     *
     * @return whether it is the first at that location (the caller logs it then)
     */
    boolean record(final String location) {
        total++;
        final String key = byLocation.containsKey(location) || byLocation.size() < LOCATIONS_MAX ? location : OTHER;
        final Long before = byLocation.merge(key, 1L, Long::sum) - 1;
        return before == 0;
    }

    public long total() {
        return total;
    }

    /** Location to count, first seen first. */
    public Map<String, Long> snapshot() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(byLocation));
    }

    /** Where {@code e} was thrown, as {@code Class.method:line} of the innermost Vigil frame (or the innermost frame). */
    public static String location(final Throwable e) {
        final StackTraceElement[] stack = e.getStackTrace();
        for (final StackTraceElement at : stack) {
            if (at.getClassName().startsWith(OWN_PACKAGE)) {
                return format(at);
            }
        }
        return stack.length > 0 ? format(stack[0]) : "unknown";
    }

    private static String format(final StackTraceElement at) {
        final String cls = at.getClassName();
        return cls.substring(cls.lastIndexOf('.') + 1) + "." + at.getMethodName() + ":" + at.getLineNumber();
    }
}
