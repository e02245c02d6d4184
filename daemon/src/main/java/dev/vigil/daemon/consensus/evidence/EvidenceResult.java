package dev.vigil.daemon.consensus.evidence;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What one committed evidence request did to the committee state: the replicated result the
 * replica hands back with the delivery (the same bytes on every honest replica), from which the
 * driver answers the observer and learns the decisions.
 *
 * @param refusal       why the whole request was refused (its payload did not decode), or null
 * @param applied       records applied now, this request's and held ones it released
 * @param duplicates    records at or below the observer's applied dot, dropped
 * @param held          records of this observer now waiting for a gap to fill
 * @param refused       records refused by a bound (agents, observers per agent, held records); their
 *                      dots count as applied so that the observer's later records do not wait on them
 * @param nextExpected  the observer's next dot the committee waits for: on a gap, resend from here
 * @param decisions     verdict decisions this request caused, by agent id
 * @param released      the agent an operator release (a {@link ReleaseRequest}) released, or null: it
 *                      stands convicted no longer and its observers' totals start again at 0
 */
public record EvidenceResult(String refusal, int applied, int duplicates, int held, int refused,
                             long nextExpected, List<Decision> decisions, String released) {
    public EvidenceResult {
        decisions = List.copyOf(decisions);
    }

    static EvidenceResult refused(final String reason) {
        return new EvidenceResult(reason, 0, 0, 0, 0, 0, List.of(), null);
    }

    static EvidenceResult released(final String agent, final long nextExpected) {
        return released(agent, nextExpected, List.of());
    }

    /** @param decisions those the records that waited for this release caused once they went in */
    static EvidenceResult released(final String agent, final long nextExpected, final List<Decision> decisions) {
        return new EvidenceResult(null, 0, 0, 0, 0, nextExpected, decisions, agent);
    }

    public byte[] encode() {
        if (refusal != null) {
            final byte[] r = refusal.getBytes(StandardCharsets.UTF_8);
            final int n = Math.min(r.length, 1024);
            return ByteBuffer.allocate(1 + 2 + n).order(ByteOrder.LITTLE_ENDIAN).put((byte)1).putShort((short)n).put(r, 0, n).array();
        }
        if (released != null) {
            final byte[] a = released.getBytes(StandardCharsets.UTF_8);
            int n = 1 + 2 + a.length + 8 + 2;
            for (final Decision d : decisions) {
                n += d.encodedLength();
            }
            final ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN).put((byte)2).putShort((short)a.length).put(a)
                .putLong(nextExpected).putShort((short)decisions.size());
            decisions.forEach(d -> d.writeTo(b));
            return b.array();
        }
        int n = 1 + 4 * 4 + 8 + 2;
        for (final Decision d : decisions) {
            n += d.encodedLength();
        }
        final ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte)0).putInt(applied).putInt(duplicates).putInt(held).putInt(refused).putLong(nextExpected)
            .putShort((short)decisions.size());
        decisions.forEach(d -> d.writeTo(b));
        return b.array();
    }

    /** Reads a result this node's own replica produced (trusted bytes: no bounds beyond the format). */
    public static EvidenceResult decode(final byte[] bytes) {
        final ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        final int kind = b.get();
        if (kind == 1) {
            final byte[] r = new byte[b.getShort() & 0xFFFF];
            b.get(r);
            return refused(new String(r, StandardCharsets.UTF_8));
        }
        if (kind == 2) {
            final byte[] a = new byte[b.getShort() & 0xFFFF];
            b.get(a);
            final long next = b.getLong();
            final int n = b.getShort() & 0xFFFF;
            final List<Decision> decisions = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                decisions.add(Decision.readFrom(b));
            }
            return released(new String(a, StandardCharsets.UTF_8), next, decisions);
        }
        final int applied = b.getInt();
        final int duplicates = b.getInt();
        final int held = b.getInt();
        final int refused = b.getInt();
        final long next = b.getLong();
        final int n = b.getShort() & 0xFFFF;
        final List<Decision> decisions = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            decisions.add(Decision.readFrom(b));
        }
        return new EvidenceResult(null, applied, duplicates, held, refused, next, decisions, null);
    }
}
