package dev.vigil.daemon.detect;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentRecordTest {
    @Test
    void aDetectorsAgentStateRoundTripsThroughItsFixedSizeRecord() {
        final Detector d = new Detector(FeatureSchema.agentDefault(), DetectionConfig.defaults());
        final double[] raw = {10, 5, 3, 1000, 200, 0.01, 800, 2, 5000, 0};
        for (int i = 0; i < 40; i++) {
            d.observe("agent-7", "coder", 1_767_225_600_000_000L + i * 10_000_000L, raw);
        }
        final AgentRecord record = d.record("agent-7");
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[AgentRecord.LENGTH + 16]);
        buffer.setMemory(0, buffer.capacity(), (byte)0x5A);
        record.writeTo(buffer, 8);
        assertThat(AgentRecord.readFrom(buffer, 8)).isEqualTo(record);
        assertThat(buffer.getByte(7)).as("nothing written before").isEqualTo((byte)0x5A);
        assertThat(buffer.getByte(8 + AgentRecord.LENGTH)).as("nothing written after").isEqualTo((byte)0x5A);
        assertThat(record.observations()).isEqualTo(40);
        assertThat(record.role()).isEqualTo("coder");
    }

    @Test
    void aRecordWithoutRoleAndATornRecordAreTellable() {
        final AgentRecord r = new AgentRecord("a", null, AgentStatus.ALARMED, 61.5, 1, 0, 5, 4, 4);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[AgentRecord.LENGTH]);
        r.writeTo(buffer, 0);
        assertThat(AgentRecord.readFrom(buffer, 0)).isEqualTo(r);
        buffer.putByte(0, (byte)0);
        assertThatThrownBy(() -> AgentRecord.readFrom(buffer, 0)).hasMessageContaining("not a version-1 agent record");
    }
}
