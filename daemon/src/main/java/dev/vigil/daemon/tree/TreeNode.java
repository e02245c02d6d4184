package dev.vigil.daemon.tree;

import dev.vigil.daemon.aggregate.Summary;
import dev.vigil.daemon.core.NodeLog;
import dev.vigil.daemon.stats.Moments;
import dev.vigil.wire.MessageType;
import dev.vigil.wire.WireWriter;
import org.agrona.DirectBuffer;

import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

import static dev.vigil.daemon.tree.TreeState.hex;

/**
 * This node's part of the fleet tree: its cluster at every level it belongs to, the head chain
 * above it, SWIM failure detection inside those clusters, and the versioned statistics that flow
 * up (contributions) and down (the fleet baseline). Sans-I/O and single-threaded like the rest
 * of the node core, which feeds it frames and ticks.
 *
 * <p><b>Shape.</b> Level 0 clusters hold every node. The head of a level-L cluster is also a
 * member of a level L+1 cluster; the single cluster at the top level is headed by the root. A
 * head owns its cluster's view (members, epoch, chain of heads above) and sends it to the
 * members on change and every view refresh.
 *
 * <p><b>Where things are.</b> This class is the public face: inputs, the order of a tick, and
 * the dispatch of messages to the sub-protocols, which share one {@link TreeState}:
 * <ul>
 *   <li>{@link Descent}: joining by descending from the root; answering descents; relocation.</li>
 *   <li>{@link ClusterViews}: views out and in ({@code accepts}, {@code apply}); leaving a cluster.</li>
 *   <li>{@link HeadDuties}: admitting, splitting an overfull cluster, merging an underfull one.</li>
 *   <li>{@link Swim}, {@link Suspicion}, {@link LocalHealth}: failure detection inside clusters.</li>
 *   <li>{@link HeadElection}: replacing a gone head.</li>
 *   <li>{@link Introductions}: when our certificate travels with a frame.</li>
 *   <li>{@link Contributions}: statistics up, the fleet baseline down.</li>
 *   <li>{@link HeadVerification} and {@link Quarantine}: members recompute their head's merge and
 *       replace a head that lies; contributors left out of merges.</li>
 *   <li>{@link TreeStatusView}: what operators and checkers read.</li>
 * </ul>
 */
public final class TreeNode {
    /** How frames leave: a writer for the body, then send. */
    public interface Outbox {
        /** A writer at the start of a message body of at most {@code bodyLengthMax} bytes. */
        WireWriter begin(int bodyLengthMax, boolean introduce);

        void send(String address, MessageType type, WireWriter body);
    }

    /** Notified on the root when the fleet aggregate changes (simnet measures propagation with it). */
    public interface Observer {
        void fleetChanged(TreeNode node, long nowMicros);
    }

    /** A node id with the address to reach it. */
    public record NodeRef(long id, String address) {
    }

    static final int LEVELS = TreeState.LEVELS;

    private final TreeState state;
    private final Descent descent;
    private final ClusterViews views;
    private final HeadDuties headDuties;
    private final HeadElection election;
    private final Swim swim;
    private final Suspicion suspicion;
    private final Introductions introductions;
    private final Contributions contributions;
    private final HeadVerification verification;
    private final Quarantine quarantine;
    private final TreeStatusView statusView;

    public TreeNode(
        final TreeConfig config, final long selfId, final String selfAddress, final List<String> bootstrap,
        final Vivaldi vivaldi, final RandomGenerator random, final NodeLog log, final Outbox outbox) {
        this.state = new TreeState(config, selfId, selfAddress, bootstrap, vivaldi, random, log, outbox);
        this.descent = new Descent(state, this);
        this.views = new ClusterViews(state, this);
        this.headDuties = new HeadDuties(state, this);
        this.election = new HeadElection(state, this);
        this.swim = new Swim(state, this);
        this.suspicion = new Suspicion(state, this);
        this.introductions = new Introductions(state, this);
        this.contributions = new Contributions(state, this);
        this.verification = new HeadVerification(state, this);
        this.quarantine = new Quarantine(state);
        this.statusView = new TreeStatusView(state, this);
    }

    // ---------------------------------------------------------------- inputs

