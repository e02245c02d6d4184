package dev.vigil.wire;

import dev.vigil.wire.TreeValues.Announce;
import dev.vigil.wire.TreeValues.Baseline;
import dev.vigil.wire.TreeValues.Contribution;
import dev.vigil.wire.TreeValues.Member;
import dev.vigil.wire.TreeValues.Merge;
import dev.vigil.wire.TreeValues.PingReq;
import dev.vigil.wire.TreeValues.Placed;
import dev.vigil.wire.TreeValues.Ref;
import dev.vigil.wire.TreeValues.Refer;
import dev.vigil.wire.TreeValues.View;
import net.jqwik.api.Example;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.management.ManagementFactory;
import java.util.Collections;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checking and decoding a tree body allocates nothing: a node reads thousands of these a second,
 * and only the addresses it keeps become Strings. Measured with the JVM's per-thread allocation
 * counter, after a warm-up so class loading does not count.
 */
class TreeDecoderAllocationTest {
    private final TreeReferBody refer = new TreeReferBody();
    private final TreeViewBody view = new TreeViewBody();
    private final TreeMergeBody merge = new TreeMergeBody();
    private final TreePingReqBody pingReq = new TreePingReqBody();
    private final TreeAnnounceBody announce = new TreeAnnounceBody();
    private final TreeBaselineBody baseline = new TreeBaselineBody();

    private final Member member = new Member(7, 1, TreeWire.STATE_SUSPECT, new byte[TreeWire.COORDINATE_LENGTH], "10.0.0.1:7400");
    private final Ref ref = new Ref(9, "10.0.0.2:7400");
    private final Placed referBody = TreeValues.place(new Refer(0, 1, 2, ref, Collections.nCopies(TreeWire.LIST_MAX, member)), 3);
    private final Placed viewBody = TreeValues.place(new View(1, 5, 6, 7, ref, Collections.nCopies(TreeWire.LEVELS_MAX, ref),
        Collections.nCopies(TreeWire.LIST_MAX, member)), 3);
    private final Placed mergeBody = TreeValues.place(new Merge(1, ref), 3);
    private final Placed pingReqBody = TreeValues.place(new PingReq(1, 2, ref), 3);
    private final Placed announceBody = TreeValues.place(new Announce(1, 2, Collections.nCopies(TreeWire.LIST_MAX,
        new Contribution(3, 4)), Collections.nCopies(TreeWire.LIST_MAX, 5L), TreeValues.Summary.of(10, 1, 2, 3)), 3);
    private final Placed baselineBody = TreeValues.place(new Baseline(0, 1, TreeValues.Summary.of(10, 1, 2, 3)), 3);

    @Example
    void checkingAndReadingEveryFieldButTheAddressesAllocatesNothing() {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int i = 0; i < 2_000; i++) {
            sink += readAll();
        }
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 1_000; i++) {
            sink += readAll();
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(sink).isNotZero();
        // one object per round would be at least 16,000 bytes; less than a byte per round is the JVM's own
        // noise in the window (a compilation finishing, a safepoint), not the decoders
        assertThat(allocated).as("bytes allocated by 1,000 rounds").isLessThan(1_000);
    }

    /** Everything but the addresses, of one body of each variable-length type and of the fixed ones. */
    private long readAll() {
        long sum = refer(referBody) + view(viewBody);
        merge.wrap(mergeBody.buffer(), mergeBody.offset(), mergeBody.length());
        sum += merge.level() + merge.targetId();
        pingReq.wrap(pingReqBody.buffer(), pingReqBody.offset(), pingReqBody.length());
        sum += pingReq.level() + pingReq.probeId() + pingReq.targetId();
        announce.wrap(announceBody.buffer(), announceBody.offset(), announceBody.length());
        sum += announce.level() + announce.epoch() + announce.summaryOffset() + announce.summaryLength();
        for (int i = 0; i < announce.contributorCount(); i++) {
            sum += announce.contributorId(i) + announce.contributorVersion(i);
        }
        for (int i = 0; i < announce.excludedCount(); i++) {
            sum += announce.excludedId(i);
        }
        baseline.wrap(baselineBody.buffer(), baselineBody.offset(), baselineBody.length());
        sum += baseline.kind() + baseline.level() + baseline.summaryOffset() + baseline.summaryLength();
        final UnsafeBuffer b = mergeBody.buffer();
        if (TreeSuspectBody.isWellFormed(b, 0, TreeSuspectBody.LENGTH)) {
            sum += TreeSuspectBody.subject(b, 0) + TreeSuspectBody.incarnation(b, 0) + TreeSuspectBody.state(b, 0);
        }
        return sum;
    }

    private long refer(final Placed p) {
        refer.wrap(p.buffer(), p.offset(), p.length());
        long sum = refer.status() + refer.level() + refer.topLevel() + refer.rootId();
        for (int i = 0; i < refer.members().count(); i++) {
            sum += refer.members().id(i) + refer.members().incarnation(i) + refer.members().state(i) + refer.members().coordinateOffset(i);
        }
        return sum;
    }

    private long view(final Placed p) {
        view.wrap(p.buffer(), p.offset(), p.length());
        long sum = view.level() + view.epoch() + view.head() + view.topLevel() + view.dissolvedIntoId() + (view.dissolved() ? 1 : 0);
        for (int i = 0; i < view.chainLength(); i++) {
            sum += view.chainId(i);
        }
        for (int i = 0; i < view.members().count(); i++) {
            sum += view.members().id(i) + view.members().incarnation(i) + view.members().state(i) + view.members().coordinateOffset(i);
        }
        return sum;
    }
}
