package dev.vigil.daemon.cli;

import dev.vigil.crypto.Certificate;
import dev.vigil.crypto.ClusterCa;
import dev.vigil.crypto.KeyFiles;
import dev.vigil.crypto.NodeIds;
import dev.vigil.crypto.PrivateKey;
import dev.vigil.crypto.PublicKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;

/** {@code vigil ca}: the cluster certificate authority. */
@Command(name = "ca", mixinStandardHelpOptions = true,
    description = "The cluster certificate authority: only nodes with a certificate it signed are accepted as peers.",
    subcommands = {CaCommand.Init.class, CaCommand.Sign.class})
final class CaCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
        description = "Create the cluster CA key pair: ca.key (0600, keep it offline) and ca.pub (give it to every node).")
    static final class Init implements Callable<Integer> {
        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write ca.key and ca.pub into.")
        Path out;

        @Option(names = "--force", description = "Overwrite an existing CA.")
        boolean force;

        @Override
        public Integer call() throws Exception {
            final PrivateKey key = PrivateKey.generate(new SecureRandom());
            KeyFiles.writePrivateKey(out.resolve("ca.key"), key, force);
            KeyFiles.writePublicKey(out.resolve("ca.pub"), key.publicKey(), force);
            System.out.println("cluster CA " + NodeIds.toHex(key.nodeId()));
            System.out.println("private key " + out.resolve("ca.key") + " (0600)");
            System.out.println("public key  " + out.resolve("ca.pub"));
            return 0;
        }
    }

    @Command(name = "sign", mixinStandardHelpOptions = true,
        description = "Issue a node certificate: the CA's signature over the node id, its public key and a validity window.")
    static final class Sign implements Callable<Integer> {
        @Option(names = "--ca-key", required = true, paramLabel = "FILE", description = "The CA private key (ca.key).")
        Path caKey;

        @Option(names = "--public-key", required = true, paramLabel = "FILE", description = "The node's public key (node.pub).")
        Path publicKey;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the certificate (node.crt).")
        Path out;

        @Option(names = "--days", defaultValue = "365", description = "Validity in days from now (default: ${DEFAULT-VALUE}).")
        long days;

        @Option(names = "--force", description = "Overwrite an existing certificate.")
        boolean force;

        @Override
        public Integer call() throws Exception {
            if (days <= 0 || days > 36_500) {
                throw new CliException("--days must be in [1, 36500], got " + days);
            }
            final ClusterCa ca = new ClusterCa(KeyFiles.readPrivateKey(caKey));
            final PublicKey node = KeyFiles.readPublicKey(publicKey);
            // Back-date by a minute so a node whose clock is slightly behind accepts it at once.
            final Instant notBefore = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(1));
            final Certificate certificate = ca.issue(node, notBefore, Duration.ofDays(days).plusMinutes(1));
            KeyFiles.writeCertificate(out, certificate, force);
            System.out.println("certificate " + out + ": node " + NodeIds.toHex(certificate.nodeId())
                + ", CA " + NodeIds.toHex(certificate.caKeyId())
                + ", valid " + Instant.ofEpochSecond(certificate.notBeforeSeconds())
                + " to " + Instant.ofEpochSecond(certificate.notAfterSeconds()));
            return 0;
        }
    }
}
