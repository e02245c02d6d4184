package dev.vigil.simnet;

/**
 * A simulated process died inside a store write (see {@link CrashPoints}): thrown from the write
 * and caught only by the scenario's event that was running, which then crashes the host. Nothing
 * in between may run on, as nothing runs on in a process killed with kill -9, so this is an
 * {@link Error}: the daemon's handlers that catch {@link RuntimeException} (and count it as a bug
 * or a refusal) never see it.
 */
public final class ProcessKilled extends Error {
    private static final long serialVersionUID = 1L;
    private final CrashPoints.Kind kind;

    ProcessKilled(final CrashPoints.Kind kind, final String store, final byte[] key) {
        super("process killed " + kind.label + " in store " + store + " at key " + keyText(key), null, false, false);
        this.kind = kind;
    }

    /** The key as text when it is printable (the meta store's), else in hex. */
    private static String keyText(final byte[] key) {
        for (final byte b : key) {
            if (b < 0x20 || b > 0x7E) {
                return java.util.HexFormat.of().formatHex(key);
            }
        }
        return new String(key, java.nio.charset.StandardCharsets.US_ASCII);
    }

    public CrashPoints.Kind kind() {
        return kind;
    }
}
