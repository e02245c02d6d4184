package dev.vigil.daemon.core;

import dev.vigil.crypto.CertificateStatus;
import dev.vigil.crypto.NodeIds;
import dev.vigil.crypto.PrivateKey;
import dev.vigil.wire.FrameStatus;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What an operator is shown about refused senders: one entry per (sender, reason), one log line each. */
class RefusalsTest {
    private final CoreNet keys = new CoreNet(3);
    private final List<String> warnings = new ArrayList<>();
    private final Refusals refusals = new Refusals(new NodeLog() {
        @Override
        public void info(final String message) {
        }

        @Override
        public void warn(final String message) {
            warnings.add(message);
        }
    });

    private Frames.Sender sender(final String address) {
        final PrivateKey key = keys.key();
        return new Frames.Sender(key, keys.certify(key), address, 1);
    }

    @Test
    void aRefusedJoinIsListedWithItsAddressCountedAndLoggedOnce() {
        final Frames.Sender a = sender("10.0.0.1:7400");
        final String id = NodeIds.toHex(a.key.nodeId());
        final UnsafeBuffer join = new UnsafeBuffer(a.join(0));
        refusals.note(FrameStatus.BAD_CERTIFICATE, join, 0, CertificateStatus.WRONG_CA, 5);
        refusals.note(FrameStatus.BAD_CERTIFICATE, join, 0, CertificateStatus.WRONG_CA, 9);
        assertThat(refusals.list()).containsExactly(
            new NodeStatus.Refusal(id, "10.0.0.1:7400", "bad-certificate", "certificate wrong-ca", 2, 9));
        assertThat(warnings).containsExactly("refused join from peer " + id
            + " (10.0.0.1:7400): certificate wrong-ca (further refusals from this sender are counted, not logged)");
    }

    @Test
    void theDetailIsTheStatusWhenNoCertificateIsToBlameAndProbesCarryNoAddress() {
        final Frames.Sender a = sender("10.0.0.2:7400");
        final String id = NodeIds.toHex(a.key.nodeId());
        refusals.note(FrameStatus.CLOCK_SKEW, new UnsafeBuffer(a.ping(0, 1)), 0, null, 3);
        refusals.note(FrameStatus.SCHEMA_MISMATCH, new UnsafeBuffer(a.joinAccept(0, 0)), 0, null, 4);
        assertThat(refusals.list()).containsExactly(
            new NodeStatus.Refusal(id, null, "clock-skew", "clock-skew", 1, 3),
            new NodeStatus.Refusal(id, "10.0.0.2:7400", "schema-mismatch", "schema-mismatch", 1, 4));
        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(0)).isEqualTo("refused ping from peer " + id + ": clock-skew"
            + " (further refusals from this sender are counted, not logged)");
    }

    @Test
    void refusalsThatNameNoOneAreNotListed() {
        final UnsafeBuffer ping = new UnsafeBuffer(sender("10.0.0.3:7400").ping(0, 1));
        for (final FrameStatus s : new FrameStatus[] {FrameStatus.OK, FrameStatus.REPLAYED, FrameStatus.UNKNOWN_SENDER,
            FrameStatus.TRUNCATED, FrameStatus.MALFORMED_BODY}) {
            refusals.note(s, ping, 0, null, 1);
        }
        assertThat(refusals.list()).isEmpty();
        assertThat(warnings).isEmpty();
    }

    @Test
    void onlyTheMostRecentSixteenSendersAreKeptAndARepeatMovesToTheEnd() {
        final List<String> ids = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            final Frames.Sender s = sender("10.1.0." + i + ":7400");
            ids.add(NodeIds.toHex(s.key.nodeId()));
            refusals.note(FrameStatus.BAD_SIGNATURE, new UnsafeBuffer(s.ping(0, 1)), 0, null, i);
        }
        assertThat(refusals.list()).hasSize(16);
        assertThat(refusals.list().get(0).nodeId()).isEqualTo(ids.get(1));
        refusals.malformed(7L, "10.9.0.1:7400", "tree-view body of 3 bytes", 40);
        refusals.malformed(7L, "10.9.0.1:7400", "tree-view body of 3 bytes", 41);
        assertThat(refusals.list()).hasSize(16);
        assertThat(refusals.list().get(0).nodeId()).isEqualTo(ids.get(2));
        assertThat(refusals.list().get(15)).isEqualTo(new NodeStatus.Refusal(NodeIds.toHex(7L), "10.9.0.1:7400", "malformed",
            "tree-view body of 3 bytes", 2, 41));
        assertThat(warnings.get(warnings.size() - 1))
            .isEqualTo("refused a malformed tree-view body of 3 bytes from peer " + NodeIds.toHex(7L) + " (10.9.0.1:7400)");
        assertThat(warnings).hasSize(18);
        refusals.malformed(8L, null, "x", 42);
        assertThat(warnings.get(warnings.size() - 1)).isEqualTo("refused a malformed x from peer " + NodeIds.toHex(8L));
    }
}