    /** Starts the node's part: founds the tree without bootstrap addresses, else joins after the join delay. */
    public void start(final long nowMicros) {
        state.start(nowMicros);
        if (state.bootstrap.isEmpty()) {
            state.levels[0] = state.newClusterOfOne(0);
            state.root = new NodeRef(state.selfId, state.selfAddress);
            state.log.info("tree: " + hex(state.selfId) + " founds the tree");
        } else {
            final Seek seek = new Seek(0);
            seek.deadlineMicros = nowMicros + state.config.joinDelayMicros();
            seek.backoffMicros = state.config.seekTimeoutMicros();
            state.seeks[0] = seek;
        }
    }

    /** This node's own statistics changed (its agents' current window): sent up at the next flush. */
    public void setLocalSummary(final Moments moments, final long agentCount, final long nowMicros) {
        if (moments.dimension() != state.config.dimension()) {
            throw new IllegalArgumentException("local summary of dimension " + moments.dimension() + ", tree uses "
                + state.config.dimension());
        }
        state.localMoments = moments.copy();
        state.localAgents = agentCount;
        if (state.levels[0] != null) {
            state.levels[0].contributionDirty = true;
            contributions.flush(0, nowMicros);
        }
        checkInvariants();
    }

    public void setObserver(final Observer observer) {
        state.observer = observer;
    }

    /** Fault injection for simnet and tests: this node, as a head, inflates the count it sends up. */
    public void forgeUpwardCounts(final double factor) {
        state.forgeFactor = factor;
    }

    /**
     * Fault injection for simnet and tests of the bug path: the handler of the next frame of {@code type}
     * throws, as a defect there would (the core counts it as an internal error; simnet fails the run).
     */
    public void injectBug(final MessageType type) {
        state.bugOn = type;
    }

    /** Tells every cluster this node leaves them (shutdown). */
    public void shutdown(final long nowMicros) {
        if (state.stopped) {
            return;
        }
        for (final Cluster c : state.levels) {
            if (c != null) {
                views.leave(c);
            }
        }
        state.stopped = true;
    }

    public void onTick(final long nowMicros) {
        if (!state.running()) {
            return;
        }
        try {
            tick(nowMicros);
            checkInvariants();
        } catch (final RuntimeException e) {
            throw bug(e);
        }
    }

    /**
     * One tick: pending introductions, then the structure (a place at level l belongs to the head of a
     * level l-1 cluster), then every pending descent, then each of our clusters from the bottom up:
     * the head's silence, relocation, probing, suspicions, head duties, and what goes up and down.
     */
    private void tick(final long nowMicros) {
        introductions.tick(nowMicros);
        for (int l = 1; l < LEVELS; l++) {
            if ((state.levels[l] != null || state.seeks[l] != null) && !state.headsBelow(l)) {
                // we head no level l-1 cluster (any more)
                if (state.levels[l] != null) {
                    state.log.info("tree: " + hex(state.selfId) + " heads no level " + (l - 1) + " cluster; leaves its level "
                        + l + " cluster");
                    state.counters.stale++;
                    views.dropLevel(l, nowMicros, true);
                }
                state.seeks[l] = null;
            }
        }
        for (int l = 0; l < LEVELS; l++) {
            final Seek seek = state.seeks[l];
            if (seek != null) {
                descent.tick(seek, nowMicros);
            }
        }
        for (int l = 0; l < LEVELS; l++) {
            final Cluster c = state.levels[l];
            if (c == null) {
                continue;
            }
            if (!c.isHead() && nowMicros - c.viewReceivedMicros > 3 * state.config.viewRefreshMicros() + state.config.seekTimeoutMicros()) {
                // our head stopped sending views: we were dropped without hearing it, or it is gone
                state.counters.stale++;
                state.log.info("tree: " + hex(state.selfId) + " heard no level " + l + " view from " + hex(c.headId()) + " for "
                    + (nowMicros - c.viewReceivedMicros) / 1000 + " ms; finding a place again");
                views.dropLevel(l, nowMicros, true);
                if (state.mayHoldLevel(l)) {
                    descent.startSeek(l, 0, nowMicros);
                }
                continue;
            }
            descent.maybeRelocate(c, nowMicros);
            swim.tick(c, nowMicros);
            suspicion.expire(c, nowMicros);
            if (state.levels[l] != c) {
                continue; // the cluster dissolved or changed hands while handling failures
            }
            if (c.isHead()) {
                headDuties.tick(c, nowMicros);
            }
            if (state.levels[l] == c) {
                contributions.flush(l, nowMicros);
                contributions.flushBaseline(c, nowMicros);
            }
        }
    }

