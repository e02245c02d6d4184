package dev.vigil.daemon.consensus.evidence;

import dev.vigil.accel.CombineRule;
import dev.vigil.accel.JavaKernels;
import dev.vigil.daemon.consensus.Request;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EvidenceStateTest {
    private static final long HOME = 0x1111L;
    private static final long GATEWAY_A = 0x2222L;
    private static final long GATEWAY_B = 0x3333L;
    private static final long T0 = 1_767_225_600_000_000L;
    private static final double PRIOR = StrictMath.log(1e-4 / (1 - 1e-4));

    private final EvidenceState.Config config = EvidenceState.Config.defaults(1);
    private long requestSeq;

    private EvidenceState state() {
        return new EvidenceState(config, JavaKernels.INSTANCE);
    }

    private Request request(final long observer, final EvidenceBatch.Record... records) {
        return new Request(7, observer, ++requestSeq, new EvidenceBatch(T0, List.of(records)).encode(), new byte[64]);
    }

    private static EvidenceBatch.Record rec(final long seq, final String agent, final double... xs) {
        return new EvidenceBatch.Record(seq, agent, 1, xs);
    }

    private static EvidenceResult apply(final EvidenceState s, final long seq, final Request r) {
        final List<byte[]> out = s.apply(seq, List.of(r));
        assertThat(out).hasSize(1);
        return EvidenceResult.decode(out.get(0));
    }

    @Test
    void duplicatesAreDroppedAndAGapWaitsUntilItFills() {
        final EvidenceState s = state();
        assertThat(apply(s, 1, request(HOME, rec(1, "a", 1.0)))).satisfies(r -> {
            assertThat(r.applied()).isEqualTo(1);
            assertThat(r.nextExpected()).isEqualTo(2);
        });
        final EvidenceResult gap = apply(s, 2, request(HOME, rec(3, "a", 4.0)));
        assertThat(gap.applied()).isZero();
        assertThat(gap.held()).isEqualTo(1);
        assertThat(gap.nextExpected()).as("the observer is told where to resend from").isEqualTo(2);
        assertThat(s.applied(HOME)).isEqualTo(1);
        final EvidenceResult dup = apply(s, 3, request(HOME, rec(1, "a", 1.0)));
        assertThat(dup.duplicates()).isEqualTo(1);
        assertThat(dup.applied()).isZero();
        final EvidenceResult filled = apply(s, 4, request(HOME, rec(2, "a", 2.0), rec(3, "a", 4.0)));
        assertThat(filled.applied()).as("2, then the waiting 3").isEqualTo(2);
        assertThat(filled.duplicates()).as("3 was already waiting").isEqualTo(1);
        assertThat(filled.held()).isZero();
        assertThat(s.applied(HOME)).isEqualTo(3);
        // one observer: no quorum at f = 1, but its total is exact: 1 + 2 + 4
        assertThat(s.combination("a").quorum()).isFalse();
        assertThat(s.combination("a").logOdds()).isEqualTo(7.0 + PRIOR);
    }

    @Test
    void anAgentItsHomeHidesIsConvictedOnTwoHonestGateways() throws Exception {
        final EvidenceState s = state();
        apply(s, 1, request(HOME, rec(1, "rogue", -3.0)));
        apply(s, 2, request(GATEWAY_A, rec(1, "rogue", 9.0, 9.0, 9.0)));
        final EvidenceResult r = apply(s, 3, request(GATEWAY_B, rec(1, "rogue", 8.0, 10.0)));
        assertThat(r.decisions()).hasSize(1);
        final Decision d = r.decisions().get(0);
        assertThat(d.agent()).isEqualTo("rogue");
        assertThat(d.seq()).isEqualTo(3);
        assertThat(d.issuedAtMicros()).isEqualTo(T0);
        assertThat(d.trimmedLow()).containsExactly(HOME);
        assertThat(d.trimmedHigh()).as("27 clipped to 20").containsExactly(GATEWAY_A);
        assertThat(d.kept()).containsExactly(GATEWAY_B);
        assertThat(d.logOdds()).isEqualTo(18.0 + PRIOR);
        assertThat(d.posterior()).isGreaterThanOrEqualTo(0.999);
        assertThat(d.versionDigest()).isEqualTo(s.versionVectorDigest())
            .as("SHA-256 of the domain tag and (observer, dot) pairs").isEqualTo(digest(HOME, 1, GATEWAY_A, 1, GATEWAY_B, 1));
        assertThat(s.convicted("rogue")).isTrue();
        // one decision per agent: more evidence decides nothing new
        assertThat(apply(s, 4, request(GATEWAY_B, rec(2, "rogue", 5.0))).decisions()).isEmpty();
    }

    private static byte[] digest(final long... pairs) throws Exception {
        final java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        sha.update("vigil-version-vector-v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        final ByteBuffer b = ByteBuffer.allocate(8 * pairs.length).order(ByteOrder.LITTLE_ENDIAN);
        for (final long p : pairs) {
            b.putLong(p);
        }
        sha.update(b.array());
        return sha.digest();
    }

    @Test
    void aLiarFramingAnAgentAloneNeverConvictsIt() {
        final EvidenceState s = state();
        apply(s, 1, request(HOME, rec(1, "innocent", 0.4)));
        apply(s, 2, request(GATEWAY_A, rec(1, "innocent", 0.1)));
        final EvidenceResult r = apply(s, 3, request(GATEWAY_B, rec(1, "innocent", 1e6, 1e6, 1e6)));
        assertThat(r.decisions()).isEmpty();
        assertThat(s.convicted("innocent")).isFalse();
        assertThat(s.combination("innocent").trimmedHigh()).containsExactly(2);
        assertThat(s.combination("innocent").logOdds()).isEqualTo(0.4 + PRIOR);
    }

    @Test
    void aSilentObserverCountsAsZeroSoOneGatewayAloneDecidesNothingAndTwoAgreeingOnesDo() {
        final EvidenceState s = state();
        assertThat(apply(s, 1, request(GATEWAY_A, rec(1, "x", 20.0, 20.0))).decisions())
            .as("one observer against two absent ones (0, 0): trimmed high, nothing kept").isEmpty();
        assertThat(s.combination("x")).as("the state holds the one observer it heard").isNotNull();
        final EvidenceResult r = apply(s, 2, request(GATEWAY_B, rec(1, "x", 20.0, 20.0)));
        assertThat(r.decisions()).hasSize(1);
        final Decision d = r.decisions().get(0);
        assertThat(d.kept()).as("one of the two 20s; the absent observer's 0 was trimmed low").hasSize(1);
        assertThat(d.trimmedLow()).as("only real observers are named").isEmpty();
        assertThat(d.trimmedHigh()).hasSize(1);
        assertThat(d.logOdds()).isEqualTo(20.0 + PRIOR);
        assertThat(s.convicted("x")).isTrue();
    }

    @Test
    void aNewExcursionStartsTheSumAgainAndAClosedOneIsIgnored() {
        final EvidenceState s = state();
        apply(s, 1, request(HOME, new EvidenceBatch.Record(1, "a", 4, new double[] {5.0})));
        apply(s, 2, request(HOME, new EvidenceBatch.Record(2, "a", 5, new double[] {2.0})));
        final EvidenceResult stale = apply(s, 3, request(HOME, new EvidenceBatch.Record(3, "a", 4, new double[] {100.0})));
        assertThat(stale.applied()).isZero();
        assertThat(s.applied(HOME)).as("its dot still counts").isEqualTo(3);
        assertThat(s.combination("a").logOdds()).isEqualTo(2.0 + PRIOR);
    }

    @Test
    void theSameEvidenceInAnyOrderAndBatchingGivesTheSameStateBitForBit() {
        final List<long[]> observers = List.of(new long[] {HOME}, new long[] {GATEWAY_A}, new long[] {GATEWAY_B}, new long[] {0x4444L});
        final Random data = new Random(42);
        // per observer 40 records over 5 agents, increments of mixed sizes and signs
        final List<List<EvidenceBatch.Record>> byObserver = new ArrayList<>();
        for (int o = 0; o < observers.size(); o++) {
            final List<EvidenceBatch.Record> rs = new ArrayList<>();
            for (int k = 1; k <= 40; k++) {
                final double[] xs = new double[1 + data.nextInt(4)];
                for (int i = 0; i < xs.length; i++) {
                    xs[i] = (data.nextDouble() - 0.3) * Math.pow(10, data.nextInt(7) - 3);
                }
                rs.add(new EvidenceBatch.Record(k, "agent-" + data.nextInt(5), 1, xs));
            }
            byObserver.add(rs);
        }
        byte[] first = null;
        for (int trial = 0; trial < 30; trial++) {
            final Random order = new Random(trial);
            // cut every observer's records into random chunks, shuffle all chunks (gaps wait), and
            // resend a random chunk now and then (duplicates)
            final List<Request> requests = new ArrayList<>();
            for (int o = 0; o < observers.size(); o++) {
                final List<EvidenceBatch.Record> rs = byObserver.get(o);
                for (int i = 0; i < rs.size(); ) {
                    final int n = 1 + order.nextInt(6);
                    final List<EvidenceBatch.Record> chunk = rs.subList(i, Math.min(rs.size(), i + n));
                    requests.add(new Request(7, observers.get(o)[0], ++requestSeq, new EvidenceBatch(T0, chunk).encode(), new byte[64]));
                    if (order.nextInt(4) == 0) {
                        requests.add(new Request(7, observers.get(o)[0], ++requestSeq, new EvidenceBatch(T0, chunk).encode(), new byte[64]));
                    }
                    i += n;
                }
            }
            Collections.shuffle(requests, order); // a prior of -1e12 keeps every posterior at 0: no decision depends on the order
            final EvidenceState s = new EvidenceState(new EvidenceState.Config(new CombineRule(1e9, 1, -1e12), 0.999, 16, 16, 16, 64),
                JavaKernels.INSTANCE);
            long seq = 0;
            for (int i = 0; i < requests.size(); ) {
                final int n = 1 + order.nextInt(5);
                s.apply(++seq, requests.subList(i, Math.min(requests.size(), i + n)));
                i += n;
            }
            observers.forEach(o -> assertThat(s.applied(o[0])).isEqualTo(40));
            final byte[] snap = s.snapshot();
            if (first == null) {
                first = snap;
            } else {
                assertThat(snap).as("trial %d", trial).isEqualTo(first);
            }
        }
    }

    @Test
    void aSnapshotRestoresTheSameStateAndBothGoOnAlike() {
        final EvidenceState s = state();
        apply(s, 1, request(HOME, rec(1, "a", 1.5), rec(2, "b", -2.25)));
        apply(s, 2, request(GATEWAY_A, rec(1, "a", 3.0), rec(3, "a", 0.5))); // 3 waits
        final EvidenceState t = state();
        t.restore(s.snapshot());
        assertThat(t.snapshot()).isEqualTo(s.snapshot());
        assertThat(t.versionVectorDigest()).isEqualTo(s.versionVectorDigest());
        final Request next = request(GATEWAY_A, rec(2, "b", 7.0));
        assertThat(s.apply(3, List.of(next)).get(0)).isEqualTo(t.apply(3, List.of(next)).get(0));
        assertThat(t.snapshot()).isEqualTo(s.snapshot());
        assertThat(t.applied(GATEWAY_A)).isEqualTo(3);
        final byte[] snap = s.snapshot();
        assertThatThrownBy(() -> state().restore(java.util.Arrays.copyOf(snap, snap.length - 1)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
    }

    @Test
    void boundsRefuseRecordsButTheirDotsCount() {
        final EvidenceState s = new EvidenceState(new EvidenceState.Config(new CombineRule(20, 1, PRIOR), 0.999, 2, 2, 1, 2),
            JavaKernels.INSTANCE);
        final EvidenceResult r = apply(s, 1, request(HOME, rec(1, "a", 1), rec(2, "b", 1), rec(3, "c", 1)));
        assertThat(r.applied()).isEqualTo(2);
        assertThat(r.refused()).as("a third agent over agents_max 2").isEqualTo(1);
        assertThat(s.applied(HOME)).isEqualTo(3);
        assertThat(apply(s, 2, request(GATEWAY_A, rec(1, "a", 1))).refused()).as("a second observer of a over 1 per agent").isEqualTo(1);
        assertThat(apply(s, 3, request(GATEWAY_B, rec(1, "a", 1))).refusal()).contains("observers_max");
        assertThat(apply(s, 3, request(GATEWAY_B, rec(2, "a", 1))).refusal()).as("records that would wait count too").contains("observers_max");
        final EvidenceResult held = apply(s, 4, request(HOME, rec(5, "a", 1), rec(6, "a", 1), rec(7, "a", 1)));
        assertThat(held.held()).as("held_per_observer_max 2").isEqualTo(2);
        assertThat(held.nextExpected()).isEqualTo(4);
        final EvidenceState t = new EvidenceState(new EvidenceState.Config(new CombineRule(20, 1, PRIOR), 0.999, 1, 2, 1, 2),
            JavaKernels.INSTANCE);
        assertThat(apply(t, 1, request(HOME, rec(2, "a", 1))).held()).as("an observer known only by a waiting record").isEqualTo(1);
        assertThat(apply(t, 2, request(GATEWAY_A, rec(2, "a", 1))).refusal()).contains("observers_max");
    }

    @Test
    void malformedEvidenceIsRefusedByTheFieldItBreaks() {
        final EvidenceState s = state();
        final byte[] good = new EvidenceBatch(T0, List.of(rec(1, "a", 1.0))).encode();
        assertThat(apply(s, 1, new Request(7, HOME, 1, java.util.Arrays.copyOf(good, good.length + 1), new byte[64])).refusal())
            .contains("trailing");
        assertThat(apply(s, 2, new Request(7, HOME, 2, java.util.Arrays.copyOf(good, good.length - 3), new byte[64])).refusal())
            .contains("truncated");
        final byte[] nan = good.clone();
        ByteBuffer.wrap(nan).order(ByteOrder.LITTLE_ENDIAN).putDouble(nan.length - 8, Double.NaN);
        assertThat(apply(s, 3, new Request(7, HOME, 3, nan, new byte[64])).refusal()).contains("increment 0").contains("not finite");
        final byte[] version = good.clone();
        version[0] = 9;
        assertThat(apply(s, 4, new Request(7, HOME, 4, version, new byte[64])).refusal()).contains("version 9");
        final byte[] order = new EvidenceBatch(T0, List.of(rec(2, "a", 1.0), rec(3, "a", 1.0))).encode();
        ByteBuffer.wrap(order).order(ByteOrder.LITTLE_ENDIAN).putLong(11, 5L); // first record's seq above the second's
        assertThat(apply(s, 5, new Request(7, HOME, 5, order, new byte[64])).refusal()).contains("not above");
        assertThat(s.applied(HOME)).as("nothing of a refused request is applied").isZero();
        assertThatThrownBy(() -> rec(1, "a", new double[EvidenceBatch.INCREMENTS_MAX + 1])).hasMessageContaining("at most 64");
    }
}
