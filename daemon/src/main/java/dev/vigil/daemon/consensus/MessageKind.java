package dev.vigil.daemon.consensus;

import java.util.Locale;

/** The first byte of every consensus message and of every signed part nested in one. */
public enum MessageKind {
    REQUEST(1),
    PRE_PREPARE(2),
    PREPARE(3),
    COMMIT(4),
    CHECKPOINT(5),
    VIEW_CHANGE(6),
    NEW_VIEW(7),
    STATE_REQUEST(8),
    STATE_REPLY(9),
    ACCUSATION(10),
    COMMITTED(11);

    /** The encoding version every message carries in its second byte; anything else is refused. */
    static final int VERSION = 1;
    private static final MessageKind[] BY_CODE = new MessageKind[16];

    static {
        for (final MessageKind k : values()) {
            BY_CODE[k.code] = k;
        }
    }

    public final int code;
    public final String label;

    MessageKind(final int code) {
        this.code = code;
        this.label = name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** @return the kind with this code, or {@code null} */
    static MessageKind of(final int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
