package dev.vigil.simnet;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The regression guard of the simulator's behaviour. Each run below is {@code vigil simnet ... --signatures simulated
 * --json}, in process; the SHA-256 of its stdout, its exit status and the digest of every frame the simulated network
 * carried must equal what {@value #DIGESTS} holds. The simulator is deterministic, so "behaviour unchanged" is this
 * byte comparison: a refactoring keeps every line; a deliberate change of behaviour rewrites the file in the same
 * commit (run with {@code -Dvigil.regression.update=true}) and says why in the commit message.
 */
class SimnetRegressionTest {
    static final String DIGESTS = "src/test/resources/simnet-regression.txt";
    private static final Pattern FRAMES = Pattern.compile("\"frames_sha256\":\"([0-9a-f]{64})\",\"frames\":([0-9]+)");

    /** The recorded runs: every tree scenario and restart, three seeds each, sized to run in about a second. */
    static List<String> runs() {
        final List<String> runs = new ArrayList<>();
        for (final String scenario : List.of("tree", "propagation", "churn", "lying-head")) {
            for (final int seed : new int[] {1, 2, 3}) {
                runs.add("--scenario " + scenario + " --nodes 48 --b 8 --seed " + seed);
            }
        }
        for (final int seed : new int[] {1, 2, 3}) {
            runs.add("--scenario restart --nodes 16 --time-limit-s 90 --seed " + seed);
        }
        return runs;
    }

    /** One run's line: its arguments, exit status, stdout digest, frame count and frame digest. */
    static String record(final String args) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final List<String> argv = new ArrayList<>(List.of(args.split(" ")));
        argv.addAll(List.of("--signatures", "simulated", "--json", "--frame-digest"));
        final int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = new CommandLine(new SimnetCommand(o, e)).execute(argv.toArray(String[]::new));
        }
        final Matcher m = FRAMES.matcher(err.toString(StandardCharsets.UTF_8));
        if (!m.find()) {
            throw new AssertionError("no frame digest on stderr of 'vigil simnet " + args + "':\n" + err.toString(StandardCharsets.UTF_8));
        }
        return args + "\t" + exit + "\t" + sha256(out.toByteArray()) + "\t" + m.group(2) + "\t" + m.group(1);
    }

    @Test
    void everyRecordedRunPutsTheSameBytesOnStdoutAndOnTheWire() throws IOException {
        final Map<String, String> expected = new LinkedHashMap<>();
        for (final String line : Files.readAllLines(Path.of(DIGESTS))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                expected.put(line.substring(0, line.indexOf('\t')), line);
            }
        }
        final List<String> lines = new ArrayList<>();
        final List<String> differ = new ArrayList<>();
        for (final String args : runs()) {
            final String line = record(args);
            lines.add(line);
            if (!line.equals(expected.get(args))) {
                differ.add("  was: " + expected.get(args) + "\n  now: " + line);
            }
        }
        final String file = "# vigil simnet <args> --signatures simulated --json --frame-digest\n"
            + "# args\texit\tstdout_sha256\tframes\tframes_sha256\n" + String.join("\n", lines) + "\n";
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/simnet-regression.txt"), file);
        if (Boolean.getBoolean("vigil.regression.update")) {
            Files.writeString(Path.of(DIGESTS), file);
            return;
        }
        assertThat(differ)
            .as("simnet behaviour changed (the new digests are in simnet/target/simnet-regression.txt; a deliberate change "
                + "rewrites " + DIGESTS + " with -Dvigil.regression.update=true and says why in its commit)")
            .isEmpty();
        assertThat(expected.keySet()).as("runs recorded in " + DIGESTS).containsExactlyElementsOf(runs());
    }

    private static String sha256(final byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
