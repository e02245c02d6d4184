package dev.vigil.daemon.tree;

import dev.vigil.crypto.NodeIds;
import dev.vigil.daemon.aggregate.Summary;
import dev.vigil.daemon.core.NodeLog;
import dev.vigil.daemon.stats.Moments;
import dev.vigil.wire.TreeWire;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * What this node's part of the tree remembers, shared by the sub-protocols: its cluster at every
 * level ({@code levels[l]} is null while it is in none there), its pending descents, the root it
 * knows of, its own statistics and the fleet baseline, plus the one random generator, outbox and
 * log they all use. The node keeps no clock: every input brings the time, in microseconds.
 */
final class TreeState {
    /** A time that was never set: far enough in the past that any interval since it has passed. */
    static final long NEVER = Long.MIN_VALUE / 2;
    static final int LEVELS = TreeWire.LEVELS_MAX;
    /** The root id a refer carries when its sender knows of no root. */
    static final long NO_ROOT = 0;
    /** Refusals kept for the status; the oldest goes first. */
    static final int REFUSALS_KEPT = 32;

    final TreeConfig config;
    final long selfId;
    final String selfAddress;
    final List<String> bootstrap;
    final Vivaldi vivaldi;
    final RandomGenerator random;
    final NodeLog log;
    final TreeNode.Outbox outbox;
    final TreeCounters counters = new TreeCounters();
    final Cluster[] levels = new Cluster[LEVELS];
    final Seek[] seeks = new Seek[LEVELS];
    private final ArrayDeque<String> refusals = new ArrayDeque<>();
    private final List<BoundedMap<?, ?>> bounded = new ArrayList<>();

    TreeNode.NodeRef root;
    long startMicros = NEVER;
    boolean stopped;
    private long versionBase;
    private long versionCounter;
    private long probeCounter;
    Moments localMoments;
    long localAgents;
    /** The most members a cluster this node headed held after an input (see {@link TreeNode#clusterSizeMax()}). */
    int clusterSizeMax;
    /** The fleet baseline: the root's merge, as computed here (root) or passed down to us. */
    Summary fleet;
    TreeNode.Observer observer;
    /** Fault injection (lying-head scenario): the factor a forging head multiplies its upward count by. */
    double forgeFactor = 1.0;
    /** Fault injection (tests of the bug path): the next frame of this type throws in its handler; null: none. */
    dev.vigil.wire.MessageType bugOn;

    TreeState(final TreeConfig config, final long selfId, final String selfAddress, final List<String> bootstrap,
              final Vivaldi vivaldi, final RandomGenerator random, final NodeLog log, final TreeNode.Outbox outbox) {
        this.config = config;
        this.selfId = selfId;
        this.selfAddress = selfAddress;
        this.bootstrap = List.copyOf(bootstrap);
        this.vivaldi = vivaldi;
        this.random = random;
        this.log = log;
        this.outbox = outbox;
        this.localMoments = new Moments(config.dimension());
    }

    void start(final long nowMicros) {
        startMicros = nowMicros;
        versionBase = nowMicros;
    }

    /** Started and not stopped: inputs are acted on. */
    boolean running() {
        return !stopped && startMicros != NEVER;
    }

    /** A bounded map, reported with the others in the status. */
    <K, V> BoundedMap<K, V> boundedMap(final String name, final int max) {
        final BoundedMap<K, V> map = new BoundedMap<>(name, max);
        bounded.add(map);
        return map;
    }

    List<TreeStatus.Bound> bounds() {
        return bounded.stream().map(BoundedMap::status).toList();
    }

    Cluster newCluster(final int level) {
        return new Cluster(level, selfId, config.dimension(), config.b());
    }

    /** A fresh cluster at {@code level} headed by this node and holding only it. */
    Cluster newClusterOfOne(final int level) {
        final Cluster c = newCluster(level);
        c.setHead(selfId);
        c.headAddress = selfAddress;
        c.epoch = 1;
        c.members.put(selfId, new Member(selfId, selfAddress, vivaldi.coordinate()));
        return c;
    }

