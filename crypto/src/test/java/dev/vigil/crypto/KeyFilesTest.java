package dev.vigil.crypto;

import dev.vigil.crypto.KeyFiles.KeyFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Key material on disk: armour round trips, owner-only private keys, no silent overwrite, errors that name the file. */
class KeyFilesTest {
    private static final PrivateKey NODE_KEY = TestKeys.key(7);
    private static final PrivateKey CA_KEY = TestKeys.key(8);

    @TempDir
    Path dir;

    // ---- round trips ----

    @Test
    void aWrittenPrivateKeyReadsBackAsTheSameKey() throws IOException {
        final Path file = dir.resolve("node.key");

        KeyFiles.writePrivateKey(file, NODE_KEY, false);
        final PrivateKey read = KeyFiles.readPrivateKey(file);

        assertThat(read.publicKey()).isEqualTo(NODE_KEY.publicKey());
        assertThat(read.sign(new byte[] {1, 2, 3})).isEqualTo(NODE_KEY.sign(new byte[] {1, 2, 3}));
    }

    @Test
    void aWrittenPublicKeyReadsBackAsTheSameKey() throws IOException {
        final Path file = dir.resolve("ca.pub");

        KeyFiles.writePublicKey(file, CA_KEY.publicKey(), false);

        assertThat(KeyFiles.readPublicKey(file)).isEqualTo(CA_KEY.publicKey());
    }

    @Test
    void aWrittenCertificateReadsBackWithTheSameEncodingAndStillVerifies() throws IOException {
        final Path file = dir.resolve("node.cert");
        final Instant notBefore = Instant.ofEpochSecond(1_750_000_000L);
        final Certificate certificate = new ClusterCa(CA_KEY).issue(NODE_KEY.publicKey(), notBefore, Duration.ofDays(30));

        KeyFiles.writeCertificate(file, certificate, false);
        final Certificate read = KeyFiles.readCertificate(file);

        assertThat(read.encoded()).isEqualTo(certificate.encoded());
        assertThat(read.verify(CA_KEY.publicKey(), notBefore.getEpochSecond())).isEqualTo(CertificateStatus.VALID);
    }

    @Test
    void filesUseTheDocumentedArmour() throws IOException {
        final Path file = dir.resolve("ca.pub");

        KeyFiles.writePublicKey(file, CA_KEY.publicKey(), false);

        assertThat(Files.readString(file)).isEqualTo("-----BEGIN VIGIL ED25519 PUBLIC KEY-----\n"
            + Base64.getEncoder().encodeToString(CA_KEY.publicKey().encoded()) + "\n"
            + "-----END VIGIL ED25519 PUBLIC KEY-----\n");
    }

    @Test
    void writingCreatesMissingParentDirectoriesAndLeavesNoTemporaryFiles() throws IOException {
        final Path file = dir.resolve("a/b/node.key");

        KeyFiles.writePrivateKey(file, NODE_KEY, false);
        KeyFiles.writePrivateKey(file, NODE_KEY, true);

        try (var listing = Files.list(file.getParent())) {
            assertThat(listing).containsExactly(file);
        }
    }

    @Test
    void armourToleratesSurroundingAndEmbeddedWhitespace() throws IOException {
        final Path file = dir.resolve("ca.pub");
        final String base64 = Base64.getEncoder().encodeToString(CA_KEY.publicKey().encoded());
        Files.writeString(file, "\n\n-----BEGIN VIGIL ED25519 PUBLIC KEY-----\r\n"
            + base64.substring(0, 10) + "\r\n  " + base64.substring(10) + "\r\n-----END VIGIL ED25519 PUBLIC KEY-----\r\n\n");

        assertThat(KeyFiles.readPublicKey(file)).isEqualTo(CA_KEY.publicKey());
    }

    // ---- permissions ----

    @Test
    void aWrittenPrivateKeyIsReadableAndWritableByItsOwnerOnly() throws IOException {
        final Path file = dir.resolve("node.key");

        KeyFiles.writePrivateKey(file, NODE_KEY, false);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void overwritingAWorldReadableFileLeavesAnOwnerOnlyPrivateKey() throws IOException {
        final Path file = dir.resolve("node.key");
        Files.writeString(file, "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        KeyFiles.writePrivateKey(file, NODE_KEY, true);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(KeyFiles.readPrivateKey(file).publicKey()).isEqualTo(NODE_KEY.publicKey());
    }

    @Test
    void aPrivateKeyReadableByOthersIsRefusedWithTheFix() throws IOException {
        final Path file = dir.resolve("node.key");
        KeyFiles.writePrivateKey(file, NODE_KEY, false);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> KeyFiles.readPrivateKey(file))
            .isInstanceOf(KeyFileException.class)
            .hasMessageContaining(file.toString())
            .hasMessageContaining("rw-r--r--")
            .hasMessageContaining("chmod 600");
    }

    @Test
    void aPrivateKeyReadableOrWritableByTheGroupIsRefused() throws IOException {
        final Path file = dir.resolve("node.key");
        KeyFiles.writePrivateKey(file, NODE_KEY, false);

        for (final String permissions : new String[] {"rw-r-----", "rw--w----", "rw-----w-", "rwx------"}) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));

