package dev.vigil.daemon.verdict;

import dev.vigil.crypto.Certificate;
import dev.vigil.crypto.verdict.Verdict;
import dev.vigil.crypto.verdict.VerdictCertificate;
import dev.vigil.crypto.verdict.VerdictSignature;
import dev.vigil.daemon.consensus.CommitteeDirectory;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The messages of the fleet-verdict channel, each a tag byte and a body, carried whole between two
 * nodes by the core's consensus channel (which fragments and authenticates them per frame, so the
 * sender's id is known; what is signed inside is signed for third parties).
 *
 * <pre>
 * tag 1 replica      shard u16, epoch u64, consensus message (rest)
 * tag 2 directory    issuer certificate (136), directory length u16, directory, the previous epoch's directory (rest, may be empty)
 * tag 3 evidence     observer certificate (136), shard u16, epoch u64, signed request (rest)
 * tag 4 ack          shard u16, epoch u64, request seq u64, next expected dot u64, duplicates u32
 * tag 5 share        signer certificate (136), signature (64), verdict (rest)
 * tag 6 certificate  verdict certificate (rest)
 * </pre>
 * Little-endian. {@link #decode} never throws: a malformed body is a {@link Malformed} with the reason.
 */
public sealed interface FleetMessage {
    int TAG_REPLICA = 1;
    int TAG_DIRECTORY = 2;
    int TAG_EVIDENCE = 3;
    int TAG_ACK = 4;
    int TAG_SHARE = 5;
    int TAG_CERTIFICATE = 6;
    int SIGNATURE_LENGTH = 64;

    String label();

    byte[] encode();

    record ReplicaMessage(int shard, long epoch, byte[] message) implements FleetMessage {
        @Override
        public String label() {
            return "replica";
        }

        @Override
        public byte[] encode() {
            return head(TAG_REPLICA, 10 + message.length).putShort((short)shard).putLong(epoch).put(message).array();
        }
    }

    /** A directory, with the previous epoch's when the holder has it (a member joining from it needs that committee). */
    record DirectoryMessage(Certificate issuer, CommitteeDirectory directory, CommitteeDirectory previous) implements FleetMessage {
        @Override
        public String label() {
            return "directory";
        }

        @Override
        public byte[] encode() {
            final byte[] d = directory.encode();
            final byte[] p = previous == null ? new byte[0] : previous.encode();
            return head(TAG_DIRECTORY, Certificate.LENGTH + 2 + d.length + p.length).put(issuer.encoded()).putShort((short)d.length)
                .put(d).put(p).array();
        }
    }

    record EvidenceMessage(Certificate observer, int shard, long epoch, byte[] request) implements FleetMessage {
        @Override
        public String label() {
            return "evidence";
        }

        @Override
        public byte[] encode() {
            return head(TAG_EVIDENCE, Certificate.LENGTH + 10 + request.length).put(observer.encoded()).putShort((short)shard)
                .putLong(epoch).put(request).array();
        }
    }

    /** A committee member's answer to an observer's request once it executed (or found it a duplicate). */
    record Ack(int shard, long epoch, long requestSeq, long nextExpected, int duplicates) implements FleetMessage {
        @Override
        public String label() {
            return "ack";
        }

        @Override
        public byte[] encode() {
            return head(TAG_ACK, 30).putShort((short)shard).putLong(epoch).putLong(requestSeq).putLong(nextExpected)
                .putInt(duplicates).array();
        }
    }

    /** One committee member's signature over a verdict, sent to the other members to assemble a certificate. */
    record Share(Certificate signer, byte[] signature, Verdict verdict) implements FleetMessage {
        @Override
        public String label() {
            return "share";
        }

        public VerdictSignature asSignature() {
            return VerdictSignature.of(signer.nodeId(), signature, signer);
        }

        @Override
        public byte[] encode() {
            final byte[] v = verdict.encoded();
            return head(TAG_SHARE, Certificate.LENGTH + SIGNATURE_LENGTH + v.length).put(signer.encoded()).put(signature).put(v)
                .array();
        }
    }

    record CertificateMessage(VerdictCertificate certificate) implements FleetMessage {
        @Override
        public String label() {
            return "certificate";
        }

        @Override
        public byte[] encode() {
            final byte[] c = certificate.encoded();
            return head(TAG_CERTIFICATE, c.length).put(c).array();
        }
    }

    /** Why a message did not decode; {@link #decode} returns it instead of throwing. */
    record Malformed(String reason) implements FleetMessage {
        @Override
        public String label() {
            return "malformed";
        }

        @Override
        public byte[] encode() {
            throw new UnsupportedOperationException("a malformed message is not sent");
        }
    }

    private static ByteBuffer head(final int tag, final int bodyLength) {
        return ByteBuffer.allocate(1 + bodyLength).order(ByteOrder.LITTLE_ENDIAN).put((byte)tag);
    }

    static FleetMessage decode(final byte[] bytes) {
        if (bytes.length < 1) {
            return new Malformed("empty message");
        }
        final ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        final int tag = b.get() & 0xFF;
        try {
            return switch (tag) {
                case TAG_REPLICA -> new ReplicaMessage(b.getShort() & 0xFFFF, b.getLong(), rest(b));
                case TAG_DIRECTORY -> {
                    final Certificate issuer = certificate(b);
                    if (issuer == null) {
                        yield new Malformed("directory: issuer certificate does not parse");
                    }
                    final byte[] raw = new byte[b.getShort() & 0xFFFF];
                    b.get(raw);
                    final CommitteeDirectory.Result d = CommitteeDirectory.decode(raw);
                    if (d.directory() == null) {
                        yield new Malformed("directory: " + d.refusal().label);
                    }
                    if (!b.hasRemaining()) {
                        yield new DirectoryMessage(issuer, d.directory(), null);
                    }
                    final CommitteeDirectory.Result p = CommitteeDirectory.decode(rest(b));
                    yield p.directory() == null ? new Malformed("directory: previous epoch's: " + p.refusal().label)
                        : new DirectoryMessage(issuer, d.directory(), p.directory());
                }
                case TAG_EVIDENCE -> {
                    final Certificate observer = certificate(b);
                    yield observer == null ? new Malformed("evidence: observer certificate does not parse")
                        : new EvidenceMessage(observer, b.getShort() & 0xFFFF, b.getLong(), rest(b));
                }
                case TAG_ACK -> {
                    final Ack a = new Ack(b.getShort() & 0xFFFF, b.getLong(), b.getLong(), b.getLong(), b.getInt());
                    yield b.hasRemaining() ? new Malformed("ack: " + b.remaining() + " bytes after the body") : a;
                }
                case TAG_SHARE -> {
                    final Certificate signer = certificate(b);
                    if (signer == null) {
                        yield new Malformed("share: signer certificate does not parse");
                    }
                    final byte[] signature = new byte[SIGNATURE_LENGTH];
                    b.get(signature);
                    yield new Share(signer, signature, Verdict.decode(rest(b)));
                }
                case TAG_CERTIFICATE -> new CertificateMessage(VerdictCertificate.decode(rest(b)));
                default -> new Malformed("unknown tag " + tag);
            };
        } catch (final BufferUnderflowException e) {
            return new Malformed("tag " + tag + ": truncated at byte " + b.position() + " of " + bytes.length);
        } catch (final IllegalArgumentException e) {
            // the decoders of directories, verdicts and certificates say what is wrong this way
            return new Malformed("tag " + tag + ": " + e.getMessage());
        }
    }

    private static Certificate certificate(final ByteBuffer b) {
        final byte[] raw = new byte[Certificate.LENGTH];
        b.get(raw);
        return Certificate.tryParse(raw, 0, raw.length);
    }

    private static byte[] rest(final ByteBuffer b) {
        return Arrays.copyOfRange(b.array(), b.position(), b.limit());
    }
}
