package dev.vigil.simnet.consensus;

import dev.vigil.daemon.consensus.Checkpoint;
import dev.vigil.daemon.consensus.LogRecord;
import dev.vigil.daemon.consensus.Message;
import dev.vigil.daemon.consensus.MessageKind;
import dev.vigil.daemon.consensus.Messages;
import dev.vigil.daemon.consensus.NewView;
import dev.vigil.daemon.consensus.Proposal;
import dev.vigil.daemon.consensus.ViewChange;
import dev.vigil.daemon.consensus.Vote;

import java.util.HexFormat;

/**
 * The persist-before-send check: every message a replica sends must depend only on records it
 * already persisted (a crash right after the send must not let it contradict the message).
 * Checked message by message against the set of records the node ever persisted.
 */
final class PersistOrder {
    private PersistOrder() {
    }

    static String key(final LogRecord r) {
        if (r instanceof LogRecord.Accepted a) {
            return vote("A", a.prePrepare());
        }
        if (r instanceof LogRecord.Prepared p) {
            return vote("P", p.certificate().prePrepare());
        }
        if (r instanceof LogRecord.OwnCheckpoint c) {
            return "C/" + c.seq() + "/" + hex(c.stateDigest());
        }
        if (r instanceof LogRecord.View v) {
            return "V/" + v.view() + "/" + v.changing();
        }
        return "X/" + r.getClass().getSimpleName() + "/" + r.seq();
    }

    private static String vote(final String tag, final Vote v) {
        return tag + "/" + v.view() + "/" + v.seq() + "/" + hex(v.digest());
    }

    private static String hex(final byte[] d) {
        return HexFormat.of().formatHex(d);
    }

    static void check(final SimNode node, final byte[] message, final ConsensusSim sim) {
        final Messages.Decoded d = Messages.decode(message, sim.limits);
        if (!d.ok()) {
            throw sim.fail("replica " + node.index + " sent a message that does not decode: " + d.refusal());
        }
        final Message m = d.message();
        if (m.sender() != node.key.nodeId()) {
            // forwarded to a replica left behind (a new-view, a proposal, commits): their signers' promises, not this replica's
            if (m instanceof NewView || m instanceof Proposal || m instanceof Vote) {
                return;
            }
            throw sim.fail("replica " + node.index + " sent a message signed as someone else");
        }
        if (m instanceof Proposal p) {
            need(node, vote("A", p.header()), m, sim);
        } else if (m instanceof Vote v && v.kind() == MessageKind.PREPARE) {
            need(node, vote("A", v), m, sim);
        } else if (m instanceof Vote v && v.kind() == MessageKind.COMMIT) {
            need(node, vote("P", v), m, sim);
        } else if (m instanceof Checkpoint c) {
            need(node, "C/" + c.seq() + "/" + hex(c.stateDigest()), m, sim);
        } else if (m instanceof ViewChange vc) {
            // leaving every view below w' > w promises what a view-change for w says
            if (node.viewPromised < vc.newView()) {
                throw sim.fail("PERSIST ORDER: replica " + node.index + " sent " + m + " having persisted leaving only views below "
                    + node.viewPromised);
            }
        } else if (m instanceof NewView nv) {
            need(node, "V/" + nv.view() + "/false", m, sim);
            for (final Vote pp : nv.prePrepares()) {
                if (pp.seq() > node.replica.status().h()) {
                    need(node, vote("A", pp), m, sim);
                }
            }
        }
    }

    private static void need(final SimNode node, final String key, final Message m, final ConsensusSim sim) {
        if (!node.persisted.contains(key)) {
            throw sim.fail("PERSIST ORDER: replica " + node.index + " sent " + m + " before persisting " + key);
        }
    }
}
