package dev.vigil.simnet;

import dev.vigil.crypto.SignatureScheme;
import dev.vigil.daemon.core.CoreConfig;
import dev.vigil.daemon.detect.AgentRecord;
import dev.vigil.daemon.detect.AgentStatus;
import dev.vigil.daemon.detect.DetectionConfig;
import dev.vigil.daemon.detect.Detector;
import dev.vigil.daemon.detect.FeatureSchema;
import dev.vigil.daemon.history.AgentHistory;
import dev.vigil.daemon.history.HistoryConfig;
import dev.vigil.daemon.history.HistoryJournal;
import dev.vigil.daemon.history.HistoryStores;
import dev.vigil.daemon.history.RawBlock;
import dev.vigil.daemon.history.StoredAgent;
import dev.vigil.daemon.history.Tier;
import dev.vigil.storage.CorruptEntryException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each of the restart scenario's checks fails on the loss it is there for, and passes on an intact host. */
class RestartChecksTest {
    private static final long S = 1_000_000L;
    private final FeatureSchema schema = FeatureSchema.agentDefault();
    private final int d = schema.size();
    private SimFleet fleet;
    private RestartSite site;
    private CrashPoints crashPoints;
    private RestartChecks checks;
    private long minute;

    /** One running host whose agent 0 has three acknowledged observations. */
    @BeforeEach
    void aHostWithThreeAcknowledgedObservations() {
        fleet = new SimFleet(1, WorldMap.defaultMap(), SignatureScheme.SIMULATED_INSECURE);
        final SimHost h = fleet.addHost(address -> CoreConfig.defaults(address, List.of()));
        final HistoryConfig hc = HistoryConfig.defaults().withExpectedAgents(8);
        crashPoints = new CrashPoints(new SplittableRandom(1), 0.999_999);
        site = new RestartSite(h, hc, d, crashPoints, new SplittableRandom(2));
        site.history = site.stores.history(hc, d);
        site.history.load();
        site.detector = new Detector(schema, DetectionConfig.defaults());
        site.detector.setJournal(new HistoryJournal(site.history));
        h.start();
        checks = new RestartChecks(fleet.sim(), List.of(site), d);
        final long t0 = fleet.sim().nowMicros();
        minute = Tier.RAW.bucketOf(t0);
        for (int i = 0; i < 3; i++) {
            assertThat(site.detector.observe(site.agents.get(0), "worker", t0 + i * S, new double[d]).accepted()).isTrue();
            site.acked[0]++;
            site.addDurable(0, t0 + i * S);
        }
        checks.checkCounts(site);
        checks.checkStores(site);
        assertThat(checks.failures()).as("an intact host").isEmpty();
    }

    @Test
    void aRawBlockLostBehindTheHistorysBackFailsTheStoreCheck() {
        site.store(HistoryStores.RAW).remove(AgentHistory.bucketKey(site.agentKeys[0], minute));
        checks.checkStores(site);
        assertThat(checks.failures()).singleElement().asString()
            .contains("host 0", "h0-agent-0", "the raw block of minute 0 s holds observations at []");
    }

    @Test
    void aStoredCountThatGoesBackFailsTheEventCheck() {
        final byte[] key = AgentHistory.agentStoreKey(site.agentKeys[0]);
        final StoredAgent s = StoredAgent.decode(site.store(HistoryStores.AGENTS).get(key));
        final AgentRecord r = s.record();
        site.store(HistoryStores.AGENTS).put(key, new StoredAgent(new AgentRecord(r.id(), r.role(), AgentStatus.NORMAL, 0, 2, 0,
            r.lastTsMicros(), -1, -1), s.oldest(), s.newestTsMicros(), s.pinnedSinceMicros()).encode());
        checks.checkCounts(site);
        assertThat(checks.failures()).singleElement().asString().contains("its stored record went back from 3 to 2 observations");
    }

    @Test
    void aDetectorThatForgotAnAgentFailsTheEventCheck() {
        site.detector = new Detector(schema, DetectionConfig.defaults());
        checks.checkCounts(site);
        assertThat(checks.failures()).singleElement().asString().contains("the detector counts 0 observations, the host acknowledged 3");
    }

    @Test
    void aClosedMinuteMissingFromTheMinuteStoreFailsTheStoreCheck() {
        site.lastFlushMicros = (minute + 1) * Tier.MINUTE.bucketMicros(); // as if the flush had run: it has not
        checks.checkStores(site);
        assertThat(checks.failures()).singleElement().asString().contains("the minute rollup of minute 0 s counts 0, acknowledged 3");
    }

    @Test
    void anInFlightObservationInItsRawBlockOnlyIsPartlyStored() {
        final long ts = fleet.sim().nowMicros() + 5 * S;
        site.store(HistoryStores.RAW).put(AgentHistory.bucketKey(site.agentKeys[1], minute), RawBlock.append(null, d, minute,
            new RawBlock.Entry(ts, true, AgentStatus.NORMAL, Float.NaN, 0, new double[d])));
        site.inFlight = new RestartSite.InFlight(1, ts, CrashPoints.Kind.BEFORE_WRITE);
        checks.resolveInFlight(site);
        assertThat(checks.failures()).singleElement().asString()
            .contains("h0-agent-1", "is partly stored after the restart: the detector counts 0, the stored record counts 0, its raw block holds it");
        assertThat(site.inFlight).isNull();
    }

    @Test
    void aDamagedEntryTheHistoryDidNotCountFailsTheStoreCheck() {
        final byte[] key = AgentHistory.bucketKey(site.agentKeys[2], minute);
        ProcessKilled k;
        do { // every armed write dies; until one tears the entry
            crashPoints.arm();
            try {
                site.store(HistoryStores.RAW).put(key, new byte[] {1, 2, 3});
                k = null;
            } catch (final ProcessKilled e) {
                k = e;
            }
        } while (k == null || k.kind() != CrashPoints.Kind.PUT_TORN);
        assertThatThrownBy(() -> site.store(HistoryStores.RAW).get(key)).isInstanceOf(CorruptEntryException.class);
        checks.checkStores(site);
        assertThat(checks.failures()).singleElement().asString().contains("the history counted 0 damaged entries, its stores raised 1");
    }
}
