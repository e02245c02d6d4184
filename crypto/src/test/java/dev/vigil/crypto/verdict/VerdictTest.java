package dev.vigil.crypto.verdict;

import dev.vigil.crypto.verdict.VerdictFormatException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The verdict statement: its canonical bytes, its id, and the rules its decoder enforces. */
class VerdictTest {
    private static final Committee C = Committee.of(1);
    private static final String AGENT = "agent-7/planner";
    private static final int OBSERVER_COUNT_OFFSET = Verdict.FIXED_LENGTH + AGENT.length();
    private static final int OBSERVERS_OFFSET = OBSERVER_COUNT_OFFSET + 2;

    // ---- canonical bytes and id ----

    @Test
    void theEncodingFollowsTheDocumentedBigEndianLayout() {
        final Verdict v = C.convict();
        final ByteBuffer b = ByteBuffer.wrap(v.encoded());

        assertThat(b.get(0)).isEqualTo((byte)Verdict.VERSION);
        assertThat(b.get(Verdict.KIND_OFFSET)).isEqualTo((byte)1);
        assertThat(b.get(Verdict.F_OFFSET)).isEqualTo((byte)1);
        assertThat(b.get(Verdict.RESERVED_OFFSET)).isZero();
        assertThat(b.getInt(Verdict.SHARD_OFFSET)).isEqualTo(3);
        assertThat(b.getLong(Verdict.EPOCH_OFFSET)).isEqualTo(2);
        assertThat(b.getLong(Verdict.VIEW_OFFSET)).isEqualTo(1);
        assertThat(b.getLong(Verdict.SEQUENCE_OFFSET)).isEqualTo(17);
        assertThat(b.getLong(Verdict.ISSUED_AT_OFFSET)).isEqualTo(Committee.ISSUED_AT_MICROS);
        assertThat(b.getLong(Verdict.LOG_ODDS_OFFSET)).isEqualTo(Double.doubleToRawLongBits(7.25));
        assertThat(b.getLong(Verdict.POSTERIOR_OFFSET)).isEqualTo(Double.doubleToRawLongBits(0.9992903296));
        assertThat(Arrays.copyOfRange(v.encoded(), Verdict.VERSION_VECTOR_OFFSET, Verdict.VERSION_VECTOR_OFFSET + 32)).isEqualTo(Committee.digest(9));
        assertThat(Arrays.copyOfRange(v.encoded(), Verdict.RETRACTS_OFFSET, Verdict.RETRACTS_OFFSET + 32)).containsOnly(0);
        assertThat(b.getShort(Verdict.AGENT_LENGTH_OFFSET)).isEqualTo((short)AGENT.length());
        assertThat(new String(v.encoded(), Verdict.FIXED_LENGTH, AGENT.length(), StandardCharsets.UTF_8)).isEqualTo(AGENT);
        assertThat(b.getShort(OBSERVER_COUNT_OFFSET)).isEqualTo((short)3);
        final long[] sorted = v.observers();
        for (int i = 0; i < 3; i++) {
            assertThat(b.getLong(OBSERVERS_OFFSET + 8 * i)).isEqualTo(sorted[i]);
        }
        assertThat(v.encoded()).hasSize(OBSERVERS_OFFSET + 3 * 8);
    }

