package dev.vigil.daemon.detect;

/**
 * What an agent id and a role may be, the same for every ingest path: 1 to
 * {@value #ID_LENGTH_MAX} (role: {@value #ROLE_LENGTH_MAX}) printable ASCII characters, so they
 * are safe in logs, URLs and reports.
 */
public final class AgentIds {
    public static final int ID_LENGTH_MAX = 128;
    public static final int ROLE_LENGTH_MAX = 64;

    private AgentIds() {
    }

    public static boolean isValidId(final String s) {
        return printableAscii(s, ID_LENGTH_MAX);
    }

    public static boolean isValidRole(final String s) {
        return printableAscii(s, ROLE_LENGTH_MAX);
    }

    private static boolean printableAscii(final String s, final int lengthMax) {
        if (s == null || s.isEmpty() || s.length() > lengthMax) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }
}
