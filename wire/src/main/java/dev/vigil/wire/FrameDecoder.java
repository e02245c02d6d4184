package dev.vigil.wire;

import org.agrona.DirectBuffer;

/**
 * Structural check of one frame: total over all byte strings, allocation free, never throws
 * for a range that lies inside the buffer. It answers the first reason that applies, cheapest
 * first, so the answer for a given byte string is always the same.
 */
public final class FrameDecoder {
    private FrameDecoder() {
    }

    /**
     * @param buffer holds the frame
     * @param offset where the frame starts
     * @param length how many bytes the transport delimited as this frame
     */
    public static FrameStatus check(final DirectBuffer buffer, final int offset, final int length) {
        if (length > FrameHeader.FRAME_LENGTH_MAX) {
            return FrameStatus.OVERSIZED;
        }
        if (length < FrameHeader.FRAME_LENGTH_MIN) {
            return FrameStatus.TRUNCATED;
        }
        if (FrameHeader.magic(buffer, offset) != FrameHeader.MAGIC) {
            return FrameStatus.BAD_MAGIC;
        }
        if (FrameHeader.version(buffer, offset) != FrameHeader.VERSION) {
            return FrameStatus.UNKNOWN_VERSION;
        }
        final int declared = FrameHeader.frameLength(buffer, offset);
        if (declared > length && declared <= FrameHeader.FRAME_LENGTH_MAX) {
            return FrameStatus.TRUNCATED;
        }
        if (declared != length) {
            return FrameStatus.BAD_LENGTH;
        }
        final MessageType type = MessageType.of(FrameHeader.type(buffer, offset));
        if (type == null) {
            return FrameStatus.UNKNOWN_TYPE;
        }
        final int flags = FrameHeader.flags(buffer, offset);
        int bodyOffset = FrameHeader.bodyOffset(offset);
        int bodyLength = FrameHeader.bodyLength(length);
        if (flags == FrameHeader.FLAG_INTRODUCTION && type.introducible()) {
            final int introduction = Introduction.length(buffer, bodyOffset, bodyLength);
            if (introduction < 0) {
                return FrameStatus.MALFORMED_BODY;
            }
            bodyOffset += introduction;
            bodyLength -= introduction;
        } else if (flags != 0) {
            // a flag v1 does not define, or an introduction on a type that never carries one
            return FrameStatus.MALFORMED_BODY;
        }
        final boolean wellFormed = switch (type) {
            case JOIN -> JoinBody.isWellFormed(buffer, bodyOffset, bodyLength);
            case JOIN_ACCEPT -> JoinAcceptBody.isWellFormed(buffer, bodyOffset, bodyLength);
            case PING, ACK -> ProbeBody.isWellFormed(bodyLength);
            case LEAVE -> LeaveBody.isWellFormed(buffer, bodyOffset, bodyLength);
            case STAT_UPDATE -> StatUpdateBody.isWellFormed(buffer, bodyOffset, bodyLength);
            case BASELINE_REPLICA -> ReplicaBody.isWellFormed(buffer, bodyOffset, bodyLength);
            case CONSENSUS -> ConsensusFragmentBody.isWellFormed(buffer, bodyOffset, bodyLength);
            case TREE_DESCEND -> TreeDescendBody.isWellFormed(buffer, bodyOffset, bodyLength);
            case TREE_REFER -> TreeReferBody.isWellFormed(buffer, bodyOffset, bodyLength);
            case TREE_ADMIT -> TreeAdmitBody.isWellFormed(buffer, bodyOffset, bodyLength);
            case TREE_VIEW -> TreeViewBody.isWellFormed(buffer, bodyOffset, bodyLength);
            case TREE_MERGE -> TreeMergeBody.isWellFormed(buffer, bodyOffset, bodyLength);
            case TREE_PING, TREE_ACK -> TreeProbeBody.isWellFormed(buffer, bodyOffset, bodyLength);
            case TREE_PING_REQ -> TreePingReqBody.isWellFormed(buffer, bodyOffset, bodyLength);
            case TREE_SUSPECT -> TreeSuspectBody.isWellFormed(buffer, bodyOffset, bodyLength);
            case TREE_ANNOUNCE -> TreeAnnounceBody.isWellFormed(buffer, bodyOffset, bodyLength);
            case TREE_CHALLENGE -> TreeChallengeBody.isWellFormed(buffer, bodyOffset, bodyLength);
            case TREE_BASELINE -> TreeBaselineBody.isWellFormed(buffer, bodyOffset, bodyLength);
            case TREE_INTRODUCE_REQUEST -> TreeIntroduceRequestBody.isWellFormed(buffer, bodyOffset, bodyLength);
        };
        return wellFormed ? FrameStatus.OK : FrameStatus.MALFORMED_BODY;
    }
}
