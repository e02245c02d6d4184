package dev.vigil.daemon.tree;

import dev.vigil.crypto.NodeIds;
import dev.vigil.daemon.aggregate.Aggregate;
import dev.vigil.daemon.aggregate.Summary;
import dev.vigil.daemon.core.NodeLog;
import dev.vigil.daemon.stats.Moments;
import dev.vigil.wire.MessageType;
import dev.vigil.wire.TreeBodies;
import dev.vigil.wire.WireReader;
import dev.vigil.wire.WireWriter;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

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
 * <p><b>Join.</b> A node descends from the root: at each level it gets the members of one
 * cluster (heads of the clusters below), picks the nearest (by Vivaldi coordinate; at the last
 * step by measured round trips) and goes on, until a head admits it. A head whose cluster grows
 * past B splits it by 2-means; the half without the head gets its medoid as head, which is
 * admitted to the level above. An underfull cluster asks its parent, which names the nearest
 * sibling to merge with. A head that dies is replaced by the next medoid of its cluster.
 *
 * <p><b>Statistics.</b> Every member sends its contribution at a level (its own summary at
 * level 0; its cluster's merge above) to every member of that cluster, so each member can
 * recompute the merge the head sends up. The head announces what it sent up and which versions
 * it merged; a member that computes other bits challenges, and a head challenged by a majority is
 * replaced and dropped by its parent.
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

    static final int LEVELS = TreeBodies.LEVELS_MAX;
    private static final int DESCENT_CANDIDATES_PROBED = 32;
    private static final long INTRODUCE_AGAIN_MICROS = 30_000_000;
    private static final long INTRODUCE_ASK_INTERVAL_MICROS = 1_000_000;
    private static final int LOCAL_HEALTH_MAX = 8;
    /**
     * A newly placed node checks once, this long after, whether a much nearer cluster now exists (while
     * leaving would make its cluster underfull, it checks again as long after).
     */
    private static final long RELOCATE_AFTER_MICROS = 5_000_000;
    /**
     * A head passes a new fleet baseline down at most this often (the first change after a quiet second
     * goes at once): detection needs it within seconds, and the root's merge changes with every flush.
     */
    private static final long BASELINE_MIN_INTERVAL_MICROS = 1_000_000;
    /** How long a node that said "not a head there" is skipped in descents, and how many such nodes are remembered. */
    private static final long NOT_HEAD_SKIP_MICROS = 10_000_000;
    private static final int NOT_HEAD_REMEMBERED = 1024;
    private static final int LIFEGUARD_K = 3;
    /** A contributor whose mean is this many scaled MADs from its siblings' median is quarantined. */
    static final double OUTLIER_MADS = 50.0;
    /** ... and at least this many times the siblings' median (plus one) away from it. */
    static final double OUTLIER_TIMES = 100.0;

    /** One member of a cluster as this node knows it. */
    static final class Member {
        final long id;
        String address;
        VivaldiCoordinate coordinate;
        long incarnation;
        int state = TreeBodies.STATE_ALIVE;
        long suspectSinceMicros;
        /** Smoothed round trip measured by this node (0: not yet). */
        long rttMicros;
        final Set<Long> suspectors = new HashSet<>();

        Member(final long id, final String address, final VivaldiCoordinate coordinate) {
            this.id = id;
            this.address = address;
            this.coordinate = coordinate;
        }
    }

    /** A node id with the address to reach it. */
    public record NodeRef(long id, String address) {
    }

    /** This node's cluster at one level. */
    final class Cluster {
        final int level;
        long headId;
        String headAddress;
        long epoch;
        int topLevel;
        final TreeMap<Long, Member> members = new TreeMap<>(Long::compareUnsigned);
        List<NodeRef> chain = List.of();
        final Aggregate contributions;
        long changedMicros;
        long viewReceivedMicros;
        /** When a placed member checks once whether a much nearer cluster exists (0: done). */
        long relocateAtMicros;
        boolean viewDirty;
        long viewSentMicros;
        // SWIM
        final List<Long> probeOrder = new ArrayList<>();
        int probeCursor;
        long probeTarget;
        long probeId;
        long probeSentMicros = -1;
        boolean indirectSent;
        long nextProbeMicros;
        // my contribution at this level
        boolean contributionDirty = true;
        long contributionSentMicros = Long.MIN_VALUE / 2;
        long changeSentMicros = Long.MIN_VALUE / 2;
        Summary lastSent;
        boolean resendNeeded;
        // challenges against the current head
        final Set<Long> challengers = new HashSet<>();
        long mergeRequestedMicros = Long.MIN_VALUE / 2;
        // the member we elected to replace a gone head, and since when we wait for its view
        long electedHead;
        long electedAtMicros;
        // fleet baseline from the head
        boolean baselineDirty;
        long baselineSentMicros = Long.MIN_VALUE / 2;

        Cluster(final int level) {
            this.level = level;
            this.contributions = new Aggregate(config.dimension(), Math.max(config.b() * 2, 8));
        }

        boolean isHead() {
            return headId == selfId;
        }

        long[] memberIds() {
            final long[] ids = new long[members.size()];
            int i = 0;
            for (final long id : members.keySet()) {
                ids[i++] = id;
            }
            return ids;
        }
    }

    /** A pending descent: looking for a cluster at {@code level} to be admitted into. */
    private static final class Seek {
        final int level;
        long replaces;
        long deadlineMicros;
        long backoffMicros;
        String askedAddress;
        // measured descent: candidates being probed
        final Map<Long, NodeRef> probing = new HashMap<>();
        final Map<Long, Long> probeSent = new HashMap<>();
        int probingLevel = -1;
        long bestId;
        String bestAddress;
        long bestRttMicros = Long.MAX_VALUE;
        long probeDeadlineMicros;
        final Map<Long, Long> rtts = new HashMap<>();
        /** Placed already: only move if a cluster is much nearer than our head. */
        boolean relocating;

        Seek(final int level) {
            this.level = level;
        }
    }

    private final TreeConfig config;
    private final long selfId;
    private final String selfAddress;
    private final Vivaldi vivaldi;
    private final RandomGenerator random;
    private final NodeLog log;
    private final Outbox outbox;
    private final List<String> bootstrap;
    /** The root id a refer carries when its sender knows of no root. */
    private static final long NO_ROOT = 0;
    private final Cluster[] levels = new Cluster[LEVELS];
    private final Seek[] seeks = new Seek[LEVELS];
    private final Map<Long, Long> introducedMicros = new HashMap<>();
    /** Nodes that answered a descent or admission with "not a head there", by id: skipped as candidates for a while. */
    private final Map<Long, Long> notHeadMicros = new HashMap<>();
    /** When we last asked a member to introduce itself again, by id. */
    private final Map<Long, Long> introduceAskedMicros = new HashMap<>();
    /** Members whose frames we could not verify while a request to them was still fresh: asked again later. */
    private final Set<Long> introducePending = new java.util.LinkedHashSet<>();
    /** Contributions from nodes not (yet) in our view at their level, latest per sender, in arrival order. */
    private final java.util.LinkedHashMap<Long, Summary> early = new java.util.LinkedHashMap<>();
    private final WireReader reader = new WireReader();
    private final TreeCounters counters = new TreeCounters();
    private final List<String> refusals = new ArrayList<>();

    private NodeRef root;
    private long startMicros = -1;
    private boolean stopped;
    private long versionBase;
    private long versionCounter;
    private Moments localMoments;
    private long localAgents;
    private Summary fleet;
    private long probeCounter;
    private int localHealth;
    private Observer observer;
    /** Contributors excluded from merges (implausible or forged), by id; reported in the status. */
    private final Set<Long> quarantined = new HashSet<>();
    private final Map<Long, long[]> indirect = new HashMap<>();
    /** Pings a head sends a member it just admitted, to measure the round trip for splits: probe id -> member. */
    private final Map<Long, Long> measureProbes = new HashMap<>();
    private final Map<Long, Long> measureSent = new HashMap<>(); // probe id we sent -> {asker id, asker probe id}
    private final Map<Long, String> indirectAskers = new HashMap<>();
    /** Test hook for the lying-head scenario: the factor a forging head multiplies its upward count by. */
    private double forgeFactor = 1.0;

    public TreeNode(
        final TreeConfig config, final long selfId, final String selfAddress, final List<String> bootstrap,
        final Vivaldi vivaldi, final RandomGenerator random, final NodeLog log, final Outbox outbox) {
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

    // ---------------------------------------------------------------- inputs

    /** Starts the node's part: founds the tree without bootstrap addresses, else joins after the join delay. */
    public void start(final long now) {
        startMicros = now;
        versionBase = now;
        if (bootstrap.isEmpty()) {
            final Cluster c = new Cluster(0);
            c.headId = selfId;
            c.headAddress = selfAddress;
            c.epoch = 1;
            c.members.put(selfId, new Member(selfId, selfAddress, vivaldi.coordinate()));
            levels[0] = c;
            root = new NodeRef(selfId, selfAddress);
            log.info("tree: " + hex(selfId) + " founds the tree");
        } else {
            final Seek s = new Seek(0);
            s.deadlineMicros = now + config.joinDelayMicros();
            s.backoffMicros = config.seekTimeoutMicros();
            seeks[0] = s;
        }
    }

    /** This node's own statistics changed (its agents' current window): sent up at the next flush. */
    public void setLocalSummary(final Moments moments, final long agentCount, final long now) {
        if (moments.dimension() != config.dimension()) {
            throw new IllegalArgumentException("local summary of dimension " + moments.dimension() + ", tree uses " + config.dimension());
        }
        localMoments = moments.copy();
        localAgents = agentCount;
        if (levels[0] != null) {
            levels[0].contributionDirty = true;
            flush(0, now);
        }
    }

    public void setObserver(final Observer observer) {
        this.observer = observer;
    }

    /** Fault injection for simnet and tests: this node, as a head, inflates the count it sends up. */
    public void forgeUpwardCounts(final double factor) {
        this.forgeFactor = factor;
    }

    /** Tells every cluster this node leaves them (shutdown). */
    public void shutdown(final long now) {
        if (stopped) {
            return;
        }
        for (final Cluster c : levels) {
            if (c != null) {
                for (final Member m : c.members.values()) {
                    if (m.id != selfId) {
                        sendSuspect(m.address, c.level, selfId, selfIncarnation(c), TreeBodies.STATE_DEAD);
                    }
                }
            }
        }
        stopped = true;
    }

    public void onTick(final long now) {
        if (stopped || startMicros < 0) {
            return;
        }
        try {
            tick(now);
        } catch (final RuntimeException e) {
            // a defect must not stop the node's housekeeping: count it, say it, go on at the next tick
            counters.internalErrors++;
            final StackTraceElement[] at = e.getStackTrace();
            log.warn("tree: internal error in the tick: " + e + (at.length > 0 ? " at " + at[0] : ""));
        }
    }

    private void tick(final long now) {
        askPendingIntroductions(now);
        for (int l = 1; l < LEVELS; l++) {
            if ((levels[l] != null || seeks[l] != null) && (levels[l - 1] == null || !levels[l - 1].isHead())) {
                // a place at level l belongs to the head of a level l-1 cluster; we head none (any more)
                if (levels[l] != null) {
                    log.info("tree: " + hex(selfId) + " heads no level " + (l - 1) + " cluster; leaves its level " + l + " cluster");
                    counters.stale++;
                    dropLevel(l, now, true);
                }
                seeks[l] = null;
            }
        }
        for (int l = 0; l < LEVELS; l++) {
            final Seek s = seeks[l];
            if (s != null) {
                tickSeek(s, now);
            }
        }
        for (int l = 0; l < LEVELS; l++) {
            final Cluster c = levels[l];
            if (c == null) {
                continue;
            }
            if (!c.isHead() && now - c.viewReceivedMicros > 3 * config.viewRefreshMicros() + config.seekTimeoutMicros()) {
                // our head stopped sending views: we were dropped without hearing it, or it is gone
                counters.stale++;
                log.info("tree: " + hex(selfId) + " heard no level " + l + " view from " + hex(c.headId) + " for "
                    + (now - c.viewReceivedMicros) / 1000 + " ms; finding a place again");
                dropLevel(l, now, true);
                if (l == 0 || (levels[l - 1] != null && levels[l - 1].isHead())) {
                    startSeek(l, 0, now);
                }
                continue;
            }
            if (l == 0 && !c.isHead() && seeks[0] == null && c.relocateAtMicros > 0 && now >= c.relocateAtMicros) {
                if (c.members.size() - 1 < (config.b() + 1) / 2) {
                    // leaving would make our cluster underfull (and start a merge): look again later
                    c.relocateAtMicros = now + RELOCATE_AFTER_MICROS;
                } else {
                    c.relocateAtMicros = 0;
                    final Seek s = new Seek(0);
                    s.relocating = true;
                    s.backoffMicros = config.seekBackoffMaxMicros();
                    s.deadlineMicros = now;
                    seeks[0] = s;
                }
            }
            probe(c, now);
            expireSuspicions(c, now);
            if (levels[l] != c) {
                continue; // the cluster dissolved or changed hands while handling failures
            }
            if (c.isHead()) {
                headTick(c, now);
            }
            if (levels[l] == c) {
                flush(l, now);
                flushBaseline(c, now);
            }
        }
    }

    /** A verified tree or stat-update frame from {@code senderId}. Never throws for any body. */
    public void onMessage(final MessageType type, final long senderId, final String senderAddress,
                          final DirectBuffer buffer, final int bodyOffset, final int bodyLength, final long now) {
        if (stopped || startMicros < 0) {
            return;
        }
        final WireReader r = reader.wrap(buffer, bodyOffset, bodyLength);
        try {
            switch (type) {
                case TREE_DESCEND -> onDescend(senderId, senderAddress, r, now);
                case TREE_REFER -> onRefer(senderId, senderAddress, r, now);
                case TREE_ADMIT -> onAdmit(senderId, senderAddress, r, now);
                case TREE_VIEW -> onView(senderId, r, now);
                case TREE_MERGE -> onMerge(senderId, r, now);
                case TREE_PING -> onPing(senderId, senderAddress, r, now);
                case TREE_ACK -> onAck(senderId, r, now);
                case TREE_PING_REQ -> onPingReq(senderId, senderAddress, r, now);
                case TREE_SUSPECT -> onSuspect(senderId, r, now);
                case TREE_ANNOUNCE -> onAnnounce(senderId, r, now);
                case TREE_CHALLENGE -> onChallenge(senderId, r, now);
                case TREE_BASELINE -> onBaseline(senderId, r, now);
                case TREE_INTRODUCE_REQUEST -> onIntroduceRequest(senderId, r);
                case STAT_UPDATE -> onContribution(senderId, buffer, bodyOffset, bodyLength, now);
                default -> counters.ignored++;
            }
        } catch (final RuntimeException e) {
            // A body that passed the structural check but breaks a rule of the protocol (a value out of range).
            counters.malformed++;
            refuse("malformed " + type.label + " from " + hex(senderId) + ": " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- join and descent

    private void tickSeek(final Seek s, final long now) {
        if (!s.probing.isEmpty() && now >= s.probeDeadlineMicros) {
            finishProbing(s, now);
            return;
        }
        if (now < s.deadlineMicros) {
            return;
        }
        s.probing.clear();
        s.probeSent.clear();
        s.deadlineMicros = now + s.backoffMicros + jitter(s.backoffMicros / 4);
        s.backoffMicros = Math.min(2 * s.backoffMicros, config.seekBackoffMaxMicros());
        counters.seekAttempts++;
        final String target;
        final Long rootRefused = root == null ? null : notHeadMicros.get(root.id());
        if (root != null && root.id() != selfId && !isDeadOrSuspect(root.id())
            && (rootRefused == null || now - rootRefused > NOT_HEAD_SKIP_MICROS)) {
            target = root.address();
        } else if (!bootstrap.isEmpty()) {
            // no root, or the one we know of said it heads nothing (it restarted, or lost its place):
            // ask a bootstrap node, which names the root it knows
            target = bootstrap.get(random.nextInt(bootstrap.size()));
        } else {
            return;
        }
        sendDescend(target, s.level, TreeBodies.LEVEL_ANY, now);
        s.askedAddress = target;
        if (log.debugEnabled()) {
            log.debug("seek level " + s.level + ": descend from " + target + " (attempt, next in "
                + (s.deadlineMicros - now) / 1000 + " ms)");
        }
    }

    private void sendDescend(final String address, final int wantLevel, final int askLevel, final long now) {
        final WireWriter w = outbox.begin(2 + TreeBodies.COORDINATE_LENGTH, true);
        w.u8(wantLevel).u8(askLevel);
        vivaldi.coordinate().writeTo(w.buffer(), w.reserve(TreeBodies.COORDINATE_LENGTH));
        outbox.send(address, MessageType.TREE_DESCEND, w);
    }

    private void onDescend(final long senderId, final String senderAddress, final WireReader r, final long now) {
        r.u8(); // the level wanted: the asker decides from what we list
        final int ask = r.u8();
        if (!r.ok() || senderAddress == null) {
            malformed("tree-descend", senderId, "bad body");
            return;
        }
        final int top = topLevel();
        final boolean isRoot = root != null && root.id() == selfId;
        int level = -1;
        if (ask == TreeBodies.LEVEL_ANY) {
            if (isRoot) {
                level = top;
            }
        } else if (ask < LEVELS && levels[ask] != null && levels[ask].isHead()) {
            level = ask;
        }
        sendRefer(senderAddress, level, now);
    }

    private void sendRefer(final String address, final int level, final long now) {
        final Cluster c = level >= 0 ? levels[level] : null;
        // A node that knows of no root (just restarted, say) must not name itself: a seeker would ask
        // it again and again. Id 0 says "none known"; the seeker tries elsewhere.
        // An unplaced node's idea of the root is hearsay (it may be a root that has since restarted): it
        // names none, so that seekers go on to nodes that are placed and know the root from their views.
        final NodeRef rootRef = root != null && (isPlaced() || isRootHere()) ? root : new NodeRef(NO_ROOT, selfAddress);
        int length = 3 + TreeBodies.nodeRefLength(rootRef.address()) + 1;
        if (c != null) {
            for (final Member m : c.members.values()) {
                length += TreeBodies.memberLength(m.address);
            }
        }
        final WireWriter w = outbox.begin(length, true);
        w.u8(c != null ? 0 : 1).u8(c != null ? level : 0).u8(topLevel());
        w.u64(rootRef.id()).address(rootRef.address());
        if (c == null) {
            w.u8(0);
        } else {
            writeMembers(w, c);
        }
        outbox.send(address, MessageType.TREE_REFER, w);
    }

    private void writeMembers(final WireWriter w, final Cluster c) {
        w.u8(c.members.size());
        for (final Member m : c.members.values()) {
            w.u64(m.id).u32(m.incarnation & 0xFFFF_FFFFL).u8(m.state == TreeBodies.STATE_SUSPECT ? 1 : 0);
            final VivaldiCoordinate coordinate = m.id == selfId ? vivaldi.coordinate() : m.coordinate;
            coordinate.writeTo(w.buffer(), w.reserve(TreeBodies.COORDINATE_LENGTH));
            w.address(m.address);
        }
    }

    private List<Member> readMembers(final WireReader r) {
        final int n = r.u8();
        final List<Member> out = new ArrayList<>(n);
        for (int i = 0; i < n && r.ok(); i++) {
            final long id = r.u64();
            final long incarnation = r.u32();
            final int state = r.u8();
            final int at = r.skip(TreeBodies.COORDINATE_LENGTH);
            final String address = r.address();
            if (!r.ok()) {
                break;
            }
            VivaldiCoordinate coordinate = VivaldiCoordinate.tryReadFrom(r.buffer(), at);
            if (coordinate == null) {
                coordinate = VivaldiCoordinate.ORIGIN;
            }
            final Member m = new Member(id, address, coordinate);
            m.incarnation = incarnation;
            m.state = state;
            out.add(m);
        }
        return out;
    }

    private static String addressIn(final List<Member> members, final long id) {
        for (final Member m : members) {
            if (m.id == id) {
                return m.address;
            }
        }
        return null;
    }

    private void onRefer(final long senderId, final String senderAddress, final WireReader r, final long now) {
        final int status = r.u8();
        final int level = r.u8();
        final int top = r.u8();
        final long rootId = r.u64();
        final String rootAddress = r.address();
        final List<Member> listed = readMembers(r);
        if (!r.done()) {
            malformed("tree-refer", senderId, "bad body");
            return;
        }
        final Seek s = activeSeekFor(senderAddress);
        if (log.debugEnabled()) {
            log.debug("refer from " + hex(senderId) + ": status " + status + " level " + level + " top " + top + " root "
                + hex(rootId) + ", " + listed.size() + " listed" + (s == null ? " (no seek asked it)" : ""));
        }
        if (s == null) {
            counters.stale++;
            return;
        }
        if (rootId != selfId && rootId != NO_ROOT) {
            root = new NodeRef(rootId, rootAddress);
        }
        if (status == 1) {
            // not a head there (a parent's list can be behind): skip it for a while, go to the root it names
            if (notHeadMicros.size() >= NOT_HEAD_REMEMBERED) {
                notHeadMicros.clear();
            }
            notHeadMicros.put(senderId, now);
            if (root != null && root.id() == senderId) {
                root = null; // the root we knew of heads nothing now: it restarted or lost its place
            }
            if (rootId != senderId && rootId != selfId && rootId != NO_ROOT) {
                s.askedAddress = rootAddress;
                sendDescend(rootAddress, s.level, TreeBodies.LEVEL_ANY, now);
                s.deadlineMicros = now + config.seekTimeoutMicros();
            }
            return;
        }
        if (s.level >= level) {
            // the sender heads the cluster we want (or is the root, which grows a level for us)
            if (s.level == level || (rootId == senderId && s.level == top + 1)) {
                sendAdmit(senderAddress, s.level, s.replaces, now);
                s.askedAddress = senderAddress;
                s.deadlineMicros = now + config.seekTimeoutMicros();
            }
            return;
        }
        // descend: the listed members head clusters at level - 1
        final List<Member> candidates = new ArrayList<>();
        for (final Member m : listed) {
            final Long refused = notHeadMicros.get(m.id);
            if (m.id != selfId && !isDeadOrSuspect(m.id) && (refused == null || now - refused > NOT_HEAD_SKIP_MICROS)) {
                candidates.add(m);
            }
        }
        if (candidates.isEmpty()) {
            return;
        }
        // measure round trips to the candidates and take the nearest (coordinates only order them:
        // inside a region they predict a few milliseconds at best)
        if (s.relocating && level - 1 == s.level && levels[s.level] != null) {
            final Cluster current = levels[s.level];
            boolean headListed = false;
            for (final Member m : candidates) {
                headListed |= m.id == current.headId;
            }
            if (!headListed && current.headAddress != null) {
                candidates.add(new Member(current.headId, current.headAddress, VivaldiCoordinate.ORIGIN));
            }
        }
        startProbing(s, candidates, level - 1, now);
    }

    private void startProbing(final Seek s, final List<Member> candidates, final int level, final long now) {
        s.probing.clear();
        s.probeSent.clear();
        s.rtts.clear();
        s.probingLevel = level;
        s.bestId = 0;
        s.bestAddress = null;
        s.bestRttMicros = Long.MAX_VALUE;
        candidates.sort((a, b) -> Double.compare(
            vivaldi.coordinate().distanceMs(a.coordinate), vivaldi.coordinate().distanceMs(b.coordinate)));
        for (int i = 0; i < candidates.size() && i < DESCENT_CANDIDATES_PROBED; i++) {
            final Member m = candidates.get(i);
            final long id = ++probeCounter;
            s.probing.put(id, new NodeRef(m.id, m.address));
            s.probeSent.put(id, now);
            sendPing(m.address, TreeBodies.LEVEL_ANY, id, 0, m.id, now);
        }
        // the nearest by coordinate is the fallback if nobody answers in time
        s.bestId = candidates.get(0).id;
        s.bestAddress = candidates.get(0).address;
        s.probeDeadlineMicros = now + config.probeTimeoutMicros();
        s.deadlineMicros = now + config.seekTimeoutMicros() + config.probeTimeoutMicros();
    }

    private void descentAck(final long probeId, final long fromId, final long now) {
        for (final Seek s : seeks) {
            if (s == null) {
                continue;
            }
            final NodeRef ref = s.probing.remove(probeId);
            if (ref != null && ref.id() == fromId) {
                final long rtt = now - s.probeSent.remove(probeId);
                s.rtts.put(ref.id(), rtt);
                if (rtt < s.bestRttMicros) {
                    s.bestRttMicros = rtt;
                    s.bestId = ref.id();
                    s.bestAddress = ref.address();
                }
                if (s.probing.isEmpty()) {
                    finishProbing(s, now);
                }
                return;
            }
        }
    }

    private void finishProbing(final Seek s, final long now) {
        for (final NodeRef silent : s.probing.values()) {
            // it may have dropped our certificate from a full trust store: introduce ourselves again next time
            introducedMicros.remove(silent.id());
        }
        if (log.debugEnabled()) {
            log.debug("probed level " + s.probingLevel + " heads: " + s.rtts.size() + " answered, " + s.probing.size()
                + " silent; best " + (s.bestId == 0 ? "-" : hex(s.bestId)) + " " + s.bestRttMicros / 1000.0 + " ms");
        }
        s.probing.clear();
        s.probeSent.clear();
        if (s.bestAddress == null) {
            return;
        }
        s.askedAddress = s.bestAddress;
        if (s.probingLevel != s.level) {
            sendDescend(s.bestAddress, s.level, s.probingLevel, now);
        } else if (s.relocating) {
            final Cluster current = levels[s.level];
            final long headRtt = s.rtts.getOrDefault(current == null ? 0L : current.headId, Long.MAX_VALUE);
            if (current == null || current.isHead() || s.bestId == current.headId || 2 * s.bestRttMicros >= headRtt) {
                seeks[s.level] = null; // where we are is good enough
                return;
            }
            counters.relocations++;
            log.info("tree: " + hex(selfId) + " moves to " + hex(s.bestId) + "'s level " + s.level + " cluster ("
                + s.bestRttMicros / 1000.0 + " ms instead of " + headRtt / 1000.0 + " ms to its head)");
            sendAdmit(s.bestAddress, s.level, 0, now);
        } else {
            sendAdmit(s.bestAddress, s.level, s.replaces, now);
        }
        s.deadlineMicros = now + config.seekTimeoutMicros();
    }

    private Seek activeSeekFor(final String address) {
        for (final Seek s : seeks) {
            if (s != null && address != null && address.equals(s.askedAddress)) {
                return s;
            }
        }
        return null;
    }

    private Member nearestByCoordinate(final List<Member> candidates) {
        final VivaldiCoordinate self = vivaldi.coordinate();
        Member best = null;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (final Member m : candidates) {
            final double d = self.distanceMs(m.coordinate);
            if (d < bestDistance || (d == bestDistance && Long.compareUnsigned(m.id, best.id) < 0)) {
                best = m;
                bestDistance = d;
            }
        }
        return best;
    }

    private void sendAdmit(final String address, final int level, final long replaces, final long now) {
        if (log.debugEnabled()) {
            log.debug("asks " + address + " to admit us at level " + level + (replaces != 0 ? " replacing " + hex(replaces) : ""));
        }
        final WireWriter w = outbox.begin(9 + TreeBodies.COORDINATE_LENGTH, true);
        w.u8(level).u64(replaces);
        vivaldi.coordinate().writeTo(w.buffer(), w.reserve(TreeBodies.COORDINATE_LENGTH));
        outbox.send(address, MessageType.TREE_ADMIT, w);
    }

    private void onAdmit(final long senderId, final String senderAddress, final WireReader r, final long now) {
        final int level = r.u8();
        final long replaces = r.u64();
        final int at = r.skip(TreeBodies.COORDINATE_LENGTH);
        if (!r.done() || senderAddress == null || level >= LEVELS) {
            malformed("tree-admit", senderId, "bad body");
            return;
        }
        VivaldiCoordinate coordinate = VivaldiCoordinate.tryReadFrom(r.buffer(), at);
        if (coordinate == null) {
            coordinate = VivaldiCoordinate.ORIGIN;
        }
        Cluster c = levels[level];
        final boolean isRoot = root != null && root.id() == selfId;
        if ((c == null || !c.isHead()) && isRoot && level == topLevel() + 1 && level < LEVELS) {
            c = growTop(now);
        }
        if (c == null || !c.isHead()) {
            sendRefer(senderAddress, -1, now);
            return;
        }
        if (level > 0 && quarantined.contains(senderId)) {
            // a node we quarantined (replaced for forging, or implausible) heads nothing under us again;
            // it may still join a cluster at level 0, where its own statistics are left out of our merges
            counters.stale++;
            refuse("admission of quarantined " + hex(senderId) + " at level " + level);
            return;
        }
        if (replaces != 0 && replaces != senderId && c.members.containsKey(replaces) && replaces != selfId) {
            removeMember(c, replaces, "replaced by " + hex(senderId), now);
        }
        Member m = c.members.get(senderId);
        if (m == null) {
            m = new Member(senderId, senderAddress, coordinate);
            c.members.put(senderId, m);
            c.contributions.readmit(senderId);
            membershipChanged(c, now);
            counters.admitted++;
            adoptEarly(c, now);
            if (measureProbes.size() > 256) {
                measureProbes.clear();
                measureSent.clear();
            }
            final long probeId = ++probeCounter;
            measureProbes.put(probeId, senderId);
            measureSent.put(probeId, now);
            sendPing(senderAddress, TreeBodies.LEVEL_ANY, probeId, 0, senderId, now);
            if (c.members.size() > config.b()) {
                // full: split now, as a B-tree node does, so a join storm never grows a cluster past B + 1
                // (its view would outgrow a frame); the new member hears from the split if it went away
                split(c, now);
                if (!c.members.containsKey(senderId)) {
                    return;
                }
            }
        } else {
            m.address = senderAddress;
            m.coordinate = coordinate;
        }
        sendView(c, m.address, true, now);
    }

    /** As root with top level T, makes a level T+1 cluster holding only this node (its head). */
    private Cluster growTop(final long now) {
        final int level = topLevel() + 1;
        final Cluster c = new Cluster(level);
        c.headId = selfId;
        c.headAddress = selfAddress;
        c.epoch = 1;
        c.members.put(selfId, new Member(selfId, selfAddress, vivaldi.coordinate()));
        c.changedMicros = now;
        levels[level] = c;
        refreshTopLevels();
        levels[level - 1].contributionDirty = true;
        log.info("tree: root " + hex(selfId) + " grows level " + level);
        return c;
    }

    // ---------------------------------------------------------------- views

    private void membershipChanged(final Cluster c, final long now) {
        c.epoch++;
        c.viewDirty = true;
        c.changedMicros = now;
        c.probeOrder.clear();
        // contributions of members that left no longer count
        final List<Long> gone = new ArrayList<>();
        for (final Summary s : c.contributions.summaries()) {
            if (!c.members.containsKey(s.contributorId())) {
                gone.add(s.contributorId());
            }
        }
        for (final long id : gone) {
            c.contributions.remove(id);
        }
        if (!gone.isEmpty()) {
            contributionsChanged(c, now);
        }
        // a new member needs our contribution
        c.resendNeeded = true;
    }

    private void sendView(final Cluster c, final String address, final boolean introduce, final long now) {
        sendViewAs(c, c.headId, c.members.values(), c.epoch, null, address, introduce);
    }

    private void sendViewAs(final Cluster c, final long head, final Iterable<Member> members, final long epoch,
                            final NodeRef dissolvedInto, final String address, final boolean introduce) {
        final List<NodeRef> chain = chainAbove(c.level);
        int length = 1 + 1 + 4 + 8 + 1 + 1 + 1;
        if (dissolvedInto != null) {
            length += TreeBodies.nodeRefLength(dissolvedInto.address());
        }
        for (final NodeRef ref : chain) {
            length += TreeBodies.nodeRefLength(ref.address());
        }
        int n = 0;
        for (final Member m : members) {
            length += TreeBodies.memberLength(m.address);
            n++;
        }
        final WireWriter w = outbox.begin(length, introduce);
        w.u8(c.level).u8(dissolvedInto != null ? TreeBodies.VIEW_FLAG_DISSOLVED : 0).u32(epoch & 0xFFFF_FFFFL).u64(head).u8(topLevel());
        if (dissolvedInto != null) {
            w.u64(dissolvedInto.id()).address(dissolvedInto.address());
        }
        w.u8(chain.size());
        for (final NodeRef ref : chain) {
            w.u64(ref.id()).address(ref.address());
        }
        w.u8(n);
        for (final Member m : members) {
            w.u64(m.id).u32(m.incarnation & 0xFFFF_FFFFL).u8(m.state == TreeBodies.STATE_SUSPECT ? 1 : 0);
            final VivaldiCoordinate coordinate = m.id == selfId ? vivaldi.coordinate() : m.coordinate;
            coordinate.writeTo(w.buffer(), w.reserve(TreeBodies.COORDINATE_LENGTH));
            w.address(m.address);
        }
        outbox.send(address, MessageType.TREE_VIEW, w);
        counters.viewsSent++;
    }

    /** The heads above a cluster at {@code level}: the head of level+1 first, the root last. */
    private List<NodeRef> chainAbove(final int level) {
        final Cluster up = level + 1 < LEVELS ? levels[level + 1] : null;
        if (up == null) {
            // a member, or a head not yet admitted one level up: the chain its last view named
            final Cluster c = levels[level];
            return c != null ? c.chain : List.of();
        }
        final List<NodeRef> chain = new ArrayList<>();
        if (up.headAddress == null) {
            return up.isHead() ? chainAbove(level + 1) : up.chain; // the head's address is not known yet
        }
        chain.add(new NodeRef(up.headId, up.headAddress));
        chain.addAll(up.isHead() ? chainAbove(level + 1) : up.chain);
        return chain;
    }

    private void onView(final long senderId, final WireReader r, final long now) {
        final int level = r.u8();
        final int flags = r.u8();
        final long epoch = r.u32();
        final long head = r.u64();
        final int top = r.u8();
        NodeRef dissolvedInto = null;
        if ((flags & TreeBodies.VIEW_FLAG_DISSOLVED) != 0) {
            dissolvedInto = new NodeRef(r.u64(), r.address());
        }
        final int chainLength = r.u8();
        final List<NodeRef> chain = new ArrayList<>(chainLength);
        for (int i = 0; i < chainLength && r.ok(); i++) {
            chain.add(new NodeRef(r.u64(), r.address()));
        }
        final List<Member> listed = readMembers(r);
        if (!r.done() || level >= LEVELS) {
            malformed("tree-view", senderId, "bad body");
            return;
        }
        final Cluster current = levels[level];
        if (dissolvedInto != null) {
            if (current != null && current.headId == senderId && !current.isHead()) {
                // our head merges into another cluster: go there
                dropLevel(level, now, false);
                final Seek s = new Seek(level);
                s.backoffMicros = config.seekTimeoutMicros();
                s.askedAddress = dissolvedInto.address();
                s.deadlineMicros = now + config.seekTimeoutMicros();
                seeks[level] = s;
                sendAdmit(dissolvedInto.address(), level, 0, now);
            }
            return;
        }
        if (addressIn(listed, head) == null) {
            malformed("tree-view", senderId, "a view must list its head");
            return;
        }
        boolean includesMe = false;
        for (final Member m : listed) {
            includesMe |= m.id == selfId;
        }
        final boolean fromCurrentHead = current != null && current.headId == senderId;
        final boolean seeking = seeks[level] != null;
        final boolean accept;
        if (quarantined.contains(head) || quarantined.contains(senderId)) {
            accept = false; // a head replaced for lying does not get its cluster back
        } else if (senderId != head && !fromCurrentHead) {
            // only a head speaks for its cluster, or our head handing it over; a head we asked to admit us
            // may split as it admits and hand us the half we landed in, to head
            accept = head == selfId && includesMe && seeking && current == null;
        } else if (current == null) {
            accept = includesMe && (seeking || level == 0 || (level > 0 && levels[level - 1] != null && levels[level - 1].isHead()));
        } else if (fromCurrentHead) {
            accept = epoch >= current.epoch || head != current.headId;
        } else if (current.isHead()) {
            // a head keeps its cluster; it yields only to a rival elected in the same cluster (both listed there)
            accept = head != selfId && current.members.containsKey(head)
                && (epoch > current.epoch || epoch == current.epoch && Long.compareUnsigned(head, selfId) < 0);
        } else {
            accept = epoch > current.epoch || isDeadOrSuspect(current.headId) || seeking;
        }
        if (log.debugEnabled()) {
            log.debug("view level " + level + " epoch " + epoch + " from " + hex(senderId) + " head " + hex(head) + ", "
                + listed.size() + " members" + (includesMe ? " incl. us" : "") + (accept ? "" : ": not accepted")
                + (listed.size() <= 8 ? " " + listed.stream().map(m -> hex(m.id)).toList() : "")
                + (current == null ? "" : " (ours: head " + hex(current.headId) + " epoch " + current.epoch + ")"));
        }
        if (!accept) {
            counters.stale++;
            if (includesMe && head == selfId && senderId != selfId) {
                declineHandover(level, listed, current);
            }
            if (includesMe && senderId == head && current != null && current.headId != head) {
                // a head that still counts us: we are not its member (any more)
                final String address = addressIn(listed, senderId);
                if (address != null) {
                    sendSuspect(address, level, selfId, current == null ? 0 : selfIncarnation(current), TreeBodies.STATE_DEAD);
                }
            }
            return;
        }
        if (current != null) {
            current.viewReceivedMicros = now;
        }
        if (!includesMe) {
            if (fromCurrentHead) {
                // removed from the cluster (declared dead, or replaced): find a place again
                dropLevel(level, now, false);
                if (level == 0 || (levels[level - 1] != null && levels[level - 1].isHead())) {
                    startSeek(level, 0, now);
                }
            }
            return;
        }
        Cluster c = current;
        if (c == null || c.headId != head) {
            if (c != null && !fromCurrentHead && c.headId != selfId && !isDeadOrSuspect(c.headId)) {
                // moving to another cluster at this level: the old head must stop counting us
                sendSuspect(c.headAddress, level, selfId, selfIncarnation(c), TreeBodies.STATE_DEAD);
            }
            final Cluster fresh = new Cluster(level);
            if (c != null) {
                // keep what we know of members that stay
                for (final Summary s : c.contributions.summaries()) {
                    fresh.contributions.offer(s);
                }
            }
            c = fresh;
            levels[level] = c;
        }
        c.headId = head;
        c.viewReceivedMicros = now;
        final boolean wasHead = current != null && current.isHead();
        c.epoch = epoch;
        c.topLevel = top;
        c.chain = List.copyOf(chain);
        String headAddress = null;
        final Map<Long, Member> previous = new HashMap<>(c.members);
        final Set<Long> before = previous.keySet();
        c.members.clear();
        for (final Member m : listed) {
            c.members.put(m.id, m);
            final Member known = previous.get(m.id);
            if (known == null) {
                c.contributions.readmit(m.id);
            } else {
                // what we measured and suspected ourselves stays; the head's word can only raise an incarnation
                m.rttMicros = known.rttMicros;
                m.incarnation = Math.max(m.incarnation, known.incarnation);
                if (m.state == TreeBodies.STATE_SUSPECT && known.state == TreeBodies.STATE_SUSPECT) {
                    m.suspectSinceMicros = known.suspectSinceMicros;
                    m.suspectors.addAll(known.suspectors);
                }
            }
            if (m.state == TreeBodies.STATE_SUSPECT && m.suspectSinceMicros == 0) {
                m.suspectSinceMicros = now; // a suspicion we hear of runs its full timeout here
            }
            if (m.id == head) {
                headAddress = m.address;
            }
            if (m.id == selfId) {
                m.address = selfAddress;
                clearSuspicion(m); // we know we are alive; our probes' acks refute it to the others
            }
        }
        c.headAddress = headAddress != null ? headAddress : c.headAddress;
        if (!before.equals(c.members.keySet())) {
            c.probeOrder.clear();
            c.resendNeeded = true;
            final List<Long> gone = new ArrayList<>();
            for (final Summary s : c.contributions.summaries()) {
                if (!c.members.containsKey(s.contributorId())) {
                    gone.add(s.contributorId());
                }
            }
            for (final long id : gone) {
                c.contributions.remove(id);
            }
            if (!gone.isEmpty()) {
                contributionsChanged(c, now);
            }
        }
        c.challengers.clear();
        adoptEarly(c, now);
        if (!chain.isEmpty()) {
            root = chain.get(chain.size() - 1);
        } else if (head != selfId) {
            root = new NodeRef(head, c.headAddress);
        }
        if (seeks[level] != null) {
            if (!seeks[level].relocating && level == 0) {
                c.relocateAtMicros = now + RELOCATE_AFTER_MICROS;
            }
            seeks[level] = null;
            counters.joined++;
        }
        if (head == selfId && !wasHead) {
            becameHead(c, now);
        } else if (wasHead && head != selfId && level + 1 < LEVELS) {
            // we yielded this cluster to a rival head: it speaks for the cluster one level up now
            log.info("tree: " + hex(selfId) + " yields its level " + level + " cluster to " + hex(head));
            dropLevel(level + 1, now, true);
            seeks[level + 1] = null;
        }
        // heads below us pass the new chain on
        if (level > 0 && levels[level - 1] != null && levels[level - 1].isHead()) {
            levels[level - 1].viewDirty = true;
        }
    }

    /**
     * A view names this node head of a cluster it will not take (it already belongs elsewhere at that
     * level): the members it lists, other than our own members, hear that we left, so they elect a head
     * among themselves at once rather than wait for views that never come.
     */
    private void declineHandover(final int level, final List<Member> listed, final Cluster current) {
        final long incarnation = current == null ? 0 : selfIncarnation(current);
        for (final Member m : listed) {
            if (m.id != selfId && (current == null || !current.members.containsKey(m.id))) {
                // they may never have heard from us: the frame carries our certificate
                sendSuspect(m.address, level, selfId, incarnation, TreeBodies.STATE_DEAD, true);
            }
        }
        log.info("tree: " + hex(selfId) + " declines to head a level " + level + " cluster of " + listed.size()
            + " (it is placed elsewhere at that level)");
    }

    /** Handed a cluster (by a split): take it over and find a place one level up. */
    private void becameHead(final Cluster c, final long now) {
        c.headAddress = selfAddress;
        c.viewDirty = true;
        c.changedMicros = now;
        log.info("tree: " + hex(selfId) + " heads a level " + c.level + " cluster of " + c.members.size());
        if (c.chain.isEmpty()) {
            root = new NodeRef(selfId, selfAddress);
            refreshTopLevels();
        } else {
            startSeek(c.level + 1, 0, now);
            final Seek s = seeks[c.level + 1];
            s.askedAddress = c.chain.get(0).address();
            sendAdmit(s.askedAddress, c.level + 1, 0, now);
            s.deadlineMicros = now + config.seekTimeoutMicros();
        }
    }

    private void startSeek(final int level, final long replaces, final long now) {
        if (level >= LEVELS) {
            return;
        }
        final Seek s = new Seek(level);
        s.replaces = replaces;
        s.backoffMicros = config.seekTimeoutMicros();
        s.deadlineMicros = now;
        seeks[level] = s;
    }

    /** Forgets this node's cluster at {@code level} and (as its head had) every level above it. */
    private void dropLevel(final int level, final long now, final boolean tell) {
        final Cluster c = levels[level];
        if (c == null) {
            return;
        }
        if (tell) {
            leaveCluster(c, now);
        }
        levels[level] = null;
        if (c.isHead() && level + 1 < LEVELS && levels[level + 1] != null) {
            dropLevel(level + 1, now, tell);
        }
        if (level + 1 < LEVELS) {
            seeks[level + 1] = null;
        }
    }

    private void leaveCluster(final Cluster c, final long now) {
        for (final Member m : c.members.values()) {
            if (m.id != selfId) {
                sendSuspect(m.address, c.level, selfId, selfIncarnation(c), TreeBodies.STATE_DEAD);
            }
        }
    }

    // ---------------------------------------------------------------- head duties

    private void headTick(final Cluster c, final long now) {
        final int half = (config.b() + 1) / 2;
        if (c.members.size() > config.b()) {
            split(c, now);
            return;
        }
        final boolean top = c.chain.isEmpty() && levels[c.level + 1 < LEVELS ? c.level + 1 : c.level] == null;
        if (top && c.level > 0 && c.members.size() == 1 && now - c.changedMicros >= config.mergeDelayMicros()) {
            // a top cluster of one: the level is not needed any more
            levels[c.level] = null;
            refreshTopLevels();
            levels[c.level - 1].viewDirty = true;
            log.info("tree: root " + hex(selfId) + " drops level " + c.level);
            return;
        }
        if (!top && c.level == 0 && c.members.size() == 1 && !isRootHere() && now - c.changedMicros >= config.mergeDelayMicros()) {
            // a head of nobody but itself (its members left, or replaced it): join a cluster as a member
            log.info("tree: " + hex(selfId) + " heads a level 0 cluster of one; joining another as a member");
            dropLevel(0, now, true);
            startSeek(0, 0, now);
            return;
        }
        if (!top && c.members.size() < half && now - c.changedMicros >= config.mergeDelayMicros()
            && now - c.mergeRequestedMicros >= config.mergeDelayMicros()) {
            requestMerge(c, now);
        }
        if (c.viewDirty || now - c.viewSentMicros >= config.viewRefreshMicros()) {
            c.viewDirty = false;
            c.viewSentMicros = now;
            for (final Member m : c.members.values()) {
                if (m.id != selfId) {
                    sendView(c, m.address, false, now);
                }
            }
        }
    }

    private void split(final Cluster c, final long now) {
        final int half = (config.b() + 1) / 2;
        final Map<Long, VivaldiCoordinate> coordinates = coordinatesOf(c);
        final TreeRules.Split split = c.level == 0 ? splitByMeasuredRtt(c, half, coordinates)
            : TreeRules.twoMeans(c.memberIds(), coordinates::get, half);
        final long[] keep = contains(split.first(), selfId) ? split.first() : split.second();
        final long[] away = keep == split.first() ? split.second() : split.first();
        final long newHead = TreeRules.medoid(eligibleHeads(away), RttFunction.predicted(coordinates::get));
        final List<Member> awayMembers = new ArrayList<>();
        for (final long id : away) {
            awayMembers.add(c.members.get(id));
        }
        // the level above: the parent's cluster, or a new top level with this node as root
        if (isRootHere() && (c.level + 1 >= LEVELS || levels[c.level + 1] == null)) {
            growTop(now);
        }
        for (final long id : away) {
            c.members.remove(id);
        }
        membershipChanged(c, now);
        final Member newHeadMember = awayMembers.stream().filter(m -> m.id == newHead).findFirst().orElseThrow();
        final String newHeadAddress = newHeadMember.address;
        final Cluster parent = c.level + 1 < LEVELS ? levels[c.level + 1] : null;
        if (parent != null && parent.isHead() && !parent.members.containsKey(newHead)) {
            // we head the level above too: the new head is a member there at once
            parent.members.put(newHead, new Member(newHead, newHeadAddress, newHeadMember.coordinate));
            parent.contributions.readmit(newHead);
            membershipChanged(parent, now);
        }
        log.info("tree: " + hex(selfId) + " splits its level " + c.level + " cluster: keeps " + keep.length
            + ", hands " + away.length + " to " + hex(newHead));
        counters.splits++;
        // the new head first, so it heads before its members hear of it
        for (final Member m : awayMembers) {
            if (m.id == newHead) {
                sendViewAs(c, newHead, awayMembers, c.epoch, null, newHeadAddress, false);
            }
        }
        for (final Member m : awayMembers) {
            if (m.id != newHead) {
                sendViewAs(c, newHead, awayMembers, c.epoch, null, m.address, false);
            }
        }
        c.viewDirty = true;
    }

    /**
     * A leaf split by what this head measured: members sorted by round trip from the head, cut at
     * the widest relative gap that leaves both halves legal (a region boundary, when there is one).
     * Coordinates learned in the first seconds cannot tell regions apart well enough; a measured
     * round trip can. Without a real gap (one region) it falls back to 2-means on coordinates.
     */
    private TreeRules.Split splitByMeasuredRtt(final Cluster c, final int half, final Map<Long, VivaldiCoordinate> coordinates) {
        final List<Member> sorted = new ArrayList<>(c.members.values());
        final VivaldiCoordinate self = vivaldi.coordinate();
        final Map<Long, Double> rttMs = new HashMap<>();
        for (final Member m : sorted) {
            rttMs.put(m.id, m.id == selfId ? 0.0 : m.rttMicros > 0 ? m.rttMicros / 1000.0 : self.distanceMs(m.coordinate));
        }
        sorted.sort((a, b) -> {
            final int byRtt = Double.compare(rttMs.get(a.id), rttMs.get(b.id));
            return byRtt != 0 ? byRtt : Long.compareUnsigned(a.id, b.id);
        });
        int cut = -1;
        double widest = 0;
        for (int i = half; i <= sorted.size() - half; i++) {
            final double below = rttMs.get(sorted.get(i - 1).id);
            final double above = rttMs.get(sorted.get(i).id);
            final double gap = (above + 1.0) / (below + 1.0);
            if (gap > widest) {
                widest = gap;
                cut = i;
            }
        }
        if (cut < 0 || widest < 2.0) {
            return TreeRules.twoMeans(c.memberIds(), coordinates::get, half);
        }
        final long[] near = new long[cut];
        final long[] far = new long[sorted.size() - cut];
        for (int i = 0; i < sorted.size(); i++) {
            if (i < cut) {
                near[i] = sorted.get(i).id;
            } else {
                far[i - cut] = sorted.get(i).id;
            }
        }
        return new TreeRules.Split(near, far);
    }

    private void requestMerge(final Cluster c, final long now) {
        c.mergeRequestedMicros = now;
        final Cluster parent = levels[c.level + 1];
        if (parent == null) {
            return;
        }
        if (parent.isHead()) {
            decideMerge(parent, selfId, now);
        } else {
            final WireWriter w = outbox.begin(1 + TreeBodies.nodeRefLength(selfAddress), false);
            w.u8(c.level).u64(selfId).address(selfAddress);
            outbox.send(parent.headAddress, MessageType.TREE_MERGE, w);
        }
    }

    /**
     * As the head of {@code parent}, handles member {@code underfull}'s request: the nearest other
     * member (sibling head) is chosen; the one of the two that is this node absorbs the other, else
     * the underfull one moves into the sibling. The mover leaves {@code parent}.
     */
    private void decideMerge(final Cluster parent, final long underfull, final long now) {
        final Member u = parent.members.get(underfull);
        if (u == null || parent.members.size() < 2) {
            return;
        }
        final List<Member> siblings = new ArrayList<>();
        for (final Member m : parent.members.values()) {
            if (m.id != underfull) {
                siblings.add(m);
            }
        }
        final VivaldiCoordinate from = underfull == selfId ? vivaldi.coordinate() : u.coordinate;
        Member best = null;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (final Member m : siblings) {
            final double d = from.distanceMs(m.id == selfId ? vivaldi.coordinate() : m.coordinate);
            if (d < bestDistance) {
                best = m;
                bestDistance = d;
            }
        }
        final Member mover = best.id == selfId ? u : underfull == selfId ? best : u;
        final Member absorber = mover == u ? best : u;
        counters.merges++;
        log.info("tree: " + hex(selfId) + " merges level " + (parent.level - 1) + " cluster of " + hex(mover.id)
            + " into " + hex(absorber.id));
        parent.members.remove(mover.id);
        membershipChanged(parent, now);
        if (mover.id == selfId) {
            dissolve(parent.level - 1, new NodeRef(absorber.id, absorber.address), now);
        } else {
            final WireWriter w = outbox.begin(1 + TreeBodies.nodeRefLength(absorber.address), false);
            w.u8(parent.level - 1).u64(absorber.id).address(absorber.address);
            outbox.send(mover.address, MessageType.TREE_MERGE, w);
        }
    }

    private void onMerge(final long senderId, final WireReader r, final long now) {
        final int level = r.u8();
        final long targetId = r.u64();
        final String targetAddress = r.address();
        if (!r.done() || level + 1 >= LEVELS) {
            malformed("tree-merge", senderId, "bad body");
            return;
        }
        final Cluster parent = levels[level + 1];
        if (parent == null) {
            counters.stale++;
            return;
        }
        if (parent.isHead() && targetId == senderId) {
            decideMerge(parent, senderId, now); // an underfull member asks us, its parent
        } else if (parent.headId == senderId && levels[level] != null && levels[level].isHead()) {
            dissolve(level, new NodeRef(targetId, targetAddress), now); // our parent tells us where to go
        } else {
            counters.stale++;
        }
    }

    /** Hands every member of our level-{@code level} cluster to {@code into}, and joins it ourselves. */
    private void dissolve(final int level, final NodeRef into, final long now) {
        final Cluster c = levels[level];
        for (final Member m : c.members.values()) {
            if (m.id != selfId) {
                sendViewAs(c, selfId, List.of(), c.epoch + 1, into, m.address, false);
            }
        }
        levels[level] = null;
        for (int l = level + 1; l < LEVELS; l++) {
            levels[l] = null;
            seeks[l] = null;
        }
        final Seek s = new Seek(level);
        s.backoffMicros = config.seekTimeoutMicros();
        s.askedAddress = into.address();
        s.deadlineMicros = now + config.seekTimeoutMicros();
        seeks[level] = s;
        sendAdmit(into.address(), level, 0, now);
    }

    // ---------------------------------------------------------------- failure detection (SWIM + Lifeguard)

    private void probe(final Cluster c, final long now) {
        if (c.probeSentMicros >= 0) {
            final long waited = now - c.probeSentMicros;
            if (!c.indirectSent && waited >= config.probeTimeoutMicros() * (1 + localHealth)) {
                c.indirectSent = true;
                final Member target = c.members.get(c.probeTarget);
                if (target != null) {
                    sendIndirect(c, target, now);
                }
            }
            if (waited >= config.pingIntervalMicros() * (1 + localHealth)) {
                c.probeSentMicros = -1;
                localHealth = Math.min(LOCAL_HEALTH_MAX, localHealth + 1);
                final Member target = c.members.get(c.probeTarget);
                if (target != null && target.state == TreeBodies.STATE_ALIVE) {
                    suspect(c, target, selfId, now);
                    for (final Member m : c.members.values()) {
                        if (m.id != selfId) {
                            sendSuspect(m.address, c.level, target.id, target.incarnation, TreeBodies.STATE_SUSPECT);
                        }
                    }
                }
            }
            return;
        }
        if (now < c.nextProbeMicros || c.members.size() < 2) {
            return;
        }
        if (c.probeCursor >= c.probeOrder.size()) {
            c.probeOrder.clear();
            for (final long id : c.members.keySet()) {
                if (id != selfId) {
                    c.probeOrder.add(id);
                }
            }
            for (int i = c.probeOrder.size() - 1; i > 0; i--) {
                final int j = random.nextInt(i + 1);
                final long t = c.probeOrder.get(i);
                c.probeOrder.set(i, c.probeOrder.get(j));
                c.probeOrder.set(j, t);
            }
            c.probeCursor = 0;
        }
        if (c.probeOrder.isEmpty()) {
            return;
        }
        final Member target = c.members.get(c.probeOrder.get(c.probeCursor++));
        c.nextProbeMicros = now + config.pingIntervalMicros();
        if (target == null) {
            return;
        }
        c.probeTarget = target.id;
        c.probeId = ++probeCounter;
        c.probeSentMicros = now;
        c.indirectSent = false;
        sendPing(target.address, c.level, c.probeId, 0, target.id, now);
    }

    private void sendIndirect(final Cluster c, final Member target, final long now) {
        final List<Member> helpers = new ArrayList<>();
        for (final Member m : c.members.values()) {
            if (m.id != selfId && m.id != target.id && m.state == TreeBodies.STATE_ALIVE) {
                helpers.add(m);
            }
        }
        for (int i = 0; i < config.indirectProbes() && !helpers.isEmpty(); i++) {
            final Member h = helpers.remove(random.nextInt(helpers.size()));
            final WireWriter w = outbox.begin(9 + TreeBodies.nodeRefLength(target.address), false);
            w.u8(c.level).u64(c.probeId).u64(target.id).address(target.address);
            outbox.send(h.address, MessageType.TREE_PING_REQ, w);
        }
    }

    private void sendPing(final String address, final int level, final long probeId, final long askedBy,
                          final long toId, final long now) {
        sendProbe(address, MessageType.TREE_PING, level, probeId, askedBy, toId);
    }

    private void sendProbe(final String address, final MessageType type, final int level, final long probeId,
                           final long askedBy, final long toId) {
        final WireWriter w = outbox.begin(21 + TreeBodies.COORDINATE_LENGTH, shouldIntroduce(toId));
        w.u8(level).u64(probeId).u64(askedBy).u32(myIncarnation(level) & 0xFFFF_FFFFL);
        vivaldi.coordinate().writeTo(w.buffer(), w.reserve(TreeBodies.COORDINATE_LENGTH));
        outbox.send(address, type, w);
    }

    private void onPing(final long senderId, final String senderAddress, final WireReader r, final long now) {
        final int level = r.u8();
        final long probeId = r.u64();
        final long askedBy = r.u64();
        r.u32();
        r.skip(TreeBodies.COORDINATE_LENGTH);
        if (!r.done() || senderAddress == null) {
            malformed("tree-ping", senderId, "bad body");
            return;
        }
        if (level != TreeBodies.LEVEL_ANY) {
            final Cluster c = level < LEVELS ? levels[level] : null;
            // only members of our cluster at that level (directly, or through a member's ping-req) get an ack:
            // a head that still lists us after we moved must stop counting us
            final long asker = askedBy != 0 ? askedBy : senderId;
            if (c == null && askedBy == 0) {
                // We are in no cluster at that level, yet the sender counts us in one: we restarted (or
                // moved) and lost it. "I left": a member whose head we were elects another at once, a
                // head that lists us drops us. (Saying "you are not my member" instead would send the
                // whole cluster seeking, and a restarted root would leave its fleet without a top.)
                counters.stale++;
                sendSuspect(senderAddress, level, selfId, 0, TreeBodies.STATE_DEAD);
                return;
            }
            if (c == null || !c.members.containsKey(senderId) || !c.members.containsKey(asker)) {
                counters.stale++;
                if (askedBy == 0) {
                    // "you are not a member of my cluster at this level": a head drops us, a stale member finds its place again
                    sendSuspect(senderAddress, level, senderId, 0, TreeBodies.STATE_DEAD);
                }
                return;
            }
        }
        sendProbe(senderAddress, MessageType.TREE_ACK, level, probeId, askedBy, senderId);
    }

    private void onAck(final long senderId, final WireReader r, final long now) {
        final int level = r.u8();
        final long probeId = r.u64();
        final long askedBy = r.u64();
        final long incarnation = r.u32();
        final int at = r.skip(TreeBodies.COORDINATE_LENGTH);
        if (!r.done()) {
            malformed("tree-ack", senderId, "bad body");
            return;
        }
        final VivaldiCoordinate coordinate = VivaldiCoordinate.tryReadFrom(r.buffer(), at);
        if (askedBy != 0 && askedBy != selfId) {
            // we probed on someone's behalf: pass the ack on
            final long[] asker = indirect.remove(probeId);
            final String askerAddress = indirectAskers.remove(probeId);
            if (asker != null && askerAddress != null) {
                final WireWriter w = outbox.begin(21 + TreeBodies.COORDINATE_LENGTH, false);
                w.u8(level).u64(asker[1]).u64(0).u32(incarnation);
                (coordinate != null ? coordinate : VivaldiCoordinate.ORIGIN).writeTo(w.buffer(), w.reserve(TreeBodies.COORDINATE_LENGTH));
                outbox.send(askerAddress, MessageType.TREE_ACK, w);
            }
            return;
        }
        if (level == TreeBodies.LEVEL_ANY) {
            final Long measuring = measureProbes.remove(probeId);
            final Long sentAt = measureSent.remove(probeId);
            if (measuring != null && measuring == senderId && sentAt != null) {
                for (final Cluster headed : levels) {
                    final Member member = headed == null ? null : headed.members.get(senderId);
                    if (member != null) {
                        member.rttMicros = now - sentAt;
                    }
                }
                return;
            }
            descentAck(probeId, senderId, now);
            return;
        }
        if (level >= LEVELS) {
            return;
        }
        final Cluster c = levels[level];
        if (c == null) {
            return;
        }
        final Member m = c.members.get(senderId);
        if (m != null) {
            if (coordinate != null) {
                m.coordinate = coordinate;
            }
            if (incarnation > m.incarnation) {
                m.incarnation = incarnation;
            }
            if (m.state == TreeBodies.STATE_SUSPECT && incarnation >= m.incarnation) {
                clearSuspicion(m);
            }
        }
        if (c.probeSentMicros >= 0 && probeId == c.probeId) {
            final long rtt = now - c.probeSentMicros;
            if (m != null && !c.indirectSent) {
                m.rttMicros = m.rttMicros <= 0 ? rtt : (7 * m.rttMicros + rtt) / 8;
            }
            c.probeSentMicros = -1;
            localHealth = Math.max(0, localHealth - 1);
            if (coordinate != null && !c.indirectSent) {
                vivaldi.observe(coordinate, rtt);
            }
        }
    }

    private void onPingReq(final long senderId, final String senderAddress, final WireReader r, final long now) {
        final int level = r.u8();
        final long probeId = r.u64();
        final long targetId = r.u64();
        final String targetAddress = r.address();
        if (!r.done() || senderAddress == null) {
            malformed("tree-ping-req", senderId, "bad body");
            return;
        }
        final long ours = ++probeCounter;
        if (indirect.size() > 256) {
            indirect.clear();
            indirectAskers.clear();
        }
        indirect.put(ours, new long[] {senderId, probeId});
        indirectAskers.put(ours, senderAddress);
        sendPing(targetAddress, level, ours, senderId, targetId, now);
    }

    /**
     * The core could not verify a tree frame from {@code senderId}: we hold no certificate for it
     * (never had it, e.g. it came into our cluster through a merge or an election, or it was
     * evicted before we listed it). If it is in one of our clusters, we ask it, at the address our
     * view holds and at most once per {@link #INTRODUCE_ASK_INTERVAL_MICROS}, to introduce itself
     * again; otherwise its contributions would go unheard until its next scheduled introduction.
     * The sender id is unverified, so the request only ever goes to a member's known address.
     */
    public void onUnknownSender(final long senderId, final long now) {
        if (stopped || startMicros < 0) {
            return;
        }
        final Member member = memberAnywhere(senderId);
        if (member == null || member.id == selfId || member.address == null) {
            return;
        }
        final Long asked = introduceAskedMicros.get(senderId);
        if (asked != null && now - asked < INTRODUCE_ASK_INTERVAL_MICROS) {
            // asked a moment ago (its answer may have crossed this frame): ask again once the interval is over
            if (introducePending.size() < 4 * config.b() * LEVELS) {
                introducePending.add(senderId);
            }
            return;
        }
        askIntroduction(senderId, member.address, now);
    }

    /** {@code id} as listed in the lowest of our clusters that lists it, or null. */
    private Member memberAnywhere(final long id) {
        for (final Cluster c : levels) {
            final Member m = c == null ? null : c.members.get(id);
            if (m != null) {
                return m;
            }
        }
        return null;
    }

    private void askIntroduction(final long id, final String address, final long now) {
        if (introduceAskedMicros.size() > 4096) {
            introduceAskedMicros.clear();
        }
        introduceAskedMicros.put(id, now);
        introducePending.remove(id);
        counters.introduceRequests++;
        final WireWriter w = outbox.begin(8, true);
        w.u64(id);
        outbox.send(address, MessageType.TREE_INTRODUCE_REQUEST, w);
    }

    /** Requests held back by the rate limit, sent once it allows, while the sender is still a member. */
    private void askPendingIntroductions(final long now) {
        if (introducePending.isEmpty()) {
            return;
        }
        for (final long id : List.copyOf(introducePending)) {
            final Long asked = introduceAskedMicros.get(id);
            if (asked != null && now - asked < INTRODUCE_ASK_INTERVAL_MICROS) {
                continue;
            }
            final Member member = memberAnywhere(id);
            if (member == null || member.address == null) {
                introducePending.remove(id);
            } else {
                askIntroduction(id, member.address, now);
            }
        }
    }

    /** A member cannot verify our frames: our next frame to it carries our certificate, and what it missed is sent again now. */
    private void onIntroduceRequest(final long senderId, final WireReader r) {
        final long about = r.u64();
        if (!r.done() || about != selfId) {
            malformed("tree-introduce-request", senderId, "bad body, or not about this node");
            return;
        }
        introducedMicros.remove(senderId);
        for (final Cluster c : levels) {
            final Member m = c == null ? null : c.members.get(senderId);
            if (m != null && c.lastSent != null) {
                sendContribution(m.address, senderId, c.lastSent);
            }
        }
    }

    private void sendSuspect(final String address, final int level, final long subject, final long incarnation, final int state) {
        sendSuspect(address, level, subject, incarnation, state, false);
    }

    private void sendSuspect(final String address, final int level, final long subject, final long incarnation, final int state,
                             final boolean introduce) {
        final WireWriter w = outbox.begin(14, introduce);
        w.u8(level).u64(subject).u32(incarnation & 0xFFFF_FFFFL).u8(state);
        outbox.send(address, MessageType.TREE_SUSPECT, w);
    }

    private void onSuspect(final long senderId, final WireReader r, final long now) {
        final int level = r.u8();
        final long subject = r.u64();
        final long incarnation = r.u32();
        final int state = r.u8();
        if (!r.done() || level >= LEVELS) {
            malformed("tree-suspect", senderId, "bad body");
            return;
        }
        final Cluster c = levels[level];
        if (c == null || !c.members.containsKey(senderId)) {
            return;
        }
        if (subject == selfId) {
            if (state == TreeBodies.STATE_DEAD) {
                if (c.headId == senderId && !c.isHead()) {
                    // our head does not count us any more
                    log.info("tree: " + hex(selfId) + " is not in " + hex(senderId) + "'s level " + level + " cluster any more");
                    dropLevel(level, now, false);
                    if (level == 0 || (levels[level - 1] != null && levels[level - 1].isHead())) {
                        startSeek(level, 0, now);
                    }
                } else if (c.isHead()) {
                    memberGone(c, senderId, "not in our cluster", now);
                }
                return;
            }
            if (state == TreeBodies.STATE_SUSPECT) {
                // refute: a higher incarnation says we are alive
                final Member me = c.members.get(selfId);
                me.incarnation = Math.max(me.incarnation, incarnation) + 1;
                counters.refutations++;
                for (final Member m : c.members.values()) {
                    if (m.id != selfId) {
                        sendSuspect(m.address, level, selfId, me.incarnation, TreeBodies.STATE_ALIVE);
                    }
                }
            }
            return;
        }
        final Member m = c.members.get(subject);
        if (m == null) {
            return;
        }
        if (state == TreeBodies.STATE_DEAD && subject == senderId) {
            // the member itself says it left
            memberGone(c, subject, "left", now);
        } else if (state == TreeBodies.STATE_ALIVE) {
            if (incarnation > m.incarnation) {
                m.incarnation = incarnation;
                clearSuspicion(m);
            }
        } else if (state == TreeBodies.STATE_SUSPECT && incarnation >= m.incarnation) {
            suspect(c, m, senderId, now);
        }
    }

    private void suspect(final Cluster c, final Member m, final long by, final long now) {
        if (m.state != TreeBodies.STATE_SUSPECT) {
            m.state = TreeBodies.STATE_SUSPECT;
            m.suspectSinceMicros = now;
            m.suspectors.clear();
            counters.suspicions++;
        }
        m.suspectors.add(by);
    }

    private static void clearSuspicion(final Member m) {
        m.state = TreeBodies.STATE_ALIVE;
        m.suspectors.clear();
    }

    /** Lifeguard: the more members independently suspect, the sooner the suspicion is confirmed. */
    long suspicionTimeoutMicros(final int clusterSize, final int confirmations) {
        final double n = Math.max(2, clusterSize);
        final long min = Math.round(config.suspicionMinMicros() * Math.max(1.0, Math.log10(n)));
        final long max = min * config.suspicionMaxFactor();
        final double fraction = Math.log(Math.max(1, confirmations)) / Math.log(LIFEGUARD_K + 1);
        return Math.max(min, Math.round(max - (max - min) * Math.min(1.0, fraction)));
    }

    private void expireSuspicions(final Cluster c, final long now) {
        List<Long> dead = null;
        for (final Member m : c.members.values()) {
            if (m.state == TreeBodies.STATE_SUSPECT
                && now - m.suspectSinceMicros >= suspicionTimeoutMicros(c.members.size(), m.suspectors.size())) {
                if (dead == null) {
                    dead = new ArrayList<>();
                }
                dead.add(m.id);
            }
        }
        if (dead != null) {
            for (final long id : dead) {
                if (levels[c.level] == c && c.members.containsKey(id)) {
                    memberGone(c, id, "dead (suspicion confirmed)", now);
                }
            }
        }
    }

    /** A member is gone (dead, left, or replaced): the head drops it; members replace a gone head. */
    private void memberGone(final Cluster c, final long id, final String why, final long now) {
        if (id == selfId) {
            return; // whoever says so, this node is not gone from its own cluster
        }
        if (c.isHead()) {
            removeMember(c, id, why, now);
        } else if (id == c.headId) {
            electNewHead(c, id, why, now);
        } else {
            final Member m = c.members.get(id);
            if (m != null && m.state != TreeBodies.STATE_SUSPECT) {
                m.state = TreeBodies.STATE_SUSPECT;
                m.suspectSinceMicros = now;
            }
        }
    }

    private void removeMember(final Cluster c, final long id, final String why, final long now) {
        final Member gone = c.members.remove(id);
        if (gone == null) {
            return;
        }
        counters.removed++;
        log.info("tree: " + hex(selfId) + " drops " + hex(id) + " from its level " + c.level + " cluster: " + why);
        membershipChanged(c, now);
        // the view without it tells a member we wrongly declared dead, or one replaced, at once to find
        // a place again (it would otherwise wait for its view to time out); one frame to a dead node is lost
        sendView(c, gone.address, false, now);
    }

    /**
     * Who may head a cluster: not a node we quarantined (a head replaced for forging, a member with
     * implausible statistics) unless nobody else is left. Quarantine is what this node saw, so two
     * members may disagree; the one that does not hear from the head it chose finds its place again.
     */
    private long[] eligibleHeads(final long[] ids) {
        final long[] honest = java.util.Arrays.stream(ids).filter(id -> !quarantined.contains(id)).toArray();
        return honest.length == 0 ? ids : honest;
    }

    /** The head is gone: every member computes the medoid of the rest; the winner takes over. */
    private void electNewHead(final Cluster c, final long oldHead, final String why, final long now) {
        final Map<Long, VivaldiCoordinate> coordinates = coordinatesOf(c);
        final List<Long> candidates = new ArrayList<>();
        for (final Member m : c.members.values()) {
            if (m.id != oldHead && (m.state == TreeBodies.STATE_ALIVE || m.id == selfId)) {
                candidates.add(m.id);
            }
        }
        if (candidates.isEmpty()) {
            return;
        }
        final long[] ids = candidates.stream().mapToLong(Long::longValue).toArray();
        final long next = TreeRules.medoid(eligibleHeads(ids), RttFunction.predicted(coordinates::get));
        if (next != selfId) {
            if (c.electedHead == next) {
                if (now - c.electedAtMicros >= suspicionTimeoutMicros(c.members.size(), 1)) {
                    // the one we elected has not taken over (it sees the cluster otherwise): find a place again
                    log.info("tree: " + hex(selfId) + " heard nothing from " + hex(next) + ", elected to head level " + c.level
                        + "; finding a place again");
                    dropLevel(c.level, now, true);
                    if (c.level == 0 || (levels[c.level - 1] != null && levels[c.level - 1].isHead())) {
                        startSeek(c.level, 0, now);
                    }
                }
                return;
            }
            log.info("tree: level " + c.level + " head " + hex(oldHead) + " is gone (" + why + "); next head " + hex(next));
            counters.headChanges++;
            c.electedHead = next;
            c.electedAtMicros = now;
            final Member old = c.members.get(oldHead);
            if (old != null) {
                old.state = TreeBodies.STATE_SUSPECT;
            }
            return; // its view will come
        }
        log.info("tree: level " + c.level + " head " + hex(oldHead) + " is gone (" + why + "); next head " + hex(next));
        counters.headChanges++;
        c.members.remove(oldHead);
        c.contributions.remove(oldHead);
        c.headId = selfId;
        c.headAddress = selfAddress;
        membershipChanged(c, now);
        c.changedMicros = now;
        log.info("tree: " + hex(selfId) + " takes over the level " + c.level + " cluster of " + c.members.size());
        final List<NodeRef> chain = c.chain;
        if (chain.isEmpty()) {
            root = new NodeRef(selfId, selfAddress);
            refreshTopLevels();
            return;
        }
        // replace the old head one level up: at its parent if that is someone else, else descend from the root
        final NodeRef parent = chain.get(0);
        startSeek(c.level + 1, oldHead, now);
        if (parent.id() != oldHead) {
            final Seek s = seeks[c.level + 1];
            s.askedAddress = parent.address();
            sendAdmit(parent.address(), c.level + 1, oldHead, now);
            s.deadlineMicros = now + config.seekTimeoutMicros();
        } else if (root != null && root.id() == oldHead) {
            root = chain.size() > 1 && chain.get(chain.size() - 1).id() != oldHead ? chain.get(chain.size() - 1) : null;
        }
    }

    // ---------------------------------------------------------------- statistics up

    private long nextVersion() {
        return versionBase + ++versionCounter;
    }

    /**
     * Sends our contribution at {@code level} to the cluster: a new version when it changed (at
     * most once per flush interval), the same version again to new members and every refresh
     * interval (soft state: a lost frame is repaired without changing anything upstream).
     */
    private void flush(final int level, final long now) {
        final Cluster c = levels[level];
        if (c == null) {
            return;
        }
        final Summary mine;
        if (c.contributionDirty || c.lastSent == null) {
            if (now - c.changeSentMicros < config.flushMicros()) {
                return;
            }
            mine = contribution(level);
            if (mine == null) {
                return;
            }
            c.changeSentMicros = now;
            c.lastSent = mine;
        } else if (now - c.contributionSentMicros >= config.refreshMicros()) {
            // soft state: recompute, and send a new version only if the content moved without us noticing
            final Summary fresh = contribution(level);
            if (fresh != null && !fresh.sameContent(c.lastSent)) {
                counters.refreshCorrections++;
                mine = fresh;
                c.changeSentMicros = now;
                c.lastSent = fresh;
            } else {
                mine = c.lastSent;
            }
        } else if (c.resendNeeded) {
            mine = c.lastSent;
        } else {
            return;
        }
        c.contributionDirty = false;
        c.resendNeeded = false;
        c.contributionSentMicros = now;
        final boolean changed = c.contributions.offer(mine);
        if (log.debugEnabled()) {
            log.debug("sends its level " + level + " contribution v" + mine.version() + " to " + (c.members.size() - 1) + " members");
        }
        for (final Member m : c.members.values()) {
            if (m.id != selfId) {
                sendContribution(m.address, m.id, mine);
            }
        }
        counters.contributionsSent++;
        if (level > 0 && levels[level - 1] != null && levels[level - 1].isHead()) {
            // every send, refreshes included: a member whose versions differed last time can check now
            announce(levels[level - 1], mine);
        }
        if (changed) {
            contributionsChanged(c, now);
        }
    }

    private void adoptEarly(final Cluster c, final long now) {
        boolean changed = false;
        final java.util.Iterator<Summary> it = early.values().iterator();
        while (it.hasNext()) {
            final Summary s = it.next();
            if (s.level() == c.level && c.members.containsKey(s.contributorId())) {
                it.remove();
                changed |= c.contributions.offer(s);
            }
        }
        if (changed) {
            contributionsChanged(c, now);
        }
    }

    /** Our summary at {@code level}: our own statistics at 0, our level-1 cluster's merge above. */
    private Summary contribution(final int level) {
        if (level == 0) {
            return new Summary(selfId, nextVersion(), 0, Math.min(localAgents, 0xFFFF_FFFFL), 1, localMoments);
        }
        final Cluster below = levels[level - 1];
        if (below == null || !below.isHead() || below.contributions.contributors() == 0) {
            return null;
        }
        final Set<Long> excluded = exclusions(below);
        final Moments merged = below.contributions.mergedExcluding(excluded::contains);
        if (forgeFactor != 1.0) {
            forge(merged);
        }
        long agents = 0;
        long leaves = 0;
        for (final Summary s : below.contributions.summaries()) {
            if (!excluded.contains(s.contributorId())) {
                agents += s.agentCount();
                leaves += s.contributorCount();
            }
        }
        return new Summary(selfId, nextVersion(), level, Math.min(agents, 0xFFFF_FFFFL),
            Math.max(1, Math.min(leaves, 0xFFFF_FFFFL)), merged);
    }

    private void forge(final Moments m) {
        // a lying head: claims more observations than its cluster made, shifting the fleet's statistics
        final Moments extra = m.copy();
        final int times = (int)Math.max(1, Math.round(forgeFactor) - 1);
        for (int i = 0; i < times; i++) {
            m.merge(extra);
        }
    }

    private void sendContribution(final String address, final long toId, final Summary s) {
        final WireWriter w = outbox.begin(s.bodyLength(), shouldIntroduce(toId));
        final int written = s.writeBody(w.buffer(), w.position());
        w.reserve(written);
        outbox.send(address, MessageType.STAT_UPDATE, w);
    }

    private void onContribution(final long senderId, final DirectBuffer buffer, final int bodyOffset, final int bodyLength,
                                final long now) {
        final Summary.Refusal refusal = Summary.refusal(buffer, bodyOffset, bodyLength, config.dimension());
        if (refusal != null) {
            counters.contributionsRefused++;
            if (refusal != Summary.Refusal.MALFORMED && refusal != Summary.Refusal.FEATURE_COUNT_MISMATCH) {
                quarantine(senderId, "implausible summary (" + refusal.name().toLowerCase(java.util.Locale.ROOT) + ")");
            }
            return;
        }
        final Summary s = Summary.readBody(buffer, bodyOffset, bodyLength, config.dimension());
        if (s.contributorId() != senderId || s.level() >= LEVELS) {
            counters.contributionsRefused++;
            refuse("stat-update from " + hex(senderId) + " claims contributor " + hex(s.contributorId()));
            return;
        }
        final Cluster c = levels[s.level()];
        if (c == null || !c.members.containsKey(senderId)) {
            // often a member's first contribution overtakes the view that lists it: keep it until the view comes
            if (early.size() >= 4 * config.b()) {
                early.remove(early.keySet().iterator().next());
            }
            early.put(senderId, s);
            counters.stale++;
            if (log.debugEnabled()) {
                log.debug("level " + s.level() + " contribution from " + hex(senderId) + " before its view: kept aside");
            }
            return;
        }
        if (s.level() == 0 && s.agentCount() == 0 && s.moments().count() > 0) {
            quarantine(senderId, "observations without agents (count " + s.moments().count() + ", 0 agents)");
        }
        final boolean newer = c.contributions.offer(s);
        if (log.debugEnabled()) {
            log.debug("level " + s.level() + " contribution from " + hex(senderId) + " v" + s.version() + " leaves "
                + s.contributorCount() + (newer ? "" : " (not newer)"));
        }
        if (newer) {
            contributionsChanged(c, now);
        }
    }

    private void quarantine(final long id, final String why) {
        if (quarantined.add(id)) {
            counters.quarantined++;
            log.warn("tree: " + hex(selfId) + " quarantines " + hex(id) + ": " + why);
            refuse("quarantined " + hex(id) + ": " + why);
        }
    }

    /** Our cluster at {@code c.level} has new statistics: a head passes them up, the root down. */
    private void contributionsChanged(final Cluster c, final long now) {
        if (!c.isHead()) {
            return;
        }
        final int up = c.level + 1;
        if (up < LEVELS && levels[up] != null) {
            levels[up].contributionDirty = true;
            flush(up, now);
        } else if (root != null && root.id() == selfId) {
            fleet = c.contributions.contributors() == 0 ? null
                : new Summary(selfId, nextVersion(), Math.max(1, c.level + 1), Math.min(c.contributions.agentCount(), 0xFFFF_FFFFL),
                    Math.max(1, Math.min(c.contributions.leafCount(), 0xFFFF_FFFFL)),
                    c.contributions.mergedExcluding(exclusions(c)::contains));
            // down through every cluster the root heads, not only the top one
            for (final Cluster headed : levels) {
                if (headed != null && headed.isHead()) {
                    headed.baselineDirty = true;
                }
            }
            if (observer != null) {
                observer.fleetChanged(this, now);
            }
        }
    }

    /**
     * Contributors left out of a cluster's merge: those quarantined for good (implausible
     * statistics, a forged aggregate) and, recomputed each time from the current contributions,
     * those whose mean is an extreme outlier against their siblings'.
     */
    private Set<Long> exclusions(final Cluster c) {
        final Set<Long> out = new HashSet<>();
        for (final Summary s : c.contributions.summaries()) {
            if (quarantined.contains(s.contributorId())) {
                out.add(s.contributorId());
            }
        }
        out.addAll(outliers(c));
        return out;
    }

    /** Contributors whose mean is far outside their siblings' (robust z on every feature). */
    private Set<Long> outliers(final Cluster c) {
        final Set<Long> out = new HashSet<>();
        final List<Summary> held = new ArrayList<>();
        for (final Summary s : c.contributions.summaries()) {
            if (s.moments().count() > 0) {
                held.add(s);
            }
        }
        if (held.size() < 8) {
            return out;
        }
        final int d = config.dimension();
        final double[] values = new double[held.size()];
        for (int i = 0; i < d; i++) {
            for (int k = 0; k < held.size(); k++) {
                values[k] = held.get(k).moments().mean(i);
            }
            final double median = median(values.clone());
            final double[] deviations = new double[values.length];
            for (int k = 0; k < values.length; k++) {
                deviations[k] = Math.abs(values[k] - median);
            }
            final double mad = 1.4826 * median(deviations) + 1e-9 * Math.abs(median) + 1e-12;
            for (int k = 0; k < values.length; k++) {
                // far outside the siblings on a robust scale AND on an absolute one: honest nodes differ,
                // but not by a hundred times the typical value (that is the head's verification's job)
                if (deviations[k] > OUTLIER_MADS * mad && deviations[k] > OUTLIER_TIMES * (Math.abs(median) + 1.0)
                    && out.add(held.get(k).contributorId())) {
                    counters.outliers++;
                }
            }
        }
        return out;
    }

    private static double median(final double[] v) {
        java.util.Arrays.sort(v);
        final int n = v.length;
        return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    }

    // ---------------------------------------------------------------- verifiable heads

    /** Tells our level-{@code below.level} members what we sent up and which of their versions we merged. */
    private void announce(final Cluster below, final Summary sentUp) {
        final List<Summary> used = new ArrayList<>(below.contributions.summaries());
        final List<Long> excluded = new ArrayList<>();
        final Set<Long> now = exclusions(below);
        for (final Summary s : used) {
            if (now.contains(s.contributorId())) {
                excluded.add(s.contributorId());
            }
        }
        final int length = 1 + 4 + 1 + 16 * used.size() + 1 + 8 * excluded.size() + 2 + sentUp.bodyLength();
        for (final Member m : below.members.values()) {
            if (m.id == selfId) {
                continue;
            }
            final WireWriter w = outbox.begin(length, false);
            w.u8(below.level).u32(below.epoch & 0xFFFF_FFFFL).u8(used.size());
            for (final Summary s : used) {
                w.u64(s.contributorId()).u64(s.version());
            }
            w.u8(excluded.size());
            for (final long id : excluded) {
                w.u64(id);
            }
            w.u16(sentUp.bodyLength());
            final int written = sentUp.writeBody(w.buffer(), w.position());
            w.reserve(written);
            outbox.send(m.address, MessageType.TREE_ANNOUNCE, w);
        }
        counters.announcements++;
    }

    private void onAnnounce(final long senderId, final WireReader r, final long now) {
        final int level = r.u8();
        r.u32();
        final int n = r.u8();
        final long[] ids = new long[n];
        final long[] versions = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = r.u64();
            versions[i] = r.u64();
        }
        final int q = r.u8();
        final Set<Long> excluded = new HashSet<>();
        for (int i = 0; i < q; i++) {
            excluded.add(r.u64());
        }
        final int summaryLength = r.u16();
        final int at = r.skip(summaryLength);
        if (!r.done() || level >= LEVELS) {
            malformed("tree-announce", senderId, "bad body");
            return;
        }
        final Cluster c = levels[level];
        if (c == null || c.headId != senderId || c.isHead()) {
            counters.stale++;
            return;
        }
        final Summary claimed = Summary.readBody(r.buffer(), at, summaryLength, config.dimension());
        if (claimed == null || claimed.contributorId() != senderId) {
            challenge(c, 0, now);
            return;
        }
        // recompute only when we hold exactly the versions the head says it merged
        if (n != c.contributions.contributors()) {
            counters.verifyInconclusive++;
            return;
        }
        for (int i = 0; i < n; i++) {
            if (c.contributions.version(ids[i]) != versions[i]) {
                counters.verifyInconclusive++;
                return;
            }
        }
        final Moments recomputed = c.contributions.mergedExcluding(excluded::contains);
        final Moments claimedMoments = claimed.moments();
        if (sameBits(recomputed, claimedMoments)) {
            counters.verifyOk++;
        } else {
            counters.verifyMismatch++;
            challenge(c, claimed.version(), now);
        }
    }

    private static boolean sameBits(final Moments a, final Moments b) {
        final byte[] x = new byte[Moments.encodedLength(a.dimension())];
        final byte[] y = new byte[Moments.encodedLength(b.dimension())];
        a.writeTo(new org.agrona.concurrent.UnsafeBuffer(x), 0);
        b.writeTo(new org.agrona.concurrent.UnsafeBuffer(y), 0);
        return java.util.Arrays.equals(x, y);
    }

    /** Our head sent up statistics its members' contributions do not give: say so to the cluster and the parent. */
    private void challenge(final Cluster c, final long version, final long now) {
        log.warn("tree: " + hex(selfId) + " challenges level " + c.level + " head " + hex(c.headId)
            + ": its aggregate (version " + version + ") does not match the members' contributions");
        counters.challengesSent++;
        c.challengers.add(selfId);
        for (final Member m : c.members.values()) {
            if (m.id != selfId && m.id != c.headId) {
                sendChallenge(m.address, c.level, c.headId, version, c.epoch, c.members.size());
            }
        }
        if (!c.chain.isEmpty()) {
            sendChallenge(c.chain.get(0).address(), c.level, c.headId, version, c.epoch, c.members.size());
        }
        checkChallenges(c, now);
    }

    private void sendChallenge(final String address, final int level, final long head, final long version, final long epoch,
                               final int size) {
        final WireWriter w = outbox.begin(25, false);
        w.u8(level).u64(head).u64(version).u32(epoch & 0xFFFF_FFFFL).u32(size);
        outbox.send(address, MessageType.TREE_CHALLENGE, w);
    }

    /** Challengers of each head that is our member one level up: head id -> {challenger ids}, with the cluster size. */
    private final Map<Long, Set<Long>> parentChallenges = new HashMap<>();
    private final Map<Long, Integer> parentChallengeSizes = new HashMap<>();

    private void onChallenge(final long senderId, final WireReader r, final long now) {
        final int level = r.u8();
        final long head = r.u64();
        r.u64();
        r.u32();
        final long size = r.u32();
        if (!r.done() || level >= LEVELS || size < 1 || size > TreeBodies.LIST_MAX) {
            malformed("tree-challenge", senderId, "bad body");
            return;
        }
        counters.challengesReceived++;
        final Cluster c = levels[level];
        if (c != null && c.headId == head && c.members.containsKey(senderId) && !c.isHead()) {
            c.challengers.add(senderId);
            checkChallenges(c, now);
        }
        // as the parent of the challenged head: drop it once a majority of its other members says so
        final Cluster parent = level + 1 < LEVELS ? levels[level + 1] : null;
        if (parent != null && parent.isHead() && parent.members.containsKey(head) && head != selfId) {
            final Set<Long> set = parentChallenges.computeIfAbsent(head, k -> new HashSet<>());
            set.add(senderId);
            parentChallengeSizes.merge(head, (int)size, Math::max);
            if (2 * set.size() > parentChallengeSizes.get(head) - 1) {
                quarantine(head, "aggregate challenged by " + set.size() + " of its " + parentChallengeSizes.get(head) + " members");
                removeMember(parent, head, "replaced after challenges", now);
                parentChallenges.remove(head);
                parentChallengeSizes.remove(head);
            }
        }
    }

    /** A majority of the members other than the head (who never challenges itself) replaces it. */
    private void checkChallenges(final Cluster c, final long now) {
        if (2 * c.challengers.size() > c.members.size() - 1) {
            final long liar = c.headId;
            quarantine(liar, "aggregate challenged by " + c.challengers.size() + " of " + c.members.size() + " members");
            c.challengers.clear();
            c.contributions.remove(liar);
            electNewHead(c, liar, "challenged by a majority", now);
        }
    }

    // ---------------------------------------------------------------- baseline down

    private void flushBaseline(final Cluster c, final long now) {
        if (!c.isHead() || fleet == null || now - c.baselineSentMicros < BASELINE_MIN_INTERVAL_MICROS
            || !(c.baselineDirty || now - c.baselineSentMicros >= config.refreshMicros())) {
            return;
        }
        c.baselineDirty = false;
        c.baselineSentMicros = now;
        for (final Member m : c.members.values()) {
            if (m.id != selfId) {
                final WireWriter w = outbox.begin(4 + fleet.bodyLength(), false);
                w.u8(TreeBodies.BASELINE_FLEET).u8(c.level).u16(fleet.bodyLength());
                final int written = fleet.writeBody(w.buffer(), w.position());
                w.reserve(written);
                outbox.send(m.address, MessageType.TREE_BASELINE, w);
            }
        }
    }

    private void onBaseline(final long senderId, final WireReader r, final long now) {
        final int kind = r.u8();
        final int level = r.u8();
        final int length = r.u16();
        final int at = r.skip(length);
        if (!r.done() || level >= LEVELS || kind != TreeBodies.BASELINE_FLEET) {
            malformed("tree-baseline", senderId, "bad body");
            return;
        }
        final Cluster c = levels[level];
        if (c == null || c.headId != senderId) {
            counters.stale++;
            return;
        }
        final Summary s = Summary.readBody(r.buffer(), at, length, config.dimension());
        if (s == null) {
            counters.contributionsRefused++;
            return;
        }
        if (fleet != null && fleet.contributorId() == s.contributorId() && fleet.version() >= s.version()) {
            return;
        }
        fleet = s;
        for (int l = 0; l < level; l++) {
            if (levels[l] != null && levels[l].isHead()) {
                levels[l].baselineDirty = true;
                flushBaseline(levels[l], now);
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private boolean shouldIntroduce(final long toId) {
        final Long at = introducedMicros.get(toId);
        final long now = currentMicros;
        if (at == null || now - at >= INTRODUCE_AGAIN_MICROS) {
            if (introducedMicros.size() > 4096) {
                introducedMicros.clear();
            }
            introducedMicros.put(toId, now);
            return true;
        }
        return false;
    }

    private long currentMicros;

    /** The core calls this before every input so introductions can be timed without a clock argument everywhere. */
    public void setNow(final long nowMicros) {
        currentMicros = nowMicros;
    }

    private long selfIncarnation(final Cluster c) {
        final Member me = c.members.get(selfId);
        return me == null ? 0 : me.incarnation;
    }

    private long myIncarnation(final int level) {
        if (level >= LEVELS) {
            return 0;
        }
        final Cluster c = levels[level];
        return c == null ? 0 : selfIncarnation(c);
    }

    private boolean isDeadOrSuspect(final long id) {
        for (final Cluster c : levels) {
            if (c != null) {
                final Member m = c.members.get(id);
                if (m != null && m.state != TreeBodies.STATE_ALIVE) {
                    return true;
                }
            }
        }
        return false;
    }

    private Map<Long, VivaldiCoordinate> coordinatesOf(final Cluster c) {
        final Map<Long, VivaldiCoordinate> out = new HashMap<>();
        for (final Member m : c.members.values()) {
            out.put(m.id, m.id == selfId ? vivaldi.coordinate() : m.coordinate);
        }
        return out;
    }

    private static boolean contains(final long[] ids, final long id) {
        for (final long x : ids) {
            if (x == id) {
                return true;
            }
        }
        return false;
    }

    private void refreshTopLevels() {
        // views carry the top level; the next view refresh passes it on
        for (final Cluster c : levels) {
            if (c != null && c.isHead()) {
                c.viewDirty = true;
            }
        }
    }

    private long jitter(final long bound) {
        return bound <= 0 ? 0 : random.nextLong(bound);
    }

    /** A tree body that breaks the protocol's rules: counted, and kept among the refusals the status shows. */
    private void malformed(final String type, final long senderId, final String why) {
        counters.malformed++;
        refuse("malformed " + type + " from " + hex(senderId) + ": " + why);
    }

    private void refuse(final String what) {
        if (refusals.size() >= 32) {
            refusals.remove(0);
        }
        refusals.add(what);
    }

    private static String hex(final long id) {
        return NodeIds.toHex(id);
    }

    // ---------------------------------------------------------------- views for operators and checkers

    /** The highest level this node is in; the tree's top level when this node is the root. */
    public int topLevel() {
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

    private boolean isRootHere() {
        return root != null && root.id() == selfId;
    }

    public boolean isRoot() {
        return root != null && root.id() == selfId && levels[0] != null;
    }

    /** Whether this node has a level-0 cluster. */
    public boolean isPlaced() {
        return levels[0] != null;
    }

    public long selfId() {
        return selfId;
    }

    /** Whether {@code id} is in one of our clusters or on our head chain (its certificate must stay remembered). */
    public boolean knows(final long id) {
        for (final Cluster c : levels) {
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
        return root != null && root.id() == id;
    }

    /** The head of our cluster at {@code level}, or 0. */
    public long headAt(final int level) {
        final Cluster c = level < LEVELS ? levels[level] : null;
        return c == null ? 0 : c.headId;
    }

    /** Member ids of our cluster at {@code level} (ascending unsigned), or an empty array. */
    public long[] membersAt(final int level) {
        final Cluster c = level < LEVELS ? levels[level] : null;
        return c == null ? new long[0] : c.memberIds();
    }

    /** The root as this node knows it, or {@code null}. */
    public NodeRef root() {
        return root;
    }

    /** The fleet baseline this node holds (the root's merge), or {@code null}. */
    public Summary fleetBaseline() {
        return fleet;
    }

    /** Our level-0 cluster's merge (the cohort baseline), or {@code null} before placement. */
    public Moments cohortBaseline() {
        final Cluster c = levels[0];
        return c == null || c.contributions.contributors() == 0 ? null : c.contributions.mergedExcluding(exclusions(c)::contains);
    }

    /** Our cluster's merge at {@code level} (quarantined contributors left out), or {@code null}. */
    public Moments aggregateAt(final int level) {
        final Cluster c = level < LEVELS ? levels[level] : null;
        return c == null || c.contributions.contributors() == 0 ? null : c.contributions.mergedExcluding(exclusions(c)::contains);
    }

    /** What we hold of {@code id}'s contribution at {@code level}, and what we sent last there: for diagnosing a run. */
    public String describeContribution(final int level, final long id) {
        final Cluster c = level < LEVELS ? levels[level] : null;
        if (c == null) {
            return "no level " + level;
        }
        final Summary held = c.contributions.held(id);
        return "held " + (held == null ? "none" : "v" + held.version() + " leaves " + held.contributorCount())
            + (c.lastSent == null ? "" : ", last sent v" + c.lastSent.version() + " leaves " + c.lastSent.contributorCount())
            + ", dirty " + c.contributionDirty + ", ignored older/same/conflicting/departed/full " + c.contributions.ignoredOlder() + "/"
            + c.contributions.ignoredSame() + "/" + c.contributions.ignoredConflicting() + "/" + c.contributions.ignoredDeparted()
            + "/" + c.contributions.refusedFull() + ", early " + early.size();
    }

    /** Leaf nodes covered by our cluster's aggregate at {@code level}. */
    public long leavesAt(final int level) {
        final Cluster c = level < LEVELS ? levels[level] : null;
        return c == null ? 0 : c.contributions.leafCount();
    }

    public TreeCounters counters() {
        return counters;
    }

    public Set<Long> quarantined() {
        return java.util.Collections.unmodifiableSet(quarantined);
    }

    public List<String> refusals() {
        return List.copyOf(refusals);
    }

    /** Rough bytes of tree state this node holds (members, chains, held summaries). */
    public long stateBytes() {
        long bytes = 0;
        for (final Cluster c : levels) {
            if (c != null) {
                bytes += 64L * c.members.size() + 40L * c.chain.size();
                for (final Summary s : c.contributions.summaries()) {
                    bytes += s.bodyLength();
                }
            }
        }
        return bytes;
    }

    /** A snapshot for {@code GET /v1/tree}. */
    public TreeStatus status() {
        final List<TreeStatus.Level> out = new ArrayList<>();
        for (final Cluster c : levels) {
            if (c == null) {
                continue;
            }
            final List<TreeStatus.Member> members = new ArrayList<>();
            for (final Member m : c.members.values()) {
                members.add(new TreeStatus.Member(hex(m.id), m.address,
                    m.state == TreeBodies.STATE_ALIVE ? "alive" : "suspect", m.incarnation,
                    m.id == selfId ? vivaldi.coordinate() : m.coordinate,
                    m.id == selfId ? 0.0 : vivaldi.coordinate().distanceMs(m.coordinate)));
            }
            final List<String> chain = new ArrayList<>();
            for (final NodeRef ref : c.isHead() ? chainAbove(c.level) : c.chain) {
                chain.add(hex(ref.id()));
            }
            out.add(new TreeStatus.Level(c.level, hex(c.headId), c.isHead(), c.epoch, c.members.size(), members, chain,
                c.contributions.contributors(), c.contributions.leafCount(), c.contributions.agentCount()));
        }
        final List<String> quarantine = new ArrayList<>();
        for (final long id : quarantined) {
            quarantine.add(hex(id));
        }
        java.util.Collections.sort(quarantine);
        return new TreeStatus(hex(selfId), isPlaced(), isRoot(), root == null ? null : hex(root.id()), topLevel() + 1, config.b(),
            out, fleet == null ? 0 : fleet.contributorCount(), fleet == null ? 0 : fleet.moments().count(), quarantine,
            counters.snapshot(), refusals());
    }
}
