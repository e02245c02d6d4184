package dev.vigil.daemon.consensus;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * A test state machine whose state is a hash chain over every request applied, in order, with
 * its sequence number: two replicas have equal snapshots exactly when they applied the same
 * requests in the same order. Each result is the chain value after that request.
 */
public final class ChainState implements ReplicatedState {
    private byte[] chain = new byte[32];
    private long applied;

    @Override
    public List<byte[]> apply(final long seq, final List<Request> requests) {
        final List<byte[]> results = new ArrayList<>(requests.size());
        for (final Request r : requests) {
            final MessageDigest md = sha256();
            md.update(chain);
            md.update(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(seq).array());
            md.update(r.encode());
            chain = md.digest();
            applied++;
            results.add(chain.clone());
        }
        return results;
    }

    @Override
    public byte[] snapshot() {
        return ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN).putLong(applied).put(chain).array();
    }

    @Override
    public void restore(final byte[] snapshot) {
        final ByteBuffer b = ByteBuffer.wrap(snapshot).order(ByteOrder.LITTLE_ENDIAN);
        applied = b.getLong();
        chain = new byte[32];
        b.get(chain);
    }

    public long applied() {
        return applied;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
