package dev.vigil.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Set;

/**
 * Key material on disk in a PEM-like text armour, one object per file:
 * <pre>
 * -----BEGIN VIGIL ED25519 PRIVATE KEY-----
 * base64
 * -----END VIGIL ED25519 PRIVATE KEY-----
 * </pre>
 * Private keys are written 0600 (created so, never widened) and refused when group or others can
 * read them, as ssh does. Writes go to a temporary file that is renamed into place, so a crash
 * never leaves half a key.
 *
 * <p>Key files are Ed25519 only: writing a simulated (not secure) key, or a certificate for one,
 * throws, and reading never yields one.
 */
public final class KeyFiles {
    public static final String PRIVATE_KEY = "VIGIL ED25519 PRIVATE KEY";
    public static final String PUBLIC_KEY = "VIGIL ED25519 PUBLIC KEY";
    public static final String CERTIFICATE = "VIGIL NODE CERTIFICATE";

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> WORLD_READABLE = PosixFilePermissions.fromString("rw-r--r--");

    private KeyFiles() {
    }

    public static void writePrivateKey(final Path path, final PrivateKey key, final boolean overwrite) throws IOException {
        requireEd25519(path, key.scheme());
        write(path, PRIVATE_KEY, key.secret(), OWNER_ONLY, overwrite);
    }

    public static void writePublicKey(final Path path, final PublicKey key, final boolean overwrite) throws IOException {
        requireEd25519(path, key.scheme());
        write(path, PUBLIC_KEY, key.encoded(), WORLD_READABLE, overwrite);
    }

    public static void writeCertificate(final Path path, final Certificate certificate, final boolean overwrite) throws IOException {
        requireEd25519(path, certificate.publicKey().scheme());
        write(path, CERTIFICATE, certificate.encoded(), WORLD_READABLE, overwrite);
    }

    public static PrivateKey readPrivateKey(final Path path) throws IOException {
        checkOwnerOnly(path);
        final byte[] bytes = read(path, PRIVATE_KEY);
        if (bytes.length != PrivateKey.LENGTH) {
            throw new KeyFileException(path, "holds " + bytes.length + " key bytes, expected " + PrivateKey.LENGTH);
        }
        return PrivateKey.of(bytes);
    }

    public static PublicKey readPublicKey(final Path path) throws IOException {
        final byte[] bytes = read(path, PUBLIC_KEY);
        final PublicKey key = bytes.length == PublicKey.LENGTH ? PublicKey.tryOf(bytes, 0) : null;
        if (key == null) {
            throw new KeyFileException(path, "does not hold a valid Ed25519 public key");
        }
        return key;
    }

    public static Certificate readCertificate(final Path path) throws IOException {
        final byte[] bytes = read(path, CERTIFICATE);
        final Certificate certificate = Certificate.tryParse(bytes, 0, bytes.length);
        if (certificate == null) {
            throw new KeyFileException(path, "does not hold a v" + Certificate.VERSION + " node certificate");
        }
        if (certificate.publicKey().scheme() != SignatureScheme.ED25519) {
            throw new KeyFileException(path, "holds a certificate for a simulated, not secure key; only Ed25519 is accepted");
        }
        return certificate;
    }

    /** A key file that is missing, malformed or unsafe; the message names the file and the fix. */
    public static final class KeyFileException extends IOException {
        private static final long serialVersionUID = 1L;

        public KeyFileException(final Path path, final String problem) {
            super(path + ": " + problem);
        }
    }

    /** Simulated keys exist only inside a simulator process; asking to store one is a bug. */
    private static void requireEd25519(final Path path, final SignatureScheme scheme) {
        if (scheme != SignatureScheme.ED25519) {
            throw new IllegalArgumentException(
                "refusing to write " + path + ": a " + scheme.label + " (not secure) key; key files hold Ed25519 only");
        }
    }

    private static void checkOwnerOnly(final Path path) throws IOException {
        final PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        if (view == null || !Files.exists(path)) {
            return; // not a POSIX file system, or missing (read() reports that)
        }
        final Set<PosixFilePermission> permissions = view.readAttributes().permissions();
        if (!OWNER_ONLY.containsAll(permissions)) {
            throw new KeyFileException(path, "private key is accessible by group or others ("
                + PosixFilePermissions.toString(permissions) + "); run: chmod 600 " + path);
        }
    }

    private static byte[] read(final Path path, final String label) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new KeyFileException(path, "no such file");
        }
        final byte[] raw = Files.readAllBytes(path);
        for (final byte b : raw) {
            if (b < 0) {
                throw new KeyFileException(path, "is not a text key file (expected a '" + label + "' block)");
            }
        }
        final String text = new String(raw, StandardCharsets.US_ASCII).strip();
        final String begin = "-----BEGIN " + label + "-----";
        final String end = "-----END " + label + "-----";
        if (!text.startsWith(begin) || !text.endsWith(end)) {
            throw new KeyFileException(path, "expected a '" + label + "' block");
        }
        final String body = text.substring(begin.length(), text.length() - end.length()).replaceAll("\\s", "");
        try {
            return Base64.getDecoder().decode(body);
        } catch (final IllegalArgumentException e) {
            throw new KeyFileException(path, "'" + label + "' block is not valid base64");
        }
    }

    private static void write(
        final Path path, final String label, final byte[] bytes,
        final Set<PosixFilePermission> permissions, final boolean overwrite) throws IOException {
        if (!overwrite && Files.exists(path)) {
            throw new FileAlreadyExistsException(path.toString(), null, "refusing to overwrite; remove it first or pass --force");
        }
        final Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        final String text = "-----BEGIN " + label + "-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(bytes) + "\n"
            + "-----END " + label + "-----\n";
        final boolean posix = Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class);
        final Path tmp = posix
            ? Files.createTempFile(dir, ".vigil-", ".tmp", PosixFilePermissions.asFileAttribute(permissions))
            : Files.createTempFile(dir, ".vigil-", ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.US_ASCII);
            try {
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (final AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
