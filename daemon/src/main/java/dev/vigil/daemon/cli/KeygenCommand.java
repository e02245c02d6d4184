package dev.vigil.daemon.cli;

import dev.vigil.crypto.KeyFiles;
import dev.vigil.crypto.NodeIds;
import dev.vigil.crypto.PrivateKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;

/** {@code vigil keygen}: a new node key pair. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
    description = "Generate a node's Ed25519 key pair: NAME.key (0600) and NAME.pub in DIR. Prints the node id.")
final class KeygenCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write the key files into.")
    Path out;

    @Option(names = "--name", defaultValue = "node", description = "File name stem (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--force", description = "Overwrite existing key files.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        final PrivateKey key = PrivateKey.generate(new SecureRandom());
        final Path keyFile = out.resolve(name + ".key");
        final Path pubFile = out.resolve(name + ".pub");
        KeyFiles.writePrivateKey(keyFile, key, force);
        KeyFiles.writePublicKey(pubFile, key.publicKey(), force);
        System.out.println("node id " + NodeIds.toHex(key.nodeId()));
        System.out.println("private key " + keyFile + " (0600)");
        System.out.println("public key  " + pubFile);
        return 0;
    }
}
