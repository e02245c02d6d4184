package dev.vigil.daemon.verdict;

import dev.vigil.crypto.Certificate;
import dev.vigil.daemon.consensus.CommitteeDirectory;
import dev.vigil.daemon.core.NodeCore;
import dev.vigil.daemon.tree.TreeNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link VerdictTree} over a node's core and its part of the fleet tree (same thread). */
public final class CoreVerdictTree implements VerdictTree {
    private final NodeCore core;
    private final Certificate self;

    public CoreVerdictTree(final NodeCore core, final Certificate self) {
        this.core = core;
        this.self = self;
    }

    @Override
    public List<Neighbour> neighbours() {
        final TreeNode tree = core.tree();
        final Map<Long, Neighbour> out = new LinkedHashMap<>();
        for (int level = 0; level <= tree.topLevel(); level++) {
            for (final TreeNode.NodeRef r : tree.memberRefsAt(level)) {
                final String address = r.address() != null ? r.address() : core.addressOf(r.id());
                if (r.id() != self.nodeId() && address != null) {
                    out.putIfAbsent(r.id(), new Neighbour(r.id(), address));
                }
            }
        }
        return new ArrayList<>(out.values());
    }

    @Override
    public boolean isRoot() {
        return core.tree().isRoot();
    }

    @Override
    public long rootId() {
        final TreeNode.NodeRef root = core.tree().root();
        return root == null ? 0 : root.id();
    }

    /** The root's clusters from the top level down: the upper levels' heads and members, this node first. */
    @Override
    public List<CommitteeDirectory.Candidate> candidates(final List<CommitteeDirectory.Candidate> previous, final int max) {
        final TreeNode tree = core.tree();
        final Map<Long, CommitteeDirectory.Candidate> out = new LinkedHashMap<>();
        out.put(self.nodeId(), new CommitteeDirectory.Candidate(self.nodeId(), self.publicKey().encoded(), selfAddress()));
        final java.util.Set<Long> alive = new java.util.HashSet<>();
        for (final long id : core.alivePeerIds()) {
            alive.add(id);
        }
        for (final CommitteeDirectory.Candidate c : previous) {
            if (out.size() < max && (alive.contains(c.nodeId()) || tree.knows(c.nodeId()))) {
                out.putIfAbsent(c.nodeId(), c);
            }
        }
        for (int level = tree.topLevel(); level >= 0 && out.size() < max; level--) {
            for (final TreeNode.NodeRef r : tree.memberRefsAt(level)) {
                if (out.size() >= max) {
                    break;
                }
                final Certificate c = core.certificateOf(r.id());
                final String address = r.address() != null ? r.address() : core.addressOf(r.id());
                if (c != null && address != null && !out.containsKey(r.id())) {
                    out.put(r.id(), new CommitteeDirectory.Candidate(r.id(), c.publicKey().encoded(), address));
                }
            }
        }
        return new ArrayList<>(out.values());
    }

    private String selfAddress() {
        return core.advertiseAddress();
    }

    @Override
    public Certificate selfCertificate() {
        return self;
    }
}