    /** Whether this node heads its cluster at {@code level - 1}: the one thing that earns a place at {@code level}. */
    boolean headsBelow(final int level) {
        return level > 0 && levels[level - 1] != null && levels[level - 1].isHead();
    }

    /** Whether this node may be in a cluster at {@code level}: everyone at 0, heads of the level below above it. */
    boolean mayHoldLevel(final int level) {
        return level == 0 || headsBelow(level);
    }

    boolean isRootHere() {
        return root != null && root.id() == selfId;
    }

    /** The highest level this node is in; the tree's top level when this node is the root. */
    int topLevel() {
        int top = -1;
        for (int l = 0; l < LEVELS; l++) {
            if (levels[l] != null) {
                top = l;
            }
        }
        if (top >= 0 && levels[top] != null && !levels[top].isHead()) {
            return Math.max(top, levels[top].topLevel);
        }
        return Math.max(top, 0);
    }

    /** Views carry the top level: the next view refresh of every cluster we head passes it on. */
    void refreshTopLevels() {
        for (final Cluster c : levels) {
            if (c != null && c.isHead()) {
                c.viewChanged();
            }
        }
    }

    /** The heads above a cluster at {@code level}: the head of level+1 first, the root last. */
    List<TreeNode.NodeRef> chainAbove(final int level) {
        final Cluster up = level + 1 < LEVELS ? levels[level + 1] : null;
        if (up == null) {
            // a member, or a head not yet admitted one level up: the chain its last view named
            final Cluster c = levels[level];
            return c != null ? c.chain : List.of();
        }
        final List<TreeNode.NodeRef> chain = new ArrayList<>();
        if (up.headAddress == null) {
            return up.isHead() ? chainAbove(level + 1) : up.chain; // the head's address is not known yet
        }
        chain.add(new TreeNode.NodeRef(up.headId(), up.headAddress));
        chain.addAll(up.isHead() ? chainAbove(level + 1) : up.chain);
        return chain;
    }

    /** {@code id} as listed in the lowest of our clusters that lists it, or null. */
    Member memberAnywhere(final long id) {
        for (final Cluster c : levels) {
            final Member m = c == null ? null : c.members.get(id);
            if (m != null) {
                return m;
            }
        }
        return null;
    }

    boolean isDeadOrSuspect(final long id) {
        for (final Cluster c : levels) {
            if (c != null) {
                final Member m = c.members.get(id);
                if (m != null && !m.isAlive()) {
                    return true;
                }
            }
        }
        return false;
    }

    long selfIncarnation(final Cluster c) {
        final Member me = c.members.get(selfId);
        return me == null ? 0 : me.incarnation;
    }

    long selfIncarnation(final int level) {
        if (level >= LEVELS) {
            return 0;
        }
        final Cluster c = levels[level];
        return c == null ? 0 : selfIncarnation(c);
    }

    /** A member's coordinate as we know it; ours is always the current one. */
    VivaldiCoordinate coordinateOf(final Member m) {
        return m.id == selfId ? vivaldi.coordinate() : m.coordinate;
    }

    Map<Long, VivaldiCoordinate> coordinatesOf(final Cluster c) {
        final Map<Long, VivaldiCoordinate> out = new HashMap<>();
        for (final Member m : c.members.values()) {
            out.put(m.id, coordinateOf(m));
        }
        return out;
    }

    /** The next version of a contribution of ours: boot time plus a counter, so a restart never goes back. */
    long nextVersion() {
        return versionBase + ++versionCounter;
    }

    long nextProbeId() {
        return ++probeCounter;
    }

    long jitter(final long bound) {
        return bound <= 0 ? 0 : random.nextLong(bound);
    }

    /** A tree body that breaks the protocol's rules: counted, and kept among the refusals the status shows. */
    void malformed(final String type, final long senderId, final String why) {
        counters.malformed++;
        refuse("malformed " + type + " from " + hex(senderId) + ": " + why);
    }

    void refuse(final String what) {
        if (refusals.size() >= REFUSALS_KEPT) {
            refusals.removeFirst();
        }
        refusals.addLast(what);
    }

    List<String> refusals() {
        return List.copyOf(refusals);
    }

    static String hex(final long id) {
        return NodeIds.toHex(id);
    }
}
