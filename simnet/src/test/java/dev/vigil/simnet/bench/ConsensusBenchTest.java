package dev.vigil.simnet.bench;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code vigil bench consensus} end to end on a short run: four daemons on loopback commit evidence
 * and the JSON carries the stable keys. A smoke test of the bench, not a measurement (no figures are
 * asserted beyond "something was committed"). The load is kept light (one shard, one observer, 1,000
 * records/s): at full load the committees of this bench can fall into view changes on a busy machine
 * (see simnet/README, Consensus bench), and the test is about the bench's plumbing.
 */
class ConsensusBenchTest {
    @Test
    void fourReplicasCommitEvidenceAndTheJsonHasTheStableKeys() throws Exception {
        final Map<String, Object> out = ConsensusBench.run(new ConsensusBench.Params(4, 3.0, 1.0, 1, 2, 1_000, 1));
        System.out.println("vigil bench consensus, short run: " + out);

        assertThat(out).containsKeys("replicas", "records_per_s", "commit_latency_p50_ms", "commit_latency_p99_ms",
            "wire_bytes_per_record", "f", "load_average", "view_changes");
        assertThat(out.get("replicas")).isEqualTo(4);
        assertThat(out.get("f")).isEqualTo(1);
        assertThat(((Number)out.get("records_per_s")).longValue()).isPositive();
        assertThat(((Number)out.get("commit_latency_p99_ms")).doubleValue())
            .isGreaterThanOrEqualTo(((Number)out.get("commit_latency_p50_ms")).doubleValue());
        assertThat(((Number)out.get("wire_bytes_per_record")).longValue()).isPositive();
    }
}
