package dev.vigil.daemon.consensus.evidence;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A committee's decision that an agent is compromised: what every honest replica computes, bit
 * for bit, when a committed request lifts the agent's posterior to the verdict level. The verdict
 * certificate ({@code dev.vigil.crypto.verdict}) is this decision signed by 2f + 1 replicas.
 *
 * @param agent         the agent
 * @param seq           the consensus sequence number of the batch that decided it
 * @param issuedAtMicros the deciding evidence batch's send time (replicated, so the same everywhere)
 * @param logOdds       prior plus the kept observers' clipped totals, summed exactly, rounded once
 * @param posterior     the stable sigmoid of {@code logOdds}
 * @param kept          the observers whose totals counted, ascending (unsigned) node id
 * @param trimmedLow    the f observers with the lowest totals, not counted
 * @param trimmedHigh   the f observers with the highest totals, not counted
 * @param versionDigest SHA-256 of the version vector (observer → highest dot applied) the decision
 *                      was made on; see {@link EvidenceState#versionVectorDigest()}
 */
public record Decision(String agent, long seq, long issuedAtMicros, double logOdds, double posterior,
                       List<Long> kept, List<Long> trimmedLow, List<Long> trimmedHigh, byte[] versionDigest) {
    public Decision {
        kept = List.copyOf(kept);
        trimmedLow = List.copyOf(trimmedLow);
        trimmedHigh = List.copyOf(trimmedHigh);
        versionDigest = versionDigest.clone();
        if (versionDigest.length != 32) {
            throw new IllegalArgumentException("version digest of " + versionDigest.length + " bytes, not 32");
        }
    }

    @Override
    public byte[] versionDigest() {
        return versionDigest.clone();
    }

    int encodedLength() {
        return 2 + agent.getBytes(StandardCharsets.UTF_8).length + 8 + 8 + 8 + 8
            + 3 * 2 + 8 * (kept.size() + trimmedLow.size() + trimmedHigh.size()) + 32;
    }

    void writeTo(final ByteBuffer b) {
        final byte[] id = agent.getBytes(StandardCharsets.UTF_8);
        b.putShort((short)id.length).put(id).putLong(seq).putLong(issuedAtMicros).putDouble(logOdds).putDouble(posterior);
        for (final List<Long> ids : List.of(kept, trimmedLow, trimmedHigh)) {
            b.putShort((short)ids.size());
            ids.forEach(b::putLong);
        }
        b.put(versionDigest);
    }

    static Decision readFrom(final ByteBuffer b) {
        final byte[] id = new byte[b.getShort() & 0xFFFF];
        b.get(id);
        final long seq = b.getLong();
        final long issuedAt = b.getLong();
        final double logOdds = b.getDouble();
        final double posterior = b.getDouble();
        final List<List<Long>> lists = new ArrayList<>(3);
        for (int l = 0; l < 3; l++) {
            final int n = b.getShort() & 0xFFFF;
            final List<Long> ids = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                ids.add(b.getLong());
            }
            lists.add(ids);
        }
        final byte[] digest = new byte[32];
        b.get(digest);
        return new Decision(new String(id, StandardCharsets.UTF_8), seq, issuedAt, logOdds, posterior, lists.get(0), lists.get(1), lists.get(2), digest);
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof Decision d && d.agent.equals(agent) && d.seq == seq && d.issuedAtMicros == issuedAtMicros
            && Double.doubleToRawLongBits(d.logOdds) == Double.doubleToRawLongBits(logOdds)
            && Double.doubleToRawLongBits(d.posterior) == Double.doubleToRawLongBits(posterior)
            && d.kept.equals(kept) && d.trimmedLow.equals(trimmedLow) && d.trimmedHigh.equals(trimmedHigh)
            && Arrays.equals(d.versionDigest, versionDigest);
    }

    @Override
    public int hashCode() {
        return agent.hashCode() * 31 + Long.hashCode(seq);
    }
}
