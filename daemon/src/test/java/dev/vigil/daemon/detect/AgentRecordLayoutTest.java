package dev.vigil.daemon.detect;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fixed-size agent record at its limits: longest id and role, every field distinct, the unused bytes zero. */
class AgentRecordLayoutTest {
    @Test
    void theLongestIdAndRoleAndEveryFieldRoundTripOverLeftovers() {
        final AgentRecord r = new AgentRecord("i".repeat(AgentIds.ID_LENGTH_MAX), "r".repeat(AgentIds.ROLE_LENGTH_MAX),
            AgentStatus.SUSPECT, 12.25, 101, 7, 1_000_003, 1_000_002, 1_000_001);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[AgentRecord.LENGTH]);
        buffer.setMemory(0, AgentRecord.LENGTH, (byte)0x5A);
        r.writeTo(buffer, 0);
        assertThat(AgentRecord.readFrom(buffer, 0)).isEqualTo(r);
        for (int i = 4; i < 8; i++) {
            assertThat(buffer.getByte(i)).as("padding byte %d", i).isZero();
        }

        final AgentRecord shortId = new AgentRecord("a", null, AgentStatus.NORMAL, 0, 0, 0, 0, 0, 0);
        shortId.writeTo(buffer, 0);
        assertThat(buffer.getByte(56 + 1)).as("the rest of the id field").isZero();
        assertThat(buffer.getByte(AgentRecord.LENGTH - 1)).isZero();
    }

    @Test
    void aStatusPastTheLastOrAnOverlongIdOrRoleIsNotARecord() {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[AgentRecord.LENGTH]);
        new AgentRecord("a", "b", AgentStatus.NORMAL, 0, 0, 0, 0, 0, 0).writeTo(buffer, 0);
        buffer.putByte(1, (byte)AgentStatus.values().length);
        assertThatThrownBy(() -> AgentRecord.readFrom(buffer, 0)).isInstanceOf(IllegalArgumentException.class);
        buffer.putByte(1, (byte)0);
        buffer.putByte(2, (byte)(AgentIds.ID_LENGTH_MAX + 1));
        assertThatThrownBy(() -> AgentRecord.readFrom(buffer, 0)).isInstanceOf(IllegalArgumentException.class);
        buffer.putByte(2, (byte)1);
        buffer.putByte(3, (byte)(AgentIds.ROLE_LENGTH_MAX + 1));
        assertThatThrownBy(() -> AgentRecord.readFrom(buffer, 0)).isInstanceOf(IllegalArgumentException.class);
        buffer.putByte(3, (byte)0);
        buffer.putByte(2, (byte)0);
        assertThatThrownBy(() -> AgentRecord.readFrom(buffer, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AgentRecord("a", "", AgentStatus.NORMAL, 0, 0, 0, 0, 0, 0))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