    /**
     * A verified tree or stat-update frame from {@code senderId}. A body that breaks the protocol's
     * rules is refused and counted by reason; an exception out of here is a bug (see {@link #bug}).
     */
    public void onMessage(final MessageType type, final long senderId, final String senderAddress,
                          final DirectBuffer buffer, final int bodyOffset, final int bodyLength, final long nowMicros) {
        if (!state.running()) {
            return;
        }
        try {
            if (type == state.bugOn) {
                state.bugOn = null;
                throw new IllegalStateException("injected bug in the " + type.label + " handler");
            }
            // the frame decoder checked each body's structure with its flyweight; handlers check the protocol's rules
            switch (type) {
                case TREE_DESCEND -> descent.onDescend(senderId, senderAddress, buffer, bodyOffset);
                case TREE_REFER -> descent.onRefer(senderId, senderAddress, buffer, bodyOffset, bodyLength, nowMicros);
                case TREE_ADMIT -> headDuties.onAdmit(senderId, senderAddress, buffer, bodyOffset, nowMicros);
                case TREE_VIEW -> views.onView(senderId, buffer, bodyOffset, bodyLength, nowMicros);
                case TREE_MERGE -> headDuties.onMerge(senderId, buffer, bodyOffset, bodyLength, nowMicros);
                case TREE_PING -> swim.onPing(senderId, senderAddress, buffer, bodyOffset, nowMicros);
                case TREE_ACK -> swim.onAck(senderId, buffer, bodyOffset, nowMicros);
                case TREE_PING_REQ -> swim.onPingReq(senderId, senderAddress, buffer, bodyOffset, bodyLength, nowMicros);
                case TREE_SUSPECT -> swim.onSuspect(senderId, buffer, bodyOffset, nowMicros);
                case TREE_ANNOUNCE -> verification.onAnnounce(senderId, buffer, bodyOffset, bodyLength, nowMicros);
                case TREE_CHALLENGE -> verification.onChallenge(senderId, buffer, bodyOffset, nowMicros);
                case TREE_BASELINE -> contributions.onBaseline(senderId, buffer, bodyOffset, bodyLength, nowMicros);
                case TREE_INTRODUCE_REQUEST -> introductions.onIntroduceRequest(senderId, buffer, bodyOffset, nowMicros);
                case STAT_UPDATE -> contributions.onContribution(senderId, buffer, bodyOffset, bodyLength, nowMicros);
                default -> state.counters.ignored++;
            }
            checkInvariants();
        } catch (final RuntimeException e) {
            // the body passed its structural check and every rule a handler checks: what threw is a bug
            throw bug(e);
        }
    }

    /**
     * A defect, not hostile input (hostile input is refused by name before it changes anything):
     * counted here, and handed to the core, which logs it once per code location with its stack
     * trace and goes on (in simnet it fails the run).
     */
    private RuntimeException bug(final RuntimeException e) {
        state.counters.internalErrors++;
        return e;
    }

    /**
     * After every input: the size of each cluster this node heads is measured where it changes (a
     * cluster over B after an input is counted: admission splits at once, so only a path that grows a
     * cluster without splitting gets there), then the invariants when they are checked.
     */
    private void checkInvariants() {
        for (final Cluster c : state.levels) {
            if (c != null && c.isHead()) {
                final int size = c.members.size();
                if (size > state.clusterSizeMax) {
                    state.clusterSizeMax = size;
                }
                if (size > state.config.b()) {
                    state.counters.clustersOverB++;
                }
            }
        }
        if (state.config.checkInvariants()) {
            TreeInvariants.check(state);
        }
    }

    /**
     * The core could not verify a tree frame from {@code senderId} (we hold no certificate for it): a
     * member of ours is asked to introduce itself again (see {@link Introductions#onUnknownSender}).
     */
    public void onUnknownSender(final long senderId, final long nowMicros) {
        if (state.running()) {
            introductions.onUnknownSender(senderId, nowMicros);
            checkInvariants();
        }
    }

    // ---------------------------------------------------------------- the sub-protocols, for each other

    /** The shared state (the sub-protocols hold it already; tests in this package read and arrange it). */
    TreeState state() {
        return state;
    }

    Descent descent() {
        return descent;
    }

    ClusterViews views() {
        return views;
    }

    HeadDuties headDuties() {
        return headDuties;
    }

    HeadElection election() {
        return election;
    }

    Swim swim() {
        return swim;
    }

    Suspicion suspicion() {
        return suspicion;
    }

    Introductions introductions() {
        return introductions;
    }

    Contributions contributions() {
        return contributions;
    }

    HeadVerification verification() {
        return verification;
    }

