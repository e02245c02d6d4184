package dev.vigil.daemon.net;

import dev.vigil.daemon.config.ConfigException;
import dev.vigil.daemon.config.NodeConfig;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The lock on a node's data directory ({@code vigil.lock} in it): two processes writing one set
 * of stores would corrupt them, so the second one is refused with an error naming
 * {@code data_dir}. Held from before the stores open until after they are closed.
 */
final class DataDirLock {
    static final String FILE_NAME = "vigil.lock";

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(final Path file, final FileChannel channel, final FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates the data directory if needed and locks it.
     *
     * @throws ConfigException naming {@code data_dir} when another process holds it
     */
    static DataDirLock acquire(final NodeConfig config) throws IOException {
        Files.createDirectories(config.dataDir());
        final Path file = config.dataDir().resolve(FILE_NAME);
        final FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        final FileLock lock = channel.tryLock();
        if (lock == null) {
            channel.close();
            throw new ConfigException(config.file(), "data_dir", config.dataDir() + " is in use by another vigil process");
        }
        return new DataDirLock(file, channel, lock);
    }

    /** The lock file. */
    Path file() {
        return file;
    }

    /** Lets another process have the data directory. */
    void release() throws IOException {
        lock.release();
        channel.close();
    }
}
