package dev.vigil.daemon.cli;

import dev.vigil.crypto.KeyFiles;
import dev.vigil.crypto.NodeIds;
import dev.vigil.crypto.PublicKey;
import dev.vigil.crypto.verdict.Attestation;
import dev.vigil.crypto.verdict.Verdict;
import dev.vigil.crypto.verdict.VerdictCertificate;
import dev.vigil.crypto.verdict.VerdictFormatException;
import dev.vigil.crypto.verdict.VerificationResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code vigil verdicts}: verdict certificates. {@code list} and {@code show} ask a daemon's API
 * ({@code GET /v1/verdicts}, {@code /v1/verdicts/ID}); {@code verify} needs nothing but the
 * certificate and the CA public key; {@code release} signs the operator's release of a conviction
 * with the CA key and hands it to a daemon ({@code POST /v1/verdicts/ID/release}).
 */
@Command(name = "verdicts", mixinStandardHelpOptions = true,
    description = "Verdict certificates: list those a daemon holds, show one (and save it), check one offline with the cluster CA public key, "
        + "release a conviction (signed with the cluster CA key).",
    subcommands = {VerdictsCommand.ListVerdicts.class, VerdictsCommand.Show.class, VerdictsCommand.Verify.class,
        VerdictsCommand.Release.class})
final class VerdictsCommand implements Runnable {
    @Override
    public void run() {
        throw new CliException("say what to do: vigil verdicts list | show ID [--out FILE] | verify FILE --ca ca.pub"
            + " | release ID --ca-key ca.key [--out FILE]");
    }

    private static final java.time.format.DateTimeFormatter TIME =
        java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(java.time.ZoneOffset.UTC);

    @Command(name = "list", mixinStandardHelpOptions = true,
        description = "One line per verdict certificate the daemon holds, newest first: id, kind, agent, shard/epoch/seq, posterior, signers.")
    static final class ListVerdicts implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        ApiTarget target;

