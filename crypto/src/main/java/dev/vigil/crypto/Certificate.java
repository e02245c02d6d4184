package dev.vigil.crypto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A node certificate: the cluster CA's signature over (node id, node public key, validity).
 * Fixed 136-byte little-endian layout so it fits in a join frame and parses without surprises.
 *
 * <pre>
 *  0  version       u8 (1)
 *  1  key scheme    u8: 0 = Ed25519; 0x53 ('S') = simulated, NOT SECURE (simulator only)
 *  2  reserved      u8[6] (0)
 *  8  node id       u64
 * 16  public key    32 bytes
 * 48  not before    i64 epoch seconds
 * 56  not after     i64 epoch seconds (exclusive)
 * 64  CA key id     u64 (node id of the CA public key)
 * 72  CA signature  64 bytes over "vigil-node-cert-v1" || bytes [0, 72)
 * </pre>
 *
 * The CA and the node key always share a scheme: {@link ClusterCa} issues nothing else and
 * {@link #verify} refuses anything else, so a cluster whose CA key is Ed25519 (every real one:
 * key files hold nothing else) never admits a simulated key.
 */
public final class Certificate {
    public static final int VERSION = 1;
    public static final int LENGTH = 136;
    static final int SIGNED_LENGTH = 72;
    private static final byte[] DOMAIN = "vigil-node-cert-v1".getBytes(StandardCharsets.US_ASCII);

    private final byte[] encoded;
    private final long nodeId;
    private final PublicKey publicKey;
    private final long notBeforeSeconds;
    private final long notAfterSeconds;
    private final long caKeyId;

    private Certificate(
        final byte[] encoded, final long nodeId, final PublicKey publicKey,
        final long notBeforeSeconds, final long notAfterSeconds, final long caKeyId) {
        this.encoded = encoded;
        this.nodeId = nodeId;
        this.publicKey = publicKey;
        this.notBeforeSeconds = notBeforeSeconds;
        this.notAfterSeconds = notAfterSeconds;
        this.caKeyId = caKeyId;
    }

    /** Issues a certificate; used by {@link ClusterCa}. */
    static Certificate issue(
        final PrivateKey caKey, final PublicKey subject, final long notBeforeSeconds, final long notAfterSeconds) {
        if (notAfterSeconds <= notBeforeSeconds) {
            throw new IllegalArgumentException("certificate validity must end after it starts");
        }
        if (caKey.scheme() != subject.scheme()) {
            throw new IllegalArgumentException(
                "a " + caKey.scheme().label + " CA cannot certify a " + subject.scheme().label + " key");
        }
        final ByteBuffer b = ByteBuffer.allocate(LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte)VERSION).put(subject.scheme().certificateCode).put(new byte[6]);
        b.putLong(subject.nodeId());
        b.put(subject.encoded());
        b.putLong(notBeforeSeconds).putLong(notAfterSeconds);
        b.putLong(caKey.nodeId());
        final byte[] encoded = b.array();
        final byte[] signature = caKey.sign(toBeSigned(encoded, 0));
        System.arraycopy(signature, 0, encoded, SIGNED_LENGTH, PrivateKey.SIGNATURE_LENGTH);
        return new Certificate(encoded, subject.nodeId(), subject, notBeforeSeconds, notAfterSeconds, caKey.nodeId());
    }

    /**
     * Parses the layout without checking the CA signature (see {@link #verify}).
     *
     * @return the certificate, or {@code null} when the bytes are not a v1 certificate.
     */
    public static Certificate tryParse(final byte[] bytes, final int offset, final int length) {
        if (length != LENGTH || offset < 0 || bytes.length - offset < LENGTH || bytes[offset] != VERSION) {
            return null;
        }
        final SignatureScheme scheme = SignatureScheme.ofCertificateCode(bytes[offset + 1]);
        if (scheme == null) {
            return null;
        }
        for (int i = 2; i < 8; i++) {
            if (bytes[offset + i] != 0) {
                return null;
            }
        }
        final ByteBuffer b = ByteBuffer.wrap(bytes, offset, LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        final long nodeId = b.getLong(offset + 8);
        final PublicKey publicKey = scheme == SignatureScheme.ED25519
            ? PublicKey.tryOf(bytes, offset + 16)
            : PublicKey.trySimulatedInsecure(bytes, offset + 16);
        if (publicKey == null || publicKey.nodeId() != nodeId) {
            return null;
        }
        return new Certificate(
            Arrays.copyOfRange(bytes, offset, offset + LENGTH), nodeId, publicKey,
            b.getLong(offset + 48), b.getLong(offset + 56), b.getLong(offset + 64));
    }

    /** @throws IllegalArgumentException when the bytes are not a v1 certificate. */
    public static Certificate parse(final byte[] bytes) {
        final Certificate c = tryParse(bytes, 0, bytes.length);
        if (c == null) {
            throw new IllegalArgumentException("not a v" + VERSION + " Vigil node certificate (" + bytes.length + " bytes)");
        }
        return c;
    }

    /**
     * Checks the CA signature and the validity window at {@code nowSeconds}. A certificate for a
     * key of another scheme than the CA's is {@link CertificateStatus#WRONG_CA}, whoever signed it.
     */
    public CertificateStatus verify(final PublicKey caKey, final long nowSeconds) {
        if (caKey.scheme() != publicKey.scheme() || caKey.nodeId() != caKeyId) {
            return CertificateStatus.WRONG_CA;
        }
        if (!caKey.verify(encoded, SIGNED_LENGTH, toBeSigned(encoded, 0), 0, DOMAIN.length + SIGNED_LENGTH)) {
            return CertificateStatus.BAD_SIGNATURE;
        }
        return validityAt(nowSeconds);
    }

    /** The validity window alone, for a certificate whose signature was checked before. */
    public CertificateStatus validityAt(final long nowSeconds) {
        if (nowSeconds < notBeforeSeconds) {
            return CertificateStatus.NOT_YET_VALID;
        }
        if (nowSeconds >= notAfterSeconds) {
            return CertificateStatus.EXPIRED;
        }
        return CertificateStatus.VALID;
    }

    private static byte[] toBeSigned(final byte[] encoded, final int offset) {
        final byte[] tbs = new byte[DOMAIN.length + SIGNED_LENGTH];
        System.arraycopy(DOMAIN, 0, tbs, 0, DOMAIN.length);
        System.arraycopy(encoded, offset, tbs, DOMAIN.length, SIGNED_LENGTH);
        return tbs;
    }

    public byte[] encoded() {
        return encoded.clone();
    }

    /** Whether {@code bytes[offset, offset + length)} is this certificate's encoding. */
    public boolean sameEncoding(final byte[] bytes, final int offset, final int length) {
        return length == LENGTH && Arrays.equals(encoded, 0, LENGTH, bytes, offset, offset + length);
    }

    public long nodeId() {
        return nodeId;
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    public long notBeforeSeconds() {
        return notBeforeSeconds;
    }

    public long notAfterSeconds() {
        return notAfterSeconds;
    }

    public long caKeyId() {
        return caKeyId;
    }

    @Override
    public String toString() {
        return "Certificate[node " + NodeIds.toHex(nodeId) + ", ca " + NodeIds.toHex(caKeyId)
            + ", valid " + java.time.Instant.ofEpochSecond(notBeforeSeconds) + " .. " + java.time.Instant.ofEpochSecond(notAfterSeconds) + "]";
    }
}
