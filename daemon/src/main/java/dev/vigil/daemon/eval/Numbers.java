package dev.vigil.daemon.eval;

/** Recognising the plain decimal numbers the input files may hold. */
final class Numbers {
    private Numbers() {
    }

    /**
     * Whether {@code s} is {@code [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?}.
     * {@link Double#parseDouble} alone would also take "NaN", "Infinity", hex floats, a trailing
     * "d" or "f" and surrounding spaces, none of which belongs in these files.
     */
    static boolean isDecimal(final String s) {
        final int n = s.length();
        int at = 0;
        if (at < n && (s.charAt(at) == '+' || s.charAt(at) == '-')) {
            at++;
        }
        final int integerStart = at;
        at = skipDigits(s, at);
        int digits = at - integerStart;
        if (at < n && s.charAt(at) == '.') {
            final int fractionStart = ++at;
            at = skipDigits(s, at);
            digits += at - fractionStart;
        }
        if (digits == 0) {
            return false;
        }
        if (at < n && (s.charAt(at) == 'e' || s.charAt(at) == 'E')) {
            at++;
            if (at < n && (s.charAt(at) == '+' || s.charAt(at) == '-')) {
                at++;
            }
            final int exponentStart = at;
            at = skipDigits(s, at);
            if (at == exponentStart) {
                return false;
            }
        }
        return at == n;
    }

    /** Whether {@code s} is a non-empty run of ASCII digits. */
    static boolean isDigits(final String s) {
        return !s.isEmpty() && skipDigits(s, 0) == s.length();
    }

    private static int skipDigits(final String s, final int from) {
        int at = from;
        while (at < s.length() && s.charAt(at) >= '0' && s.charAt(at) <= '9') {
            at++;
        }
        return at;
    }
}