        @Option(names = "--json", description = "Print the raw JSON of GET /v1/verdicts.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            final java.net.http.HttpResponse<String> response = AgentsCommand.send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create(target.base() + "/v1/verdicts")).GET().build());
            final com.fasterxml.jackson.databind.JsonNode verdicts = AgentsCommand.ok(response).path("verdicts");
            if (json) {
                System.out.println(response.body());
                return 0;
            }
            System.out.printf("%-16s %-8s %-32s %-16s %10s %7s  %s%n", "ID", "KIND", "AGENT", "SHARD/EPOCH/SEQ", "POSTERIOR", "SIGNERS",
                "ISSUED (UTC)");
            for (final com.fasterxml.jackson.databind.JsonNode v : verdicts) {
                System.out.printf("%-16s %-8s %-32s %-16s %10.6f %7d  %s%n", v.path("id").asText(), v.path("kind").asText(),
                    v.path("agent").asText(), v.path("shard").asInt() + "/" + v.path("epoch").asLong() + "/" + v.path("sequence").asLong(),
                    v.path("posterior").asDouble(), v.path("signers").asInt(),
                    TIME.format(java.time.Instant.ofEpochSecond(0, v.path("issued_at_micros").asLong() * 1000)));
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
        description = "One verdict as JSON (what it says, the daemon's check of it, the certificate in base64); --out saves the certificate for `vigil verdicts verify`.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        ApiTarget target;

        @Parameters(paramLabel = "ID", description = "The verdict id (from vigil verdicts list).")
        String id;

        @Option(names = "--out", paramLabel = "FILE", description = "Also write the certificate (base64) to FILE.")
        Path out;

        @Option(names = "--json", description = "JSON output (the only form; accepted as on every read command).")
        boolean json;

        @Override
        public Integer call() throws Exception {
            final java.net.http.HttpResponse<String> r = AgentsCommand.send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create(target.base() + "/v1/verdicts/" + AgentsCommand.path(id))).GET().build());
            final com.fasterxml.jackson.databind.JsonNode v = AgentsCommand.ok(r);
            spec.commandLine().getOut().println(r.body());
            spec.commandLine().getOut().flush();
            if (out != null) {
                Files.writeString(out, v.path("certificate_base64").asText() + "\n");
            }
            return 0;
        }
    }

    @Command(name = "release", mixinStandardHelpOptions = true,
        description = {
            "Release a conviction: the daemon's certificate of verdict ID is fetched and checked, a RELEASE naming it is signed "
                + "with the cluster CA key and handed to the daemon, which floods it to the fleet and submits it to the agent's "
                + "committee (the agent stands convicted no longer, and only new evidence convicts it again).",
            "Prints one line: the release's verdict id. --out also saves the release certificate (base64) for `vigil verdicts verify`."})
    static final class Release implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        ApiTarget target;

        @Parameters(paramLabel = "ID", description = "The id of the conviction to release (from vigil verdicts list).")
        String id;

        @Option(names = "--ca-key", paramLabel = "FILE", required = true, description = "The cluster CA's private key (vigil ca init).")
        Path caKey;

        @Option(names = "--out", paramLabel = "FILE", description = "Also write the release certificate (base64) to FILE.")
        Path out;

        @Override
        public Integer call() throws Exception {
            final dev.vigil.crypto.PrivateKey key;
            try {
                key = KeyFiles.readPrivateKey(caKey);
            } catch (final IOException | RuntimeException e) {
                throw new CliException("cannot read the CA key " + caKey + ": " + e.getMessage());
            }
            final com.fasterxml.jackson.databind.JsonNode shown = AgentsCommand.ok(AgentsCommand.send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create(target.base() + "/v1/verdicts/" + AgentsCommand.path(id))).GET().build()));
            final VerdictCertificate convict;
            try {
                convict = VerdictCertificate.fromBase64(shown.path("certificate_base64").asText());
            } catch (final VerdictFormatException e) {
                throw new CliException("the daemon's certificate of verdict " + id + " does not decode: " + e.getMessage());
            }
            final Verdict c = convict.verdict();
            if (!c.id().equals(id)) {
                throw new CliException("asked for verdict " + id + ", the daemon answered with verdict " + c.id());
            }
            if (c.kind() != Verdict.Kind.CONVICT) {
                throw new CliException("verdict " + id + " is a " + c.kind().name().toLowerCase(java.util.Locale.ROOT)
                    + (c.kind() == Verdict.Kind.RELEASE ? " (of verdict " + c.retractedId() + ")" : "")
                    + ", not a conviction: only a conviction is released");
            }
            final VerificationResult valid = convict.verify(key.publicKey(), 0);
            if (!valid.isValid()) {
                throw new CliException("verdict " + id + " does not verify with this CA key, not signing a release of it: "
                    + valid.problem());
            }
            final VerdictCertificate release = sign(convict, key, java.time.Instant.now());
            final com.fasterxml.jackson.databind.JsonNode r = AgentsCommand.ok(AgentsCommand.send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create(target.base() + "/v1/verdicts/" + AgentsCommand.path(id) + "/release"))
                .header("Content-Type", "text/plain; charset=us-ascii")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(release.toBase64())).build()));
            if (out != null) {
                Files.writeString(out, release.toBase64() + "\n");
            }
            spec.commandLine().getOut().println("released verdict " + id + " on agent " + c.agentId() + ": release "
                + r.path("release_id").asText(release.verdict().id()));
            return 0;
        }

        /**
         * The operator's release of {@code convict}: the same agent, shard, epoch, f, view and
         * sequence, and its version-vector digest (the state it retracts), issued {@code now},
         * log-odds and posterior 0, no observers; signed with the CA key.
         */
        static VerdictCertificate sign(final VerdictCertificate convict, final dev.vigil.crypto.PrivateKey caKey,
                                       final java.time.Instant now) {
            final Verdict c = convict.verdict();
            final Verdict release = Verdict.release(c.agentId(), c.id()).f(c.f()).shard(c.shard()).epoch(c.epoch()).view(c.view())
                .sequence(c.sequence()).issuedAtMicros(Math.multiplyExact(now.getEpochSecond(), 1_000_000L) + now.getNano() / 1000)
                .logOdds(0).posterior(0).versionVectorDigest(c.versionVectorDigest()).build();
            return VerdictCertificate.ofOperator(release, dev.vigil.crypto.verdict.VerdictSignature.signAsOperator(release, caKey));
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
        description = {
            "Check a verdict certificate with the cluster CA public key alone: 2f+1 distinct committee members "
                + "(or, for a release, the operator's CA key) signed it, every signer's certificate was issued by this CA "
                + "and was valid when the verdict was issued.",
            "FILE holds the binary certificate (it starts with the byte 0x89) or its base64 text; line breaks are ignored.",
            "Exit status: 0 valid (one line on stdout), 1 invalid (one line on stderr), 2 could not check (missing file, bad CA key file).",
            "--json: one JSON object on stdout for valid and invalid alike ({\"valid\": false, \"reason\": …} with exit 1)."})
    static final class Verify implements Callable<Integer> {
        /** Larger than the base64 of the largest certificate with a line break every 64 characters. */
        static final long FILE_BYTES_MAX = 64 * 1024;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "The verdict certificate, binary or base64.")
        Path file;

        @Option(names = "--ca", required = true, paramLabel = "FILE", description = "The cluster CA public key (ca.pub from vigil ca init).")
        Path ca;

        @Option(names = "--f-min", paramLabel = "F", defaultValue = "1",
            description = "The smallest f to accept (default ${DEFAULT-VALUE}); the CA key cannot tell what f the fleet runs, "
                + "and with f = 0 one node's signature is a quorum. Pass 0 only for a fleet too small for f = 1.")
        int fMin;

        @Option(names = "--json", description = "Print one JSON object on stdout: valid, and the verdict's fields, or the reason it is invalid.")
        boolean json;

        @Override
        public Integer call() throws IOException {
            if (fMin < 0 || fMin > Verdict.F_MAX) {
                throw new CliException("--f-min must be in [0, " + Verdict.F_MAX + "], got " + fMin);
            }
            final PublicKey caKey = KeyFiles.readPublicKey(ca);
            if (!Files.isRegularFile(file)) {
                throw new CliException(file + ": no such file");
            }
            if (Files.size(file) > FILE_BYTES_MAX) {
                return invalid(file + " is " + Files.size(file) + " bytes, more than any verdict certificate");
            }
            final VerdictCertificate certificate;
            try {
                certificate = VerdictCertificate.decodeBinaryOrBase64(Files.readAllBytes(file));
            } catch (final VerdictFormatException e) {
                return invalid(e.getMessage());
            }
            final VerificationResult result = certificate.verify(caKey, fMin);
            if (!result.isValid()) {
                return invalid(result.problem());
            }
            spec.commandLine().getOut().println(json ? validJson(certificate, result, caKey) : validLine(certificate, result, caKey));
            return 0;
        }

        private int invalid(final String reason) {
            if (json) {
                final Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("valid", false);
                fields.put("reason", reason);
                spec.commandLine().getOut().println(toJson(fields));
            } else {
                spec.commandLine().getErr().println("invalid: " + reason);
            }
            return 1;
        }

        /** The fields of {@link #validLine}, with their names. */
        static String validJson(final VerdictCertificate certificate, final VerificationResult result, final PublicKey caKey) {
            final Verdict v = certificate.verdict();
            final Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("valid", true);
            fields.put("verdict_id", v.id());
            fields.put("kind", v.kind().name());
            if (v.kind() == Verdict.Kind.RELEASE) {
                fields.put("retracts", v.retractedId());
            }
            fields.put("agent", v.agentId());
            fields.put("shard", v.shard());
            fields.put("epoch", v.epoch());
            fields.put("view", v.view());
            fields.put("seq", v.sequence());
            fields.put("posterior", v.posterior());
            fields.put("log_odds", v.logOdds());
            fields.put("observers", v.observers().length);
            fields.put("issued", certificate.issuedAt().toString());
            if (certificate.attestation() == Attestation.OPERATOR) {
                fields.put("signed_by", "operator");
                fields.put("ca_id", NodeIds.toHex(caKey.nodeId()));
            } else {
                fields.put("signed_by", "committee");
                fields.put("signers", result.signers());
                fields.put("committee_size", v.committeeSize());
                fields.put("f", v.f());
            }
            return toJson(fields);
        }

        private static String toJson(final Map<String, Object> fields) {
            try {
                return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(fields);
            } catch (final com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e); // plain strings and numbers always serialise
            }
        }

        static String validLine(final VerdictCertificate certificate, final VerificationResult result, final PublicKey caKey) {
            final Verdict v = certificate.verdict();
            final StringBuilder line = new StringBuilder("valid: ").append(v.id()).append(' ').append(v.kind());
            if (v.kind() == Verdict.Kind.RELEASE) {
                line.append(" of ").append(v.retractedId());
            }
            line.append(" agent ").append(v.agentId())
                .append(" shard ").append(v.shard())
                .append(" epoch ").append(v.epoch())
                .append(" view ").append(v.view())
                .append(" seq ").append(v.sequence())
                .append(" posterior ").append(v.posterior())
                .append(" log-odds ").append(v.logOdds())
                .append(" observers ").append(v.observers().length)
                .append(" issued ").append(certificate.issuedAt());
            if (certificate.attestation() == Attestation.OPERATOR) {
                line.append(" signed by the operator (cluster CA ").append(NodeIds.toHex(caKey.nodeId())).append(')');
            } else {
                line.append(" signed by ").append(result.signers()).append(" of committee of ").append(v.committeeSize())
                    .append(" (f = ").append(v.f()).append(')');
            }
            return line.toString();
        }
    }
}