    Quarantine quarantine() {
        return quarantine;
    }

    // ---------------------------------------------------------------- views for operators and checkers

    /** The highest level this node is in; the tree's top level when this node is the root. */
    public int topLevel() {
        return state.topLevel();
    }

    public boolean isRoot() {
        return state.isRootHere() && state.levels[0] != null;
    }

    /** Whether this node has a level-0 cluster. */
    public boolean isPlaced() {
        return state.levels[0] != null;
    }

    public long selfId() {
        return state.selfId;
    }

    /** Whether {@code id} is in one of our clusters or on our head chain (its certificate must stay remembered). */
    public boolean knows(final long id) {
        for (final Cluster c : state.levels) {
            if (c != null) {
                if (c.members.containsKey(id)) {
                    return true;
                }
                for (final NodeRef ref : c.chain) {
                    if (ref.id() == id) {
                        return true;
                    }
                }
            }
        }
        return state.root != null && state.root.id() == id;
    }

    /** The head of our cluster at {@code level}, or 0. */
    public long headAt(final int level) {
        final Cluster c = level < LEVELS ? state.levels[level] : null;
        return c == null ? 0 : c.headId();
    }

    /** Member ids of our cluster at {@code level} (ascending unsigned), or an empty array. */
    public long[] membersAt(final int level) {
        final Cluster c = level < LEVELS ? state.levels[level] : null;
        return c == null ? new long[0] : c.memberIds();
    }

    /** Members of our cluster at {@code level} with the addresses we know them by (ascending unsigned id), or none. */
    public List<NodeRef> memberRefsAt(final int level) {
        final Cluster c = level < LEVELS ? state.levels[level] : null;
        if (c == null) {
            return List.of();
        }
        final List<NodeRef> out = new java.util.ArrayList<>(c.members.size());
        c.members.values().forEach(m -> out.add(new NodeRef(m.id, m.address)));
        return out;
    }

    /** The root as this node knows it, or {@code null}. */
    public NodeRef root() {
        return state.root;
    }

    /** The fleet baseline this node holds (the root's merge), or {@code null}. */
    public Summary fleetBaseline() {
        return state.fleet;
    }

    /** Our level-0 cluster's merge (the cohort baseline), or {@code null} before placement. */
    public Moments cohortBaseline() {
        final Cluster c = state.levels[0];
        return c == null ? null : quarantine.merged(c);
    }

    /** Our cluster's merge at {@code level} (quarantined contributors left out), or {@code null}. */
    public Moments aggregateAt(final int level) {
        final Cluster c = level < LEVELS ? state.levels[level] : null;
        return c == null ? null : quarantine.merged(c);
    }

    /** What we hold of {@code id}'s contribution at {@code level}, and what we sent last there: for diagnosing a run. */
    public String describeContribution(final int level, final long id) {
        return statusView.describeContribution(level, id);
    }

    /** Whether {@code id} is a member of one of this node's clusters, or a contributor to one it heads. */
    public boolean holds(final long id) {
        for (final Cluster c : state.levels) {
            if (c != null && (c.members.containsKey(id) || c.contributions.held(id) != null)) {
                return true;
            }
        }
        return false;
    }

    /** Contributors whose summaries our cluster's aggregate at {@code level} holds, or an empty array. */
    public long[] contributorsAt(final int level) {
        final Cluster c = level < LEVELS ? state.levels[level] : null;
        if (c == null) {
            return new long[0];
        }
        final long[] ids = new long[c.contributions.contributors()];
        int i = 0;
        for (final Summary held : c.contributions.summaries()) {
            ids[i++] = held.contributorId();
        }
        return ids;
    }

    /** Leaf nodes covered by our cluster's aggregate at {@code level}. */
    public long leavesAt(final int level) {
        final Cluster c = level < LEVELS ? state.levels[level] : null;
        return c == null ? 0 : c.contributions.leafCount();
    }

    public TreeCounters counters() {
        return state.counters;
    }

    public Set<Long> quarantined() {
        return quarantine.ids();
    }

    public List<String> refusals() {
        return state.refusals();
    }

    /** Rough bytes of tree state this node holds (members, chains, held summaries). */
    /** The most members any cluster this node headed held after an input, since it started. */
    public int clusterSizeMax() {
        return state.clusterSizeMax;
    }

    public long stateBytes() {
        return statusView.stateBytes();
    }

    /** A snapshot for {@code GET /v1/tree}. */
    public TreeStatus status() {
        return statusView.status();
    }
}
