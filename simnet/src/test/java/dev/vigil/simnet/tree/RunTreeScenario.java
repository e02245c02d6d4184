package dev.vigil.simnet.tree;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.simnet.HostStats;

/** Runs one tree scenario from the command line: KIND NODES SEED B (a development aid). */
public final class RunTreeScenario {
    public static void main(final String[] args) throws Exception {
        final TreeScenario.Kind kind = TreeScenario.Kind.valueOf(args[0]);
        final TreeScenario.Params p = TreeScenario.Params.of(kind, Integer.parseInt(args[1]), Long.parseLong(args[2]))
            .withB(Integer.parseInt(args[3]))
            .withSignatures(args.length > 4 && args[4].equals("simulated")
                ? dev.vigil.crypto.SignatureScheme.SIMULATED_INSECURE : dev.vigil.crypto.SignatureScheme.ED25519);
        System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(TreeScenario.run(p, new HostStats())));
    }
}
