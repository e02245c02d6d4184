package dev.vigil.daemon.net;

import dev.vigil.crypto.PrivateKey;
import dev.vigil.daemon.api.OperatorCommand;
import dev.vigil.daemon.detect.DetectionConfig;
import dev.vigil.daemon.detect.Detector;
import dev.vigil.daemon.detect.FeatureSchema;
import dev.vigil.daemon.history.AgentHistory;
import dev.vigil.daemon.history.HistoryConfig;
import dev.vigil.daemon.history.HistoryStores;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Operator commands: signed by the CA, fresh, each carried out once, with the nonces remembered up to a bound. */
class OperatorCommandsTest {
    private static final long NOW_S = 1_767_225_600L;
    private final PrivateKey ca = PrivateKey.generate(new SecureRandom());
    private final FeatureSchema schema = FeatureSchema.agentDefault();
    private final Detector detector = new Detector(schema, DetectionConfig.defaults());
    private final AgentHistory history = HistoryStores.inMemory(HistoryConfig.defaults().withExpectedAgents(4), schema.size())
        .history(HistoryConfig.defaults(), schema.size());

    private OperatorCommands commands(final int noncesMax) {
        detector.observe("a", "coder", NOW_S * 1_000_000L, new double[schema.size()]);
        return new OperatorCommands(ca.publicKey(), detector, history, noncesMax);
    }

    @Test
    void aCommandIsCarriedOutOnceAndAStrangersOrAStaleOneNever() {
        final OperatorCommands commands = commands(OperatorCommands.NONCES_REMEMBERED_MAX);
        final OperatorCommand release = OperatorCommand.sign(ca, "release", "a", NOW_S);
        assertThat(commands.release(release, NOW_S).problem()).isNull();
        assertThat(commands.release(release, NOW_S).problem()).contains("already carried out");
        final PrivateKey stranger = PrivateKey.generate(new SecureRandom());
        assertThat(commands.release(OperatorCommand.sign(stranger, "release", "a", NOW_S), NOW_S).problem()).contains("does not verify");
        assertThat(commands.release(OperatorCommand.sign(ca, "release", "a", NOW_S - 3_600), NOW_S).problem()).contains("s from this node's clock");
        final NodeApi.Release unknown = commands.release(OperatorCommand.sign(ca, "release", "nobody", NOW_S), NOW_S);
        assertThat(unknown.unknownAgent()).isTrue();
        assertThat(unknown.problem()).isEqualTo("no agent 'nobody'");
    }

    @Test
    void beyondTheBoundTheOldestNonceIsForgottenFirst() {
        final OperatorCommands commands = commands(2);
        final OperatorCommand first = OperatorCommand.sign(ca, "release", "a", NOW_S);
        final OperatorCommand second = OperatorCommand.sign(ca, "release", "a", NOW_S);
        final OperatorCommand third = OperatorCommand.sign(ca, "release", "a", NOW_S);
        assertThat(commands.release(first, NOW_S).problem()).isNull();
        assertThat(commands.release(second, NOW_S).problem()).isNull();
        assertThat(commands.release(third, NOW_S).problem()).isNull();
        assertThat(commands.noncesRemembered()).isEqualTo(2);
        assertThat(commands.release(third, NOW_S).problem()).as("the newest is remembered").contains("already carried out");
        assertThat(commands.release(second, NOW_S).problem()).as("and the one before it").contains("already carried out");
        // the first was forgotten: within its freshness bound it would be carried out again, which is why
        // the bound must cover every command a fleet's operators issue in FRESH_SECONDS_MAX
        assertThat(commands.release(first, NOW_S).problem()).isNull();
        assertThat(commands.noncesRemembered()).isEqualTo(2);
    }
}