            assertThatThrownBy(() -> KeyFiles.readPrivateKey(file)).as(permissions)
                .isInstanceOf(KeyFileException.class).hasMessageContaining("chmod 600");
        }
    }

    @Test
    void anOwnerReadOnlyPrivateKeyIsAccepted() throws IOException {
        final Path file = dir.resolve("node.key");
        KeyFiles.writePrivateKey(file, NODE_KEY, false);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));

        assertThat(KeyFiles.readPrivateKey(file).publicKey()).isEqualTo(NODE_KEY.publicKey());
    }

    // ---- overwrite ----

    @Test
    void writingOverAnExistingFileWithoutOverwriteIsRefusedAndLeavesItAlone() throws IOException {
        final Path file = dir.resolve("node.key");
        KeyFiles.writePrivateKey(file, NODE_KEY, false);
        final String before = Files.readString(file);

        assertThatThrownBy(() -> KeyFiles.writePrivateKey(file, CA_KEY, false))
            .isInstanceOf(FileAlreadyExistsException.class).hasMessageContaining(file.toString());
        assertThatThrownBy(() -> KeyFiles.writePublicKey(file, CA_KEY.publicKey(), false))
            .isInstanceOf(FileAlreadyExistsException.class);

        assertThat(Files.readString(file)).isEqualTo(before);
        assertThat(KeyFiles.readPrivateKey(file).publicKey()).isEqualTo(NODE_KEY.publicKey());
    }

    @Test
    void writingWithOverwriteReplacesTheKey() throws IOException {
        final Path file = dir.resolve("node.key");
        KeyFiles.writePrivateKey(file, NODE_KEY, false);

        KeyFiles.writePrivateKey(file, CA_KEY, true);

        assertThat(KeyFiles.readPrivateKey(file).publicKey()).isEqualTo(CA_KEY.publicKey());
    }

    // ---- bad files ----

    @Test
    void aMissingFileIsAKeyFileExceptionNamingIt() {
        final Path file = dir.resolve("absent.key");

        assertThatThrownBy(() -> KeyFiles.readPrivateKey(file))
            .isInstanceOf(KeyFileException.class).hasMessageContaining(file.toString()).hasMessageContaining("no such file");
        assertThatThrownBy(() -> KeyFiles.readPublicKey(file))
            .isInstanceOf(KeyFileException.class).hasMessageContaining(file.toString());
        assertThatThrownBy(() -> KeyFiles.readCertificate(file))
            .isInstanceOf(KeyFileException.class).hasMessageContaining(file.toString());
    }

    @Test
    void aGarbageTextFileIsAKeyFileExceptionNamingIt() throws IOException {
        final Path file = ownerOnlyFile("node.key", "this is not a key\n");

        assertThatThrownBy(() -> KeyFiles.readPrivateKey(file))
            .isInstanceOf(KeyFileException.class)
            .hasMessageStartingWith(file.toString())
            .hasMessageContaining("VIGIL ED25519 PRIVATE KEY");
        assertThatThrownBy(() -> KeyFiles.readPublicKey(file)).isInstanceOf(KeyFileException.class).hasMessageStartingWith(file.toString());
        assertThatThrownBy(() -> KeyFiles.readCertificate(file)).isInstanceOf(KeyFileException.class).hasMessageStartingWith(file.toString());
    }

    @Test
    void aFileWithTheWrongLabelIsRefused() throws IOException {
        final Path file = dir.resolve("ca.pub");
        KeyFiles.writePublicKey(file, CA_KEY.publicKey(), false);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        assertThatThrownBy(() -> KeyFiles.readPrivateKey(file))
            .isInstanceOf(KeyFileException.class).hasMessageContaining("expected a 'VIGIL ED25519 PRIVATE KEY' block");
        assertThatThrownBy(() -> KeyFiles.readCertificate(file))
            .isInstanceOf(KeyFileException.class).hasMessageContaining("expected a 'VIGIL NODE CERTIFICATE' block");
    }

    @Test
    void anArmouredBlockThatIsNotBase64IsRefused() throws IOException {
        final Path file = ownerOnlyFile("node.key",
            "-----BEGIN VIGIL ED25519 PRIVATE KEY-----\nnot*base64!\n-----END VIGIL ED25519 PRIVATE KEY-----\n");

        assertThatThrownBy(() -> KeyFiles.readPrivateKey(file))
            .isInstanceOf(KeyFileException.class).hasMessageStartingWith(file.toString()).hasMessageContaining("not valid base64");
    }

    @Test
    void anArmouredKeyOfTheWrongLengthIsRefused() throws IOException {
        final Path file = ownerOnlyFile("node.key", "-----BEGIN VIGIL ED25519 PRIVATE KEY-----\n"
            + Base64.getEncoder().encodeToString(new byte[31]) + "\n-----END VIGIL ED25519 PRIVATE KEY-----\n");

        assertThatThrownBy(() -> KeyFiles.readPrivateKey(file))
            .isInstanceOf(KeyFileException.class).hasMessageStartingWith(file.toString())
            .hasMessageContaining("holds 31 key bytes, expected 32");
    }

    @Test
    void anArmouredPublicKeyThatIsNotACurvePointIsRefused() throws IOException {
        final byte[] identity = new byte[PublicKey.LENGTH];
        identity[0] = 1;
        final Path file = ownerOnlyFile("ca.pub", "-----BEGIN VIGIL ED25519 PUBLIC KEY-----\n"
            + Base64.getEncoder().encodeToString(identity) + "\n-----END VIGIL ED25519 PUBLIC KEY-----\n");

        assertThatThrownBy(() -> KeyFiles.readPublicKey(file))
            .isInstanceOf(KeyFileException.class).hasMessageStartingWith(file.toString())
            .hasMessageContaining("valid Ed25519 public key");
    }

    @Test
    void anArmouredCertificateThatDoesNotParseIsRefused() throws IOException {
        final Path file = ownerOnlyFile("node.cert", "-----BEGIN VIGIL NODE CERTIFICATE-----\n"
            + Base64.getEncoder().encodeToString(new byte[Certificate.LENGTH]) + "\n-----END VIGIL NODE CERTIFICATE-----\n");

        assertThatThrownBy(() -> KeyFiles.readCertificate(file))
            .isInstanceOf(KeyFileException.class).hasMessageStartingWith(file.toString())
            .hasMessageContaining("node certificate");
    }

    @Test
    void aDirectoryIsNotAKeyFile() throws IOException {
        final Path sub = Files.createDirectory(dir.resolve("keys"));

        assertThatThrownBy(() -> KeyFiles.readPublicKey(sub))
            .isInstanceOf(KeyFileException.class).hasMessageStartingWith(sub.toString());
    }

    @Test
    void aBinaryFileIsAKeyFileErrorNamingTheFile() throws IOException {
        final Path file = ownerOnlyFile("node.key", "");
        Files.write(file, new byte[] {(byte)0x89, 0x50, 0x4E, 0x47, 0x00, 0x01, 0x02, (byte)0xFF});

        assertThatThrownBy(() -> KeyFiles.readPrivateKey(file))
            .isInstanceOf(KeyFiles.KeyFileException.class)
            .hasMessageStartingWith(file.toString())
            .hasMessageContaining("not a text key file");
    }

    // ---- Ed25519 only: simulated (not secure) keys never reach the disk ----

    @Test
    void aSimulatedKeyOrItsCertificateIsNeverWrittenAndNoFileAppears() throws IOException {
        final PrivateKey simulated = TestKeys.simulatedKey(7);
        final Certificate certificate = new ClusterCa(TestKeys.simulatedKey(8))
            .issue(simulated.publicKey(), Instant.ofEpochSecond(1_750_000_000L), Duration.ofDays(30));

        assertThatThrownBy(() -> KeyFiles.writePrivateKey(dir.resolve("node.key"), simulated, false))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not secure");
        assertThatThrownBy(() -> KeyFiles.writePublicKey(dir.resolve("node.pub"), simulated.publicKey(), true))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not secure");
        assertThatThrownBy(() -> KeyFiles.writeCertificate(dir.resolve("node.cert"), certificate, true))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not secure");
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aCertificateFileForASimulatedKeyIsRefused() throws IOException {
        final Certificate certificate = new ClusterCa(TestKeys.simulatedKey(8))
            .issue(TestKeys.simulatedKey(7).publicKey(), Instant.ofEpochSecond(1_750_000_000L), Duration.ofDays(30));
        final Path file = ownerOnlyFile("node.cert", "-----BEGIN VIGIL NODE CERTIFICATE-----\n"
            + Base64.getEncoder().encodeToString(certificate.encoded()) + "\n-----END VIGIL NODE CERTIFICATE-----\n");

        assertThatThrownBy(() -> KeyFiles.readCertificate(file))
            .isInstanceOf(KeyFileException.class).hasMessageStartingWith(file.toString())
            .hasMessageContaining("simulated");
    }

    @Test
    void aKeyFileAlwaysReadsAsEd25519EvenFromTheSecretOfASimulatedKey() throws IOException {
        // The armour carries no scheme and reading makes Ed25519 keys only.
        final byte[] secret = new byte[PrivateKey.LENGTH];
        Arrays.fill(secret, (byte)7);
        final Path file = ownerOnlyFile("node.key", "-----BEGIN VIGIL ED25519 PRIVATE KEY-----\n"
            + Base64.getEncoder().encodeToString(secret) + "\n-----END VIGIL ED25519 PRIVATE KEY-----\n");

        final PrivateKey read = KeyFiles.readPrivateKey(file);

        assertThat(read.scheme()).isEqualTo(SignatureScheme.ED25519);
        assertThat(read.publicKey()).isEqualTo(PrivateKey.of(secret).publicKey())
            .isNotEqualTo(PrivateKey.simulatedInsecure(secret).publicKey());
    }

    private Path ownerOnlyFile(final String name, final String text) throws IOException {
        final Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}