    @Test
    void theIdIsTheSha256OfTheCanonicalBytes() throws Exception {
        final Verdict v = C.convict();

        assertThat(v.id()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(v.encoded())));
        assertThat(v.id()).hasSize(64).matches("[0-9a-f]{64}");
    }

    /** Pins the layout: if this changes, every stored verdict id changes with it (a new version is due). */
    @Test
    void aFixedVerdictHasAFixedId() {
        final Verdict v = Verdict.convict("a").f(1).shard(1).epoch(1).view(0).sequence(1).issuedAtMicros(1_000_000L)
            .logOdds(2.0).posterior(0.5).versionVectorDigest(new byte[32]).observers(1L, 0x8000_0000_0000_0000L).build();

        assertThat(HexFormat.of().formatHex(v.encoded())).isEqualTo(
            "01010100" + "00000001" + "0000000000000001" + "0000000000000000" + "0000000000000001" + "00000000000f4240"
                + "4000000000000000" + "3fe0000000000000" + "00".repeat(32) + "00".repeat(32)
                + "0001" + "61" + "0002" + "0000000000000001" + "8000000000000000");
        assertThat(v.id()).isEqualTo(sha256Hex(v.encoded()));
    }

    @Test
    void observersGivenInAnyOrderGiveTheSameBytesAndId() {
        final long a = C.keys.get(0).nodeId();
        final long b = C.keys.get(1).nodeId();
        final long c = C.keys.get(2).nodeId();
        final Verdict one = C.convictBuilder().observers(a, b, c).build();
        final Verdict two = C.convictBuilder().observers(c, a, b).build();

        assertThat(two.encoded()).isEqualTo(one.encoded());
        assertThat(two.id()).isEqualTo(one.id());
        assertThat(two).isEqualTo(one).hasSameHashCodeAs(one);
    }

    @Test
    void observersAreOrderedAsUnsignedNumbers() {
        final Verdict v = C.convictBuilder().observers(-1L, 5L, Long.MIN_VALUE, 0L).build();

        assertThat(v.observers()).containsExactly(0L, 5L, Long.MIN_VALUE, -1L);
    }

    @Test
    void negativeZeroIsWrittenAsPositiveZero() {
        final Verdict v = C.convictBuilder().logOdds(-0.0).posterior(-0.0).build();

        assertThat(Double.doubleToRawLongBits(v.logOdds())).isZero();
        assertThat(v).isEqualTo(C.convictBuilder().logOdds(0.0).posterior(0.0).build());
    }

    @Test
    void decodingTheBytesGivesTheSameVerdict() {
        final Verdict v = C.convict();
        final Verdict back = Verdict.decode(v.encoded());

        assertThat(back).isEqualTo(v);
        assertThat(back.kind()).isEqualTo(Verdict.Kind.CONVICT);
        assertThat(back.agentId()).isEqualTo(AGENT);
        assertThat(back.f()).isEqualTo(1);
        assertThat(back.quorum()).isEqualTo(3);
        assertThat(back.committeeSize()).isEqualTo(4);
        assertThat(back.shard()).isEqualTo(3);
        assertThat(back.epoch()).isEqualTo(2);
        assertThat(back.view()).isEqualTo(1);
        assertThat(back.sequence()).isEqualTo(17);
        assertThat(back.issuedAtMicros()).isEqualTo(Committee.ISSUED_AT_MICROS);
        assertThat(back.logOdds()).isEqualTo(7.25);
        assertThat(back.posterior()).isEqualTo(0.9992903296);
        assertThat(back.versionVectorDigest()).isEqualTo(Committee.digest(9));
        assertThat(back.observers()).containsExactlyInAnyOrder(C.keys.get(0).nodeId(), C.keys.get(1).nodeId(), C.keys.get(2).nodeId());
        assertThat(back.retractedId()).isNull();
    }

    @Test
    void aReleaseNamesTheVerdictItRetracts() {
        final Verdict convict = C.convict();
        final Verdict release = Verdict.release(AGENT, convict.id()).f(1).issuedAtMicros(Committee.ISSUED_AT_MICROS + 1)
            .versionVectorDigest(Committee.digest(10)).build();

        assertThat(release.kind()).isEqualTo(Verdict.Kind.RELEASE);
        assertThat(release.retractedId()).isEqualTo(convict.id());
        assertThat(Verdict.decode(release.encoded())).isEqualTo(release);
        assertThat(release.encoded()[Verdict.KIND_OFFSET]).isEqualTo((byte)2);
    }

    // ---- what the builder refuses ----

    @Test
    void theBuilderRefusesWhatTheFormatRefuses() {
        assertReason(() -> C.convictBuilder().observers(5L, 5L).build(), Reason.DUPLICATE_OBSERVER);
        assertReason(() -> Verdict.convict("").f(1).versionVectorDigest(new byte[32]).build(), Reason.OUT_OF_RANGE);
        assertReason(() -> C.convictBuilder().posterior(1.0000001).build(), Reason.OUT_OF_RANGE);
        assertReason(() -> C.convictBuilder().logOdds(Double.POSITIVE_INFINITY).build(), Reason.OUT_OF_RANGE);
        assertReason(() -> C.convictBuilder().sequence(-1).build(), Reason.OUT_OF_RANGE);
        assertReason(() -> C.convictBuilder().shard(-1).build(), Reason.OUT_OF_RANGE);
        assertReason(() -> Verdict.convict("bell\u0007").f(1).versionVectorDigest(new byte[32]).build(), Reason.BAD_AGENT_ID);
        assertThatThrownBy(() -> Verdict.convict("lone \ud800 surrogate").f(1).versionVectorDigest(new byte[32]).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("valid Unicode");
        assertThatThrownBy(() -> Verdict.convict("x".repeat(257)).versionVectorDigest(new byte[32]).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..256 bytes");
        assertThatThrownBy(() -> C.convictBuilder().f(22).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Verdict.convict("a").build()).hasMessageContaining("versionVectorDigest");
        assertThatThrownBy(() -> C.convictBuilder().observers(new long[257]).build()).hasMessageContaining("at most 256");
        assertThatThrownBy(() -> Verdict.release("a", "abc")).hasMessageContaining("64 hex digits");
        assertThatThrownBy(() -> Verdict.release("a", "zz".repeat(32))).hasMessageContaining("64 hex digits");
    }

    @Test
    void anAgentIdOfExactlyTheBoundIsAccepted() {
        final String longest = "é".repeat(Verdict.AGENT_BYTES_MAX / 2);

        assertThat(C.convictBuilder().build()).isNotNull();
        assertThat(Verdict.convict(longest).f(1).versionVectorDigest(new byte[32]).build().agentId()).isEqualTo(longest);
    }

    // ---- what the decoder refuses ----

    @Test
    void unknownVersionKindAndOutOfRangeNumbersAreRefused() {
        assertRefused(b -> b[0] = 2, Reason.UNKNOWN_VERSION);
        assertRefused(b -> b[Verdict.KIND_OFFSET] = 0, Reason.UNKNOWN_KIND);
        assertRefused(b -> b[Verdict.KIND_OFFSET] = 3, Reason.UNKNOWN_KIND);
        assertRefused(b -> b[Verdict.F_OFFSET] = 22, Reason.OUT_OF_RANGE);
        assertRefused(b -> b[Verdict.RESERVED_OFFSET] = 1, Reason.NOT_CANONICAL);
        assertRefused(b -> ByteBuffer.wrap(b).putInt(Verdict.SHARD_OFFSET, Integer.MIN_VALUE), Reason.OUT_OF_RANGE);
        assertRefused(b -> ByteBuffer.wrap(b).putLong(Verdict.EPOCH_OFFSET, -1), Reason.OUT_OF_RANGE);
        assertRefused(b -> ByteBuffer.wrap(b).putLong(Verdict.VIEW_OFFSET, Long.MIN_VALUE), Reason.OUT_OF_RANGE);
        assertRefused(b -> ByteBuffer.wrap(b).putLong(Verdict.SEQUENCE_OFFSET, -5), Reason.OUT_OF_RANGE);
        assertRefused(b -> ByteBuffer.wrap(b).putLong(Verdict.ISSUED_AT_OFFSET, -1), Reason.OUT_OF_RANGE);
    }

    @Test
    void numbersThatAreNotFiniteOrHaveTwoEncodingsAreRefused() {
        assertRefused(b -> putDouble(b, Verdict.LOG_ODDS_OFFSET, Double.NaN), Reason.OUT_OF_RANGE);
        assertRefused(b -> ByteBuffer.wrap(b).putLong(Verdict.LOG_ODDS_OFFSET, 0x7ff0_0000_0000_0001L), Reason.OUT_OF_RANGE);
        assertRefused(b -> putDouble(b, Verdict.LOG_ODDS_OFFSET, Double.NEGATIVE_INFINITY), Reason.OUT_OF_RANGE);
        assertRefused(b -> putDouble(b, Verdict.LOG_ODDS_OFFSET, -0.0), Reason.NOT_CANONICAL);
        assertRefused(b -> putDouble(b, Verdict.POSTERIOR_OFFSET, -0.0), Reason.NOT_CANONICAL);
        assertRefused(b -> putDouble(b, Verdict.POSTERIOR_OFFSET, 1.5), Reason.OUT_OF_RANGE);
        assertRefused(b -> putDouble(b, Verdict.POSTERIOR_OFFSET, -1e-300), Reason.OUT_OF_RANGE);
        assertRefused(b -> putDouble(b, Verdict.POSTERIOR_OFFSET, Double.NaN), Reason.OUT_OF_RANGE);
    }

    @Test
    void aConvictMustRetractNothingAndAReleaseMustNameWhatItRetracts() {
        assertRefused(b -> b[Verdict.RETRACTS_OFFSET + 31] = 1, Reason.NOT_CANONICAL);
        final Verdict release = Verdict.release("a", "11".repeat(32)).f(1).versionVectorDigest(new byte[32]).build();
        final byte[] b = release.encoded();
        Arrays.fill(b, Verdict.RETRACTS_OFFSET, Verdict.RETRACTS_OFFSET + 32, (byte)0);
        assertReason(() -> Verdict.decode(b), Reason.NOT_CANONICAL);
    }

    @Test
    void agentIdsOfBadLengthOrBadUtf8OrControlCharactersAreRefused() {
        assertRefused(b -> ByteBuffer.wrap(b).putShort(Verdict.AGENT_LENGTH_OFFSET, (short)0), Reason.OUT_OF_RANGE);
        assertRefused(b -> ByteBuffer.wrap(b).putShort(Verdict.AGENT_LENGTH_OFFSET, (short)257), Reason.OVERSIZE);
        assertRefused(b -> b[Verdict.FIXED_LENGTH] = (byte)0xFF, Reason.BAD_AGENT_ID);
        assertRefused(b -> { // overlong encoding of '/'
            b[Verdict.FIXED_LENGTH] = (byte)0xC0;
            b[Verdict.FIXED_LENGTH + 1] = (byte)0xAF;
        }, Reason.BAD_AGENT_ID);
        assertRefused(b -> { // a surrogate code point, encoded
            b[Verdict.FIXED_LENGTH] = (byte)0xED;
            b[Verdict.FIXED_LENGTH + 1] = (byte)0xA0;
            b[Verdict.FIXED_LENGTH + 2] = (byte)0x80;
        }, Reason.BAD_AGENT_ID);
        assertRefused(b -> b[Verdict.FIXED_LENGTH] = 0x1B, Reason.BAD_AGENT_ID);
        assertRefused(b -> b[Verdict.FIXED_LENGTH] = 0x7F, Reason.BAD_AGENT_ID);
        assertRefused(b -> { // U+0085, a C1 control
            b[Verdict.FIXED_LENGTH] = (byte)0xC2;
            b[Verdict.FIXED_LENGTH + 1] = (byte)0x85;
        }, Reason.BAD_AGENT_ID);
        assertRefused(b -> { // U+202E right-to-left override: "agent-7" could be made to read as another id
            b[Verdict.FIXED_LENGTH] = (byte)0xE2;
            b[Verdict.FIXED_LENGTH + 1] = (byte)0x80;
            b[Verdict.FIXED_LENGTH + 2] = (byte)0xAE;
        }, Reason.BAD_AGENT_ID);
        assertRefused(b -> { // U+200B zero-width space
            b[Verdict.FIXED_LENGTH] = (byte)0xE2;
            b[Verdict.FIXED_LENGTH + 1] = (byte)0x80;
            b[Verdict.FIXED_LENGTH + 2] = (byte)0x8B;
        }, Reason.BAD_AGENT_ID);
    }

    @Test
    void agentIdsInOtherScriptsAreAccepted() {
        final Verdict v = Verdict.convict("агент-7/計画者").f(1).versionVectorDigest(new byte[32]).build();

        assertThat(Verdict.decode(v.encoded()).agentId()).isEqualTo("агент-7/計画者");
    }

    @Test
    void observersOutOfOrderRepeatedOrTooManyAreRefused() {
        assertRefused(b -> {
            final ByteBuffer bb = ByteBuffer.wrap(b);
            final long first = bb.getLong(OBSERVERS_OFFSET);
            bb.putLong(OBSERVERS_OFFSET, bb.getLong(OBSERVERS_OFFSET + 8));
            bb.putLong(OBSERVERS_OFFSET + 8, first);
        }, Reason.NOT_CANONICAL);
        assertRefused(b -> ByteBuffer.wrap(b).putLong(OBSERVERS_OFFSET + 8, ByteBuffer.wrap(b).getLong(OBSERVERS_OFFSET)), Reason.DUPLICATE_OBSERVER);
        assertRefused(b -> ByteBuffer.wrap(b).putShort(OBSERVER_COUNT_OFFSET, (short)257), Reason.OVERSIZE);
        assertRefused(b -> ByteBuffer.wrap(b).putShort(OBSERVER_COUNT_OFFSET, (short)4), Reason.TRUNCATED);
        assertRefused(b -> ByteBuffer.wrap(b).putShort(OBSERVER_COUNT_OFFSET, (short)2), Reason.TRAILING_BYTES);
    }

    @Test
    void everyProperPrefixIsTruncated() {
        final byte[] full = C.convict().encoded();
        for (int length = 0; length < full.length; length++) {
            final int n = length;
            assertReason(() -> Verdict.decode(Arrays.copyOf(full, n)), Reason.TRUNCATED);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 8, 4000})
    void bytesAfterTheLastObserverAreRefused(final int extra) {
        final byte[] full = C.convict().encoded();

        assertReason(() -> Verdict.decode(Arrays.copyOf(full, full.length + extra)),
            full.length + extra > Verdict.LENGTH_MAX ? Reason.OVERSIZE : Reason.TRAILING_BYTES);
    }

    // ---- helpers ----

    private static void assertRefused(final Consumer<byte[]> mutation, final Reason reason) {
        final byte[] b = C.convict().encoded();
        mutation.accept(b);
        assertReason(() -> Verdict.decode(b), reason);
    }

    static void assertReason(final org.assertj.core.api.ThrowableAssert.ThrowingCallable call, final Reason reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(VerdictFormatException.class,
            e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
    }

    private static void putDouble(final byte[] b, final int offset, final double value) {
        ByteBuffer.wrap(b).putLong(offset, Double.doubleToRawLongBits(value));
    }

    private static String sha256Hex(final byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (final java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
