package dev.vigil.daemon.consensus;

import dev.vigil.daemon.core.NodeLog;
import dev.vigil.storage.StoreDirectory;

import java.io.PrintStream;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

/**
 * The child JVM of {@link StoredLogKillTest}: a backup replica ordering batch after batch (the
 * other members' messages crafted with their keys, as {@link OneReplica} does), persisting into a
 * {@link StoredLog} in a Chronicle Map file, until it is killed. Before each log operation it
 * prints {@code B <record hex>} or {@code T <stable seq>}, and {@code D} once it returned, so the
 * parent knows what was acknowledged and what was in flight.
 */
final class StoredLogWriter {
    static final ConsensusConfig CONFIG = ConsensusConfig.defaults().withCheckpointSeqs(8);
    static final LogSizing SIZING = LogSizing.of(CONFIG, 4, 2, 1L << 20);
    static final int SELF = 1;

    private StoredLogWriter() {
    }

    static OneReplica committee() {
        return new OneReplica(1, SELF, CONFIG);
    }

    static StoreDirectory stores(final Path dir) {
        return StoreDirectory.open(dir, "consensus-log-kill-test", List.of(SIZING.spec()));
    }

    public static void main(final String[] args) {
        final PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false);
        final OneReplica keys = committee();
        final StoreDirectory stores = stores(Path.of(args[0]));
        final StoredLog log = StoredLogs.open(stores.store(LogSizing.STORE), SIZING, keys.limits()).log(keys.committee.shard(), 0);
        final Checkpoint[] own = new Checkpoint[1];
        final ReplicaEffects effects = new ReplicaEffects() {
            @Override
            public void persist(final LogRecord record) {
                out.println("B " + HexFormat.of().formatHex(LogRecords.encode(record)));
                out.flush();
                log.append(record);
                out.println("D");
                out.flush();
            }

            @Override
            public void truncate(final long stableSeq) {
                out.println("T " + stableSeq);
                out.flush();
                log.truncate(stableSeq);
                out.println("D");
                out.flush();
            }

            @Override
            public void send(final long nodeId, final byte[] message) {
            }

            @Override
            public void broadcast(final byte[] message) {
                if (Messages.decode(message, keys.limits()).message() instanceof Checkpoint c) {
                    own[0] = c;
                }
            }

            @Override
            public void deliver(final Delivery delivery) {
            }

            @Override
            public void setTimer(final TimerKind kind, final long atMicros) {
            }
        };
        final Replica replica = Replica.start(CONFIG, keys.committee, keys.members[SELF], keys.verifier, new ChainState(), effects,
            NodeLog.DISCARD, keys.now);
        for (long seq = 1; ; seq++) {
            final Batch batch = new Batch(List.of(keys.request(seq)));
            replica.onMessage(keys.proposal(0, seq, batch).encode(), keys.now);
            replica.onMessage(keys.vote(MessageKind.PREPARE, 2, 0, seq, batch.digest()).encode(), keys.now);
            replica.onMessage(keys.vote(MessageKind.COMMIT, 0, 0, seq, batch.digest()).encode(), keys.now);
            replica.onMessage(keys.vote(MessageKind.COMMIT, 2, 0, seq, batch.digest()).encode(), keys.now);
            if (own[0] != null && own[0].seq() == seq) {
                for (final int m : new int[] {0, 2}) {
                    replica.onMessage(Checkpoint.signed(keys.committee, keys.members[m], seq, own[0].stateDigest()).encode(), keys.now);
                }
            }
            if (replica.counters().internalErrors() > 0) {
                out.println("E internal error at seq " + seq);
                out.flush();
                System.exit(2);
            }
            keys.now += 1_000;
        }
    }
}
